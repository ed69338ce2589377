import type { Picture } from "../archive/pictures.ts";
import { escapeAttribute } from "./escape.ts";

/** How wide a picture in an article is shown: the text's measure on a wide screen, else the screen. */
export const ARTICLE_SIZES = "(min-width: 44rem) 40rem, calc(100vw - 2rem)";

/** `url 400w, url 800w`, under the base path. */
export function srcset(candidates: Picture["sources"][number]["candidates"], basePath: string): string {
  return candidates.map((candidate) => `${basePath}${candidate.url.slice(1)} ${candidate.width}w`).join(", ");
}

/**
 * Turns each `<img>` of a rendered body that shows an encoded picture into a `<picture>` with
 * its encodings, width and height (so the page does not jump as it loads) and lazy loading.
 * The body's HTML comes from markdown-it or the sanitiser, which both write attributes in
 * double quotes with `"` escaped, so an attribute's value never holds a quote or a `>`.
 */
export function responsivePictures(html: string, pictureAt: (src: string) => Picture | undefined, basePath: string): string {
  return html.replace(/<img\s([^>]*?)\s*\/?>/g, (tag, attributeText: string) => {
    const attributes = new Map<string, string>();
    for (const [, name, value = ""] of attributeText.matchAll(/([^\s=]+)(?:="([^"]*)")?/g)) attributes.set(name!.toLowerCase(), value);
    const src = attributes.get("src")?.replace(/&amp;/g, "&");
    const picture = src === undefined ? undefined : pictureAt(src);
    if (picture === undefined) return tag;
    const kept = [...attributes].filter(([name]) => !["src", "srcset", "sizes", "width", "height", "loading", "decoding"].includes(name));
    const fallback = picture.sources.at(-1)!;
    const sources = picture.sources
      .slice(0, -1)
      .map((source) => `<source type="${source.type}" srcset="${escapeAttribute(srcset(source.candidates, basePath))}" sizes="${ARTICLE_SIZES}">`)
      .join("");
    const image = [
      `src="${escapeAttribute(basePath + picture.largest.url.slice(1))}"`,
      `srcset="${escapeAttribute(srcset(fallback.candidates, basePath))}"`,
      `sizes="${ARTICLE_SIZES}"`,
      `width="${picture.width}"`,
      `height="${picture.height}"`,
      ...kept.map(([name, value]) => `${name}="${value}"`),
      `loading="lazy"`,
      `decoding="async"`,
    ];
    return `<picture>${sources}<img ${image.join(" ")}></picture>`;
  });
}
