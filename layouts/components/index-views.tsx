import type { ArchiveIndexPage, NameIndexPage, PlainPage, SearchPage } from "../../src/archive/pages.ts";
import type { Messages } from "../../src/i18n/messages.ts";
import { jsonForScript } from "../../src/publish/structured-data.ts";
import { formatDate } from "../format.ts";
import { Breadcrumbs } from "./breadcrumbs.tsx";
import { MonthLinks } from "./list-view.tsx";
import { ArticleCount } from "./names.tsx";
import { SearchForm } from "./search-form.tsx";
import { Link, useMessages, useSettings, useSitePath } from "./site.tsx";
import { TimelineChart } from "./timeline.tsx";

/** Every topic or every author, in the order given, with how many articles each has. */
export function NameIndexView({ page }: { page: NameIndexPage }) {
  const { language } = useSettings();
  const messages = useMessages();
  return (
    <>
      <Breadcrumbs crumbs={page.breadcrumbs} />
      <header class="page-header">
        <h1>{page.title}</h1>
        <p class="count">{messages.t(page.kind === "topics" ? "count.topics" : "count.authors", { count: page.groups.length })}</p>
      </header>
      <ul class={`name-index name-index-${page.kind}`}>
        {page.groups.map((group) => (
          <li key={group.url}>
            <Link href={group.url}>{group.name}</Link> <ArticleCount count={group.count} language={language} />
          </li>
        ))}
      </ul>
    </>
  );
}

/** Every year, newest first, each with its months. */
export function ArchiveIndexView({ page }: { page: ArchiveIndexPage }) {
  const messages = useMessages();
  return (
    <>
      <Breadcrumbs crumbs={page.breadcrumbs} />
      <header class="page-header">
        <h1>{page.title}</h1>
      </header>
      {page.timeline !== undefined && <TimelineChart timeline={page.timeline} caption={messages.t("timeline.perMonth")} size="large" />}
      {page.years.map((year) => (
        <section key={year.url} class="archive-year">
          <h2>
            <Link href={year.url}>{String(year.year)}</Link> <span class="count-inline">{messages.t("count.articles", { count: year.count })}</span>
          </h2>
          <MonthLinks months={year.months} />
        </section>
      ))}
    </>
  );
}

/** "the 10,000 newest articles, since March 3, 2024": what a search of the newest volume looks in. */
function newestScope(volume: SearchPage["volumes"][number], messages: Messages): string {
  if (!volume.oldest) return messages.t("search.newestScope", { count: volume.articles });
  return messages.t("search.newestScopeSince", { count: volume.articles, date: formatDate({ ...volume.oldest, hasTime: false }, messages.language) });
}

/** The messages search.js shows, as written (every plural form), for it to fill in. */
const SEARCH_SCRIPT_MESSAGES = [
  "search.unavailable",
  "search.filtersFailed",
  "search.noneForFilters",
  "search.noneForQuery",
  "search.noneForQueryFiltered",
  "search.matchFilters",
  "search.found",
  "search.inScope",
  "search.withFilters",
  "search.newestFirst",
  "search.quoted",
  "search.filterTopic",
  "search.filterAuthor",
  "search.filterYear",
  "search.showAll",
  "search.showFewer",
  "search.showingFor",
  "search.searchAsTyped",
  "article.by",
  "article.topicsHidden",
] as const;

/**
 * The search page. The form works without script (it reloads this page with `?q=`); with script,
 * `search.js` searches as the reader types, fills in the filters and keeps the address in step.
 * The controls stay hidden until the script shows them, so nobody meets a control that does nothing.
 */
