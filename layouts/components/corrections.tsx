import type { Article } from "../../src/archive/archive.ts";
import type { CorrectionsPage } from "../../src/archive/pages.ts";
import { correctionAnchors } from "../../src/publish/corrections.ts";
import { formatCount } from "../format.ts";
import { Breadcrumbs } from "./breadcrumbs.tsx";
import { Link, useSettings } from "./site.tsx";
import { DateTime } from "./time.tsx";

/** At the end of an article: what was corrected and when, in the order it was done. */
export function ArticleCorrections({ article }: { article: Article }) {
  if (article.corrections.length === 0) return null;
  const anchors = correctionAnchors(article);
  return (
    <section class="corrections" aria-labelledby="corrections-heading">
      <h2 id="corrections-heading">{article.corrections.length === 1 ? "Correction" : "Corrections"}</h2>
      <ul>
        {article.corrections.map((correction, index) => (
          <li key={anchors[index]} id={anchors[index]}>
            <DateTime date={correction.date} />: {correction.text}
          </li>
        ))}
      </ul>
      <p class="corrections-more">
        <Link href="/corrections/">Every correction in the archive</Link>
      </p>
    </section>
  );
}

/** Every correction in the archive, newest first, each with the article it corrected. */
export function CorrectionsView({ page }: { page: CorrectionsPage }) {
  const { language } = useSettings();
  return (
    <>
      <Breadcrumbs crumbs={page.breadcrumbs} />
      <header class="page-header">
        <h1>{page.title}</h1>
        <p class="count">{formatCount(page.corrections.length, language, "correction")}, newest first</p>
      </header>
      {page.corrections.length === 0 ? (
        <p class="notice">No article has been corrected. When one is, the correction is shown at the end of the article and listed here.</p>
      ) : (
        <ol class="correction-list">
          {page.corrections.map(({ article, correction, anchor }) => (
            <li key={`${article.url}#${anchor}`}>
              <h2>
                <Link href={`${article.url}#${anchor}`}>{article.title}</Link>
              </h2>
              <p class="correction-meta">
                Corrected <DateTime date={correction.date} />
              </p>
              <p class="correction-text">{correction.text}</p>
            </li>
          ))}
        </ol>
      )}
      <p class="corrections-feed">
        <Link href="/corrections/feed.xml">Follow corrections as a feed</Link>
      </p>
    </>
  );
}
