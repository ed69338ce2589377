import { expect, test } from "vitest";
import { searchVolumes } from "../../src/archive/volumes.ts";
import { planShards, type SearchShard } from "../../src/search/shards.ts";

// The search index's shards are cut by the articles' addresses: whatever moves in the archive's
// order, each shard that holds the same articles as before is kept, and only the others are
// indexed again by a build from the cache.

/** Addresses of an archive, newest first, as a build gives them. */
function archive(count: number, prefix = "a"): string[] {
  return Array.from({ length: count }, (_, number) => `/${2026 - Math.floor(number / 400)}/${String(1 + (number % 12)).padStart(2, "0")}/${prefix}-story-${number}/`);
}

function plan(addresses: readonly string[], perVolume: number, perShard: number): SearchShard[] {
  return planShards(searchVolumes(addresses.length, perVolume), perShard, (place) => addresses[place]!);
}

/** `list` with `removed` addresses taken out at `place` and `added` put in. */
function spliced(list: readonly string[], place: number, removed: number, ...added: string[]): string[] {
  return [...list.slice(0, place), ...added, ...list.slice(place + removed)];
}

/** Each shard as the addresses it holds. */
function contents(addresses: readonly string[], shards: readonly SearchShard[]): string[] {
  return shards.map((shard) => addresses.slice(shard.first, shard.first + shard.articles).join(" "));
}

/** The shards of `after` that hold other articles than every shard of `before` did. */
function changed(before: readonly string[], after: readonly string[], perVolume: number, perShard: number): number {
  const kept = new Set(contents(before, plan(before, perVolume, perShard)));
  return contents(after, plan(after, perVolume, perShard)).filter((shard) => !kept.has(shard)).length;
}

test("each volume is cut into shards that hold every article once, in order, between two fifths and twice the shard size", () => {
  const addresses = archive(25_000);
  const volumes = searchVolumes(addresses.length, 10_000);
  const shards = plan(addresses, 10_000, 100);
  volumes.forEach((volume, number) => {
    const own = shards.filter((shard) => shard.volume === number);
    expect(own[0]!.first).toBe(volume.first);
    own.forEach((shard, at) => {
      expect(shard.first + shard.articles).toBe(own[at + 1]?.first ?? volume.first + volume.articles);
      expect(shard.articles).toBeLessThanOrEqual(200);
      // Only a volume's newest shard, cut where the volume ends, may be shorter.
      if (at > 0) expect(shard.articles).toBeGreaterThanOrEqual(40);
    });
  });
  // Volume after volume, newest first, as the search thread indexes and merges them.
  expect(shards.flatMap((shard) => Array.from({ length: shard.articles }, (_, offset) => shard.first + offset))).toEqual(addresses.map((_, place) => place));
  expect(shards.map((shard) => shard.volume)).toEqual(shards.map((shard) => shard.volume).sort((a, b) => a - b));
  // 78 on average (40 and then one in 40), and the shard an edited article falls in holds 95 on
  // average, about what it held with fixed cuts (100).
  const average = addresses.length / shards.length;
  expect(average).toBeGreaterThan(74);
  expect(average).toBeLessThan(82);
  const struck = shards.reduce((sum, shard) => sum + shard.articles * shard.articles, 0) / addresses.length;
  expect(struck).toBeGreaterThan(90);
  expect(struck).toBeLessThan(100);
});

test("small shard sizes, as tests set them, still give shards of several articles", () => {
  const addresses = archive(2_000);
  for (const size of [2, 3, 4]) {
    const shards = plan(addresses, 100_000, size);
    expect(Math.max(...shards.map((shard) => shard.articles)), `size ${size}`).toBe(2 * size);
    expect(addresses.length / shards.length, `size ${size}`).toBeGreaterThan(0.6 * size);
  }
});

test("every volume has a shard, an empty archive's newest volume too, and a shard of one article each at size one", () => {
  expect(plan([], 10, 4)).toEqual([{ volume: 0, first: 0, articles: 0 }]);
  expect(plan(archive(5), 10, 1)).toEqual([0, 1, 2, 3, 4].map((first) => ({ volume: 0, first, articles: 1 })));
});

test("a new article, newest of all, changes only the newest shard", () => {
  const before = archive(10_000);
  expect(changed(before, ["/2026/12/late-news/", ...before], 10_000, 100)).toBe(1);
});

test("an article deleted, or dated back among old ones, changes the shard that held or takes it, and the edge shards of the volumes after it", () => {
  const before = archive(10_000);
  // One volume: cut counted from the oldest, a deletion at place 7,000 changed 70 shards of 100.
  for (const place of [1_234, 5_000, 7_001, 9_876]) {
    expect(changed(before, spliced(before, place, 1), 20_000, 100), `deleted at ${place}`).toBeLessThanOrEqual(2);
    expect(changed(before, spliced(before, place, 0, "/2012/05/imported/"), 20_000, 100), `imported at ${place}`).toBeLessThanOrEqual(2);
  }
  // Volumes of 2,000: each volume newer than the change gains an article at one edge and loses one at the other.
  const inVolumes = changed(before, spliced(before, 9_000, 0, "/2012/05/imported/"), 2_000, 100);
  expect(inVolumes).toBeGreaterThanOrEqual(1);
  expect(inVolumes).toBeLessThanOrEqual(1 + 2 * 4);
});

test("the cuts depend on the addresses, not on how many articles are older", () => {
  const newer = archive(3_000, "new");
  const older = archive(3_017, "old");
  const alone = contents(newer, plan(newer, 100_000, 100));
  const above = contents([...newer, ...older], plan([...newer, ...older], 100_000, 100));
  // Every shard of the newer articles is cut where it was before the older came, but those
  // nearest to the older articles, where the cuts find their places again.
  for (const shard of alone.slice(0, -2)) expect(above).toContain(shard);
});
