// Runs Pagefind for one build on a thread of its own, so that indexing is never kept waiting by
// the main thread, which is busy rendering pages. Plain JavaScript, because a worker thread starts
// without the TypeScript loader the main thread was given; it registers its own to compact the
// bundle once Pagefind has written it.
//
// workerData: { language, outputPath, total }; then messages { records: { url, content }[] }
// until `total` records have come, and "stop" at any time.
// Posts { errors: string[] } once the bundle is written (or could not be), then ends.
import { parentPort, workerData } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import * as pagefind from "pagefind";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
const { compactBundle, listedFiles } = await import("./compact-bundle.ts");

// Records in flight at once: enough to keep Pagefind's process busy.
const BATCH = 200;

const { language, outputPath, total } = workerData;
// A stop waits for the records in flight: Pagefind's process, cut off in the middle of its
// replies, panics on the broken pipe. While Pagefind writes the bundle, which cannot be cut
// short, the caller ends the thread from outside if it must.
let stopping = false;
/** Records come in messages while the main thread makes them; they wait here for Pagefind. */
const waiting = [];
let wake = () => {};
parentPort.on("message", (message) => {
  if (message === "stop") stopping = true;
  else waiting.push(...message.records);
  wake();
});
try {
  parentPort.postMessage({ errors: await buildIndex() });
} finally {
  // Listening for "stop" must not keep the thread alive once the index is written.
  parentPort.unref();
  await pagefind.close();
}

/** @returns {Promise<string[]>} what Pagefind reported; empty when the bundle is written. */
async function buildIndex() {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: language });
  if (!index) return errors;
  // Under serve the bundle is written over the live one; its files stay for pages that loaded it.
  let live;
  try {
    for (let added = 0; added < total && !stopping; ) {
      if (waiting.length === 0) {
        await new Promise((resolve) => (wake = resolve));
        continue;
      }
      // The thread's copy of each record goes as soon as Pagefind has it.
      const batch = waiting.splice(0, BATCH);
      const responses = await Promise.all(batch.map((record) => index.addHTMLFile(record)));
      const failed = responses.flatMap((response) => response.errors);
      if (failed.length > 0) return failed;
      added += batch.length;
    }
    if (!stopping) {
      live = await listedFiles(outputPath);
      const { errors } = await index.writeFiles({ outputPath });
      if (errors.length > 0) return errors;
    }
  } finally {
    await index.deleteIndex();
  }
  // Pagefind's process and the index it holds go before the bundle is compacted: the compaction
  // keeps this thread from hearing "stop" for a second or two, and a thread stopped from outside
  // could no longer close the process.
  await pagefind.close();
  // Stopped: the thread ends without a word.
  if (stopping) process.exit(0);
  await compactBundle(outputPath, { keep: live });
  return [];
}
