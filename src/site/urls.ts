import type { Settings } from "../settings.ts";

/** Site URL (`/topics/housing/`) to the path a browser requests, under the base path. */
export function sitePath(settings: Pick<Settings, "basePath">, url: string): string {
  return settings.basePath + url.replace(/^\//, "");
}

/** Site URL to an absolute address on the published host, for feeds, canonical links and sitemaps. */
export function absoluteUrl(settings: Pick<Settings, "basePath" | "baseUrl">, url: string): string {
  return new URL(sitePath(settings, url), settings.baseUrl).href;
}
