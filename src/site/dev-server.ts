import { Worker } from "node:worker_threads";
import type Eleventy from "@11ty/eleventy";

/** The thread's script: Eleventy's development server, driven by the messages below. */
const DEV_SERVER_WORKER = new URL("./dev-server-worker.js", import.meta.url);

/** What Eleventy sends the server after each run: the files written, and the pages' new HTML for the browser to patch in. */
interface ReloadEvent {
  files?: string[];
  subtype?: string;
  build?: { stylesheets?: string[]; templates?: { url: string; inputPath: string; content: string }[] };
}

/**
 * Eleventy's development server as Eleventy drives it (@11ty/eleventy's EleventyServe), run on a
 * thread of its own: the pages are answered, and reloaded in the browser, while this thread is
 * busy. Serve builds its model here, which at 100,000 articles holds this thread for seconds at a
 * time, and every request waited for it.
 */
class DevServerThread {
  readonly #worker: Worker;
  readonly #listening: Promise<void>;
  #closed: Promise<void> | undefined;
  #exited = false;

  constructor(dir: string, options: Record<string, unknown>) {
    // Eleventy's logger and any function stay here (Broadsheet gives the server no options of its
    // own, so none is a function nested deeper); the thread writes through a logger of its own,
    // whose lines come here.
    const sendable = Object.fromEntries(Object.entries(options).filter(([name, value]) => name !== "logger" && typeof value !== "function"));
    const logger = options.logger as Record<"info" | "log" | "error", (message: string) => void>;
    this.#worker = new Worker(DEV_SERVER_WORKER, { workerData: { dir, options: sendable } });
    let listening = false;
    this.#listening = new Promise<void>((resolve, reject) => {
      this.#worker.on("message", (message: "listening" | "closed" | { log: ["info" | "log" | "error", string] }) => {
        if (message === "listening") {
          listening = true;
          resolve();
        } else if (typeof message === "object") {
          logger[message.log[0]](message.log[1]);
        }
      });
      this.#worker.on("error", (error) => {
        // Before it serves (every port tried was in use), serve fails with the server's message.
        // After, the server is gone: serve ends with its error, as when it ran on this thread.
        if (!listening) reject(error);
        else if (this.#closed === undefined) throw error;
      });
      this.#worker.on("exit", () => {
        this.#exited = true;
        reject(new Error("Eleventy's development server stopped before it served."));
      });
    });
    // Heard by `ready`, or by nobody when the server is closed before it serves.
    this.#listening.catch(() => {});
  }

  serve(port: number): void {
    this.#worker.postMessage({ call: "serve", args: [port] });
  }

  /** Resolves once the server answers requests. */
  ready(): Promise<void> {
    return this.#listening;
  }

  reload({ files, subtype, build }: ReloadEvent = {}): void {
    // Eleventy's results for the pages written carry more than these; only these are used, and the rest may not cross threads.
    const templates = build?.templates?.map(({ url, inputPath, content }) => ({ url, inputPath, content }));
    this.#worker.postMessage({ call: "reload", args: [{ files, subtype, build: build && { stylesheets: build.stylesheets, templates } }] });
  }

  sendError({ error }: { error: unknown }): void {
    // As the server would send it: every own property of the error, as JSON.
    const sent = error instanceof Error ? (JSON.parse(JSON.stringify(error, Object.getOwnPropertyNames(error))) as unknown) : { message: String(error) };
    this.#worker.postMessage({ call: "sendError", args: [{ error: sent }] });
  }

  setAliases(aliases: Record<string, string> | undefined): void {
    this.#worker.postMessage({ call: "setAliases", args: [aliases] });
  }

  watchFiles(files: string[]): void {
    this.#worker.postMessage({ call: "watchFiles", args: [files] });
  }

  close(): Promise<void> {
    this.#closed ??= this.#exited
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          this.#worker.on("message", (message) => message === "closed" && resolve());
          this.#worker.once("exit", () => resolve());
          this.#worker.postMessage({ call: "close", args: [] });
        }).then(() => this.#worker.terminate().then(() => {}));
    return this.#closed;
  }
}

/** The part of Eleventy's serving this module takes over: which server Eleventy starts, and the one it started. */
interface EleventyServing {
  getServerModule(name: string): Promise<{ getServer(name: string, dir: string, options: Record<string, unknown>): DevServerThread }>;
  readonly server: DevServerThread;
}

/** The server `serveFromThread` started, for a reload Eleventy does not ask for (the site replaced by a build). */
export interface ServedSite {
  /** Reloads every page open in a browser. */
  reloadPages(): void;
}

/**
 * Serves `eleventy`'s output on `port` from a thread of its own, as its own server would from
 * this one: Eleventy still starts, reloads and stops it. Resolves once it answers. `eleventy`
 * must be initialized (`init()`), as Eleventy makes its serving then.
 */
export async function serveFromThread(eleventy: Eleventy, port: number): Promise<ServedSite> {
  const serving = (eleventy as unknown as { eleventyServe?: Partial<EleventyServing> }).eleventyServe;
  // Eleventy's own way to name a server takes a package in the project's node_modules, where
  // Broadsheet's modules may not be: this is its inside, which an upgrade may change.
  if (typeof serving?.getServerModule !== "function") throw new Error(unknownServing());
  serving.getServerModule = () => Promise.resolve({ getServer: (_name, dir, options) => new DevServerThread(dir, options) });
  await eleventy.serve(port);
  const server = serving.server;
  if (!(server instanceof DevServerThread)) throw new Error(unknownServing());
  await server.ready();
  // A reload that names no page the browser shows reloads it whole.
  return { reloadPages: () => server.reload({}) };
}

function unknownServing(): string {
  return "This Eleventy starts its development server otherwise than the Eleventy 3 that Broadsheet knows (src/site/dev-server.ts): install the @11ty/eleventy version in Broadsheet's package.json.";
}
