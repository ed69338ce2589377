import type { ArticleDate } from "../../src/articles/dates.ts";
import { formatDate, formatShortDate, isoDate } from "../format.ts";
import { useSettings } from "./site.tsx";

/** A date as readers see it, with its exact value for machines. */
export function DateTime({ date, short = false }: { date: ArticleDate; short?: boolean }) {
  const { language } = useSettings();
  return <time dateTime={isoDate(date)}>{short ? formatShortDate(date, language) : formatDate(date, language)}</time>;
}
