import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createGzip } from "node:zlib";
import type { Article } from "../archive/archive.ts";

// What the search benches share: the queries a reader types, and a host that serves the site as a static host would.

/**
 * Evenly spaced headlines, each reduced to its rarest words across all headlines: what a
 * reader remembers of a story and types to find it again.
 */
export function headlineQueries(articles: Article[], count: number, wordsPerQuery: number, shortest = 3): { query: string; article: Article }[] {
  const words = (title: string) => [...new Set(title.toLowerCase().match(new RegExp(`[\\p{L}\\p{N}]{${shortest},}`, "gu")) ?? [])];
  const frequency = new Map<string, number>();
  for (const article of articles) for (const word of words(article.title)) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const step = Math.max(1, Math.floor(articles.length / count));
  return Array.from({ length: Math.min(count, articles.length) }, (_, index) => articles[index * step]!).map((article) => {
    const rarest = words(article.title).sort((a, b) => frequency.get(a)! - frequency.get(b)! || b.length - a.length);
    return { query: rarest.slice(0, wordsPerQuery).join(" "), article };
  });
}

/** A static host: gzip for text, Pagefind's own files as they are (already compressed); counts what it sends. */
export async function serveGzipped(root: string, basePath: string): Promise<{ url: string; sent: { path: string; bytes: number }[]; close(): Promise<void> }> {
  const types: Record<string, string> = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".wasm": "application/wasm" };
  const sent: { path: string; bytes: number }[] = [];
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    let file = path.join(root, pathname.slice(basePath.length));
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!pathname.startsWith(basePath) || !file.startsWith(root) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    const type = types[path.extname(file)];
    const record = { path: pathname, bytes: 0 };
    sent.push(record);
    const count = (chunk: string | Buffer) => {
      record.bytes += chunk.length;
    };
    if (type) {
      response.writeHead(200, { "content-type": type, "content-encoding": "gzip" });
      createReadStream(file).pipe(createGzip()).on("data", count).pipe(response);
    } else {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      createReadStream(file).on("data", count).pipe(response);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${basePath}`,
    sent,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
