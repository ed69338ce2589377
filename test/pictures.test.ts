import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite, type BuildResult } from "../src/build.ts";
import { ArchiveError, formatProblem, sortProblems } from "../src/problems.ts";
import { readBundleFile } from "../src/search/pagefind-format.ts";
import sharp from "sharp";
import { fixture, hashFiles, ROOT } from "./helpers/files.ts";
import { findBrokenLinks, listFiles } from "./helpers/links.ts";

const PICTURES = fixture("pictures");
const BAD = fixture("bad-pictures");
const shown = (file: string) => path.relative(process.cwd(), path.join(PICTURES, file)).split(path.sep).join("/");

let scratch: string;
let site: string;
let built: BuildResult;

// Builds share Eleventy's module state, so they run one after another.
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-pictures-"));
  site = path.join(scratch, "site");
  built = await buildSite({ articlesDir: PICTURES, outputDir: site, pictureCache: path.join(scratch, "cache") });
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const read = (file: string) => readFile(path.join(site, file), "utf8");
const articleHtml = (slug: string) => read(`2024/05/${slug}/index.html`);

describe("files beside the articles", () => {
  test("each file an article refers to is published once at /media/<hash>/<name>; files only linked to keep their bytes", async () => {
    const files = await listFiles(site);
    const originals = files.filter((file) => /^media\/[0-9a-f]{12}\/[^/]+$/.test(file));
    expect(originals.map((file) => path.posix.basename(file)).sort()).toEqual(["boats.jpg", "diagram.png", "flag.gif", "lead.jpg", "map.svg", "report.pdf", "wide.jpg"]);
    for (const name of ["map.svg", "report.pdf"]) {
      const file = originals.find((candidate) => candidate.endsWith(`/${name}`))!;
      expect(readFileSync(path.join(site, file)).equals(readFileSync(path.join(PICTURES, "2024/harbour-fire", name))), file).toBe(true);
      // A copy, not a link: editing the article's file later must not change the published site.
      expect(statSync(path.join(site, file)).ino).not.toBe(statSync(path.join(PICTURES, "2024/harbour-fire", name)).ino);
    }
  });

  test("a picture's encodings are published with the bytes of the picture cache's", async () => {
    const encodings = (await listFiles(site)).filter((file) => /^media\/[^/]+\/boats-\d+\.(webp|jpg)$/.test(file));
    expect(encodings.length).toBeGreaterThan(1);
    for (const file of encodings) {
      const [, id, name] = /^media\/([^/]+)\/(.+)$/.exec(file)!;
      expect(readFileSync(path.join(site, file)).equals(readFileSync(path.join(scratch, "cache", id!, name!))), file).toBe(true);
    }
  });

  test("files nobody refers to are not published, nor what a link outside the folder names", async () => {
    const files = await listFiles(site);
    expect(files.some((file) => file.endsWith("unused.jpg"))).toBe(false);
    expect(files.some((file) => file.endsWith("passwd") || file.endsWith("outside.json") || file.endsWith("package.json") || file.includes("sketch"))).toBe(false);
  });

  test("Markdown images and links, raw <img src> and <a href> point at the published files", async () => {
    const html = await articleHtml("harbour-fire");
    expect(html).toMatch(
      /<figure><picture><source type="image\/webp" srcset="\/media\/[0-9a-f]{16}\/boats-400\.webp 400w" sizes="[^"]+"><img src="\/media\/[0-9a-f]{16}\/boats-400\.jpg" srcset="\/media\/[0-9a-f]{16}\/boats-400\.jpg 400w" sizes="[^"]+" width="400" height="300" alt="Boats moored at the quay" loading="lazy" decoding="async"><\/picture><figcaption>Boats at the quay at dawn\. Photo: Jane Roe<\/figcaption>\s*<\/figure>/,
    );
    expect(html).toMatch(/<a href="\/media\/[0-9a-f]{12}\/report\.pdf\?download=1">the report<\/a>/);
    expect(html).toMatch(/<img src="\/media\/[0-9a-f]{12}\/map\.svg" alt="Map of the wall"/);
    expect(html).toMatch(/<picture><source type="image\/webp" srcset="\/media\/[0-9a-f]{16}\/diagram-200\.webp 200w" sizes="[^"]+"><img src="\/media\/[0-9a-f]{16}\/diagram-200\.png" srcset="[^"]+" sizes="[^"]+" width="200" height="100" alt="Diagram of the burnt section" loading="lazy" decoding="async"><\/picture>/);
    expect(html).toMatch(/<a href="\/media\/[0-9a-f]{12}\/report\.pdf">the same report<\/a>/);
    expect(await findBrokenLinks(site)).toEqual([]);
  });

  test("a file that is not there, outside the articles folder, or hidden, is reported with its line and shown as text", async () => {
    const file = shown("2024/broken-references.md");
    expect(built.problems.filter((problem) => problem.file === file && problem.field === undefined).map(formatProblem)).toEqual([
      `${file}:9  shows the image harbour-fire/lost.jpg, but there is no such file beside the article; the image's description is shown instead. Put the file at that path, relative to the article's own file, or correct the path.`,
      `${file}:11  refers to ../../etc/passwd, which is outside the articles folder, so it is not published and nothing there was read. Copy the file beside the article and refer to it by a path inside the articles folder.`,
      `${file}:11  refers to outside.json, which is outside the articles folder, so it is not published and nothing there was read. Copy the file beside the article and refer to it by a path inside the articles folder.`,
      // Raw HTML is read after the Markdown: its link comes last.
      `${file}:15  refers to .drafts/sketch.png, which is in a hidden folder or is hidden itself (its name begins with a dot), so it is not published and nothing there was read: builds read no hidden file, nor notice when one changes. Move the file to a folder whose name does not begin with a dot, and correct the path.`,
      `${file}:13  links to the file harbour-fire/missing.pdf, but there is no such file beside the article; the link's text is shown instead. Put the file at that path, relative to the article's own file, or correct the path.`,
    ]);
    const html = await articleHtml("broken-references");
    expect(html).toContain("<p>A lost photo</p>");
    expect(html).not.toContain("passwd</a>");
    expect(html).toContain("Read the secrets and the manifest.");
    expect(html).toContain("<p>A sketch of the wall</p>");
  });
});

