import type { ComponentChildren } from "preact";
import type { NameRef } from "../../src/archive/archive.ts";
import { formatNumber } from "../format.ts";
import { Link } from "./site.tsx";

/** `A`, `A and B`, `A, B and C`: each name linked to its page, or plain text. */
export function NameList({ names, linked = true }: { names: NameRef[]; linked?: boolean }) {
  const items: ComponentChildren[] = [];
  names.forEach((name, index) => {
    if (index > 0) items.push(index === names.length - 1 ? " and " : ", ");
    items.push(linked ? <Link href={name.url}>{name.name}</Link> : name.name);
  });
  return <>{items}</>;
}

/** The dot between items of a meta line; spoken as a pause rather than a word. */
export function Separator() {
  return (
    <span class="separator" aria-hidden="true">
      {" · "}
    </span>
  );
}

/** `(16)` after a link, read out as "16 articles". */
export function ArticleCount({ count, language }: { count: number; language: string }) {
  return (
    <span class="count-inline">
      ({formatNumber(count, language)}
      <span class="visually-hidden"> {count === 1 ? "article" : "articles"}</span>)
    </span>
  );
}
