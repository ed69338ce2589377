import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import { DateTime } from "luxon";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, test } from "vitest";
import { ArticleCache, type StoredArticles, type StoredFiles } from "../../src/cache/article-cache.ts";
import { fileStatus } from "../../src/archive/content-hashes.ts";
import type { ArticleSource } from "../../src/articles/load.ts";
import type { Article } from "../../src/archive/archive.ts";
import { ModelDigests } from "../../src/cache/page-keys.ts";
import { termsKey } from "../../src/archive/related.ts";
import type { LinkContext, RenderedBody } from "../../src/render/body.ts";
import { SETTLED } from "../helpers/files.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** What parsing the file gives: its text as the body, and a date in a zone, as the schema makes them. */
function parseText(bytes: Uint8Array) {
  const text = Buffer.from(bytes).toString("utf8");
  const source = { title: text.split("\n")[0], body: text, date: { value: DateTime.fromISO("2024-03-05T10:00", { zone: "Europe/Berlin" }), hasTime: true } } as unknown as ArticleSource;
  return { source, problems: [] };
}

const bodyOf = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

/** Buckets as the cache writes and reads them: through V8's serializer. */
const roundTrip = (buckets: Map<string, StoredArticles>) => new Map([...buckets].map(([bucket, entries]) => [bucket, deserialize(serialize(entries)) as StoredArticles]));

