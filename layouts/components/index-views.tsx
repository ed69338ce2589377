import type { ArchiveIndexPage, NameIndexPage, PlainPage, SearchPage } from "../../src/archive/pages.ts";
import { formatCount, formatDate, formatNumber } from "../format.ts";
import { Breadcrumbs } from "./breadcrumbs.tsx";
import { MonthLinks } from "./list-view.tsx";
import { ArticleCount } from "./names.tsx";
import { SearchForm } from "./search-form.tsx";
import { Link, useSettings, useSitePath } from "./site.tsx";
import { TimelineChart } from "./timeline.tsx";

/** Every topic or every author, in the order given, with how many articles each has. */
export function NameIndexView({ page }: { page: NameIndexPage }) {
  const { language } = useSettings();
  return (
    <>
      <Breadcrumbs crumbs={page.breadcrumbs} />
      <header class="page-header">
        <h1>{page.title}</h1>
        <p class="count">{formatCount(page.groups.length, language, page.kind === "topics" ? "topic" : "author")}</p>
      </header>
      <ul class={`name-index name-index-${page.kind}`}>
        {page.groups.map((group) => (
          <li key={group.url}>
            <Link href={group.url}>{group.name}</Link> <ArticleCount count={group.articles.length} language={language} />
          </li>
        ))}
      </ul>
    </>
  );
}

/** Every year, newest first, each with its months. */
export function ArchiveIndexView({ page }: { page: ArchiveIndexPage }) {
  const { language } = useSettings();
  return (
    <>
      <Breadcrumbs crumbs={page.breadcrumbs} />
      <header class="page-header">
        <h1>{page.title}</h1>
      </header>
      {page.timeline !== undefined && <TimelineChart timeline={page.timeline} caption="Articles per month" size="large" />}
      {page.years.map((year) => (
        <section key={year.url} class="archive-year">
          <h2>
            <Link href={year.url}>{String(year.year)}</Link> <span class="count-inline">{formatCount(year.articles.length, language)}</span>
          </h2>
          <MonthLinks months={year.months} />
        </section>
      ))}
    </>
  );
}

/** "the 10,000 newest articles, since March 3, 2024": what a search of the newest volume looks in. */
function newestScope(volume: SearchPage["volumes"][number], language: string): string {
  const articles = volume.articles === 1 ? "the newest article" : `the ${formatNumber(volume.articles, language)} newest articles`;
  return volume.oldest ? `${articles}, since ${formatDate({ ...volume.oldest, hasTime: false }, language)}` : articles;
}

/**
 * The search page. The form works without script (it reloads this page with `?q=`); with script,
 * `search.js` searches as the reader types, fills in the filters and keeps the address in step.
 * The controls stay hidden until the script shows them, so nobody meets a control that does nothing.
 */
export function SearchView({ page }: { page: SearchPage }) {
  const path = useSitePath();
  const { language } = useSettings();
  // A big archive's index comes in volumes: a search looks in the newest first (src/archive/volumes.ts).
  const [newest, ...older] = page.volumes;
  if (page.articleCount === 0) {
    return (
      <>
        <Breadcrumbs crumbs={page.breadcrumbs} />
        <header class="page-header">
          <h1>{page.title}</h1>
        </header>
        <p class="notice">Nothing has been published yet, so there is nothing to search. Articles appear here once they are published.</p>
      </>
    );
  }
  return (
    <>
      <Breadcrumbs crumbs={page.breadcrumbs} />
      <header class="page-header">
        <h1>{page.title}</h1>
      </header>
      <link rel="stylesheet" href={path("/assets/search.css")} />
      <SearchForm id="search-query" label="Search the archive" />
      <div id="search" class="search" data-bundle={path("/pagefind/")} data-older-bundles={older.length > 0 ? older.map((volume) => path(`/${volume.folder}`)).join(" ") : undefined} data-newest-scope={newest && older.length > 0 ? newestScope(newest, language) : undefined} hidden>
        <div class="search-sort">
          <label for="search-sort">Sort</label>
          <select id="search-sort" name="sort">
            <option value="relevance">Best match first</option>
            <option value="newest">Newest first</option>
          </select>
        </div>
        <div class="search-layout">
          <details id="search-filters" class="search-filters">
            <summary>
              <h2>Narrow the results</h2>
            </summary>
            <p class="search-filters-hint">Ticking several values in one group finds articles with any of them.</p>
            <div id="search-filter-groups"></div>
          </details>
          <section class="search-results-area" aria-labelledby="search-results-heading">
            <h2 id="search-results-heading" class="visually-hidden">
              Results
            </h2>
            <p id="search-status" class="search-status" role="status" aria-live="polite"></p>
            {older.length > 0 && (
              <button type="button" id="search-everything" class="search-more" hidden>
                Search all {formatCount(page.articleCount, language)}
              </button>
            )}
            <ol id="search-results" class="search-results"></ol>
            <button type="button" id="search-more" class="search-more" hidden>
              Show more results
            </button>
          </section>
        </div>
      </div>
      <noscript>
        <p class="notice">
          Search needs JavaScript, which is turned off or unavailable. You can still browse by <Link href="/topics/">topic</Link>, by{" "}
          <Link href="/authors/">author</Link> or through the <Link href="/archive/">archive</Link> by year and month.
        </p>
      </noscript>
      <script type="module" src={path("/assets/search.js")}></script>
    </>
  );
}

export function NotFoundView({ page }: { page: PlainPage }) {
  return (
    <>
      <header class="page-header">
        <h1>{page.title}</h1>
      </header>
      <p>The page may have moved, or the address may be mistyped.</p>
      <ul class="not-found-links">
        <li>
          <Link href="/">Latest articles</Link>
        </li>
        <li>
          <Link href="/archive/">The archive, by year and month</Link>
        </li>
        <li>
          <Link href="/search/">Search</Link>
        </li>
      </ul>
    </>
  );
}