const LEAD = /\/media\/[0-9a-f]{12}\/lead\.jpg/;

describe("lead image", () => {
  test("is shown above the body as a figure with its caption and credit", async () => {
    const html = await articleHtml("harbour-fire");
    const figure = /<figure class="lead-figure">(.*?)<\/figure>/s.exec(html)?.[1] ?? "";
    expect(figure).toMatch(/<source type="image\/webp" srcset="\/media\/[0-9a-f]{16}\/lead-400\.webp 400w, \/media\/[0-9a-f]{16}\/lead-480\.webp 480w"/);
    expect(figure).toContain('width="480" height="320" alt="Smoke over the harbour wall at sunset" decoding="async"/>');
    // The first picture a reader sees is fetched at once.
    expect(figure).not.toContain("loading=");
    expect(figure).toContain('<figcaption>The wall from the lighthouse, an hour after the fire began. <span class="credit">Photo: Mara Quinn</span></figcaption>');
    expect(html.indexOf('class="lead-figure"')).toBeLessThan(html.indexOf('class="article-body"'));
  });

  test("is the sharing card's image, with a large card, and the structured data's image", async () => {
    const html = await articleHtml("harbour-fire");
    expect(html).toMatch(/<meta property="og:image" content="https:\/\/herald\.example\.org\/media\/[0-9a-f]{12}\/lead\.jpg"\/>/);
    expect(html).toContain('<meta property="og:image:alt" content="Smoke over the harbour wall at sunset"/>');
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image"/>');
    const data = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(data.image).toMatchObject({ "@type": "ImageObject", caption: "The wall from the lighthouse, an hour after the fire began.", creditText: "Mara Quinn" });
    expect(data.image.url).toMatch(LEAD);
    // An article without one keeps the small card.
    expect(await articleHtml("broken-references")).toContain('<meta name="twitter:card" content="summary"/>');
  });

  test("an https:// address is used as it is", async () => {
    const html = await articleHtml("lighthouse-open-day");
    expect(html).toContain('<img src="https://images.example.org/lighthouse.jpg" alt="The lighthouse against a clear sky" decoding="async"/>');
    expect(html).toContain('<meta property="og:image" content="https://images.example.org/lighthouse.jpg"/>');
  });

  test("is in the Atom feed as an enclosure and in the JSON Feed as the item's image", async () => {
    const atom = await read("feed.xml");
    expect(atom).toMatch(/<link rel="enclosure" href="https:\/\/herald\.example\.org\/media\/[0-9a-f]{12}\/lead\.jpg" type="image\/jpeg" length="\d+"\/>/);
    const json = JSON.parse(await read("feed.json"));
    const item = json.items.find((entry: { url: string }) => entry.url.endsWith("/harbour-fire/"));
    expect(item.image).toMatch(LEAD);
    expect(json.items.find((entry: { url: string }) => entry.url.endsWith("/broken-references/")).image).toBeUndefined();
  });

  test("listings show a thumbnail with an empty alt beside the linked headline", async () => {
    for (const page of ["index.html", "topics/harbour/index.html", "authors/mara-quinn/index.html", "2024/05/index.html"]) {
      const html = await read(page);
      expect(html, page).toMatch(/<li class="teaser has-image"><picture class="teaser-image-frame"><source type="image\/webp" srcset="[^"]*lead-400\.webp 400w[^"]*" sizes="7.5rem"\/><img class="teaser-image" src="\/media\/[0-9a-f]{16}\/lead-480\.jpg" srcset="[^"]+" sizes="7.5rem" width="480" height="320" alt loading="lazy" decoding="async"\/><\/picture>/);
    }
    expect(await read("index.html")).toMatch(/<li class="teaser"><h2><a href="\/2024\/05\/broken-references\/">/);
  });

  test("is the search record's image, for a thumbnail beside the result", async () => {
    const folder = path.join(site, "pagefind", "fragment");
    const fragments = await Promise.all((await readdir(folder)).map(async (file) => JSON.parse((await readBundleFile(path.join(folder, file))).toString("utf8"))));
    const meta = (slug: string) => fragments.find((fragment) => fragment.url === `/2024/05/${slug}/`).meta;
    // The smallest encoding: a thumbnail needs no more.
    expect(meta("harbour-fire").image).toMatch(/^\/media\/[0-9a-f]{16}\/lead-400\.jpg$/);
    expect(meta("lighthouse-open-day").image).toBe("https://images.example.org/lighthouse.jpg");
  });

  test("a short `image: path` without alt, and one that is not there, are warnings naming file, line and fix", () => {
    const messages = sortProblems(built.problems).filter((problem) => problem.field === "image").map(formatProblem);
    expect(messages).toEqual([
      `${shown("2024/broken-references.md")}:5  image: harbour-fire/gone.jpg is no file beside the article, so the article has no lead picture. Put the picture at that path, relative to the article's own file, or correct the path.`,
      `${shown("2024/broken-references.md")}:5  image: has no alt text, so a reader who cannot see the picture learns nothing from it. Write it as src: and alt: lines indented under image:, with alt: saying what the picture shows.`,
      `${shown("2024/quay-market.md")}:6  image: has no alt text, so a reader who cannot see the picture learns nothing from it. Write it as src: and alt: lines indented under image:, with alt: saying what the picture shows.`,
    ]);
  });
});

