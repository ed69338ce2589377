import { readFileSync, statSync } from "node:fs";
import { fileStatus, isSettled } from "../archive/content-hashes.ts";
import { isGoneError } from "../files-below.ts";
import type { Article } from "../archive/archive.ts";
import { termsKey } from "../archive/related.ts";
import type { ArticleSource } from "../articles/load.ts";
import type { MediaLookup } from "../archive/media.ts";
import { ArchiveError, error, type Problem } from "../problems.ts";
import type { LinkContext, RenderedBody } from "../render/body.ts";
import { hash } from "./build-cache.ts";
import { KeptHtml, type BodyFiles, type HtmlPlace } from "./kept-html.ts";
import { textDigest, type ModelDigests } from "./page-keys.ts";
import { DatesRevived, storeDates } from "./stored-dates.ts";

/** What a body's rendering asked of the rest of the site, and the answer, in the order asked. */
export type Question = ["article", string, string | undefined] | ["page", string, boolean] | ["media", string, boolean, string];

/** An entry as a bucket of the cache holds it (`packed`). */
export type StoredEntry = Entry;

interface Entry {
  /** The file parsed: the front matter validated, the body, and what was wrong. */
  parsed: { source?: ArticleSource; problems: Problem[] };
  /**
   * The body rendered at `url`, with the questions whose answers it depends on, and the key of
   * the text the related lists count in the article (`termsKeyOf`) once made.
   */
  rendered?: { url: string; body: KeptBody; questions: Question[]; termsKey?: string };
  /** The article's digest as the build that stored the entry made it (`digestOf`). */
  digest?: KeptDigest;
}

/**
 * An article's digest (page-keys.ts), with a hash of the text of its fields that neither its
 * entry nor its rendered body fix (`FIXED_BY_ENTRY`): its topics and authors as the archive names
 * them, its lead picture as found, its body as pictures rewrote it.
 */
interface KeptDigest {
  rest: string;
  value: string;
}

/**
 * The article's fields that its file and its rendered body alone give (src/archive/archive.ts,
 * `placeArticle`, and src/archive/render.ts), under the cache's key (the settings, Broadsheet's
 * code): the same entry, with the same rendered body, gives them the same values. Any other field,
 * one added later too, is in a kept digest's `rest`.
 */
const FIXED_BY_ENTRY: ReadonlySet<string> = new Set<keyof Article>(["file", "relativePath", "title", "date", "updated", "draft", "slug", "url", "aliases", "corrections", "lines", "writtenSummary", "bodyLine", "leadImage", "summary", "opening", "words", "readingMinutes"]);

/**
 * A rendered body as the cache holds it: its HTML as it is (rendered by this build, or short),
 * where the cache's files keep it (as stored, kept-html.ts), or to be read from there (reused).
 */
type KeptBody = Omit<RenderedBody, "html"> & { html: string | HtmlPlace | KeptHtml };

/** A rendered body as the build's model takes it: its HTML in memory, or to be read from the cache when needed. */
export type ArticleBody = Omit<RenderedBody, "html"> & { html: string | KeptHtml };

/** The cache's part for articles, as stored. */
export type StoredArticles = Map<string, Entry>;

/**
 * Each article file's status when a build last read it (see input-stamp.ts), with the key of its
 * entry, by absolute path: a file whose status is the same has the same bytes, and is not read.
 */
export type StoredFiles = Map<string, { status: string; key: string }>;

/**
 * Parsed and rendered articles, by a hash of the file's bytes and its path. A rendered body is
 * reused only when every question its rendering asked (is there an article at this path, a page
 * at this address, a file beside the article) gets the same answer now: an article that links to
 * one renamed is rendered again, one that links to nothing that changed is not.
 */
