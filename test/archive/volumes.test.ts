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

  test("a bigger archive has volumes newest first, the last holding what is left", () => {
    expect(searchVolumes(25, 10)).toEqual([
      { folder: "pagefind/", first: 0, articles: 10 },
      { folder: "pagefind/volumes/1/", first: 10, articles: 10 },
      { folder: "pagefind/volumes/2/", first: 20, articles: 5 },
    ]);
    expect(searchVolumes(20, 10).map((volume) => volume.articles)).toEqual([10, 10]);
  });
});
