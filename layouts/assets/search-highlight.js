// Marks the searched-for words on an article opened from a search result (`?pagefind-highlight=`).
// Pagefind's highlighter is fetched only then, so ordinary visits pay nothing for it.
if (new URLSearchParams(location.search).has("pagefind-highlight")) {
  // The bundle sits beside this file's folder (`<base>/assets/` and `<base>/pagefind/`), whatever the base path.
  await import(new URL("../pagefind/pagefind-highlight.js", import.meta.url).href);
  new window.PagefindHighlight({ highlightParam: "pagefind-highlight" });
}
