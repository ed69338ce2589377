import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildBodyEdits, buildSite, findBodyEdits, indexBodyEditsAgain, stampBuildInputs, type BuildOptions } from "../src/build.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { splicedArticlePage, type BodyEdit } from "../src/cache/body-edits.ts";
import { loadSettings } from "../src/settings.ts";
import { hashFiles, SETTLED } from "./helpers/files.ts";

// The first step of a build that renders only the bodies edited: which article files changed in
// their bodies alone, each rendered again against the answers its last rendering was given, and
// why any other change needs the whole site. The stamp trusts only files changed more than 2 s
// before, so each test waits that long after its change.

let scratch: string;
let articles: string;
let output: string;
let cache: string;
/** An article whose body is longer than the opening the related lists count, with a paragraph at its end to edit. */
let long: string;
const LONG_BODY = `The ferry left at dawn.\n\n${"The harbour master counted the boats again and wrote each one down in the ledger by the window. ".repeat(120)}\n\nThe last paragraph says the quay was quiet.\n`;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-body-edits-"));
  articles = path.join(scratch, "articles");
  output = path.join(scratch, "site");
  cache = path.join(scratch, "cache");
  writeSyntheticArchive(articles, 12);
  await writeFile(path.join(articles, "broadsheet.yml"), "title: The Edited Gazette\ntimeZone: Europe/London\n");
  await mkdir(path.join(articles, "2020"), { recursive: true });
  long = path.join(articles, "2020", "harbour-ledger.md");
  await writeFile(long, `---\ntitle: The harbour ledger\nauthor: Mara Quinn\ndate: 2020-03-04T10:00:00Z\ntopics: [Harbour]\n---\n${LONG_BODY}`);
  await sleep(SETTLED);
  await build();
}, 120_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

// Shards of 3 articles: the edited one's is indexed again, the others are kept.
const request = (): BuildOptions => ({ articlesDir: articles, outputDir: output, cache, pictureCache: path.join(scratch, "pictures"), pagesPerSearchShard: 3 });
const build = (overrides: Partial<BuildOptions> = {}) => buildSite({ ...request(), ...overrides });

type Found = Awaited<ReturnType<typeof findBodyEdits>>;

/** What `findBodyEdits` finds once `change` is made and settled, given to `meanwhile` too; the file is put back afterwards and built. */
async function edited(file: string, change: (text: string) => string, meanwhile: (found: Found) => Promise<void> = async () => {}): Promise<Found> {
  const original = await readFile(file, "utf8");
  await writeFile(file, change(original));
  await sleep(SETTLED);
  try {
    const found = await findBodyEdits(request(), stampBuildInputs(request())!);
    await meanwhile(found);
    return found;
  } finally {
    await writeFile(file, original);
    await sleep(SETTLED);
    await build();
  }
}

describe("a change to an article's body alone", { timeout: 120_000 }, () => {
  test("is found, with the body rendered again and what the article's page shows of it", async () => {
    // The page a build from nothing writes of the edited archive, for the page made from the last build's.
    let built = "";
    const found = await edited(
      long,
      (text) => text.replace("the quay was quiet.", "the quay was quiet, and the ferry came back at noon with nine passengers, two dogs, a bicycle and a crate of oranges from town."),
      async (found) => {
        const clean = path.join(scratch, "clean");
        await build({ outputDir: clean, cache: false });
        built = await readFile(path.join(clean, (found as BodyEdit[])[0]!.url, "index.html"), "utf8");
      },
    );
    expect(typeof found).not.toBe("string");
    const [edit, ...others] = found as BodyEdit[];
    expect(others).toEqual([]);
    expect(edit!.relativePath).toBe("2020/harbour-ledger.md");
    expect(edit!.rendered.html).toContain("a crate of oranges from town.");
    expect(edit!.words).toBe(LONG_BODY.split(/\s+/).filter(Boolean).length + 21);
    expect(edit!.source.title).toBe("The harbour ledger");
    // The reading time and the structured data's word count change with the body (9 minutes, 2,172 words before).
    expect(edit!.readingMinutes).toBe(10);
    const page = await readFile(path.join(output, edit!.url, "index.html"), "utf8");
    expect(page).toContain(">9 min read<");
    const { settings } = loadSettings(path.join(articles, "broadsheet.yml"));
    expect(splicedArticlePage(page, edit!.previous, edit!, settings)).toBe(built);
  });

  test("within the opening the related lists count, is found with the key of that text changed", async () => {
    const found = await edited(long, (text) => text.replace("counted the boats again", "counted the yachts again"));
    expect(typeof found).not.toBe("string");
    const [edit] = found as BodyEdit[];
    expect(edit!.termsKey).not.toBe(edit!.previousTermsKey);
    expect(edit!.text.html).toContain("counted the yachts again");
  });

  test("saved again with the same bytes is no edit", async () => {
    expect(await edited(long, (text) => text)).toEqual([]);
  });
});

