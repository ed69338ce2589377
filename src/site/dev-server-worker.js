// Runs Eleventy's development server on a thread of its own (src/site/dev-server.ts), so that it
// answers while serve's own thread builds: a model of 100,000 articles holds that thread for
// seconds at a time. Plain JavaScript, because run from the repository's TypeScript a worker
// thread starts without the loader the main thread was given.
//
// workerData: { dir, options } as Eleventy gives them to the server, less what cannot cross
// threads (the logger, functions). Messages in: { call, args } for the server's methods named in
// dev-server.ts (serve, reload, sendError, setAliases, watchFiles, close). Messages out: { log:
// [level, message] } for each line the server writes, "listening" once it serves, "closed" once
// closed.
import { createRequire } from "node:module";
import { parentPort, workerData } from "node:worker_threads";

// The server Eleventy itself would load, found from Eleventy's own folder.
const EleventyDevServer = createRequire(import.meta.resolve("@11ty/eleventy"))("@11ty/eleventy-dev-server");

const post = (level) => (message) => parentPort.postMessage({ log: [level, String(message)] });
const server = EleventyDevServer.getServer("eleventy-server", workerData.dir, {
  ...workerData.options,
  logger: { info: post("info"), log: post("log"), error: post("error") },
});

// A call that fails is reported as the server reports its own errors, and the server goes on, as
// it did on serve's thread, where Eleventy caught them. One it cannot go on from (every port it
// tried in use) ends the thread with it.
parentPort.on("message", async ({ call, args }) => {
  try {
    if (call === "serve") {
      server.serve(...args);
      await server.ready();
      parentPort.postMessage("listening");
    } else if (call === "close") {
      await server.close();
    } else {
      server[call](...args);
    }
  } catch (error) {
    post("error")(`The development server could not ${call}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (call === "close") parentPort.postMessage("closed");
  }
});
