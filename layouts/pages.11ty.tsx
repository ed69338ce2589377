import { renderToString } from "preact-render-to-string";
import type { SiteModel } from "../src/archive/load-site.ts";
import type { Page } from "../src/archive/pages.ts";
import { PageView } from "./page.tsx";

// One template renders every page of the archive model: Eleventy writes the files, the model decides what they are.
export const data = {
  pagination: { data: "broadsheet.pages", size: 1, alias: "view" },
  permalink: (data: { view: Page }) => data.view.url,
  eleventyExcludeFromCollections: true,
};

export function render(data: { view: Page; broadsheet: SiteModel }): string {
  if (data.view.kind === "file") return data.view.render();
  return `<!doctype html>\n${renderToString(<PageView site={data.broadsheet} page={data.view} />)}\n`;
}
