import { createContext, type ComponentChildren } from "preact";
import { useContext } from "preact/hooks";
import { messagesFor, type Messages } from "../../src/i18n/messages.ts";
import type { TeaserHtml } from "../../src/cache/teaser-html.ts";
import type { Settings } from "../../src/settings.ts";
import { sitePath } from "../../src/urls.ts";

const SettingsContext = createContext<Settings | undefined>(undefined);
const TeasersContext = createContext<TeaserHtml | undefined>(undefined);

/** Makes the site's settings available to every link and date below it, and the render's teasers to its listings. */
export function SiteSettings({ settings, teasers, children }: { settings: Settings; teasers?: TeaserHtml; children: ComponentChildren }) {
  return (
    <TeasersContext.Provider value={teasers}>
      <SettingsContext.Provider value={settings}>{children}</SettingsContext.Provider>
    </TeasersContext.Provider>
  );
}

/** The teasers of this render (src/cache/teaser-html.ts), when the page was given them. */
export function useTeasers(): TeaserHtml | undefined {
  return useContext(TeasersContext);
}

export function useSettings(): Settings {
  const settings = useContext(SettingsContext);
  if (settings === undefined) throw new Error("A layout component was rendered outside <SiteSettings>; wrap the page in it.");
  return settings;
}

/** The interface's words in the site's language, with the site's own wording over them. */
export function useMessages(): Messages {
  return messagesFor(useSettings());
}

/** The path a browser requests for a site URL, under the base path. */
export function useSitePath(): (url: string) => string {
  const settings = useSettings();
  return (url) => sitePath(settings, url);
}

interface LinkProps {
  /** A site URL without the base path: `/topics/housing/`. */
  href: string;
  class?: string;
  rel?: string;
  "aria-current"?: "page" | "true";
  children: ComponentChildren;
}

/**
 * An `<a>` to a page of the site; the only way layouts link, so the base path is never forgotten.
 * Its attributes named one by one, not spread: a listing page has a hundred links, and copying
 * their properties twice was a tenth of the templates' time after a new article at 100,000
 * articles (each link uses one of `rel`, `aria-current` and `class` at most, so the order they
 * are written in is the callers').
 */
export function Link({ href, children, class: className, rel, "aria-current": current }: LinkProps) {
  return (
    <a class={className} rel={rel} aria-current={current} href={sitePath(useSettings(), href)}>
      {children}
    </a>
  );
}
