import type { Pagination } from "../../src/archive/pages.ts";
import { formatNumber } from "../format.ts";
import { Link, useMessages, useSettings } from "./site.tsx";

/** Beyond this many pages, only the first, the last and those near the current one are listed. */
const ALL_PAGES_UP_TO = 9;
const WINDOW = 2;

/** Page numbers to list, with `undefined` where a run of them is left out. */
export function pageNumbers(current: number, count: number): (number | undefined)[] {
  if (count <= ALL_PAGES_UP_TO) return Array.from({ length: count }, (_, index) => index + 1);
  // Keep the window the same width at either end, so the list does not jump about.
  const start = Math.max(2, Math.min(current - WINDOW, count - 1 - 2 * WINDOW));
  const end = Math.min(count - 1, Math.max(current + WINDOW, 2 + 2 * WINDOW));
  const numbers: (number | undefined)[] = [1];
  if (start > 2) numbers.push(start === 3 ? 2 : undefined);
  for (let number = start; number <= end; number++) numbers.push(number);
  if (end < count - 1) numbers.push(end === count - 2 ? count - 1 : undefined);
  numbers.push(count);
  return numbers;
}

export function PaginationNav({ pagination }: { pagination: Pagination }) {
  const { language } = useSettings();
  const messages = useMessages();
  const { pageNumber, pageUrls } = pagination;
  if (pageUrls.length <= 1) return null;
  const previous = pageUrls[pageNumber - 2];
  const next = pageUrls[pageNumber];
  return (
    <nav class="pagination" aria-label={messages.t("pagination.label")}>
      <ul>
        {previous !== undefined && (
          <li class="pagination-step">
            <Link href={previous} rel="prev">
              {messages.t("pagination.previous")}
              <span class="visually-hidden">{messages.t("pagination.pageHidden")}</span>
            </Link>
          </li>
        )}
        {pageNumbers(pageNumber, pageUrls.length).map((number, index) =>
          number === undefined ? (
            <li key={`gap-${index}`} class="pagination-gap">
              …
            </li>
          ) : (
            <li key={number}>
              <Link href={pageUrls[number - 1]!} aria-current={number === pageNumber ? "page" : undefined}>
                <span class="visually-hidden">{messages.t("pagination.page")}</span>
                {formatNumber(number, language)}
              </Link>
            </li>
          ),
        )}
        {next !== undefined && (
          <li class="pagination-step">
            <Link href={next} rel="next">
              {messages.t("pagination.next")}
              <span class="visually-hidden">{messages.t("pagination.pageHidden")}</span>
            </Link>
          </li>
        )}
      </ul>
    </nav>
  );
}
