import type { Article, MonthGroup } from "../../src/archive/archive.ts";
import type { ListPage } from "../../src/archive/pages.ts";
import { formatCount, formatMonth, formatNumber } from "../format.ts";
import { Breadcrumbs } from "./breadcrumbs.tsx";
import { ArticleCount, NameList, Separator } from "./names.tsx";
import { PaginationNav } from "./pagination.tsx";
import { Link, useSettings } from "./site.tsx";
import { TimelineChart } from "./timeline.tsx";
import { DateTime } from "./time.tsx";

/** The home page and every topic, author, year and month listing. */
export function ListView({ page }: { page: ListPage }) {
  const { language } = useSettings();
  const { pageNumber, pageUrls } = page.pagination;
  return (
    <>
      <Breadcrumbs crumbs={page.breadcrumbs} />
      <header class="page-header">
        <h1>{page.heading}</h1>
        <p class="count">
          {formatCount(page.total, language)}
          {pageUrls.length > 1 && ` · page ${formatNumber(pageNumber, language)} of ${formatNumber(pageUrls.length, language)}`}
        </p>
        {page.months !== undefined && page.months.length > 0 && (
          <>
            <p class="visually-hidden">By month:</p>
            <MonthLinks months={page.months} />
          </>
        )}
        {page.timeline !== undefined && (
          <TimelineChart timeline={page.timeline} caption={page.listing === "author" ? `Articles by ${page.heading} per month` : `Articles about ${page.heading} per month`} size="small" />
        )}
      </header>
      <ol class="teasers">
        {page.articles.map((article) => (
          <Teaser key={article.url} article={article} />
        ))}
      </ol>
      <PaginationNav pagination={page.pagination} />
    </>
  );
}

function Teaser({ article }: { article: Article }) {
  return (
    <li class="teaser">
      <h2>
        <Link href={article.url}>{article.title}</Link>
      </h2>
      <p class="teaser-meta">
        <DateTime date={article.date} short />
        <Separator />
        <span class="teaser-authors">
          <NameList names={article.authors} linked={false} />
        </span>
      </p>
      {article.summary !== "" && <p class="teaser-summary">{article.summary}</p>}
    </li>
  );
}

/** A year's months, so a reader can narrow the listing down. */
export function MonthLinks({ months }: { months: MonthGroup[] }) {
  const { language } = useSettings();
  return (
    <ul class="month-list">
      {months.map((month) => (
        <li key={month.url}>
          <Link href={month.url}>{formatMonth(month.year, month.month, language)}</Link> <ArticleCount count={month.articles.length} language={language} />
        </li>
      ))}
    </ul>
  );
}