export class ArticleCache {
  private readonly next: StoredArticles = new Map();
  private readonly dates = new DatesRevived();
  private readonly keys = new Map<string, string>();
  /** The buckets (see `bucketOf`) in which an entry was added or changed. */
  private readonly changed = new Set<string>();
  /** The status of each file this build read or took unread, for the next build (`changedFiles`). */
  private readonly nextFiles: StoredFiles = new Map();
  /** The articles taken by their file's status alone: how to read each one's body, should it be needed. */
  private readonly unread = new Map<string, () => string>();
  /** Those of them whose body was needed after all, and read. */
  private readonly readAfterAll = new Set<string>();
  /** The articles whose rendered body is their entry's, as an earlier build stored it. */
  private readonly bodiesReused = new Set<string>();
  /** The files read whose status the stamp did not trust (too new, see input-stamp.ts), by absolute path: with the key of what was read (`settle`). */
  private readonly readTooNew = new Map<string, { file: string; relativePath: string; key: string }>();
  reused = 0;
  /** Articles whose digest was the one kept with their entry. */
  digestsKept = 0;

  /**
   * `stamped` holds the status of each settled file as the build's stamp found it before any was
   * read (input-stamp.ts); a file it does not hold is read.
   */
  constructor(
    private readonly previous: StoredArticles = new Map(),
    private readonly previousFiles: StoredFiles = new Map(),
    private readonly stamped: ReadonlyMap<string, string> = new Map(),
    /** Where long rendered bodies are kept out of the entries; without it, every body is kept in its entry. */
    private readonly bodies?: BodyFiles,
  ) {}

  /**
   * The file parsed, from the cache or by `parse`. A file whose status is the one it had when an
   * earlier build read it is not read at all: its body is read only if it must be rendered again
   * (`unreadBody`). The body is not kept (the rendered body is): `bodyOf` cuts it from the file's
   * bytes again, for a body that must be rendered again.
   */
  parse(absolute: string, file: string, relativePath: string, parse: (bytes: Uint8Array) => Entry["parsed"], bodyOf: (bytes: Uint8Array) => string): Entry["parsed"] {
    const status = this.stamped.get(absolute);
    const remembered = this.previousFiles.get(absolute);
    if (status !== undefined && remembered?.status === status && this.previous.has(remembered.key)) {
      this.nextFiles.set(absolute, remembered);
      this.unread.set(relativePath, () => {
        const bytes = readRemembered(absolute, file);
        // Written since the stamp: its front matter, as modelled, may no longer be its own.
        if (entryKey(file, relativePath, bytes) !== remembered.key) throw new ArchiveError([error(file, "was changed while the archive was being built, after the build had found it unchanged. Build again.")]);
        return bodyOf(bytes);
      });
      return this.reuseEntry(remembered.key, relativePath, () => "");
    }
    const bytes = readFileSync(absolute);
    const key = entryKey(file, relativePath, bytes);
    // Its status is remembered only when the file is still as stamped, before it was read: else
    // a write in between would go unseen by the next build.
    if (status !== undefined && fileStatus(statSync(absolute, { bigint: true })) === status) this.nextFiles.set(absolute, { status, key });
    else if (status === undefined) this.readTooNew.set(absolute, { file, relativePath, key });
    if (this.previous.has(key)) return this.reuseEntry(key, relativePath, () => bodyOf(bytes));
    this.keys.set(relativePath, key);
    const parsed = parse(bytes);
    this.changed.add(bucketOf(key));
    this.next.set(key, { parsed: storeDates(parsed.source ? { ...parsed, source: { ...parsed.source, body: "" } } : parsed) });
    return parsed;
  }

  /** The body of an article `parse` took from the cache without reading its file, read now; undefined for one it read. */
  unreadBody(relativePath: string): string | undefined {
    const read = this.unread.get(relativePath);
    if (read === undefined) return undefined;
    this.readAfterAll.add(relativePath);
    return read();
  }

  /**
   * Remembers the status of each file the build's stamp found too new to trust (`tooNew`, by
   * absolute path: see input-stamp.ts) that has settled since as this build read it: its bytes
   * those read, and then its status the stamped one, with times now old enough that any later
   * write changes it (as `parse` remembers a settled file: stat after reading). True when every
   * one has, each an article file this build read. A file read at once after it was saved
   * (an edit built straight away, articles written by a script and then built) is then taken by
   * its status by the next build, and the stamp is kept for it (src/build.ts, `settledSince`).
   */
  settle(tooNew: ReadonlyMap<string, string>): boolean {
    let all = true;
    for (const [absolute, status] of tooNew) {
      const read = this.readTooNew.get(absolute);
      if (read === undefined || !settledAsRead(absolute, status, read)) {
        all = false;
        continue;
      }
      this.nextFiles.set(absolute, { status, key: read.key });
    }
    return all;
  }

