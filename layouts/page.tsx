import type { SiteModel } from "../src/archive/load-site.ts";
import type { Page } from "../src/archive/pages.ts";

export function PageView({ site, page }: { site: SiteModel; page: Page }) {
  return (
    <html lang={site.settings.language}>
      <head>
        <meta charset="utf-8" />
        <title>{`${page.title} · ${site.settings.title}`}</title>
      </head>
      <body>
        <h1>{page.title}</h1>
        {page.kind === "article" ? <div dangerouslySetInnerHTML={{ __html: page.article.html }} /> : null}
      </body>
    </html>
  );
}
