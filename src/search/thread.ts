import { Worker } from "node:worker_threads";

/**
 * The thread that drives Pagefind (pagefind-worker.js), started before the build knows what it is
 * to index: the thread and the modules it loads took 0.3 s to start, on the path a one-body build
 * at 10,000 articles waits for last (indexing the changed shard, then merging its volume), while
 * the build's own thread was reading the cache and modelling the archive with the other core
 * idle. Idle, it keeps no process alive; `startSearchIndex` gives it its work, once, and whoever
 * started it and never gave it any ends it (`end`).
 */
export class SearchThread {
  readonly worker: Worker;
  /** Resolved once the thread has ended, however it did. */
  readonly ended: Promise<void>;
  exited = false;
  /** Resolved with the first error the thread threw, if it throws one: caught from its start, not only once it has work. */
  readonly failed: Promise<Error>;
  given = false;

  /**
   * `readAhead`: kept shards (their folders) the thread reads while it waits for its plan, as the
   * merges' read-ahead does once it has it: those the last build found most likely merged next
   * (`SearchIndexing.shardsLikelyMerged`). Those its plan does not merge are dropped.
   */
  constructor(readAhead: readonly string[] = []) {
    this.worker = new Worker(new URL("./pagefind-worker.js", import.meta.url), { workerData: { readAhead } });
    this.worker.unref();
    this.ended = new Promise((resolve) =>
      this.worker.once("exit", () => {
        this.exited = true;
        resolve();
      }),
    );
    this.failed = new Promise((resolve) => this.worker.once("error", resolve));
  }

  /** Hands the thread its plan: from now on it keeps the process alive until it ends. */
  give(plan: unknown): Worker {
    // A second plan would be ignored, and its records taken for the first's.
    if (this.given) throw new Error("This search thread has been given its work already: start a thread for each index.");
    this.given = true;
    this.worker.ref();
    this.worker.postMessage({ plan });
    return this.worker;
  }

  /** Ends a thread that was never given its work; one that was is left to finish or be stopped. */
  async end(): Promise<void> {
    if (!this.given) await this.worker.terminate();
  }
}