  /** Whether the next build will know the status of the article file at `absolute`, as this one read it or took it unread. */
  remembers(absolute: string): boolean {
    return this.nextFiles.has(absolute);
  }

  /** Article files this build never read: each one's status was as when an earlier build read it. */
  get filesNotRead(): number {
    return this.unread.size - this.readAfterAll.size;
  }

  /**
   * What the next build can tell by status alone, where it differs from what this one could: the
   * statuses are kept in buckets, each file in its entry's (`bucketOf`), and only the buckets in
   * which a file was added, removed, touched or changed are returned, each whole. Kept as one part,
   * the statuses of 100,000 files (22 MB) were written again after every new article, 0.4 s. A
   * bucket left unwritten (the build stopped) holds statuses that were true when written: a file
   * whose status is one of them has the bytes of that entry.
   */
  changedFileBuckets(): Map<string, StoredFiles> {
    const changed = new Set<string>();
    for (const [file, entry] of this.nextFiles) {
      const before = this.previousFiles.get(file);
      if (before === entry) continue;
      changed.add(bucketOf(entry.key));
      if (before !== undefined) changed.add(bucketOf(before.key));
    }
    for (const [file, before] of this.previousFiles) if (!this.nextFiles.has(file)) changed.add(bucketOf(before.key));
    const buckets = new Map<string, StoredFiles>([...changed].map((bucket) => [bucket, new Map()]));
    if (buckets.size > 0) for (const [file, entry] of this.nextFiles) buckets.get(bucketOf(entry.key))?.set(file, entry);
    return buckets;
  }

  /** The entry stored under `key`, for this build and the next, with `body` as its source's body. */
  private reuseEntry(key: string, relativePath: string, body: () => string): Entry["parsed"] {
    this.keys.set(relativePath, key);
    const known = this.previous.get(key)!;
    // Revived in place: from now on the entry's parsed file is not as stored (see `changedBuckets`).
    const parsed = unpackParsed(this.dates.revive(known.parsed));
    this.next.set(key, { parsed, rendered: known.rendered, digest: known.digest });
    if (parsed.source) parsed.source.body = body();
    return parsed;
  }

  /** The article's body rendered, from the cache when every answer it depends on is the same, else by `render`. */
  render(relativePath: string, context: LinkContext, render: (context: LinkContext) => RenderedBody): ArticleBody {
    const key = this.keys.get(relativePath) ?? "";
    const entry = this.next.get(key);
    const known = entry?.rendered && unpackRendered(entry.rendered);
    // A body kept in the cache's files is left there, to be read when a page shows it.
    const html = known && this.keptHtml(bucketOf(key), known.body.html);
    if (known && html !== undefined && known.url === context.articleUrl && sameAnswers(known.questions, context)) {
      this.reused++;
      this.bodiesReused.add(relativePath);
      const body = { ...known.body, html };
      entry!.rendered = { ...known, body };
      return body;
    }
    const questions: Question[] = [];
    const recording: LinkContext = {
      ...context,
      articleUrlByPath: { get: (path: string) => record(questions, ["article", path, context.articleUrlByPath.get(path)]) } as ReadonlyMap<string, string>,
      pageUrls: { has: (url: string) => record(questions, ["page", url, context.pageUrls.has(url)]) } as ReadonlySet<string>,
      media: context.media && ((target: string, image: boolean) => {
        const found = context.media!(target, image);
        questions.push(["media", target, image, describe(found)]);
        return found;
      }),
    };
    const body = render(recording);
    if (entry) {
      // A digest kept with the entry goes with the body it was made from.
      entry.rendered = { url: context.articleUrl, body, questions };
      entry.digest = undefined;
      this.changed.add(bucketOf(this.keys.get(relativePath)!));
    }
    return body;
  }

