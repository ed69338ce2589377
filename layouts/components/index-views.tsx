import type { ArchiveIndexPage, NameIndexPage, PlainPage } from "../../src/archive/pages.ts";
import { formatCount } from "../format.ts";
import { Breadcrumbs } from "./breadcrumbs.tsx";
import { MonthLinks } from "./list-view.tsx";
import { ArticleCount } from "./names.tsx";
import { SearchForm } from "./search-form.tsx";
import { Link, useSettings } from "./site.tsx";

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

export function SearchView({ page }: { page: PlainPage }) {
  return (
    <>
      <Breadcrumbs crumbs={page.breadcrumbs} />
      <header class="page-header">
        <h1>{page.title}</h1>
      </header>
      <SearchForm id="search-query" label="Search the archive" />
      <div id="search"></div>
      <noscript>
        <p class="notice">
          Search needs JavaScript, which is turned off or unavailable. You can still browse by <Link href="/topics/">topic</Link>, by{" "}
          <Link href="/authors/">author</Link> or through the <Link href="/archive/">archive</Link> by year and month.
        </p>
      </noscript>
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
