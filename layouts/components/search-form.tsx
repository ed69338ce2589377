import { useMessages, useSitePath } from "./site.tsx";

/**
 * A plain GET form to the search page, so that it works before (and without) any script:
 * the search page reads `q` once search is wired.
 */
export function SearchForm({ id, label, hideLabel = false }: { id: string; label: string; hideLabel?: boolean }) {
  const path = useSitePath();
  const messages = useMessages();
  return (
    <form class="search-form" role="search" aria-label={label} method="get" action={path("/search/")}>
      <label for={id} class={hideLabel ? "visually-hidden" : undefined}>
        {label}
      </label>
      <input type="search" id={id} name="q" autocomplete="off" />
      <button type="submit">{messages.t("search.button")}</button>
    </form>
  );
}