describe("responsive pictures", () => {
  test("a photograph is encoded at 400 to 2000 px, never wider, in WebP and JPEG, with its camera's metadata and location stripped", async () => {
    const files = (await listFiles(site)).filter((file) => /\/wide(-\d+)?\.(jpg|webp)$/.test(file));
    const encodings = files.filter((file) => /wide-\d+/.test(file)).map((file) => path.posix.basename(file));
    expect(encodings.sort()).toEqual(["wide-1200.jpg", "wide-1200.webp", "wide-1600.jpg", "wide-1600.webp", "wide-2000.jpg", "wide-2000.webp", "wide-400.jpg", "wide-400.webp", "wide-800.jpg", "wide-800.webp"]);
    expect((await sharp(path.join(PICTURES, "2024/harbour-fire/wide.jpg")).metadata()).exif).toBeDefined();
    for (const file of files) {
      const metadata = await sharp(path.join(site, file)).metadata();
      expect(metadata.exif, file).toBeUndefined();
      expect(metadata.width, file).toBeLessThanOrEqual(2000);
    }
    // Its own URL serves the largest encoding, so a link to it, or a feed's enclosure, shows no location either.
    const own = files.find((file) => file.endsWith("/wide.jpg"))!;
    expect((await sharp(path.join(site, own)).metadata()).width).toBe(2000);
  });

  test("a body picture has srcset, sizes, width and height, and loads lazily", async () => {
    const html = await articleHtml("quay-market");
    expect(html).toMatch(/<img src="\/media\/[0-9a-f]{16}\/wide-2000\.jpg" srcset="(\/media\/[0-9a-f]{16}\/wide-(400|800|1200|1600|2000)\.jpg \d+w(, )?){5}" sizes="\(min-width: 44rem\) 40rem, calc\(100vw - 2rem\)" width="2000" height="1333" alt="The quay in the morning, stalls going up" loading="lazy" decoding="async">/);
  });

  test("SVG and GIF are shown as they are", async () => {
    const html = (await articleHtml("harbour-fire")) + (await articleHtml("lighthouse-open-day"));
    expect(html).toMatch(/<img src="\/media\/[0-9a-f]{12}\/map\.svg" alt="Map of the wall" ?\/?>/);
    expect(html).toMatch(/<img src="\/media\/[0-9a-f]{12}\/flag\.gif" alt="The Harbour Trust's flag">/);
    const gif = (await listFiles(site)).find((file) => file.endsWith("/flag.gif"))!;
    expect(readFileSync(path.join(site, gif)).equals(readFileSync(path.join(PICTURES, "2024/harbour-fire/flag.gif")))).toBe(true);
  });

  test("a second build, in a new process, with no picture changed encodes nothing again", async () => {
    const cache = path.join(scratch, "process-cache");
    const first = await buildInProcess(path.join(scratch, "process-site-1"), cache);
    expect(first.code).toBe(0);
    const before = await cacheState(cache);
    expect(Object.keys(before).length).toBeGreaterThan(10);
    expect((await buildInProcess(path.join(scratch, "process-site-2"), cache)).code).toBe(0);
    expect(await cacheState(cache)).toEqual(before);
    expect(await hashFiles(path.join(scratch, "process-site-2", "media"))).toEqual(await hashFiles(path.join(scratch, "process-site-1", "media")));
    // Its first build started from an empty cache of its own: a deleted cache gives the same site.
    expect(await hashFiles(path.join(scratch, "process-site-1"))).toEqual(await hashFiles(site));
  });
});