  /**
   * The article's digest (page-keys.ts), once its body is rendered and the model made. An article
   * whose entry and rendered body are the ones an earlier build stored, and whose other fields
   * describe as they did then, has the digest that build made and kept with the entry; any other
   * is hashed. At 100,000 articles, hashing every article took 2.1 s of a one-body build (CPU
   * profile). A digest made now is stored with the entry whenever its bucket is written: for an
   * entry new or rendered again, this build. One hashed only because its other fields changed (a
   * topic now spelt otherwise by most articles) does not make its bucket written: that would write
   * every bucket holding an article naming the topic, bodies and all, for what hashing those
   * articles costs (about 20 µs each at 100,000 articles) until their buckets are written anyway.
   */
  digestOf(article: Article, digests: ModelDigests): string | undefined {
    const key = this.keys.get(article.relativePath);
    const entry = key === undefined ? undefined : this.next.get(key);
    const restText = entry && digests.textWithout(article, FIXED_BY_ENTRY);
    if (entry === undefined || restText === undefined) {
      if (entry) entry.digest = undefined;
      return digests.digestOf(article);
    }
    const rest = textDigest(restText);
    const kept = entry.digest;
    if (kept?.rest === rest && this.bodiesReused.has(article.relativePath)) {
      this.digestsKept++;
      digests.know(article, kept.value);
      return kept.value;
    }
    const value = digests.digestOf(article);
    entry.digest = value === undefined ? undefined : { rest, value };
    return value;
  }

  /**
   * The key of the text the related lists count in the article (`termsKey`): its title, its
   * summary and its body's opening. Made once for a body and kept with it, while the article's
   * body is the one rendered (not rewritten since for its pictures' encodings, which read more
   * than the entry): the title and the summary are fixed by the entry and that body
   * (`FIXED_BY_ENTRY`). At 100,000 articles, made for every article on every build, the keys took
   * a quarter of a second (CPU profile of one body).
   */
  termsKeyOf(article: Article): string {
    const rendered = this.next.get(this.keys.get(article.relativePath) ?? "")?.rendered;
    if (rendered === undefined || rendered.body.html !== article.html) return termsKey(article);
    return (rendered.termsKey ??= termsKey(article));
  }

  /** A body as the model takes it: a place in the cache's files that still holds it as a body to read from there; undefined for one that does not. */
  private keptHtml(bucket: string, html: string | HtmlPlace | KeptHtml): string | KeptHtml | undefined {
    if (typeof html === "string" || html instanceof KeptHtml) return html;
    return this.bodies?.holds(bucket, html) ? new KeptHtml(html, bucket, this.bodies) : undefined;
  }

  /**
   * The entries of a bucket `changedBuckets` gives, as the cache stores them (`packed`): each long body
   * written into the bucket's file of bodies, anew, and the entry holding its place there. A
   * body left in the file as it was is read to be written again; one no longer there leaves its
   * entry without it, to be rendered again.
   */
  storeBodies(bucket: string, entries: StoredArticles): StoredArticles {
    if (!this.bodies) return new Map([...entries].map(([key, entry]) => [key, packed(entry)]));
    const kept = [...entries].flatMap(([key, entry]) => {
      const html = entry.rendered && this.keptHtml(bucket, entry.rendered.body.html);
      return html === undefined ? [] : [{ key, html }];
    });
    const places = this.bodies.store(bucket, kept.map(({ html }) => html));
    const placeOf = new Map(kept.map(({ key }, index) => [key, places[index]]));
    return new Map(
      [...entries].map(([key, entry]) => {
        const place = placeOf.get(key);
        if (!entry.rendered || place === undefined) return [key, packed({ parsed: entry.parsed, digest: entry.digest })];
        return [key, packed({ parsed: entry.parsed, rendered: { ...entry.rendered, body: { ...entry.rendered.body, html: place } }, digest: entry.digest })];
      }),
    );
  }

  /**
   * The buckets the next build needs written again: those with an entry added or changed, or
   * one this build no longer has (an article deleted). The others are stored as they were. An
   * entry this build reused has its parsed file as `readStored` gives the bucket again: this
   * build revived it in place, and the model may have changed it since. One the bucket no longer
   * has (the cache removed meanwhile) is left out, to be parsed again.
   */
  changedBuckets(readStored: (bucket: string) => StoredArticles | undefined): Map<string, StoredArticles> {
    const changed = new Set(this.changed);
    for (const key of this.previous.keys()) if (!this.next.has(key)) changed.add(bucketOf(key));
    const buckets = new Map<string, StoredArticles>([...changed].map((bucket) => [bucket, new Map()]));
    const stored = new Map<string, StoredArticles | undefined>();
    for (const [key, entry] of this.next) {
      const bucket = bucketOf(key);
      const entries = buckets.get(bucket);
      if (entries === undefined) continue;
      // Reused, it is the one `previous` holds, revived in place; else parsed by this build, and stored as it is.
      if (entry.parsed !== this.previous.get(key)?.parsed) {
        entries.set(key, entry);
        continue;
      }
      if (!stored.has(bucket)) stored.set(bucket, readStored(bucket));
      const parsed = stored.get(bucket)?.get(key)?.parsed;
      if (parsed) entries.set(key, { parsed, rendered: entry.rendered, digest: entry.digest });
    }
    return buckets;
  }
}

