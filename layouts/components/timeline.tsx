import { monthYearName } from "../../src/archive/pages.ts";
import type { Timeline } from "../../src/archive/timeline.ts";
import { formatMonth, formatNumber } from "../format.ts";
import { Link, useMessages, useSettings } from "./site.tsx";

/** Height of the drawing in viewBox units; each month is one unit wide. */
const HEIGHT = 100;
/** A month with one article still shows a bar that can be seen. */
const LOWEST_BAR = 3;

interface TimelineProps {
  timeline: Timeline;
  /** What the chart counts: `Articles per month`, `Articles about Housing per month`. */
  caption: string;
  /** The archive's chart is large, with every year linked to its page; a topic's or an author's is small. */
  size: "large" | "small";
}

/**
 * Articles per month as bars, drawn at build time with no script. The SVG stretches to the width
 * it is given (so it has no text of its own); years are labelled below it in HTML, and the same
 * numbers are in a table for those who cannot see the chart. Colours come from the stylesheet.
 */
export function TimelineChart({ timeline, caption, size }: TimelineProps) {
  const { language } = useSettings();
  const messages = useMessages();
  const monthOf = (year: number, month: number) => monthYearName(year, month, language);
  const span = messages.t("timeline.span", { from: monthOf(timeline.first.year, timeline.first.month), to: monthOf(timeline.last.year, timeline.last.month) });
  const { busiest } = timeline;
  const description = messages.t("timeline.description", { count: timeline.total, span, month: monthOf(busiest.year, busiest.month), busiest: busiest.count });
  const width = timeline.years.length * 12;
  const scale = (HEIGHT - LOWEST_BAR) / Math.max(1, busiest.count - 1);
  return (
    <figure class={`timeline timeline-${size}`}>
      <figcaption>
        {messages.t("timeline.caption", { what: caption, span })}
      </figcaption>
      <div class="timeline-scroll">
        <div class="timeline-chart" style={`--years: ${timeline.years.length}`}>
          <svg role="img" aria-labelledby="timeline-title" aria-describedby="timeline-desc" viewBox={`0 0 ${width} ${HEIGHT}`} preserveAspectRatio="none" focusable="false">
            <title id="timeline-title">{messages.t("timeline.caption", { what: caption, span })}</title>
            <desc id="timeline-desc">{description}</desc>
            <g class="timeline-bands">
              {timeline.years.map((year, index) => index % 2 === 1 && <rect key={year.year} x={index * 12} y={0} width={12} height={HEIGHT} />)}
            </g>
            <g class="timeline-bars">
              {timeline.years.flatMap((year, index) =>
                year.months.map((count, month) => {
                  if (count === 0) return null;
                  const height = round(LOWEST_BAR + (count - 1) * scale);
                  return <rect key={`${year.year}-${month}`} x={round(index * 12 + month + 0.1)} y={round(HEIGHT - height)} width={0.8} height={height} />;
                }),
              )}
            </g>
          </svg>
          {size === "large" ? (
            <ol class="timeline-years">
              {timeline.years.map((year) => (
                <li key={year.year}>{year.total > 0 ? <Link href={`/${year.year}/`}>{String(year.year)}</Link> : <span class="timeline-empty">{String(year.year)}</span>}</li>
              ))}
            </ol>
          ) : (
            <p class="timeline-ends" aria-hidden="true">
              <span>{String(timeline.first.year)}</span>
              {timeline.last.year !== timeline.first.year && <span>{String(timeline.last.year)}</span>}
            </p>
          )}
        </div>
      </div>
      <TimelineTable timeline={timeline} />
    </figure>
  );
}

/** The chart's numbers, one row per year, folded away until asked for. */
function TimelineTable({ timeline }: { timeline: Timeline }) {
  const { language } = useSettings();
  const messages = useMessages();
  const months = Array.from({ length: 12 }, (_, index) => index + 1);
  const short = new Intl.DateTimeFormat(language, { month: "short", timeZone: "UTC" });
  return (
    <details class="timeline-data">
      <summary>{messages.t("timeline.table")}</summary>
      <div class="timeline-table">
        <table>
          <thead>
            <tr>
              <th scope="col">{messages.t("timeline.year")}</th>
              {months.map((month) => (
                <th key={month} scope="col">
                  <abbr title={formatMonth(2000, month, language)}>{short.format(Date.UTC(2000, month - 1, 1))}</abbr>
                </th>
              ))}
              <th scope="col">{messages.t("timeline.total")}</th>
            </tr>
          </thead>
          <tbody>
            {timeline.years.map((year) => (
              <tr key={year.year}>
                <th scope="row">{String(year.year)}</th>
                {year.months.map((count, index) => (
                  <td key={index} class={count === 0 ? "timeline-zero" : undefined}>
                    {formatNumber(count, language)}
                  </td>
                ))}
                <td>{formatNumber(year.total, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** One decimal is finer than a pixel at any width the chart is shown at, and keeps the SVG small. */
function round(value: number): number {
  return Math.round(value * 10) / 10;
}
