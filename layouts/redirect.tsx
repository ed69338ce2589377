import type { RedirectPage } from "../src/archive/pages.ts";
import type { Settings } from "../src/settings.ts";
import { absoluteUrl, sitePath } from "../src/site/urls.ts";

/**
 * The page left at an old address (an alias): a refresh at once to where the page is now, which
 * every static host serves and search engines read as a permanent move; the canonical link names
 * the page, and the link in the text works without any of that.
 */
export function RedirectView({ page, settings }: { page: RedirectPage; settings: Settings }) {
  const target = sitePath(settings, page.target);
  return (
    <html lang={settings.language}>
      <head>
        <meta charset="utf-8" />
        <title>{`Moved: ${page.title} · ${settings.title}`}</title>
        <meta name="robots" content="noindex" />
        <link rel="canonical" href={absoluteUrl(settings, page.target)} />
        <meta http-equiv="refresh" content={`0; url=${target}`} />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
      </head>
      <body>
        <main>
          <h1>This page has moved</h1>
          <p>
            It is now at <a href={target}>{page.title}</a>.
          </p>
        </main>
      </body>
    </html>
  );
}