describe("a change that needs the whole site", { timeout: 120_000 }, () => {
  test("to the front matter", async () => {
    expect(await edited(long, (text) => text.replace("title: The harbour ledger", "title: The harbour's ledger"))).toMatch(/harbour-ledger\.md's front matter changed/);
  });

  test("to the first paragraph, which the summary and listings show", async () => {
    expect(await edited(long, (text) => text.replace("The ferry left at dawn.", "The ferry left before dawn."))).toMatch(/harbour-ledger\.md's first paragraph changed/);
  });

  test("a link its last version did not have", async () => {
    expect(await edited(long, (text) => `${text}\nSee [the archive](/archive/) and [a file](notes.txt).\n`)).toMatch(/now refers to a page, an article or a file its last version did not/);
  });

  test("an article added, or a file besides the articles changed", async () => {
    const added = path.join(articles, "2020", "added.md");
    await writeFile(added, "---\ntitle: Added\nauthor: Mara Quinn\ndate: 2020-03-05T10:00:00Z\n---\nA new one.\n");
    await sleep(SETTLED);
    try {
      expect(await findBodyEdits(request(), stampBuildInputs(request())!)).toMatch(/an article file was added or removed/);
    } finally {
      await rm(added);
      await sleep(SETTLED);
    }
  });

  test("without the cache", async () => {
    expect(await findBodyEdits({ ...request(), cache: false }, stampBuildInputs(request())!)).toMatch(/does not use its cache/);
  });
});

describe("the search index of a site with a body edited", { timeout: 120_000 }, () => {
  test("made from the shards' kept records, the edited one's indexed again, is a build from nothing's", async () => {
    const again = path.join(scratch, "index-again");
    const clean = path.join(scratch, "clean-index");
    await edited(
      long,
      (text) => text.replace("the quay was quiet.", "the quay was quiet, and the ferry brought a crate of oranges."),
      async (found) => {
        await build({ outputDir: clean, cache: false });
        const search = await indexBodyEditsAgain(request(), found as BodyEdit[], again);
        expect(search).toBeDefined();
        await search!.indexing.finish();
        expect(await hashFiles(path.join(again, "pagefind"))).toEqual(await hashFiles(path.join(clean, "pagefind")));
      },
    );
  });
});

describe("a build of a body edited alone", { timeout: 180_000 }, () => {
  test("writes the site a build from nothing writes, and the next whole build from the cache does too", async () => {
    const clean = path.join(scratch, "clean-site");
    const original = await readFile(long, "utf8");
    try {
      for (const [round, ending] of ["with nine passengers and a crate of oranges, two dogs, a bicycle and a letter for the harbour master from town.", "with nine passengers."].entries()) {
        await writeFile(long, original.replace("the quay was quiet.", `the quay was quiet, and the ferry came back ${ending}`));
        await sleep(SETTLED);
        const stamp = stampBuildInputs(request())!;
        expect(await buildBodyEdits(request(), stamp), `round ${round}`).toBeDefined();
        await build({ outputDir: clean, cache: false });
        expect(await hashFiles(output), `round ${round}`).toEqual(await hashFiles(clean));
      }
    } finally {
      await writeFile(long, original);
      await sleep(SETTLED);
    }
    // The whole site built from the cache after it, with the body as it was.
    await build();
    await build({ outputDir: clean, cache: false });
    expect(await hashFiles(output)).toEqual(await hashFiles(clean));
  });
});

describe("a build of a body edited within the opening the related lists count", { timeout: 180_000 }, () => {
  test("chooses the lists again, puts each changed one in its page, and writes the site a build from nothing writes", async () => {
    const clean = path.join(scratch, "clean-related");
    const original = await readFile(long, "utf8");
    // Another article's title, written into the ledger's opening, changes the words the other's list is chosen by.
    const other = (await readdir(articles, { recursive: true })).find((file) => file.endsWith(".md") && !file.endsWith("harbour-ledger.md"))!;
    const title = /^title: (.*)$/m.exec(await readFile(path.join(articles, other), "utf8"))![1]!;
    const otherPage = async () => {
      const [url] = (await readdir(output, { recursive: true })).filter((file) => file.endsWith("index.html") && file.includes(slugOf(title)));
      return readFile(path.join(output, url!), "utf8");
    };
    const listBefore = relatedList(await otherPage());
    try {
      const rounds = [
        // Words the lists count: the other article's list changes, and the ledger's.
        ["words shared with another article", original.replace("The harbour master counted", `${`${title}. `.repeat(6)}The harbour master counted`)],
        // A number: every text counts the terms it had, and the lists are kept under their new key.
        ["a number in the opening", original.replace("The harbour master counted", `${`${title}. `.repeat(6)}In 1987 the harbour master counted`)],
      ] as const;
      for (const [round, text] of rounds) {
        const termsBefore = await keptTerms();
        await writeFile(long, text);
        await sleep(SETTLED);
        expect(await buildBodyEdits(request(), stampBuildInputs(request())!), round).toBeDefined();
        // Chosen again, the lists are stored with the terms counted now; kept, the terms' bytes stay as they were.
        if (round === "a number in the opening") expect(await keptTerms()).toEqual(termsBefore);
        else expect(await keptTerms()).not.toEqual(termsBefore);
        await build({ outputDir: clean, cache: false });
        expect(await hashFiles(output), round).toEqual(await hashFiles(clean));
      }
      expect(relatedList(await otherPage())).not.toEqual(listBefore);
    } finally {
      await writeFile(long, original);
      await sleep(SETTLED);
    }
    // Put back, the ledger's opening is as it was: chosen again without the model, the lists are the first build's.
    expect(await buildBodyEdits(request(), stampBuildInputs(request())!)).toBeDefined();
    expect(relatedList(await otherPage())).toEqual(listBefore);
    await build();
    await build({ outputDir: clean, cache: false });
    expect(await hashFiles(output)).toEqual(await hashFiles(clean));
  });
});

/** The bytes of the terms the cache keeps for the related lists (`related-terms.bin`), each store's token among them. */
async function keptTerms(): Promise<Buffer> {
  const [file] = (await readdir(cache, { recursive: true })).filter((name) => path.basename(name) === "related-terms.bin");
  return readFile(path.join(cache, file!));
}

/** The related list of an article's page, as its markup. */
function relatedList(page: string): string {
  return /<nav class="related"[\s\S]*?<\/nav>/.exec(page)?.[0] ?? "";
}

/** The start of the address a synthetic article's title gives it. */
function slugOf(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);
}
