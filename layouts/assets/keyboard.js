// "/" goes to the search box from any page, as on many sites, unless the reader is typing in a field.
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
  const target = event.target;
  if (target instanceof Element && (target.closest("input, textarea, select") || target.isContentEditable)) return;
  // The search page's own box, else the one in the header.
  const box = document.getElementById("search-query") ?? document.querySelector('form[role="search"] input[type="search"]');
  if (!box) return;
  event.preventDefault();
  box.focus();
  box.select();
});
