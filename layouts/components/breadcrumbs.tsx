import type { Crumb } from "../../src/archive/pages.ts";
import { Link, useMessages } from "./site.tsx";

/** The trail above a page's heading; the page itself is the heading, so it is not repeated here. */
export function Breadcrumbs({ crumbs }: { crumbs: Crumb[] }) {
  const messages = useMessages();
  if (crumbs.length === 0) return null;
  return (
    <nav class="breadcrumbs" aria-label={messages.t("breadcrumbs.label")}>
      <ol>
        {crumbs.map((crumb) => (
          <li key={crumb.url}>
            <Link href={crumb.url}>{crumb.name}</Link>
          </li>
        ))}
      </ol>
    </nav>
  );
}
