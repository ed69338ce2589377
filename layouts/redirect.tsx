import type { RedirectPage } from "../src/archive/pages.ts";
import { messagesFor } from "../src/i18n/messages.ts";
import type { Settings } from "../src/settings.ts";
import { absoluteUrl, sitePath } from "../src/urls.ts";

/**
 * The page left at an old address (an alias): a refresh at once to where the page is now, which
 * every static host serves and search engines read as a permanent move; the canonical link names
 * the page, and the link in the text works without any of that.
 */
export function RedirectView({ page, settings }: { page: RedirectPage; settings: Settings }) {
  const messages = messagesFor(settings);
  const target = sitePath(settings, page.target);
  const [before, after] = messages.t("redirect.text").split("{link}");
  return (
    <html lang={settings.language} dir={messages.dir}>
      <head>
        <meta charset="utf-8" />
        <title>{`${messages.t("redirect.title", { title: page.title })} · ${settings.title}`}</title>
        <meta name="robots" content="noindex" />
        <link rel="canonical" href={absoluteUrl(settings, page.target)} />
        <meta http-equiv="refresh" content={`0; url=${target}`} />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
      </head>
      <body>
        <main>
          <h1>{messages.t("redirect.heading")}</h1>
          <p>
            {before}
            <a href={target}>{page.title}</a>
            {after}
          </p>
        </main>
      </body>
    </html>
  );
}
