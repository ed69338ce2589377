import type { HtmlPage } from "../../src/archive/pages.ts";
import { jsonForScript, structuredData } from "../../src/publish/structured-data.ts";
import type { Settings } from "../../src/settings.ts";
import { absoluteUrl, mediaAddress, sitePath } from "../../src/urls.ts";

/** Canonical address, feeds, sharing cards (OpenGraph) and schema.org data for one page. */
export function HeadMeta({ page, settings }: { page: HtmlPage; settings: Settings }) {
  const url = absoluteUrl(settings, page.url);
  const data = structuredData(page, settings);
  const article = page.kind === "article" ? page.article : undefined;
  const iso = (date: NonNullable<typeof article>["date"]) => date.value.toISO({ suppressMilliseconds: true }) ?? "";
  return (
    <>
      {page.kind === "notFound" ? <meta name="robots" content="noindex" /> : <link rel="canonical" href={url} />}
      {page.feeds.map((feed) => (
        <link rel="alternate" type={feed.type} title={feed.title} href={sitePath(settings, feed.url)} />
      ))}
      <meta property="og:site_name" content={settings.title} />
      <meta property="og:title" content={page.title} />
      <meta property="og:description" content={page.description} />
      <meta property="og:url" content={url} />
      <meta property="og:locale" content={settings.language.replace("-", "_")} />
      <meta property="og:type" content={article ? "article" : "website"} />
      {article ? (
        <>
          <meta property="article:published_time" content={iso(article.date)} />
          <meta property="article:modified_time" content={iso(article.updated ?? article.date)} />
          {article.authors.map((author) => (
            <meta property="article:author" content={absoluteUrl(settings, author.url)} />
          ))}
          {article.topics.map((topic) => (
            <meta property="article:tag" content={topic.name} />
          ))}
        </>
      ) : null}
      {article?.image ? (
        <>
          <meta property="og:image" content={mediaAddress(settings, article.image.url)} />
          {article.image.alt !== "" && <meta property="og:image:alt" content={article.image.alt} />}
          <meta name="twitter:card" content="summary_large_image" />
        </>
      ) : (
        <meta name="twitter:card" content="summary" />
      )}
      {data ? <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonForScript(data) }} /> : null}
    </>
  );
}
