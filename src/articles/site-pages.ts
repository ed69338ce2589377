import { readFileSync } from "node:fs";
import path from "node:path";
import matter from "gray-matter";
import { slugify } from "../archive/slug.ts";
import { error, warning, type Problem } from "../problems.ts";
import { describeYamlError, lineOfKey, parseYaml } from "../yaml.ts";
import { listMarkdownFiles } from "./load.ts";

/** A page of the site that is not an article (about, contact, corrections policy), as read. */
export interface SitePageSource {
  /** The file as the user sees it, for messages. */
  file: string;
  title: string;
  /** One sentence for listings' descriptions and search results; optional. */
  summary?: string;
  /** The last part of its URL, `/<slug>/`: the file name unless front matter says otherwise. */
  slug: string;
  body: string;
}

const FIELDS = ["title", "summary", "slug"];
const ARTICLE_ONLY = ["author", "date", "topics", "updated", "draft"];

/** Reads every Markdown file of the pages folder; each has a title and no author or date. */
export async function loadSitePages(folder: string): Promise<{ pages: SitePageSource[]; problems: Problem[] }> {
  const pages: SitePageSource[] = [];
  const problems: Problem[] = [];
  if (folder === "") return { pages, problems };
  for (const relativePath of await listMarkdownFiles(folder)) {
    const file = displayPath(path.join(folder, relativePath));
    const text = readFileSync(path.join(folder, relativePath), "utf8").replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
    let parsed: matter.GrayMatterFile<string>;
    try {
      parsed = matter(text, { engines: { yaml: (yaml: string) => (parseYaml(yaml) ?? {}) as object } });
    } catch (cause) {
      const { line, message } = describeYamlError(cause);
      problems.push(error(file, `has front matter that is not valid YAML: ${message}. Fix that line; quote values that contain a colon.`, { line: line === undefined ? undefined : line + 1 }));
      continue;
    }
    const data = parsed.data as Record<string, unknown>;
    const at = (field: string) => {
      const line = lineOfKey(parsed.matter.replace(/^\n/, ""), field);
      return { field, line: line === undefined ? undefined : line + 1 };
    };
    for (const field of Object.keys(data)) {
      if (ARTICLE_ONLY.includes(field)) problems.push(warning(file, `is a page, not an article: a page has no ${field}, and it is ignored. Move the file into the articles folder if it is an article.`, at(field)));
      else if (!FIELDS.includes(field)) problems.push(warning(file, `is not a field of a page and is ignored; a page has title, summary and slug.`, at(field)));
    }
    if (typeof data.title !== "string" || data.title.trim() === "") {
      problems.push(error(file, `has no title. Start the file with front matter: ---, then title: "About us", then ---.`, { field: "title", line: 1 }));
      continue;
    }
    if (data.summary !== undefined && typeof data.summary !== "string") {
      problems.push(error(file, `must be text. Write it in quotes: summary: "One sentence."`, at("summary")));
      continue;
    }
    const slug = data.slug === undefined ? slugify(path.basename(relativePath).replace(/\.[^.]+$/, "")) : typeof data.slug === "string" ? slugify(data.slug) : "";
    if (slug === "") {
      problems.push(error(file, `has no usable slug: it becomes the page's address /<slug>/. Write slug: about, or rename the file.`, at("slug")));
      continue;
    }
    pages.push({ file, title: data.title.trim(), summary: typeof data.summary === "string" && data.summary.trim() !== "" ? data.summary.trim() : undefined, slug, body: parsed.content });
  }
  return { pages, problems };
}

function displayPath(absolute: string): string {
  return path.relative(process.cwd(), absolute).split(path.sep).join("/");
}
