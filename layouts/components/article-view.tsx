import type { ComponentChildren } from "preact";
import { renderToString } from "preact-render-to-string";
import { articleHtml, type Article } from "../../src/archive/archive.ts";
import type { ArticlePage } from "../../src/archive/pages.ts";
import type { Settings } from "../../src/settings.ts";
import type { Theme } from "../../src/theme.ts";
import { repeatsOpening } from "../format.ts";
import { SnippetMark } from "../snippets.tsx";
import { Breadcrumbs } from "./breadcrumbs.tsx";
import { ArticleCorrections } from "./corrections.tsx";
import { NameList, Separator } from "./names.tsx";
import { LeadFigure } from "./picture.tsx";
import { RelatedArticles } from "./related.tsx";
import { Link, SiteSettings, useMessages, useSitePath } from "./site.tsx";
import { DateTime } from "./time.tsx";

/** How long the article takes to read, in the dateline. */
function ReadingTime({ minutes }: { minutes: number }) {
  const messages = useMessages();
  return <span class="reading-time">{messages.t("article.readingTime", { count: minutes })}</span>;
}

/** The reading time as an article's page has it: a page whose body alone changed gets its own put in place (src/cache/body-edits.ts). */
export function readingTimeHtml(settings: Settings, minutes: number): string {
  return renderToString(
    <SiteSettings settings={settings}>
      <ReadingTime minutes={minutes} />
    </SiteSettings>,
  );
}

export function ArticleView({ page, theme }: { page: ArticlePage; theme: Theme }) {
  const messages = useMessages();
  const path = useSitePath();
  const { article } = page;
  // A summary taken from the body, or written out the same, would be read twice.
  const standfirst = article.writtenSummary !== undefined && !repeatsOpening(article.writtenSummary, article.opening) ? article.writtenSummary : undefined;
  return (
    <>
      <Breadcrumbs crumbs={page.breadcrumbs} />
      <article class="article" data-pagefind-body="">
        <header class="article-header">
          <h1>{article.title}</h1>
          {standfirst !== undefined && <p class="standfirst">{standfirst}</p>}
          <div class="article-meta">
            <p class="byline">
              <Byline names={article.authors} />
            </p>
            <p class="dateline">
              <DateTime date={article.date} />
              {article.updated !== undefined && (
                <>
                  <Separator />
                  <span class="updated">
                    {/* When a correction is the last change, "Updated" leads to what was corrected. */}
                    {article.corrections.length > 0 ? (
                      <a href="#corrections-heading">
                        <Phrase text={messages.t("article.updated")} slot="{date}">
                          <DateTime date={article.updated} />
                        </Phrase>
                      </a>
                    ) : (
                      <Phrase text={messages.t("article.updated")} slot="{date}">
                        <DateTime date={article.updated} />
                      </Phrase>
                    )}
                  </span>
                </>
              )}
              <Separator />
              <ReadingTime minutes={article.readingMinutes} />
            </p>
            {article.topics.length > 0 && (
              <>
                <p class="visually-hidden">{messages.t("article.topicsHidden")}</p>
                <ul class="topic-list">
                  {article.topics.map((topic) => (
                    <li key={topic.url}>
                      <Link href={topic.url}>{topic.name}</Link>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        </header>
        {article.image !== undefined && <LeadFigure image={article.image} />}
        <div class="article-body" dangerouslySetInnerHTML={{ __html: articleHtml(article) }} />
        <ArticleCorrections article={article} />
        <SnippetMark place="articleEnd" theme={theme} />
      </article>
      <RelatedArticles articles={page.related} />
      <MoreArticles newer={page.newer} older={page.older} />
      <script type="module" src={path("/assets/search-highlight.js")}></script>
    </>
  );
}

/** "By A and B", with the names linked, however the language places them. */
function Byline({ names }: { names: ArticlePage["article"]["authors"] }) {
  const messages = useMessages();
  return (
    <Phrase text={messages.t("article.by")} slot="{names}">
      <NameList names={names} />
    </Phrase>
  );
}

/** A message with one part that is markup (`Updated {date}`): the text around it, and the part in its place. */
function Phrase({ text, slot, children }: { text: string; slot: string; children: ComponentChildren }) {
  const at = text.indexOf(slot);
  if (at === -1) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      {children}
      {text.slice(at + slot.length)}
    </>
  );
}

function MoreArticles({ newer, older }: { newer?: Article; older?: Article }) {
  const messages = useMessages();
  if (newer === undefined && older === undefined) return null;
  return (
    <nav class="more-articles" aria-label={messages.t("article.more")}>
      <ul>
        {newer !== undefined && (
          <li class="newer">
            <Link href={newer.url} rel="prev">
              <span class="more-label">
                {messages.t("article.newer")}
                <span class="visually-hidden">:</span>
              </span>{" "}
              {newer.title}
            </Link>
          </li>
        )}
        {older !== undefined && (
          <li class="older">
            <Link href={older.url} rel="next">
              <span class="more-label">
                {messages.t("article.older")}
                <span class="visually-hidden">:</span>
              </span>{" "}
              {older.title}
            </Link>
          </li>
        )}
      </ul>
    </nav>
  );
}
