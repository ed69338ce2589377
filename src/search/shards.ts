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
 * The shards of each volume, at most `pagesPerShard` articles each, cut at fixed distances from
 * the archive's oldest article rather than from its newest: a new article, which comes first,
 * then leaves every shard but those at a volume's edges with the same articles, so that a build
 * from the cache indexes only those again (src/build.ts). Every volume has a shard, even an
 * empty one. The merged index is the same however the archive is cut (compact-bundle.ts).
 */
export function planShards(volumes: readonly SearchVolume[], pagesPerShard: number): SearchShard[] {
  const last = volumes.at(-1)!;
  const total = last.first + last.articles;
  const shards: SearchShard[] = [];
  volumes.forEach((volume, number) => {
    const end = volume.first + volume.articles;
    let first = volume.first;
    do {
      // The next cut: the first place after `first` at a multiple of the shard size from the end.
      const cut = total - Math.floor((total - first - 1) / pagesPerShard) * pagesPerShard;
      const next = Math.min(end, Math.max(cut, first + 1), first + pagesPerShard);
      shards.push({ volume: number, first, articles: Math.max(0, Math.min(next, end) - first) });
      first = next;
    } while (first < end);
  });
  return shards;
}
