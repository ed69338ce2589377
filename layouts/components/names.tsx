import type { ComponentChildren } from "preact";
import type { NameRef } from "../../src/archive/archive.ts";
import { formatNumber } from "../format.ts";
import { Link, useMessages, useSettings } from "./site.tsx";

/** `A`, `A and B`, `A, B and C` as the site's language joins them: each name linked to its page, or plain text. */
export function NameList({ names, linked = true }: { names: NameRef[]; linked?: boolean }) {
  const { language } = useSettings();
  const shown = (name: NameRef) => (linked ? <Link href={name.url}>{name.name}</Link> : name.name);
  // One name is the list in every language: most articles have one author.
  if (names.length === 1) return <>{shown(names[0]!)}</>;
  const items: ComponentChildren[] = [];
  let next = 0;
  for (const part of listFormat(language).formatToParts(names.map((name) => name.name))) items.push(part.type === "literal" ? part.value : shown(names[next++]!));
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
  const messages = useMessages();
  return (
    <span class="count-inline">
      ({formatNumber(count, language)}
      <span class="visually-hidden"> {messages.t("count.articlesHidden", { count })}</span>)
    </span>
  );
}

const listFormats = new Map<string, Intl.ListFormat>();

function listFormat(language: string): Intl.ListFormat {
  let format = listFormats.get(language);
  if (!format) listFormats.set(language, (format = new Intl.ListFormat(language, { type: "conjunction" })));
  return format;
}
