import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { formatProblem } from "../src/problems.ts";
import { defaultSettings, loadSettings, normaliseBasePath, validateSettings } from "../src/settings.ts";

function validate(raw: Record<string, unknown>, text = "") {
  const { settings, problems } = validateSettings(raw, "broadsheet.yml", text);
  return { settings, messages: problems.map(formatProblem), severities: problems.map((problem) => problem.severity) };
}

describe("time zone", () => {
  test("an unknown time zone is an error at its line, and UTC is used meanwhile", () => {
    const result = validate({ title: "X", timeZone: "Mars/Olympus" }, "title: X\ntimeZone: Mars/Olympus\n");
    expect(result.messages).toEqual(['broadsheet.yml:2  timeZone: "Mars/Olympus" is not a time zone. Use an IANA name such as Europe/London, America/New_York or UTC.']);
    expect(result.severities).toEqual(["error"]);
    expect(result.settings.timeZone).toBe("UTC");
  });

  test("an IANA name is accepted", () => {
    expect(validate({ timeZone: "America/New_York" })).toMatchObject({ messages: [], settings: { timeZone: "America/New_York" } });
  });
});

describe("names Broadsheet does not know", () => {
  test("a misspelt setting is a warning suggesting the setting", () => {
    const result = validate({ pagesize: 5 }, "pagesize: 5\n");
    expect(result.messages).toEqual(["broadsheet.yml:1  pagesize: is not a setting and is ignored. Did you mean `pageSize`?"]);
    expect(result.severities).toEqual(["warning"]);
    expect(result.settings.pageSize).toBe(defaultSettings.pageSize);
  });

  test("another misspelling", () => {
    expect(validate({ timezone: "UTC" }).messages).toEqual(["broadsheet.yml  timezone: is not a setting and is ignored. Did you mean `timeZone`?"]);
  });

  test("a name like no setting lists the settings", () => {
    expect(validate({ colour: "red" }).messages).toEqual([`broadsheet.yml  colour: is not a setting and is ignored. The settings are: ${Object.keys(defaultSettings).join(", ")}.`]);
    expect(Object.keys(defaultSettings)).toEqual(expect.arrayContaining(["title", "baseUrl", "basePath", "timeZone", "pageSize"]));
  });
});

describe("base path and base URL", () => {
  test.each([
    ["archive", "/archive/"],
    ["/archive", "/archive/"],
    ["archive/", "/archive/"],
    ["/archive/", "/archive/"],
    ["  /news/archive  ", "/news/archive/"],
    ["", "/"],
    ["/", "/"],
    ["///", "/"],
  ])("normaliseBasePath(%j) is %j", (input, output) => {
    expect(normaliseBasePath(input)).toBe(output);
    expect(validate({ basePath: input }).settings.basePath).toBe(output);
  });

  test("a base path with white space or ? is an error", () => {
    expect(validate({ basePath: "/a b/" }, "basePath: /a b/\n").messages).toEqual(['broadsheet.yml:1  basePath: "/a b/" is not a folder path. Write it as / or /archive/.']);
  });

  test("a path in the base URL folds into the base path", () => {
    expect(validate({ baseUrl: "https://news.example.org/archive" }).settings).toMatchObject({ baseUrl: "https://news.example.org", basePath: "/archive/" });
    expect(validate({ baseUrl: "https://news.example.org/archive/" }).settings).toMatchObject({ baseUrl: "https://news.example.org", basePath: "/archive/" });
  });

  test("an explicit base path wins over the base URL's path", () => {
    expect(validate({ baseUrl: "https://news.example.org/archive/", basePath: "/other/" }).settings).toMatchObject({ baseUrl: "https://news.example.org", basePath: "/other/" });
  });

  test("a base URL that is not an http(s) address is an error", () => {
    expect(validate({ baseUrl: "news.example.org" }).messages).toEqual(['broadsheet.yml  baseUrl: "news.example.org" is not an absolute web address. Write it as https://news.example.org.']);
    expect(validate({ baseUrl: "ftp://news.example.org" }).messages).toEqual(['broadsheet.yml  baseUrl: "ftp://news.example.org" is not an absolute web address. Write it as https://news.example.org.']);
  });
});

describe("values", () => {
  test("the wrong type is an error", () => {
    expect(validate({ pageSize: "2" }).messages).toEqual(["broadsheet.yml  pageSize: must be a number, not a string."]);
    expect(validate({ iframeHosts: "www.youtube.com" }).messages).toEqual(["broadsheet.yml  iframeHosts: must be an array, not a string."]);
  });

  test.each([[0], [2.5], [1001]])("pageSize %j is out of range", (pageSize) => {
    expect(validate({ pageSize }).messages).toEqual([`broadsheet.yml  pageSize: must be a whole number from 1 to 1000, not ${pageSize}.`]);
  });

  test.each([[0], [-5], [2.5]])("searchVolume %j is refused, and the default used", (searchVolume) => {
    const result = validate({ searchVolume });
    expect(result.messages).toEqual([`broadsheet.yml  searchVolume: must be a whole number of articles, at least 1, not ${searchVolume}. Leave it out for the default, 10000.`]);
    expect(result.settings.searchVolume).toBe(defaultSettings.searchVolume);
  });

  test("language tags are made canonical; a malformed one is an error", () => {
    expect(validate({ language: "EN-gb" }).settings.language).toBe("en-GB");
    expect(validate({ language: "en_GB" }).messages).toEqual(['broadsheet.yml  language: "en_GB" is not a language tag. Use a BCP 47 tag such as en, en-GB or fr.']);
  });

  test("a topic setting that is not a mapping is an error", () => {
    expect(validate({ topics: { Housing: "Homes" } }).messages).toEqual([
      'broadsheet.yml  topics: "Housing" must be a mapping with an optional `label` (text) and `aliases` (a list of names).',
    ]);
  });
});

describe("loadSettings", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), "broadsheet-settings-"));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  test("no file means the defaults", () => {
    expect(loadSettings(path.join(folder, "none.yml"))).toEqual({ settings: defaultSettings, problems: [] });
  });

  test("reads the file, then applies command-line overrides", async () => {
    const file = path.join(folder, "broadsheet.yml");
    await writeFile(file, "title: The Gazette\nbasePath: news\npageSize: 5\n");
    const { settings, problems } = loadSettings(file, { basePath: "/archive/" });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ title: "The Gazette", basePath: "/archive/", pageSize: 5 });
  });

  test("a file that is not YAML is an error at its line", async () => {
    const file = path.join(folder, "bad.yml");
    await writeFile(file, "title: The Gazette\npageSize: [5\n");
    const messages = loadSettings(file).problems.map(formatProblem);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+  The settings are not valid YAML: .+\\. Fix the line shown\\.$`));
  });

  test("a file that is not a mapping is an error", async () => {
    const file = path.join(folder, "list.yml");
    await writeFile(file, "- title\n- pageSize\n");
    expect(loadSettings(file).problems.map(formatProblem)).toEqual([`${file}  The settings file must be a YAML mapping of names to values, like \`title: My archive\`.`]);
  });
});
