import type { Article } from "../../src/archive/archive.ts";
import { Link, useMessages } from "./site.tsx";
import { DateTime } from "./time.tsx";

/** Articles about the same things as the one just read, most related first. */
export function RelatedArticles({ articles }: { articles: Article[] }) {
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
