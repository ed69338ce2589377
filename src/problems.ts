/** One thing wrong with the input, said so that a person can fix it. */
export interface Problem {
  severity: "error" | "warning";
  /** Path as the user sees it, relative to the working directory where possible. */
  file: string;
  line?: number;
  /** The front-matter field or setting at fault, when there is one. */
  field?: string;
  /** What is wrong, then how to fix it, in whole sentences. */
  message: string;
}

export function error(file: string, message: string, where: { line?: number; field?: string } = {}): Problem {
  return { severity: "error", file, message, ...where };
}

export function warning(file: string, message: string, where: { line?: number; field?: string } = {}): Problem {
  return { severity: "warning", file, message, ...where };
}

/** `articles/2019/foo.md:3  date: "2019-13-01" is not a date. …` */
export function formatProblem(problem: Problem): string {
  const place = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const field = problem.field === undefined ? "" : `${problem.field}: `;
  return `${place}  ${field}${problem.message}`;
}

/** Problems in a stable order: by file, then line, errors before warnings. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      compareText(a.severity, b.severity) ||
      compareText(a.message, b.message),
  );
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((problem) => problem.severity === "error");
}

/** Thrown when the archive or the settings cannot be built; carries every problem found. */
export class ArchiveError extends Error {
  readonly problems: Problem[];

  constructor(problems: readonly Problem[], options?: { cause?: unknown }) {
    const sorted = sortProblems(problems);
    const errors = sorted.filter((problem) => problem.severity === "error").length;
    super(`${errors} ${errors === 1 ? "problem stops" : "problems stop"} the build:\n${sorted.map(formatProblem).join("\n")}`, options);
    this.name = "ArchiveError";
    this.problems = sorted;
  }
}

/** Code-point order: the same on every machine, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
