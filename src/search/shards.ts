import type { SearchVolume } from "../archive/volumes.ts";

/** A slice of the archive Pagefind indexes on its own before the slices are merged (pagefind-worker.js). */
export interface SearchShard {
  /** The volume it belongs to, by number. */
  volume: number;
  /** Its first article's place in the archive, newest first. */
  first: number;
  articles: number;
}

/**
 * How shards are cut, in parts of the shard size: a shard holds at least `SHORTEST` of it; from
 * then on, one article in `MARK_RATE` of it (by its address's hash) ends the shard; it holds at
 * most `LONGEST` of it. At the size of 100, shards then hold 40 to 200 articles (a volume's newest
 * shard, cut where the volume ends, may hold fewer), 78 on average, and the shard an edited
 * article falls in holds 95 on average, about what it held with fixed cuts (100); cut by marks
 * alone, one article in 100 and no shortest, it held 160 on average.
 */
const SHORTEST = 0.4;
const MARK_RATE = 0.4;
const LONGEST = 2;

/**
 * The shards of each volume, cut where the articles say rather than at fixed distances: by the
 * hash of each article's address (`addressAt`, by place), as rsync and backup tools cut files by
 * their content, within the bounds above. Each volume is cut from its oldest article on. A new
 * article, which comes first, then changes only the newest shard; an article deleted, dated back
 * or imported among old ones changes the shard that held or takes it (1.0 to 1.2 shards on
 * average, where cuts counted from the oldest article moved every shard newer than it in its
 * volume and every shard of the newer volumes, and a
 * build from the cache indexed them all again: at 10,000 articles, one imported into 2012 took
 * 43 s, a build from nothing 34 s; cut so, 5.3 to 6.0 s), and the shards at the edges of its
 * volume and of each newer one, whose edges move a place. Every volume
 * has a shard, even an empty one. The merged index is the same however the archive is cut
 * (compact-bundle.ts).
 */
export function planShards(volumes: readonly SearchVolume[], pagesPerShard: number, addressAt: (place: number) => string): SearchShard[] {
  const shortest = Math.max(1, Math.round(pagesPerShard * SHORTEST));
  // At least one in two from a size of two on: a mark on every article would cut shards of one.
  const markRate = pagesPerShard < 2 ? 1 : Math.max(2, Math.round(pagesPerShard * MARK_RATE));
  const longest = Math.max(shortest, Math.round(pagesPerShard * LONGEST));
  const shards: SearchShard[] = [];
  volumes.forEach((volume, number) => {
    const own: SearchShard[] = [];
    // From the oldest article (the last place) to the newest (the first): a shard ends, towards
    // the newest, at the place where it is cut, which is its first.
    let end = volume.first + volume.articles;
    for (let place = end - 1; place >= volume.first; place--) {
      const length = end - place;
      if (place === volume.first || length === longest || (length >= shortest && marksCut(addressAt(place), markRate))) {
        own.push({ volume: number, first: place, articles: length });
        end = place;
      }
    }
    if (own.length === 0) own.push({ volume: number, first: volume.first, articles: 0 });
    shards.push(...own.reverse());
  });
  return shards;
}

/** Whether the article at `address` may end its shard: one in `rate`, by a hash of the address (FNV-1a, mixed as MurmurHash3 finishes its hashes). */
function marksCut(address: string, rate: number): boolean {
  let hash = 0x811c9dc5;
  for (let at = 0; at < address.length; at++) hash = Math.imul(hash ^ address.charCodeAt(at), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return ((hash ^ (hash >>> 16)) >>> 0) % rate === 0;
}