/**
 * Articles are stored in 256 buckets by the first two hex digits of their key, so that a build
 * that changed one article writes one bucket, not the whole archive's bodies.
 */
export const BUCKETS = Array.from({ length: 256 }, (_, index) => index.toString(16).padStart(2, "0"));

/**
 * Whether the article file at `absolute` has the bytes of the entry `key`, read and keyed as a
 * build reads it (`file` is its path as shown, `relativePath` inside the articles folder): a file
 * saved again unchanged has a new status and the same bytes.
 */
export function holdsBytesOf(absolute: string, file: string, relativePath: string, key: string): boolean {
  try {
    return entryKey(file, relativePath, readFileSync(absolute)) === key;
  } catch {
    return false;
  }
}

/**
 * The bytes of an article file taken unread, read now that its body is needed. One removed since
 * the build's stamp (or under a folder now a file) stops the build: the article is in its model.
 */
function readRemembered(absolute: string, file: string): Buffer {
  try {
    return readFileSync(absolute);
  } catch (cause) {
    if (!isGoneError(cause)) throw cause;
    throw new ArchiveError([error(file, "was removed while the archive was being built, after the build had found it unchanged. Build again.")]);
  }
}

/** Whether the file at `absolute` holds the bytes keyed `key`, and then has the status `status`, settled (`ArticleCache.settle`). */
function settledAsRead(absolute: string, status: string, { file, relativePath, key }: { file: string; relativePath: string; key: string }): boolean {
  try {
    if (entryKey(file, relativePath, readFileSync(absolute)) !== key) return false;
    const info = statSync(absolute, { bigint: true });
    return fileStatus(info) === status && isSettled(info);
  } catch {
    // Gone since, or unreadable: not remembered.
    return false;
  }
}

/** An entry's key: the file's bytes and its path, as shown and inside the articles folder. */
export function entryKey(file: string, relativePath: string, bytes: Uint8Array): string {
  return hash(Buffer.concat([Buffer.from(`${file}\0${relativePath}\0`), bytes]));
}

/** The entry stored under `key`, from its bucket as `readBucket` reads it. */
export function storedEntry(key: string, readBucket: (bucket: string) => StoredArticles | undefined): StoredEntry | undefined {
  return readBucket(bucketOf(key))?.get(key);
}

/** The HTML of the body rendered in the entry stored under `key`, read from the cache's files where they keep it; undefined when they no longer hold it. */
export function storedBodyHtml(entry: StoredEntry, key: string, bodies: BodyFiles): string | undefined {
  const html = entry.rendered?.body.html;
  if (html === undefined || typeof html === "string") return html;
  if (html instanceof KeptHtml) return html.text();
  const bucket = bucketOf(key);
  return bodies.holds(bucket, html) ? new KeptHtml(html, bucket, bodies).text() : undefined;
}

/**
 * The entry of a file edited in its body alone (body-edits.ts), as a build that read it would
 * store it: the file parsed, its body rendered at `url` with the questions it asked, and the key
 * of the text the related lists count; no digest, which the next whole build makes.
 */
export function editedEntry({ source, problems, rendered, questions, url, termsKey }: { source: ArticleSource; problems: Problem[]; rendered: RenderedBody; questions: Question[]; url: string; termsKey: string }): StoredEntry {
  return { parsed: storeDates({ source: { ...source, body: "" }, problems }), rendered: { url, body: rendered, questions, termsKey } };
}

/** The bucket an entry is stored in, by its key. */
export function bucketOf(key: string): string {
  return key.slice(0, 2);
}

