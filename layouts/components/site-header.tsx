import type { Brand } from "../../src/archive/load-site.ts";
import type { Page } from "../../src/archive/pages.ts";
import type { MessageKey } from "../../src/i18n/messages.ts";
import type { Theme } from "../../src/theme.ts";
import { logoUrl } from "../../src/urls.ts";
import { SnippetMark } from "../snippets.tsx";
import { SearchForm } from "./search-form.tsx";
import { Link, useMessages, useSettings, useSitePath } from "./site.tsx";

type Section = "home" | "topics" | "authors" | "archive" | "search";

const SECTIONS: { section: Section; name: MessageKey; url: string }[] = [
  { section: "home", name: "nav.latest", url: "/" },
  { section: "topics", name: "nav.topics", url: "/topics/" },
  { section: "authors", name: "nav.authors", url: "/authors/" },
  { section: "archive", name: "nav.archive", url: "/archive/" },
  { section: "search", name: "nav.search", url: "/search/" },
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
    default:
      return undefined;
  }
}

export function SiteHeader({ page, theme }: { page: Page; theme: Theme }) {
  const settings = useSettings();
  const messages = useMessages();
  const path = useSitePath();
  const current = sectionOf(page);
  const logo = logoUrl(settings.logo);
  return (
    <header class="site-header">
      <SnippetMark place="header" theme={theme} />
      <div class="masthead">
        <p class={logo ? "site-title site-logo" : "site-title"}>
          <Link href="/">{logo ? <img src={path(logo)} alt={settings.title} /> : settings.title}</Link>
        </p>
        <SearchForm id="site-search" label={messages.t("search.boxLabel")} hideLabel />
      </div>
      <nav class="site-nav" aria-label={messages.t("nav.label")}>
        <ul>
          {SECTIONS.map(({ section, name, url }) => (
            <li key={url}>
              {/* "page" only on the link to this very page; within a section (a topic, page 2 of the home listing) the section link is "true". */}
              <Link href={url} aria-current={section !== current ? undefined : url === page.url ? "page" : "true"}>
                {messages.t(name)}
              </Link>
            </li>
          ))}
          {settings.nav.map((link) => (
            <li key={link.url} class="site-nav-own">
              {/* A path of the site gets the base path; another site's address is kept as written. */}
              <a href={link.url.startsWith("/") ? path(link.url) : link.url} aria-current={link.url === page.url ? "page" : undefined}>
                {link.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

export function SiteFooter({ brand }: { brand: Brand }) {
  const settings = useSettings();
  const messages = useMessages();
  return (
    <footer class="site-footer">
      {brand.footerHtml !== "" ? (
        <div class="site-footer-text" dangerouslySetInnerHTML={{ __html: brand.footerHtml }} />
      ) : (
        <p>
          <Link href="/">{settings.title}</Link> — {settings.description}
        </p>
      )}
      <p class="site-footer-links">
        <Link href="/corrections/">{messages.t("corrections.title")}</Link>
      </p>
      <SnippetMark place="footer" theme={brand.theme} />
    </footer>
  );
}
