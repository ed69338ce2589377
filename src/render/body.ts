import path from "node:path";
import MarkdownIt from "markdown-it";
import type { Token } from "markdown-it";
import sanitizeHtml from "sanitize-html";
import { slugify } from "../archive/slug.ts";
import type { MediaLookup } from "../archive/media.ts";
import type { Settings } from "../settings.ts";

/** How a body's links are resolved against the rest of the site. */
export interface LinkContext {
  /** The article's file, relative to the articles folder: `2019/foo.md`. */
  relativePath: string;
  /** The article's own site URL, against which relative links resolve: `/2019/05/foo/`. */
  articleUrl: string;
  /** Site URL (without base path) of the article at each relative path. */
  articleUrlByPath: ReadonlyMap<string, string>;
  /** Every page URL of the site (without base path), to tell a working root-relative link from a broken one. */
  pageUrls: ReadonlySet<string>;
  /**
   * Finds a file beside the articles by its path relative to this article's file, and publishes
   * it; absent where bodies may not refer to such files (the footer, the site's own pages).
   */
  media?: (target: string, image: boolean) => MediaLookup;
}

export interface RenderedBody {
  html: string;
  /** The first paragraph as plain text, for a summary. */
  firstParagraph: string;
  words: number;
  /** Links into the site that lead nowhere; they are rendered as plain text. */
  brokenLinks: readonly string[];
  /** Those of the broken links that were images; their description is shown instead. */
  brokenImages: readonly string[];
  /** Those of the broken links that name a file beside the article that is not there. */
  missingFiles: readonly string[];
  /** Those of the broken links whose path leaves the articles folder; nothing there was read. */
  refusedFiles: readonly string[];
  /** Those of the broken links whose path is in a hidden folder, or hidden itself; nothing there was read. */
  hiddenFiles: readonly string[];
}

// Bodies are Markdown, rendered here and nowhere else: no template engine ever sees them,
// so `{{ x }}` and `{% tag %}` in an article are text.
const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });

export function renderBody(source: string, context: LinkContext, settings: Pick<Settings, "basePath" | "sanitize" | "iframeHosts">): RenderedBody {
  const tokens = markdown.parse(source, {});
  // Anchors first, so that a link may point at a heading further down.
  const ids = new Set<string>();
  const lastSuffix = new Map<string, number>();
  let hasRawHtml = false;
  tokens.forEach((token, index) => {
    if (token.type === "heading_open") token.attrSet("id", headingId(tokens[index + 1], ids, lastSuffix));
    const raw = token.type === "html_block" ? [token] : (token.children ?? []).filter((child) => child.type === "html_inline");
    for (const html of raw) {
      hasRawHtml = true;
      for (const [, id] of html.content.matchAll(/\s(?:id|name)\s*=\s*["']?([^"'\s>]+)/gi)) ids.add(id!);
    }
  });

  const brokenLinks: string[] = [];
  const brokenImages: string[] = [];
  const missingFiles: string[] = [];
  const refusedFiles: string[] = [];
  const hiddenFiles: string[] = [];
  // Raw HTML is cleaned after the Markdown is rendered, and so meets the addresses resolved already.
  const produced = new Set<string>();
  const resolve = (href: string, image = false): string | undefined => {
    if (produced.has(href)) return href;
    let resolved = href.startsWith("#") ? resolveFragment(href, ids) : resolveLink(href, context, settings.basePath);
    if (resolved === undefined) {
      const file = resolveFile(href, image, context, settings.basePath);
      if (file !== undefined && "url" in file) resolved = file.url;
      else if (file?.refused) refusedFiles.push(href);
      else if (file?.hidden) hiddenFiles.push(href);
      else if (file?.missing) missingFiles.push(href);
    }
    if (resolved === undefined) brokenLinks.push(href);
    else produced.add(resolved);
    if (resolved === undefined && image) brokenImages.push(href);
    return resolved;
  };
  let firstParagraph = "";
  let words = 0;
  tokens.forEach((token, index) => {
    if (token.type !== "inline") return;
    const text = plainText(token.children ?? []);
    words += countWords(text);
    // A paragraph of pictures alone is no opening: its text would be their descriptions.
    if (firstParagraph === "" && tokens[index - 1]?.type === "paragraph_open" && text.trim() !== "" && !picturesAlone(token)) firstParagraph = text.replace(/\s+/g, " ").trim();
    for (const child of token.children ?? []) {
      if (child.type === "link_open") rewriteLink(child, resolve);
      if (child.type === "image") {
        const src = String(child.attrGet("src") ?? "");
        const resolved = resolve(src, true);
        // An image that is not there shows its description instead.
        if (resolved === undefined) Object.assign(child, { type: "text", content: plainText(child.children ?? []), children: null });
        else child.attrSet("src", resolved);
      }
    }
  });
  closeBrokenLinks(tokens);
  makeFigures(tokens);

  let html = markdown.renderer.render(tokens, markdown.options, {});
  // Markdown-it escapes what it makes itself; only raw HTML written by the author needs the sanitiser.
  if (hasRawHtml) html = cleanRawHtml(html, resolve, settings);
  return { html, firstParagraph, words, brokenLinks, brokenImages, missingFiles, refusedFiles, hiddenFiles };
}

/**
 * A link that names a file beside the article (`harbour-fire/boats.jpg`): its address on the
 * built site once published, or why it cannot be; undefined when the link names no such file.
 */
function resolveFile(href: string, image: boolean, context: LinkContext, basePath: string): { url: string } | { missing?: true; refused?: true; hidden?: true } | undefined {
  if (!context.media || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("/") || href.startsWith("#")) return undefined;
  const [, target = "", suffix = ""] = /^([^?#]*)(.*)$/.exec(href) ?? [];
  if (target === "" || target.endsWith("/")) return undefined;
  const lookup = context.media(decodeURIComponentSafe(target), image);
  if ("file" in lookup) return { url: basePath + lookup.file.url.slice(1) + suffix };
  if ("outside" in lookup) return { refused: true };
  if ("hidden" in lookup) return { hidden: true };
  // A path without an extension is more likely a page's address than a file's.
  return /\.[a-z0-9]+$/i.test(target) ? { missing: true } : undefined;
}

/**
 * A link to a place in the same article. Anchors written for another generator often differ
 * only in case or punctuation (`#Growing-Our-Team` for `growing-our-team`): those are mended.
 */
function resolveFragment(href: string, ids: ReadonlySet<string>): string | undefined {
  const fragment = decodeURIComponentSafe(href.slice(1));
  if (fragment === "" || fragment === "top" || ids.has(fragment)) return href;
  const wanted = slugify(fragment);
  for (const id of ids) if (slugify(id) === wanted) return `#${id}`;
  return undefined;
}

function rewriteLink(token: Token, resolve: (href: string) => string | undefined): void {
  const attribute = token.attrGet("href");
  if (attribute === null) return;
  const href = String(attribute);
  const resolved = resolve(href);
  if (resolved === undefined) token.meta = { broken: true };
  else token.attrSet("href", resolved);
}

/** Links that lead nowhere become their text: a reader is better served by no link than a 404. */
function closeBrokenLinks(tokens: Token[]): void {
  for (const token of tokens) {
    if (token.type !== "inline" || !token.children) continue;
    const children: Token[] = [];
    let depth = 0;
    for (const child of token.children) {
      if (child.type === "link_open" && (child.meta?.broken || depth > 0)) {
        depth++;
        continue;
      }
      if (child.type === "link_close" && depth > 0) {
        depth--;
        continue;
      }
      children.push(child);
    }
    token.children = children;
  }
}

/**
 * The href a body link should have on the built site, or undefined for a link into the site
 * that leads nowhere. Links to other hosts and to fragments of the same page are left as
 * written; every other link must name an article's file or a page or file the build writes.
 */
export function resolveLink(href: string, context: LinkContext, basePath: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//") || href.startsWith("#") || href === "") return href;
  const [, target = "", suffix = ""] = /^([^?#]*)(.*)$/.exec(href) ?? [];
  if (target === "") return href;
  const decoded = decodeURIComponentSafe(target);
  if (!target.startsWith("/") && /\.(md|markdown)$/i.test(target)) {
    const linked = path.posix.normalize(path.posix.join(path.posix.dirname(context.relativePath), decoded));
    const url = context.articleUrlByPath.get(linked);
    return url === undefined ? undefined : basePath + url.slice(1) + suffix;
  }
  const resolved = target.startsWith("/") ? path.posix.normalize(decoded) : path.posix.normalize(path.posix.join(context.articleUrl, decoded));
  const page = resolved.replace(/index\.html$/, "");
  for (const candidate of [page, `${page}/`]) {
    if (context.pageUrls.has(candidate)) return basePath + candidate.slice(1) + suffix;
  }
  return undefined;
}

function cleanRawHtml(html: string, resolve: (href: string, image?: boolean) => string | undefined, settings: Pick<Settings, "sanitize" | "iframeHosts">): string {
  const transformTags = {
    img: (tagName: string, attribs: sanitizeHtml.Attributes) => {
      const src = attribs.src === undefined ? undefined : resolve(attribs.src, true);
      if (attribs.src !== undefined && src === undefined) return { tagName: "span", attribs: {}, text: attribs.alt ?? "" };
      return { tagName, attribs: src === undefined ? attribs : { ...attribs, src } };
    },
    a: (tagName: string, attribs: sanitizeHtml.Attributes) => {
      const href = attribs.href === undefined ? undefined : resolve(attribs.href);
      if (attribs.href !== undefined && href === undefined) return { tagName: "span", attribs: {} };
      return { tagName, attribs: href === undefined ? attribs : { ...attribs, href } };
    },
  };
  if (!settings.sanitize) {
    return sanitizeHtml(html, { allowedTags: false, allowedAttributes: false, allowVulnerableTags: true, transformTags });
  }
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, "img", "iframe", "picture", "source", "video", "audio", "track", "details", "summary", "del", "ins", "center"],
    allowedAttributes: {
      "*": ["id", "lang", "dir", "title"],
      a: ["href", "name", "rel", "hreflang"],
      img: ["src", "srcset", "sizes", "alt", "width", "height", "loading"],
      source: ["src", "srcset", "type", "media", "sizes"],
      video: ["src", "poster", "controls", "width", "height", "preload"],
      audio: ["src", "controls", "preload"],
      track: ["src", "kind", "srclang", "label"],
      iframe: ["src", "width", "height", "allow", "allowfullscreen", "loading"],
      td: ["colspan", "rowspan", "headers"],
      th: ["colspan", "rowspan", "headers", "scope"],
      ol: ["start", "reversed", "type"],
      code: ["class"],
      time: ["datetime"],
      data: ["value"],
    },
    allowedSchemes: ["http", "https", "mailto", "tel"],
    allowedIframeHostnames: settings.iframeHosts,
    // An embed from a host that is not allowed loses its src; the empty frame would show as a blank box.
    exclusiveFilter: (frame) => frame.tag === "iframe" && !frame.attribs.src,
    allowProtocolRelative: true,
    transformTags,
  });
}

/**
 * A picture alone in its paragraph is a figure; its title, if written
 * (`![Boats](boats.jpg "Boats at dawn. Photo: Jane Roe")`), is the caption below it.
 */
function makeFigures(tokens: Token[]): void {
  for (let index = tokens.length - 3; index >= 0; index--) {
    const [open, inline, close] = [tokens[index]!, tokens[index + 1]!, tokens[index + 2]!];
    if (open.type !== "paragraph_open" || open.hidden || inline.type !== "inline" || close.type !== "paragraph_close") continue;
    const children = (inline.children ?? []).filter((child) => !(child.type === "softbreak" || (child.type === "text" && child.content.trim() === "")));
    const images = children.filter((child) => child.type === "image");
    // A picture that links somewhere (to its full size, say) is a figure too.
    if (images.length !== 1 || !children.every((child) => child.type === "image" || child.type === "link_open" || child.type === "link_close")) continue;
    const image = images[0]!;
    open.tag = close.tag = "figure";
    inline.children = (inline.children ?? []).filter((child) => children.includes(child));
    const caption = String(image.attrGet("title") ?? "").trim();
    if (caption === "") continue;
    const attrs = image.attrs?.filter(([name]) => name !== "title") ?? null;
    image.attrs = attrs;
    const Token = inline.constructor as new (type: string, tag: string, nesting: -1 | 0 | 1) => Token;
    const captionOpen = new Token("figcaption_open", "figcaption", 1);
    const captionText = new Token("inline", "", 0);
    const text = new Token("text", "", 0);
    text.content = caption;
    captionText.children = [text];
    captionText.content = caption;
    const captionClose = new Token("figcaption_close", "figcaption", -1);
    captionOpen.block = captionClose.block = captionText.block = true;
    tokens.splice(index + 2, 0, captionOpen, captionText, captionClose);
  }
}

function plainText(children: Token[]): string {
  let text = "";
  for (const child of children) {
    if (child.type === "text" || child.type === "code_inline") text += child.content;
    else if (child.type === "softbreak" || child.type === "hardbreak") text += " ";
    else if (child.type === "image") text += plainText(child.children ?? []);
  }
  return text;
}

function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)?.length ?? 0;
}

/**
 * A heading's anchor: the one written after it (`## Costs {#costs}`, as kramdown, Hugo and
 * Pandoc allow), else its text as a slug, as Eleventy's id plugin makes it: `## Costs` → `costs`.
 */
function headingId(inline: Token | undefined, taken: Set<string>, lastSuffix: Map<string, number>): string {
  const last = inline?.children?.at(-1);
  const written = last?.type === "text" ? /\s*\{#([\w:.-]+)\}\s*$/.exec(last.content) : null;
  if (written && last) {
    last.content = last.content.slice(0, written.index);
    taken.add(written[1]!);
    return written[1]!;
  }
  const base = slugify(plainText(inline?.children ?? [])) || "section";
  // Counting on from the last suffix given to this base keeps thousands of like headings ("## Update") linear.
  let n = lastSuffix.get(base) ?? 1;
  let id = n === 1 ? base : `${base}-${n}`;
  while (taken.has(id)) id = `${base}-${++n}`;
  lastSuffix.set(base, n);
  taken.add(id);
  return id;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function picturesAlone(inline: Token): boolean {
  return (inline.children ?? []).every((child) => child.type === "image" || child.type === "softbreak" || (child.type === "text" && child.content.trim() === ""));
}