function record<T>(questions: Question[], question: Question & { 2: T }): T {
  questions.push(question);
  return question[2];
}

/**
 * Whether the site answers each question as it did. Files beside the articles are looked up
 * again, in the same order, as rendering would: looking one up is what publishes it.
 */
function sameAnswers(questions: readonly Question[], context: LinkContext): boolean {
  for (const question of questions) {
    if (question[0] === "article" && context.articleUrlByPath.get(question[1]) !== question[2]) return false;
    if (question[0] === "page" && context.pageUrls.has(question[1]) !== question[2]) return false;
    if (question[0] === "media" && (!context.media || describe(context.media(question[1], question[2])) !== question[3])) return false;
  }
  return true;
}

function describe(found: MediaLookup): string {
  return "file" in found ? `file ${found.file.url}` : "missing" in found ? "missing" : "hidden" in found ? "hidden" : "outside";
}

/**
 * An empty list as the cache stores it, in the lists an entry most often has empty (`packed`): a
 * number, for which reading a bucket back makes no object. Taken for a build (`reuseEntry`,
 * `render`), each is `NO_ITEMS`, one list shared by every entry, which cannot be changed (a change
 * throws); an entry only stored again keeps its numbers. The nine such lists of each
 * entry were 9 of its 22 objects: reading the 256 buckets of 100,000 articles took 2.06 to 2.38 s
 * with them, 1.75 to 2.10 s without (four runs each, alternated).
 */
const EMPTY_LIST = 0;
const NO_ITEMS: readonly never[] = Object.freeze([]);

/** The lists `packed` stores so, by the object that holds them. */
const PARSED_LISTS = ["problems"] satisfies (keyof Entry["parsed"])[];
const SOURCE_LISTS = ["aliases", "corrections"] satisfies (keyof ArticleSource)[];
const RENDERED_LISTS = ["questions"] satisfies (keyof NonNullable<Entry["rendered"]>)[];
const BODY_LISTS = ["brokenLinks", "brokenImages", "missingFiles", "refusedFiles", "hiddenFiles"] satisfies (keyof RenderedBody)[];

/** A copy of `entry` as the cache stores it: each empty list `EMPTY_LIST`, every field in its place. */
function packed(entry: Entry): Entry {
  const pack = (list: unknown) => (Array.isArray(list) && list.length === 0 ? EMPTY_LIST : list);
  const copy = { ...entry };
  const parsed = withLists(entry.parsed, PARSED_LISTS, pack);
  if (parsed.source) parsed.source = withLists(parsed.source, SOURCE_LISTS, pack);
  copy.parsed = parsed;
  if (entry.rendered) copy.rendered = withLists({ ...entry.rendered, body: withLists(entry.rendered.body, BODY_LISTS, pack) }, RENDERED_LISTS, pack);
  return copy;
}

/** A copy of `object` with each field of `names` it has changed by `change`, in its place. */
function withLists<T extends object>(object: T, names: readonly string[], change: (list: unknown) => unknown): T {
  const copy = { ...object } as Record<string, unknown>;
  for (const name of names) if (name in copy) copy[name] = change(copy[name]);
  return copy as T;
}

/** The parsed file of an entry as read from the cache, its empty lists `NO_ITEMS` again, in place. */
function unpackParsed(parsed: Entry["parsed"]): Entry["parsed"] {
  unpackLists(parsed, PARSED_LISTS);
  if (parsed.source) unpackLists(parsed.source, SOURCE_LISTS);
  return parsed;
}

/** A parsed file's source as an entry stores it: its dates as stored, each empty list packed. */
export function packedSource(source: ArticleSource): ArticleSource {
  return packed({ parsed: { source: storeDates(source), problems: [] } }).parsed.source!;
}

/** The rendered body of an entry as read from the cache, its empty lists `NO_ITEMS` again, in place. */
export function unpackRendered(rendered: NonNullable<Entry["rendered"]>): NonNullable<Entry["rendered"]> {
  unpackLists(rendered, RENDERED_LISTS);
  unpackLists(rendered.body, BODY_LISTS);
  return rendered;
}

function unpackLists(object: object, names: readonly string[]): void {
  const fields = object as Record<string, unknown>;
  for (const name of names) if (fields[name] === EMPTY_LIST) fields[name] = NO_ITEMS;
}
