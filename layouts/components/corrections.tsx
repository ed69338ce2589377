import type { Article } from "../../src/archive/archive.ts";
import type { CorrectionsPage } from "../../src/archive/pages.ts";
import { correctionAnchors } from "../../src/publish/corrections.ts";
import { Breadcrumbs } from "./breadcrumbs.tsx";
import { Link, useMessages } from "./site.tsx";
import { DateTime } from "./time.tsx";

/** At the end of an article: what was corrected and when, in the order it was done. */
export function ArticleCorrections({ article }: { article: Article }) {
  const messages = useMessages();
  if (article.corrections.length === 0) return null;
  const anchors = correctionAnchors(article);
  return (
    <section class="corrections" aria-labelledby="corrections-heading">
      <h2 id="corrections-heading">{messages.t("article.corrections", { count: article.corrections.length })}</h2>
      <ul>
        {article.corrections.map((correction, index) => (
          <li key={anchors[index]} id={anchors[index]}>
            <DateTime date={correction.date} />: {correction.text}
          </li>
        ))}
      </ul>
      <p class="corrections-more">
        <Link href="/corrections/">{messages.t("article.allCorrections")}</Link>
      </p>
    </section>
  );
}

/** Every correction in the archive, newest first, each with the article it corrected. */
export function CorrectionsView({ page }: { page: CorrectionsPage }) {
  const messages = useMessages();
  const [before, after] = messages.t("corrections.corrected").split("{date}");
  return (
    <>
      <Breadcrumbs crumbs={page.breadcrumbs} />
      <header class="page-header">
        <h1>{page.title}</h1>
        <p class="count">{messages.t("corrections.count", { count: page.corrections.length })}</p>
      </header>
      {page.corrections.length === 0 ? (
        <p class="notice">{messages.t("corrections.none")}</p>
      ) : (
        <ol class="correction-list">
          {page.corrections.map(({ article, correction, anchor }) => (
            <li key={`${article.url}#${anchor}`}>
              <h2>
                <Link href={`${article.url}#${anchor}`}>{article.title}</Link>
              </h2>
              <p class="correction-meta">
                {before}
                <DateTime date={correction.date} />
                {after}
              </p>
              <p class="correction-text">{correction.text}</p>
            </li>
          ))}
        </ol>
      )}
      <p class="corrections-feed">
        <Link href="/corrections/feed.xml">{messages.t("corrections.feed")}</Link>
      </p>
    </>
  );
}
