import { renderToString } from "preact-render-to-string";
import type { SiteModel } from "../src/archive/load-site.ts";
import type { Page } from "../src/archive/pages.ts";
import { PageView } from "./page.tsx";
import { RedirectView } from "./redirect.tsx";
import { insertSnippets } from "./snippets.tsx";

/**
 * The one template: it paginates over every page of the archive model, so Eleventy writes the
 * files and the model decides what they are. The site plugin hands it to Eleventy as a virtual
 * template, so Eleventy never looks for it on disk (where, installed, it sits in node_modules).
 */
export const pagesTemplate = {
  data: {
    pagination: { data: "broadsheet.pages", size: 1, alias: "view" },
    permalink: (data: { view: Page }) => data.view.url,
    eleventyExcludeFromCollections: true,
    // The model decides what each file is: a theme's LICENSE, say, is published as it is named,
    // as src/site/direct-write.ts writes it too (Eleventy would stop the build).
    eleventyAllowMissingExtension: true,
  },
  render(data: { view: Page; broadsheet: SiteModel }): string | Uint8Array {
    if (data.view.kind === "file") {
      const content = data.view.render();
      // A file read from disk comes as a Buffer, which Eleventy would decode as text (see below).
      return Buffer.isBuffer(content) ? new Uint8Array(content.buffer, content.byteOffset, content.byteLength) : content;
    }
    if (data.view.kind === "redirect") return utf8.encode(`<!doctype html>\n${renderToString(<RedirectView page={data.view} settings={data.broadsheet.settings} />)}\n`);
    const html = renderToString(<PageView site={data.broadsheet} page={data.view} />);
    return utf8.encode(`<!doctype html>\n${insertSnippets(html, data.broadsheet.brand.theme)}\n`);
  },
};

/**
 * Pages go to Eleventy as UTF-8 bytes, not as strings. Eleventy keeps every page of a run until
 * the run ends, so each page outlived several young-generation collections, each of which copied
 * it: at 100,000 articles, scavenges took 164 s of a 364 s build. Bytes live outside the
 * JavaScript heap and are never copied. A plain Uint8Array, not a Buffer, which Eleventy would
 * turn back into a string; the site plugin hands it to Eleventy's writer as a Buffer.
 */
const utf8 = new TextEncoder();
