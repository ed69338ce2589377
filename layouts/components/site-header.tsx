import type { Page } from "../../src/archive/pages.ts";
import { SearchForm } from "./search-form.tsx";
import { Link, useSettings } from "./site.tsx";

type Section = "home" | "topics" | "authors" | "archive" | "search";

const SECTIONS: { section: Section; name: string; url: string }[] = [
  { section: "home", name: "Latest", url: "/" },
  { section: "topics", name: "Topics", url: "/topics/" },
  { section: "authors", name: "Authors", url: "/authors/" },
  { section: "archive", name: "Archive", url: "/archive/" },
  { section: "search", name: "Search", url: "/search/" },
];

/** Which part of the site a page belongs to; an article sits in the archive, as its breadcrumbs say. */
function sectionOf(page: Page): Section | undefined {
  switch (page.kind) {
    case "article":
    case "archive":
      return "archive";
    case "list":
      return page.listing === "home" ? "home" : page.listing === "topic" ? "topics" : page.listing === "author" ? "authors" : "archive";
    case "topics":
    case "authors":
    case "search":
      return page.kind;
    case "notFound":
    case "corrections":
    case "redirect":
    case "file":
      return undefined;
  }
}

export function SiteHeader({ page }: { page: Page }) {
  const settings = useSettings();
  const current = sectionOf(page);
  return (
    <header class="site-header">
      <div class="masthead">
        <p class="site-title">
          <Link href="/">{settings.title}</Link>
        </p>
        <SearchForm id="site-search" label="Search articles" hideLabel />
      </div>
      <nav class="site-nav" aria-label="Sections">
        <ul>
          {SECTIONS.map(({ section, name, url }) => (
            <li key={url}>
              {/* "page" only on the link to this very page; within a section (a topic, page 2 of the home listing) the section link is "true". */}
              <Link href={url} aria-current={section !== current ? undefined : url === page.url ? "page" : "true"}>
                {name}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

export function SiteFooter() {
  const settings = useSettings();
  return (
    <footer class="site-footer">
      <p>
        <Link href="/">{settings.title}</Link> — {settings.description}
      </p>
      <p class="site-footer-links">
        <Link href="/corrections/">Corrections</Link>
      </p>
    </footer>
  );
}
