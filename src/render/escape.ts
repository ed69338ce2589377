// Control characters no XML document may hold, not even escaped (XML 1.0, production 2); one in a
// title would make every feed it is in unreadable. HTML forbids them too.
const FORBIDDEN_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text for HTML or XML element content: `&`, `<` and `>` escaped, forbidden control characters dropped. */
export function escapeText(text: string): string {
  return text.replace(FORBIDDEN_CHARACTERS, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Text for a double-quoted HTML or XML attribute value. */
export function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, "&quot;");
}
