import { renderToString } from "preact-render-to-string";
import type { Article } from "../../src/archive/archive.ts";
import type { FrontSections, ListPage, MonthLink } from "../../src/archive/pages.ts";
import { TeaserHtml, type TeaserLevel } from "../../src/cache/teaser-html.ts";
import { formatMonth } from "../format.ts";
import { Breadcrumbs } from "./breadcrumbs.tsx";
import { ArticleCount, NameList, Separator } from "./names.tsx";
import { PaginationNav } from "./pagination.tsx";
import { Thumbnail } from "./picture.tsx";
import { Link, SiteSettings, useMessages, useSettings, useTeasers } from "./site.tsx";
import { TimelineChart } from "./timeline.tsx";
import { DateTime } from "./time.tsx";

/** The home page and every topic, author, year and month listing. */
export function ListView({ page }: { page: ListPage }) {
  const messages = useMessages();
  const { pageNumber, pageUrls } = page.pagination;
  if (page.front !== undefined) return <FrontPageView page={page} front={page.front} />;
  return (
    <>
      <Breadcrumbs crumbs={page.breadcrumbs} />
      <header class="page-header">
        <h1>{page.heading}</h1>
        <p class="count">
          {messages.t("count.articles", { count: page.total })}
          {pageUrls.length > 1 && ` · ${messages.t("list.pageOf", { page: pageNumber, pages: pageUrls.length })}`}
        </p>
        {page.months !== undefined && page.months.length > 0 && (
          <>
            <p class="visually-hidden">{messages.t("list.byMonth")}</p>
            <MonthLinks months={page.months} />
          </>
        )}
        {page.timeline !== undefined && (
          <TimelineChart timeline={page.timeline} caption={messages.t(page.listing === "author" ? "timeline.byPerMonth" : "timeline.aboutPerMonth", { name: page.heading })} size="small" />
        )}
      </header>
      <Teasers articles={page.articles} level="list" />
      <PaginationNav pagination={page.pagination} />
    </>
  );
}

/**
 * The front page: the newest article as the lead story, the latest after it, then a section for
 * each topic the settings name, with its newest articles not already shown; the rest of the
 * latest articles follow on the listing's next pages.
 */
function FrontPageView({ page, front }: { page: ListPage; front: FrontSections }) {
  const messages = useMessages();
  return (
    <>
      <h1 class="visually-hidden">{page.heading}</h1>
      <section class="front-lead" aria-labelledby="front-lead-heading">
        <h2 class="visually-hidden" id="front-lead-heading">
          {messages.t("home.lead")}
        </h2>
        <Teasers articles={[front.lead]} level="lead" />
      </section>
      {front.latest.length > 0 && (
        <section class="front-section" aria-labelledby="front-latest-heading">
          <h2 id="front-latest-heading">{messages.t("home.latest")}</h2>
          <Teasers articles={front.latest} level="section" />
        </section>
      )}
      {front.topics.map(({ topic, articles }, index) => (
        <section key={topic.url} class="front-section" aria-labelledby={`front-topic-${index}`}>
          <h2 id={`front-topic-${index}`}>
            <Link href={topic.url}>{messages.t("home.moreIn", { topic: topic.name })}</Link>
          </h2>
          <Teasers articles={articles} level="section" />
        </section>
      ))}
      <PaginationNav pagination={page.pagination} />
    </>
  );
}

/**
 * A listing's articles, each as its teaser. A teaser is the same wherever it is shown, so it is
 * made once in a render, as HTML (src/cache/teaser-html.ts), and placed in each page as it is:
 * HTML that Preact made, which escaped every text of the article as it does on the page.
 */
function Teasers({ articles, level }: { articles: readonly Article[]; level: TeaserLevel }) {
  const settings = useSettings();
  const teasers = useTeasers() ?? new TeaserHtml();
  let html = "";
  for (const article of articles) {
    html += teasers.of(article, level, () =>
      renderToString(
        <SiteSettings settings={settings}>
          <Teaser article={article} level={level} />
        </SiteSettings>,
      ),
    );
  }
  return <ol class="teasers" dangerouslySetInnerHTML={{ __html: html }} />;
}

/** An article in a listing. */
function Teaser({ article, level }: { article: Article; level: TeaserLevel }) {
  // Under a section's heading (the lead story's is there for screen readers) a headline is one level lower.
  const Heading = level === "list" ? "h2" : "h3";
  return (
    <li class={`${level === "lead" ? "teaser teaser-lead" : "teaser"}${article.image ? " has-image" : ""}`}>
      {article.image !== undefined && <Thumbnail image={article.image} />}
      <Heading>
        <Link href={article.url}>{article.title}</Link>
      </Heading>
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
export function MonthLinks({ months }: { months: MonthLink[] }) {
  const { language } = useSettings();
  return (
    <ul class="month-list">
      {months.map((month) => (
        <li key={month.url}>
          <Link href={month.url}>{formatMonth(month.year, month.month, language)}</Link> <ArticleCount count={month.count} language={language} />
        </li>
      ))}
    </ul>
  );
}
