import type { SiteModel } from "../src/archive/load-site.ts";
import type { HtmlPage } from "../src/archive/pages.ts";
import { messagesFor } from "../src/i18n/messages.ts";
import { sitePath } from "../src/urls.ts";
import { ArticleView } from "./components/article-view.tsx";
import { CorrectionsView } from "./components/corrections.tsx";
import { ArchiveIndexView, NameIndexView, NotFoundView, SearchView } from "./components/index-views.tsx";
import { HeadMeta } from "./components/head-meta.tsx";
import { ListView } from "./components/list-view.tsx";
import { SiteFooter, SiteHeader } from "./components/site-header.tsx";
import { SitePageView } from "./components/site-page-view.tsx";
import { SiteSettings } from "./components/site.tsx";
import { SnippetMark } from "./snippets.tsx";

/** One whole HTML document for any page of the archive. */
export function PageView({ site, page }: { site: SiteModel; page: HtmlPage }) {
  const { settings, brand } = site;
  const messages = messagesFor(settings);
  const isFrontPage = page.kind === "list" && page.listing === "home" && page.pagination.pageNumber === 1;
  return (
    <SiteSettings settings={settings} teasers={site.teasers}>
      <html lang={settings.language} dir={messages.dir}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{isFrontPage ? settings.title : `${page.title} · ${settings.title}`}</title>
          <meta name="description" content={page.description} />
          <meta name="color-scheme" content="light dark" />
          <link rel="stylesheet" href={sitePath(settings, "/assets/style.css")} />
          {brand.theme.stylesheet && <link rel="stylesheet" href={sitePath(settings, "/theme/style.css")} />}
          <HeadMeta page={page} settings={settings} />
          <SnippetMark place="head" theme={brand.theme} />
        </head>
        <body>
          <a class="skip-link" href="#main">
            {messages.t("skip.toContent")}
          </a>
          <SiteHeader page={page} theme={brand.theme} />
          <main id="main" class={`main main-${page.kind}`} tabIndex={-1}>
            <PageContent page={page} site={site} />
          </main>
          <SiteFooter brand={brand} />
          <script type="module" src={sitePath(settings, "/assets/keyboard.js")}></script>
        </body>
      </html>
    </SiteSettings>
  );
}

function PageContent({ page, site }: { page: HtmlPage; site: SiteModel }) {
  switch (page.kind) {
    case "article":
      return <ArticleView page={page} theme={site.brand.theme} />;
    case "list":
      return <ListView page={page} />;
    case "topics":
    case "authors":
      return <NameIndexView page={page} />;
    case "archive":
      return <ArchiveIndexView page={page} />;
    case "search":
      return <SearchView page={page} />;
    case "notFound":
      return <NotFoundView page={page} />;
    case "page":
      return <SitePageView page={page} />;
    case "corrections":
      return <CorrectionsView page={page} />;
  }
}
