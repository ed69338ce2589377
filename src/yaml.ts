import yaml from "js-yaml";

/**
 * Parses YAML with the core schema: dates stay the strings they were written as, so that
 * their offset (or the lack of one) survives and the site time zone can be applied later.
 */
export function parseYaml(text: string): unknown {
  return yaml.load(text, { schema: yaml.CORE_SCHEMA });
}

export interface YamlProblem {
  /** 1-based line within the parsed text, when the parser knows it. */
  line?: number;
  message: string;
}

/** Turns a js-yaml exception into a one-line message and a line number. */
export function describeYamlError(cause: unknown): YamlProblem {
  if (cause instanceof yaml.YAMLException) {
    const line = cause.mark ? cause.mark.line + 1 : undefined;
    return { line, message: cause.reason };
  }
  return { message: String(cause) };
}

/** The 1-based line of a top-level key in a YAML text, if it is written on a line of its own. */
export function lineOfKey(text: string, key: string): number | undefined {
  const lines = text.split("\n");
  const index = lines.findIndex((line) => line.startsWith(`${key}:`) || line.startsWith(`"${key}":`) || line.startsWith(`'${key}':`));
  return index === -1 ? undefined : index + 1;
}
