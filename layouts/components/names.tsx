import type { ComponentChildren } from "preact";
import type { NameRef } from "../../src/archive/archive.ts";
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