describe("pictures cached in one process", () => {
  test("a second build in the same process (as serve makes) encodes nothing again", async () => {
    const cache = path.join(scratch, "cache");
    const before = await cacheState(cache);
    expect(Object.keys(before).length).toBeGreaterThan(10);
    await buildSite({ articlesDir: PICTURES, outputDir: path.join(scratch, "site-again"), pictureCache: cache });
    expect(await cacheState(cache)).toEqual(before);
  });
});

describe("pictures that cannot be shown", () => {
  test("each stops the build with one message naming the article and the file, and nothing is written", async () => {
    const output = path.join(scratch, "bad-site");
    const cache = path.join(scratch, "bad-cache");
    const failure = await buildSite({ articlesDir: BAD, outputDir: output, pictureCache: cache }).catch((cause: unknown) => cause);
    expect(failure).toBeInstanceOf(ArchiveError);
    const at = (file: string) => path.relative(process.cwd(), path.join(BAD, file)).split(path.sep).join("/");
    expect((failure as ArchiveError).problems.map(formatProblem)).toEqual([
      `${at("2024/bomb.md")}  shows the picture ${at("2024/files/bomb.png")}, which is 30,000 × 30,000 pixels, more than the 100 million pixels Broadsheet decodes (a picture that large is most likely made to exhaust memory). Resize it to at most 2000 pixels wide.`,
      `${at("2024/cut-short.md")}  shows the picture ${at("2024/files/cut-short.jpg")}, which is cut short: the file ends before the picture does, most likely because it was copied or uploaded only in part. Copy the picture again from where it came from.`,
      `${at("2024/scan.md")}  shows the picture ${at("2024/files/scan.tif")}, which is a TIFF picture, a format browsers do not show. Save it as JPEG (for photographs) or PNG (for drawings and screenshots) and refer to that file.`,
      `${at("2024/web-page.md")}  shows the picture ${at("2024/files/not-a-picture.jpg")}, which is not a picture: its bytes are no image format (a JPEG, PNG, WebP, AVIF, GIF or SVG) but perhaps a web page or a document saved under a picture's name. Save the picture itself in its place.`,
    ]);
    expect(existsSync(output)).toBe(false);
    expect((await readdir(scratch)).filter((name) => name.startsWith("bad-site."))).toEqual([]);
    // Nothing of the picture cut short is kept for the next build to take for a good one.
    expect(await listFiles(cache).catch(() => [])).toEqual([]);
  });
});

function buildInProcess(output: string, cache: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/helpers/build-in-process.ts"), PICTURES, output, cache], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

/** Every file in the cache with its size and modification time: what changes if anything is encoded again. */
async function cacheState(cache: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const file of await listFiles(cache)) {
    const stats = statSync(path.join(cache, file));
    state[file] = `${stats.size} ${stats.mtimeMs}`;
  }
  return state;
}
