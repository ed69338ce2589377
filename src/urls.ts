import type { Settings } from "./settings.ts";

/** Site URL (`/topics/housing/`) to the path a browser requests, under the base path. */
export function sitePath(settings: Pick<Settings, "basePath">, url: string): string {
  return settings.basePath + url.replace(/^\//, "");
}

/** The site URL the logo is published at, by its file's type; undefined without a logo. */
export function logoUrl(logo: string): string | undefined {
  return logo === "" ? undefined : `/assets/logo${/\.[^./]+$/.exec(logo)![0].toLowerCase()}`;
}

/** Site URL to an absolute address on the published host, for feeds, canonical links and sitemaps. */
export function absoluteUrl(settings: Pick<Settings, "basePath" | "baseUrl">, url: string): string {
  const path = sitePath(settings, url);
  // Parsing a URL costs microseconds, and a page has several: at 100,000 articles, seconds. A
  // path of these characters, without dot segments, is one the URL parser leaves as it is.
  if (PLAIN_PATH.test(path) && !path.includes("/.")) return originOf(settings.baseUrl) + path;
  return new URL(path, settings.baseUrl).href;
}

const PLAIN_PATH = /^\/[\w\-.~!$&'()*+,;=:@/%]*$/;
const origins = new Map<string, string>();

function originOf(baseUrl: string): string {
  let origin = origins.get(baseUrl);
  if (origin === undefined) origins.set(baseUrl, (origin = new URL(baseUrl).origin));
  return origin;
}

/** Whether a picture's URL is an address on another host, used as it is, rather than a site URL. */
export function isExternal(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** A picture's URL as a page's `src`: a site URL under the base path, another host's as it is. */
export function mediaPath(settings: Pick<Settings, "basePath">, url: string): string {
  return isExternal(url) ? url : sitePath(settings, url);
}

/** A picture's absolute address, for sharing cards, structured data and feeds. */
export function mediaAddress(settings: Pick<Settings, "basePath" | "baseUrl">, url: string): string {
  return isExternal(url) ? url : absoluteUrl(settings, url);
}
