import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
};

/** Serves a built site on 127.0.0.1, under `basePath`, as a static host would (404.html for misses). */
export async function serveSite(root: string, basePath = "/"): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    if (!pathname.startsWith(basePath)) return notFound();
    let file = path.join(root, pathname.slice(basePath.length));
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!file.startsWith(root) || !existsSync(file)) return notFound();
    response.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(response);

    function notFound(): void {
      response.writeHead(404, { "content-type": TYPES[".html"]! });
      createReadStream(path.join(root, "404.html")).pipe(response);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export { launchChromium } from "../../src/bench/chromium.ts";
