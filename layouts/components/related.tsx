import { renderToString } from "preact-render-to-string";
import type { Article } from "../../src/archive/archive.ts";
import type { Settings } from "../../src/settings.ts";
import { Link, SiteSettings, useMessages } from "./site.tsx";
import { DateTime } from "./time.tsx";

/** What a related list shows of an article. */
export type RelatedShown = Pick<Article, "url" | "title" | "date">;

/** Articles about the same things as the one just read, most related first. */
export function RelatedArticles({ articles }: { articles: readonly RelatedShown[] }) {
  const messages = useMessages();
  if (articles.length === 0) return null;
  return (
    <nav class="related" aria-labelledby="related-heading">
      <h2 id="related-heading">{messages.t("article.related")}</h2>
      <ul>
        {articles.map((article) => (
          <li key={article.url}>
            <Link href={article.url}>{article.title}</Link> <DateTime date={article.date} short />
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The related list as an article's page has it: a page whose list alone changed gets the new one in place of the old (a build of body edits, src/build.ts). */
export function relatedArticlesHtml(settings: Settings, articles: readonly RelatedShown[]): string {
  return renderToString(
    <SiteSettings settings={settings}>
      <RelatedArticles articles={articles} />
    </SiteSettings>,
  );
}