export function SearchView({ page }: { page: SearchPage }) {
  const path = useSitePath();
  const messages = useMessages();
  // A big archive's index comes in volumes: a search looks in the newest first (src/archive/volumes.ts).
  const [newest, ...older] = page.volumes;
  if (page.articleCount === 0) {
    return (
      <>
        <Breadcrumbs crumbs={page.breadcrumbs} />
        <header class="page-header">
          <h1>{page.title}</h1>
        </header>
        <p class="notice">{messages.t("search.nothingYet")}</p>
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
      <SearchForm id="search-query" label={messages.t("search.queryLabel")} />
      <details class="search-help">
        <summary>{messages.t("search.help")}</summary>
        <ul>
          <li>{messages.t("search.helpPhrase")}</li>
          <li>{messages.t("search.helpExclude")}</li>
          <li>{messages.t("search.helpTypos")}</li>
          <li>{messages.t("search.helpKeyboard")}</li>
        </ul>
      </details>
      <script type="application/json" id="search-messages" dangerouslySetInnerHTML={{ __html: jsonForScript(Object.fromEntries(SEARCH_SCRIPT_MESSAGES.map((key) => [key, messages.raw(key)]))) }} />
      <div id="search" class="search" data-bundle={path("/pagefind/")} data-older-bundles={older.length > 0 ? older.map((volume) => path(`/${volume.folder}`)).join(" ") : undefined} data-newest-scope={newest && older.length > 0 ? newestScope(newest, messages) : undefined} hidden>
        <div class="search-sort">
          <label for="search-sort">{messages.t("search.sort")}</label>
          <select id="search-sort" name="sort">
            <option value="relevance">{messages.t("search.sortRelevance")}</option>
            <option value="newest">{messages.t("search.sortNewest")}</option>
          </select>
        </div>
        <div class="search-layout">
          <details id="search-filters" class="search-filters">
            <summary>
              <h2>{messages.t("search.filters")}</h2>
            </summary>
            <p class="search-filters-hint">{messages.t("search.filtersHint")}</p>
            <div id="search-filter-groups"></div>
          </details>
          <section class="search-results-area" aria-labelledby="search-results-heading">
            <h2 id="search-results-heading" class="visually-hidden">
              {messages.t("search.results")}
            </h2>
            <p id="search-correction" class="search-correction" hidden></p>
            <p id="search-status" class="search-status" role="status" aria-live="polite"></p>
            {older.length > 0 && (
              <button type="button" id="search-everything" class="search-more" hidden>
                {messages.t("search.everything", { count: page.articleCount })}
              </button>
            )}
            <ol id="search-results" class="search-results"></ol>
            <button type="button" id="search-more" class="search-more" hidden>
              {messages.t("search.more")}
            </button>
          </section>
        </div>
      </div>
      <noscript>
        <p class="notice">{messages.t("search.noScript")}</p>
        <ul class="not-found-links">
          <li>
            <Link href="/topics/">{messages.t("nav.topics")}</Link>
          </li>
          <li>
            <Link href="/authors/">{messages.t("nav.authors")}</Link>
          </li>
          <li>
            <Link href="/archive/">{messages.t("notFound.archive")}</Link>
          </li>
        </ul>
      </noscript>
      <script type="module" src={path("/assets/search.js")}></script>
    </>
  );
}

/** The messages not-found.js shows, sent with the page in the site's language. */
const NOT_FOUND_SCRIPT_MESSAGES = ["notFound.matches", "notFound.noMatches", "notFound.unavailable", "article.by"] as const;

/**
 * The 404 page. Without script it offers the search box and the ways into the archive; with
 * script, `not-found.js` searches the index for the words of the address that was not found and
 * offers the best matches, with those words in the search box for a new search.
 */
export function NotFoundView({ page }: { page: PlainPage }) {
  const messages = useMessages();
  const path = useSitePath();
  const { basePath } = useSettings();
  const [newest, ...older] = page.volumes;
  const searchable = page.articleCount > 0 && newest !== undefined;
  return (
    <>
      <header class="page-header">
        <h1>{page.title}</h1>
      </header>
      <p>{messages.t("notFound.text")}</p>
      {searchable && (
        <>
          <link rel="stylesheet" href={path("/assets/search.css")} />
          <script type="application/json" id="not-found-messages" dangerouslySetInnerHTML={{ __html: jsonForScript(Object.fromEntries(NOT_FOUND_SCRIPT_MESSAGES.map((key) => [key, messages.raw(key)]))) }} />
          <p id="not-found-status" class="search-status" role="status" aria-live="polite"></p>
          <section
            id="not-found-search"
            class="not-found-search"
            aria-labelledby="not-found-suggestions"
            data-bundle={path(`/${newest.folder}`)}
            data-older-bundles={older.length > 0 ? older.map((volume) => path(`/${volume.folder}`)).join(" ") : undefined}
            data-base-path={basePath}
            hidden
          >
            <h2 id="not-found-suggestions">{messages.t("notFound.suggestions")}</h2>
            <ol id="not-found-results" class="search-results"></ol>
          </section>
        </>
      )}
      <SearchForm id="not-found-query" label={messages.t("search.queryLabel")} />
      <ul class="not-found-links">
        <li>
          <Link href="/">{messages.t("notFound.latest")}</Link>
        </li>
        <li>
          <Link href="/archive/">{messages.t("notFound.archive")}</Link>
        </li>
        <li>
          <Link href="/search/">{messages.t("notFound.search")}</Link>
        </li>
      </ul>
      {searchable && <script type="module" src={path("/assets/not-found.js")}></script>}
    </>
  );
}
