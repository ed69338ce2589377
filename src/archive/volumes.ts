/**
 * The search index comes in volumes of `settings.searchVolume` articles, in the archive's order,
 * newest first (the newest holding what is left): each a Pagefind bundle of its own. The search page searches the newest volume
 * first, and merges the others in (Pagefind's `mergeIndex`) only when that finds less than a
 * page of results or the reader asks. Every search fetches the metadata of each volume it
 * searches, a few bytes per article: at 100,000 articles one index made a first search fetch
 * 1.8 MB, the newest volume of 10,000 about 270 kB.
 */
export interface SearchVolume {
  /** The bundle's folder, relative to the site's root: `pagefind/` for the newest, `pagefind/volumes/N/` for the others, the oldest 1. */
  folder: string;
  /** Its first article's place in the archive, newest first. */
  first: number;
  articles: number;
}

/** The newest volume's folder, which holds the others' (in `OLDER_VOLUMES`) and the word lists. */
export const NEWEST_VOLUME = "pagefind/";
/** The folder, inside the newest volume's, of the older volumes. */
export const OLDER_VOLUMES = "volumes";

/**
 * The volumes of an archive of `articleCount` articles, newest first. Whole volumes are counted
 * from the oldest article and numbered from it (`pagefind/volumes/1/` is the oldest), so that a
 * new article changes the newest volume alone, never the older ones' articles or folders. The
 * newest volume, always there even empty, holds the rest: from half a volume to one and a half,
 * because a rest of less than half a volume is joined to the whole one before it, so that a
 * search of the newest volume alone still looks in enough articles.
 */
export function searchVolumes(articleCount: number, articlesPerVolume: number): SearchVolume[] {
  let whole = Math.floor(articleCount / articlesPerVolume);
  let rest = articleCount - whole * articlesPerVolume;
  if (whole > 0 && rest < articlesPerVolume / 2) {
    whole--;
    rest += articlesPerVolume;
  }
  const volumes: SearchVolume[] = [{ folder: NEWEST_VOLUME, first: 0, articles: rest }];
  for (let number = whole; number >= 1; number--) {
    volumes.push({ folder: `${NEWEST_VOLUME}${OLDER_VOLUMES}/${number}/`, first: articleCount - number * articlesPerVolume, articles: articlesPerVolume });
  }
  return volumes;
}
