import { describe, expect, test } from "vitest";
import { searchVolumes } from "../../src/archive/volumes.ts";

describe("search volumes", () => {
  test("an archive no bigger than a volume has one, in pagefind/", () => {
    expect(searchVolumes(7, 10)).toEqual([{ folder: "pagefind/", first: 0, articles: 7 }]);
    expect(searchVolumes(10, 10)).toEqual([{ folder: "pagefind/", first: 0, articles: 10 }]);
  });

  test("an empty archive still has its newest volume, empty", () => {
    expect(searchVolumes(0, 10)).toEqual([{ folder: "pagefind/", first: 0, articles: 0 }]);
  });

  test("a bigger archive has whole volumes counted and numbered from the oldest, and the newest holds the rest", () => {
    expect(searchVolumes(25, 10)).toEqual([
      { folder: "pagefind/", first: 0, articles: 5 },
      { folder: "pagefind/volumes/2/", first: 5, articles: 10 },
      { folder: "pagefind/volumes/1/", first: 15, articles: 10 },
    ]);
    expect(searchVolumes(20, 10).map((volume) => volume.articles)).toEqual([10, 10]);
  });

  test("a rest of less than half a volume is joined to the whole volume before it", () => {
    expect(searchVolumes(24, 10)).toEqual([
      { folder: "pagefind/", first: 0, articles: 14 },
      { folder: "pagefind/volumes/1/", first: 14, articles: 10 },
    ]);
    expect(searchVolumes(14, 10)).toEqual([{ folder: "pagefind/", first: 0, articles: 14 }]);
  });

  test("a new article changes the newest volume alone: every older one keeps its articles and its folder", () => {
    const older = (count: number) => searchVolumes(count, 10).slice(1).map(({ folder, first, articles }) => ({ folder, oldest: count - first - articles, articles }));
    for (let count = 15; count < 60; count++) {
      const before = older(count);
      const after = older(count + 1);
      // Only once the newest has grown to one and a half volumes does a whole one split off it.
      expect(after.slice(after.length - before.length), `${count} articles and one more`).toEqual(before);
    }
  });
});
