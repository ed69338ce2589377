import type { SiteModel } from "../src/archive/load-site.ts";
import type { HtmlPage } from "../src/archive/pages.ts";
import { sitePath } from "../src/urls.ts";
import { ArticleView } from "./components/article-view.tsx";
import { ArchiveIndexView, NameIndexView, NotFoundView, SearchView } from "./components/index-views.tsx";
import { HeadMeta } from "./components/head-meta.tsx";
import { ListView } from "./components/list-view.tsx";
import { SiteFooter, SiteHeader } from "./components/site-header.tsx";
import { SiteSettings } from "./components/site.tsx";

/** One whole HTML document for any page of the archive. */
export function PageView({ site, page }: { site: SiteModel; page: HtmlPage }) {
  const { settings } = site;
  const isFrontPage = page.kind === "list" && page.listing === "home" && page.pagination.pageNumber === 1;
  return (
    <SiteSettings settings={settings}>
      <html lang={settings.language}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{isFrontPage ? settings.title : `${page.title} · ${settings.title}`}</title>
          <meta name="description" content={page.description} />
          <meta name="color-scheme" content="light dark" />
          <link rel="stylesheet" href={sitePath(settings, "/assets/style.css")} />
          <HeadMeta page={page} settings={settings} />
        </head>
        <body>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <SiteHeader page={page} />
          <main id="main" class={`main main-${page.kind}`} tabIndex={-1}>
            <PageContent page={page} />
          </main>
          <SiteFooter />
        </body>
      </html>
    </SiteSettings>
  );
}

function PageContent({ page }: { page: HtmlPage }) {
  switch (page.kind) {
    case "article":
      return <ArticleView page={page} />;
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
  }
}
