// The words a page's script shows, in the site's language: the page sends them with itself as
// JSON in a <script type="application/json"> (every plural form), and this fills them in as
// src/i18n/messages.ts does on the server.

/** `t(key, params)` for the messages in the element with this id. */
export function pageMessages(id) {
  const messages = JSON.parse(document.getElementById(id).textContent);
  const language = document.documentElement.lang;
  const plurals = new Intl.PluralRules(language);
  const numbers = new Intl.NumberFormat(language);
  /** A message with its `{name}`s filled in; `count` picks the plural form. */
  return function t(key, params = {}) {
    const message = messages[key];
    const text = typeof message === "string" ? message : typeof params.count === "number" ? (message[plurals.select(params.count)] ?? message.other) : message.other;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (params[name] === undefined ? whole : typeof params[name] === "number" ? numbers.format(params[name]) : params[name]));
  };
}