describe("the article cache", () => {
  test("an entry reused and revived in place is stored as it was read, in a bucket written again for another entry", () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "broadsheet-article-cache-"));
    folders.push(folder);
    const file = (name: string, text: string) => {
      writeFileSync(path.join(folder, name), text);
      return path.join(folder, name);
    };
    // Two files whose entries share a bucket: the second's text is varied until they do.
    const kept = file("kept.md", "Kept\nThe quay reopened.");
    let first!: Map<string, StoredArticles>;
    let edited = "";
    for (let attempt = 0; attempt < 5000; attempt++) {
      const cache = new ArticleCache();
      cache.parse(kept, "kept.md", "kept.md", parseText, bodyOf);
      edited = `Edited\nThe ferry left at ${attempt}.`;
      cache.parse(file("edited.md", edited), "edited.md", "edited.md", parseText, bodyOf);
      first = roundTrip(cache.changedBuckets(() => undefined));
      if (first.size === 1) break;
    }
    expect(first.size).toBe(1);
    const [bucket, stored] = [...first][0]!;
    expect(stored.size).toBe(2);

    const previous = () => new Map([...roundTrip(first).values()].flatMap((entries) => [...entries]));
    const cache = new ArticleCache(previous());
    const revived = cache.parse(kept, "kept.md", "kept.md", parseText, bodyOf);
    // Reused: its date a DateTime again, its body the file's, for this build's model.
    expect(DateTime.isDateTime(revived.source!.date.value)).toBe(true);
    expect(revived.source!.body).toBe("Kept\nThe quay reopened.");
    // The model may change what it was given.
    (revived.source as { title: string }).title = "Changed by the model";
    cache.parse(file("edited.md", `${edited} And again.`), "edited.md", "edited.md", parseText, bodyOf);

    // The shared bucket is written again, without the edited file's old entry, with the kept one
    // as it is read again from the cache's file (here, serialized again).
    const written = roundTrip(cache.changedBuckets((name) => roundTrip(first).get(name)));
    const titled = (entries: StoredArticles | undefined, title: string) => [...(entries ?? new Map()).values()].filter((entry) => (entry.parsed.source as { title: string } | undefined)?.title === title);
    expect(titled(written.get(bucket), "Kept")).toHaveLength(1);
    expect(titled(written.get(bucket), "Kept")[0]!.parsed).toEqual(titled(stored, "Kept")[0]!.parsed);
    expect(titled(written.get(bucket), "Kept")[0]!.parsed.source!.body).toBe("");
    expect(titled(written.get(bucket), "Changed by the model")).toHaveLength(0);

    // A bucket that can no longer be read leaves the reused entry out, to be parsed again.
    const again = new ArticleCache(previous());
    again.parse(kept, "kept.md", "kept.md", parseText, bodyOf);
    again.parse(file("edited.md", `${edited} Once more.`), "edited.md", "edited.md", parseText, bodyOf);
    const withoutStored = again.changedBuckets(() => undefined);
    expect(withoutStored.has(bucket)).toBe(true);
    expect(titled(withoutStored.get(bucket), "Kept")).toHaveLength(0);
    expect([...withoutStored.values()].flatMap((entries) => titled(entries, "Edited"))).toHaveLength(1);
  });

  test("an article's digest is kept with its entry, and taken again only while its rendered body is the entry's and its other fields are as they were; the key of its text for the related lists goes with its rendered body", () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "broadsheet-article-cache-"));
    folders.push(folder);
    const absolute = path.join(folder, "quay.md");
    writeFileSync(absolute, "Quay\nThe quay reopened.");
    const context = (pageUrls: string[]): LinkContext => ({ relativePath: "quay.md", articleUrl: "/2024/03/quay/", articleUrlByPath: new Map(), pageUrls: new Set(pageUrls) });
    // A body that asks whether /about/ is a page, and whose opening (not its HTML) says the answer.
    const render = (recording: LinkContext): RenderedBody => {
      const linked = recording.pageUrls.has("/about/");
      return { html: "<p>The quay reopened.</p>", firstParagraph: linked ? "The quay reopened." : "The quay reopened!", words: 3, brokenLinks: [], brokenImages: [], missingFiles: [], refusedFiles: [], hiddenFiles: [] };
    };
    const topic = { name: "Harbour", slug: "harbour", url: "/topics/harbour/" };
    /** A build: the file parsed and rendered through `previous`'s entries, modelled as an article, and its digest taken. */
    const build = (previous: StoredArticles, pageUrls: string[], topicName = "Harbour", { digest: takeDigest = true } = {}) => {
      // As read from the cache's files: a build revives what it reads in place.
      const read = () => deserialize(serialize(previous)) as StoredArticles;
      const cache = new ArticleCache(read());
      const { source } = cache.parse(absolute, "quay.md", "quay.md", parseText, bodyOf);
      const body = cache.render("quay.md", context(pageUrls), render);
      const article = { file: "quay.md", relativePath: "quay.md", title: source!.title, date: source!.date, url: "/2024/03/quay/", authors: [], topics: [{ ...topic, name: topicName }], html: body.html, opening: body.firstParagraph, summary: body.firstParagraph, words: body.words, body: "" } as unknown as Article;
      const digest = takeDigest ? cache.digestOf(article, new ModelDigests()) : undefined;
      // The related lists' key of its text, kept with the rendered body: always the one made afresh,
      // for a body its pictures' encodings rewrote too.
      expect(cache.termsKeyOf(article)).toBe(termsKey(article));
      const rewritten = { ...article, html: "<p>The quay reopened, pictured.</p>" };
      expect(cache.termsKeyOf(rewritten)).toBe(termsKey(rewritten));
      // The buckets written again, each entry this build reused read again from the cache's files.
      const written = roundTrip(cache.changedBuckets(read));
      const stored = new Map([...previous, ...[...written.values()].flatMap((entries) => [...entries])]);
      return { digest, kept: cache.digestsKept, hashed: new ModelDigests().digestOf(article), stored, bucketsWritten: written.size, termsKept: [...previous.values()][0]?.rendered?.termsKey };
    };

    const first = build(new Map(), ["/about/"]);
    expect(first.kept).toBe(0);
    expect(first.digest).toBe(first.hashed);
    // The same entry, body and names: the kept digest, which is what hashing gives.
    const again = build(first.stored, ["/about/"]);
    expect(again.kept).toBe(1);
    expect(again.digest).toBe(first.digest);
    expect(again.hashed).toBe(first.digest);
    // The text's key for the related lists came with the entry as well.
    expect(again.termsKept).toBeDefined();
    // The body rendered again (an answer changed), to the same HTML but another opening: hashed.
    const rendered = build(again.stored, []);
    expect(rendered.kept).toBe(0);
    expect(rendered.digest).toBe(rendered.hashed);
    expect(rendered.digest).not.toBe(first.digest);
    // The body reused, but the topic named otherwise by the archive: hashed, and kept only when
    // its bucket is written for something else (writing it for this alone would write every
    // bucket holding an article with that topic, bodies and all).
    const renamed = build(rendered.stored, [], "harbour");
    expect(renamed.kept).toBe(0);
    expect(renamed.digest).toBe(renamed.hashed);
    expect(renamed.digest).not.toBe(rendered.digest);
    expect(renamed.bucketsWritten).toBe(0);
    expect(build(renamed.stored, [], "harbour")).toMatchObject({ kept: 0, digest: renamed.digest });
    // The name as it was: the digest kept with the entry fits again.
    expect(build(renamed.stored, [])).toMatchObject({ kept: 1, digest: rendered.digest });
    // A body rendered again by a build that took no digest: the digest kept with the entry went
    // with the body it was made from, and the next build hashes the article.
    const undigested = build(rendered.stored, ["/about/"], "Harbour", { digest: false });
    expect(build(undigested.stored, ["/about/"])).toMatchObject({ kept: 0, digest: first.digest });
  });

  test("an entry's empty lists are stored as a number, and read back as one shared list that cannot be changed, each in its place", () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "broadsheet-article-cache-"));
    folders.push(folder);
    const absolute = path.join(folder, "quay.md");
    writeFileSync(absolute, "Quay\nThe quay reopened.");
    const parseWithLists = (bytes: Uint8Array) => {
      const { source } = parseText(bytes);
      return { source: { ...source, aliases: [], corrections: [], topics: ["Harbour"] } as ArticleSource, problems: [] };
    };
    const context: LinkContext = { relativePath: "quay.md", articleUrl: "/2024/03/quay/", articleUrlByPath: new Map(), pageUrls: new Set() };
    const rendered: RenderedBody = { html: "<p>The quay reopened.</p>", firstParagraph: "The quay reopened.", words: 3, brokenLinks: ["/ferry/"], brokenImages: [], missingFiles: [], refusedFiles: [], hiddenFiles: [] };
    const first = new ArticleCache();
    const parsed = first.parse(absolute, "quay.md", "quay.md", parseWithLists, bodyOf);
    first.render("quay.md", context, () => rendered);
    const stored = roundTrip(new Map([...first.changedBuckets(() => undefined)].map(([bucket, entries]) => [bucket, first.storeBodies(bucket, entries)])));
    const [entry] = [...[...stored.values()][0]!.values()];
    expect(entry!.parsed.problems).toBe(0);
    expect(entry!.parsed.source).toMatchObject({ aliases: 0, corrections: 0, topics: ["Harbour"] });
    expect(entry!.rendered).toMatchObject({ questions: 0, body: { brokenLinks: ["/ferry/"], brokenImages: 0, hiddenFiles: 0 } });

    const again = new ArticleCache(new Map([...stored.values()].flatMap((entries) => [...entries])));
    const read = again.parse(absolute, "quay.md", "quay.md", parseWithLists, bodyOf);
    const body = again.render("quay.md", context, () => {
      throw new Error("rendered again");
    });
    expect(again.reused).toBe(1);
    // As parsed and rendered, field for field and in the same order (a page's key reads them in turn).
    const withoutDate = ({ source, problems }: typeof parsed) => ({ source: { ...source!, date: undefined }, problems });
    expect(withoutDate(read)).toEqual(withoutDate(parsed));
    expect(read.source!.date.value.equals(parsed.source!.date.value)).toBe(true);
    expect(Object.keys(read.source!)).toEqual(Object.keys(parsed.source!));
    expect(Object.keys(read)).toEqual(Object.keys(parsed));
    expect(body).toEqual(rendered);
    expect(Object.keys(body)).toEqual(Object.keys(rendered));
    expect(Object.isFrozen(read.source!.aliases)).toBe(true);
    expect(body.brokenImages).toBe(read.problems);
    expect(() => (body.missingFiles as string[]).push("/quay.pdf")).toThrow(TypeError);
  });

  test("the files' statuses are kept in buckets, and only those where a file was added, changed or removed are written again", () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "broadsheet-article-cache-"));
    folders.push(folder);
    const names = Array.from({ length: 40 }, (_, index) => `article-${index}.md`);
    const write = (name: string, text: string) => writeFileSync(path.join(folder, name), text);
    for (const name of names) write(name, `${name}\nThe ferry ran on time.`);
    /** One build: every file parsed, stamped as it is now; what it keeps for the next. */
    const build = (articles: StoredArticles, files: StoredFiles, present: readonly string[]) => {
      const stamped = new Map(present.map((name) => [path.join(folder, name), fileStatus(statSync(path.join(folder, name), { bigint: true }))]));
      const cache = new ArticleCache(articles, files, stamped);
      for (const name of present) cache.parse(path.join(folder, name), name, name, parseText, bodyOf);
      const stored = new Map([...cache.changedBuckets(() => undefined).values()].flatMap((entries) => [...entries]));
      return { cache, articles: new Map([...articles, ...stored]) };
    };
    const merged = (buckets: Map<string, StoredFiles>, into: StoredFiles = new Map()) => {
      for (const files of buckets.values()) for (const [file, entry] of files) into.set(file, entry);
      return into;
    };

    const first = build(new Map(), new Map(), names);
    const firstBuckets = first.cache.changedFileBuckets();
    const files = merged(firstBuckets);
    expect(files.size).toBe(names.length);
    expect([...firstBuckets.values()].reduce((sum, bucket) => sum + bucket.size, 0)).toBe(names.length);

    // Nothing changed: nothing to write, and every file taken by its status.
    const unchanged = build(first.articles, files, names);
    expect(unchanged.cache.changedFileBuckets().size).toBe(0);
    expect(unchanged.cache.filesNotRead).toBe(names.length);

    // One file edited and one added: only their buckets, each written whole, the edited file's
    // old one too. The edit is varied until the three buckets differ, so that each is seen.
    const bucketOf = (name: string, stored: StoredFiles) => stored.get(path.join(folder, name))?.key.slice(0, 2);
    const withAdded = [...names, "added.md"];
    write("added.md", "added.md\nA new ferry.");
    let next!: ReturnType<typeof build>;
    let changed!: Map<string, StoredFiles>;
    let expected = new Set<string | undefined>();
    for (let attempt = 0; expected.size < 3 && attempt < 5000; attempt++) {
      write("article-3.md", `article-3.md\nThe ferry ran ${attempt} minutes late.`);
      next = build(first.articles, files, withAdded);
      changed = next.cache.changedFileBuckets();
      const written = merged(changed);
      expected = new Set([bucketOf("article-3.md", files), bucketOf("article-3.md", written), bucketOf("added.md", written)]);
    }
    expect(expected.size).toBe(3);
    expect(new Set(changed.keys())).toEqual(expected);
    // Over the buckets kept, they are what the next build needs: every file by its status now.
    const afterEdit = merged(changed, new Map([...files].filter(([, entry]) => !changed.has(entry.key.slice(0, 2)))));
    expect(new Set([...afterEdit.keys()].map((file) => path.basename(file)))).toEqual(new Set(withAdded));
    const third = build(next.articles, afterEdit, withAdded);
    expect(third.cache.changedFileBuckets().size).toBe(0);
    expect(third.cache.filesNotRead).toBe(withAdded.length);

    // One file removed, alone in its bucket: that bucket is written, without it.
    const alone = withAdded.find((name) => withAdded.filter((other) => bucketOf(other, afterEdit) === bucketOf(name, afterEdit)).length === 1)!;
    const remaining = withAdded.filter((name) => name !== alone);
    const removed = build(third.articles, afterEdit, remaining).cache.changedFileBuckets();
    expect([...removed.keys()]).toEqual([bucketOf(alone, afterEdit)]);
    expect([...removed.values()][0]!.size).toBe(0);
  });

  test("a file read while too new to trust is remembered once it has settled with the bytes read and the status stamped, and only then", async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "broadsheet-article-cache-"));
    folders.push(folder);
    const write = (name: string, text: string) => {
      writeFileSync(path.join(folder, name), text);
      return path.join(folder, name);
    };
    const statusOf = (file: string) => fileStatus(statSync(file, { bigint: true }));
    const settledAsRead = write("settled.md", "Settled\nThe ferry ran late.");
    const rewritten = write("rewritten.md", "Rewritten\nThe ferry ran late.");
    const touched = write("touched.md", "Touched\nThe ferry ran late.");
    // Stamped too new: none of them in the stamp's settled statuses, so each is read.
    const tooNew = new Map([settledAsRead, rewritten, touched].map((file) => [file, statusOf(file)]));
    const cache = new ArticleCache();
    for (const file of tooNew.keys()) cache.parse(file, path.basename(file), path.basename(file), parseText, bodyOf);
    // Not yet settled: nothing is remembered.
    expect(cache.settle(new Map([[settledAsRead, tooNew.get(settledAsRead)!]]))).toBe(false);
    expect(cache.remembers(settledAsRead)).toBe(false);
    // Other bytes, with the status given as the file has it now: the bytes decide.
    write("rewritten.md", "Rewritten\nThe ferry ran early.");
    tooNew.set(rewritten, statusOf(rewritten));
    // The same bytes written again: the status stamped is no longer the file's.
    write("touched.md", "Touched\nThe ferry ran late.");
    await sleep(SETTLED);
    expect(cache.settle(tooNew)).toBe(false);
    expect([settledAsRead, rewritten, touched].map((file) => cache.remembers(file))).toEqual([true, false, false]);
    expect(cache.settle(new Map([[settledAsRead, tooNew.get(settledAsRead)!]]))).toBe(true);
    // A file the build did not read as an article (a picture beside them) is not one to remember.
    const picture = write("harbour.jpg", "not an article");
    await sleep(SETTLED);
    expect(cache.settle(new Map([[picture, statusOf(picture)]]))).toBe(false);
  });
});
