/**
 * The search index comes in volumes of `settings.searchVolume` articles, in the archive's order,
 * newest first: each a Pagefind bundle of its own. The search page searches the newest volume
 * first, and merges the others in (Pagefind's `mergeIndex`) only when that finds less than a
 * page of results or the reader asks. Every search fetches the metadata of each volume it
 * searches, a few bytes per article: at 100,000 articles one index made a first search fetch
 * 1.8 MB, the newest volume of 10,000 about 270 kB.
 */
export interface SearchVolume {
  /** The bundle's folder, relative to the site's root: `pagefind/` for the newest, `pagefind/volumes/N/` for the others. */
  folder: string;
  /** Its first article's place in the archive, newest first. */
  first: number;
  articles: number;
}

/** The volumes of an archive of `articleCount` articles; the newest is always there, even empty. */
export function searchVolumes(articleCount: number, articlesPerVolume: number): SearchVolume[] {
  const volumes: SearchVolume[] = [];
  for (let first = 0; first === 0 || first < articleCount; first += articlesPerVolume) {
    const number = volumes.length;
    volumes.push({ folder: number === 0 ? "pagefind/" : `pagefind/volumes/${number}/`, first, articles: Math.min(articlesPerVolume, articleCount - first) });
  }
  return volumes;
}
