import type { Article } from "./archive.ts";

/** One calendar year of a timeline, with a count for each of its twelve months. */
export interface TimelineYear {
  year: number;
  /** Articles in January to December. */
  months: number[];
  total: number;
}

/** How many articles were published each month, from the first article's year to the last one's. */
export interface Timeline {
  /** Oldest first; every year in the span, including years without articles. */
  years: TimelineYear[];
  total: number;
  /** The month with the most articles (the earliest, when several have as many). */
  busiest: { year: number; month: number; count: number };
  first: { year: number; month: number };
  last: { year: number; month: number };
}

/** Counts articles per month in the site's time zone; undefined when there are none. */
export function countByMonth(articles: readonly Article[]): Timeline | undefined {
  if (articles.length === 0) return undefined;
  const counts = new Map<number, number>();
  let first = Infinity;
  let last = -Infinity;
  // Counted in runs of one month: a listing's articles are in order, so a month is counted into
  // the map once a run, not once an article. Every topic's, author's and the archive's timeline
  // counts each article about five times (0.35 s of the model at 100,000 articles); at 10,000,
  // best of 40, 10 to 13 ms against 17 ms.
  let runMonth = NaN;
  let run = 0;
  const endRun = () => {
    if (run > 0) counts.set(runMonth, (counts.get(runMonth) ?? 0) + run);
  };
  for (const article of articles) {
    const { year, month } = article.date.value;
    const key = year * 12 + month - 1;
    if (key === runMonth) {
      run++;
      continue;
    }
    endRun();
    runMonth = key;
    run = 1;
    first = Math.min(first, key);
    last = Math.max(last, key);
  }
  endRun();
  const years: TimelineYear[] = [];
  let busiest = { year: 0, month: 0, count: 0 };
  for (let year = Math.floor(first / 12); year <= Math.floor(last / 12); year++) {
    const months = Array.from({ length: 12 }, (_, index) => counts.get(year * 12 + index) ?? 0);
    months.forEach((count, index) => {
      if (count > busiest.count) busiest = { year, month: index + 1, count };
    });
    years.push({ year, months, total: months.reduce((sum, count) => sum + count, 0) });
  }
  const month = (key: number) => ({ year: Math.floor(key / 12), month: (key % 12) + 1 });
  return { years, total: articles.length, busiest, first: month(first), last: month(last) };
}
