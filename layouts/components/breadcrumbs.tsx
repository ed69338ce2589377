import type { Crumb } from "../../src/archive/pages.ts";
import { Link } from "./site.tsx";

/** The trail above a page's heading; the page itself is the heading, so it is not repeated here. */
export function Breadcrumbs({ crumbs }: { crumbs: Crumb[] }) {
  if (crumbs.length === 0) return null;
  return (
    <nav class="breadcrumbs" aria-label="Breadcrumb">
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
