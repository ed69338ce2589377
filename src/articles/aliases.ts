/**
 * Old addresses of a page, written as `aliases:` in front matter or in the settings: each becomes
 * a redirect to the page. This module reads one alias and says what is wrong with it; where the
 * redirects are written is src/publish/redirects.ts.
 */

export type AliasResult = { ok: true; path: string } | { ok: false; reason: string };

export const ALIAS_EXAMPLE = "Write the old path from the site's root, such as /2019/05/12/old-slug.html or /p/123/.";

/**
 * Reads one alias: a path on this site, from its root, as a reader once typed it. The result is
 * the path as it is written to disk and matched against the site's pages: percent-escapes decoded,
 * and a last part with no extension (`/p/123`) made a folder (`/p/123/`), since a static host can
 * serve an address without an extension only from a folder's index.html.
 */
export function readAlias(input: unknown): AliasResult {
  if (typeof input !== "string" && typeof input !== "number") return { ok: false, reason: `must be a path, not ${describe(input)}. ${ALIAS_EXAMPLE}` };
  const text = String(input).trim();
  if (text === "") return { ok: false, reason: `is empty. ${ALIAS_EXAMPLE}` };
  if (/^[a-z][a-z0-9+.-]*:/i.test(text) || text.startsWith("//")) {
    const path = pathOfUrl(text);
    return {
      ok: false,
      reason: `"${text}" is a full address, and an alias must be a path on this site: a static site can answer only for its own host. ${path ? `If the old address was on this site, write the path alone: ${path}. ` : ""}A redirect from another host must be set up on that host.`,
    };
  }
  if (text.split(/[/\\]/).some((segment) => segment === "." || segment === "..")) {
    return { ok: false, reason: `"${text}" has a . or .. part, which leads out of the folder it is in, or out of the site. Write the old path in full from the site's root, such as /old-section/story/.` };
  }
  if (!text.startsWith("/")) return { ok: false, reason: `"${text}" does not start with /. An alias is a path from the site's root: write /${text.replace(/^(\.\.?\/)+/, "")}.` };
  if (/[?#]/.test(text)) {
    return { ok: false, reason: `"${text}" has a query or fragment (? or #), which a static host ignores when it picks a file. Write the path alone: ${text.replace(/[?#].*$/, "")}.` };
  }
  if (/[\\\s\u0000-\u001f\u007f]/.test(text)) return { ok: false, reason: `"${text}" has a space, backslash or control character, which no address can hold. ${ALIAS_EXAMPLE}` };
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    return { ok: false, reason: `"${text}" has a % that does not start an escape such as %20. Write the path as a reader's browser shows it.` };
  }
  const segments = decoded.split("/").slice(1);
  if (segments.some((segment) => segment === "." || segment === "..")) {
    return { ok: false, reason: `"${text}" has a . or .. part, which leads out of the site or to another of its paths. Write the path it stands for, from the site's root.` };
  }
  if (/[\\\u0000-\u001f\u007f]/.test(decoded)) return { ok: false, reason: `"${text}" decodes to a backslash or control character, which no file can be named. ${ALIAS_EXAMPLE}` };
  const path = decoded.replace(/\/{2,}/g, "/");
  const last = path.slice(path.lastIndexOf("/") + 1);
  return { ok: true, path: last === "" || last.includes(".") ? path : `${path}/` };
}

/** The path of a full address, when it can be read as one. */
function pathOfUrl(text: string): string | undefined {
  try {
    const url = new URL(text.startsWith("//") ? `https:${text}` : text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.pathname : undefined;
  } catch {
    return undefined;
  }
}

function describe(value: unknown): string {
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping (key: value pairs)" : `a ${typeof value}`;
}
