import type { SitePage } from "../../src/archive/pages.ts";
import { Breadcrumbs } from "./breadcrumbs.tsx";

/** One of the site's own pages (about, contact): a heading and the page's Markdown. */
export function SitePageView({ page }: { page: SitePage }) {
  return (
    <>
      <Breadcrumbs crumbs={page.breadcrumbs} />
      <article class="article site-page">
        <header class="article-header">
          <h1>{page.title}</h1>
        </header>
        <div class="article-body" dangerouslySetInnerHTML={{ __html: page.html }} />
      </article>
    </>
  );
}
