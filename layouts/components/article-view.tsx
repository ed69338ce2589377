import type { Article } from "../../src/archive/archive.ts";
import type { ArticlePage } from "../../src/archive/pages.ts";
import { formatReadingTime, repeatsFirstParagraph } from "../format.ts";
import { Breadcrumbs } from "./breadcrumbs.tsx";
import { ArticleCorrections } from "./corrections.tsx";
import { NameList, Separator } from "./names.tsx";
import { RelatedArticles } from "./related.tsx";
import { Link, useSettings, useSitePath } from "./site.tsx";
import { DateTime } from "./time.tsx";

export function ArticleView({ page }: { page: ArticlePage }) {
  const { language } = useSettings();
  const path = useSitePath();
  const { article } = page;
  // A summary taken from the body, or written out the same, would be read twice.
  const standfirst = article.writtenSummary !== undefined && !repeatsFirstParagraph(article.writtenSummary, article.html) ? article.writtenSummary : undefined;
  return (
    <>
      <Breadcrumbs crumbs={page.breadcrumbs} />
      <article class="article" data-pagefind-body="">
        <header class="article-header">
          <h1>{article.title}</h1>
          {standfirst !== undefined && <p class="standfirst">{standfirst}</p>}
          <div class="article-meta">
            <p class="byline">
              By <NameList names={article.authors} />
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
                        Updated <DateTime date={article.updated} />
                      </a>
                    ) : (
                      <>
                        Updated <DateTime date={article.updated} />
                      </>
                    )}
                  </span>
                </>
              )}
              <Separator />
              <span class="reading-time">{formatReadingTime(article.readingMinutes, language)}</span>
            </p>
            {article.topics.length > 0 && (
              <>
                <p class="visually-hidden">Topics:</p>
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
        <div class="article-body" dangerouslySetInnerHTML={{ __html: article.html }} />
        <ArticleCorrections article={article} />
      </article>
      <RelatedArticles articles={page.related} />
      <MoreArticles newer={page.newer} older={page.older} />
      <script type="module" src={path("/assets/search-highlight.js")}></script>
    </>
  );
}

function MoreArticles({ newer, older }: { newer?: Article; older?: Article }) {
  if (newer === undefined && older === undefined) return null;
  return (
    <nav class="more-articles" aria-label="More articles">
      <ul>
        {newer !== undefined && (
          <li class="newer">
            <Link href={newer.url} rel="prev">
              <span class="more-label">
                Newer<span class="visually-hidden">:</span>
              </span>{" "}
              {newer.title}
            </Link>
          </li>
        )}
        {older !== undefined && (
          <li class="older">
            <Link href={older.url} rel="next">
              <span class="more-label">
                Older<span class="visually-hidden">:</span>
              </span>{" "}
              {older.title}
            </Link>
          </li>
        )}
      </ul>
    </nav>
  );
}
