import type { SnippetPlace, Theme } from "../src/theme.ts";

// A theme's HTML snippets are the site owner's own markup, inserted as they are at named places
// of every page: a mark is rendered there, and `insertSnippets` puts the snippet in its place
// once the page is a string, since a component can only give Preact elements, not raw HTML in <head>.

const mark = (place: SnippetPlace) => `<meta name="broadsheet-snippet" content="${place}"/>`;

/** Where the theme's snippet for `place` goes; nothing when the theme has none. */
export function SnippetMark({ place, theme }: { place: SnippetPlace; theme: Theme }) {
  return theme.snippets[place] === undefined ? null : <meta name="broadsheet-snippet" content={place} />;
}

/** The page's HTML with each mark replaced by its snippet. */
export function insertSnippets(html: string, theme: Theme): string {
  for (const [place, snippet] of Object.entries(theme.snippets) as [SnippetPlace, string][]) {
    html = html.split(mark(place)).join(snippet);
  }
  return html;
}
