/**
 * Builds an archive in a process of its own and prints the build's problems as JSON:
 *   node --import tsx test/helpers/build-in-process.ts ARTICLES OUTPUT PICTURE_CACHE
 * Tests use it where what one process remembers (eleventy-img keeps results in memory) would
 * hide what a second build does.
 */
import { buildSite } from "../../src/build.ts";

const [articlesDir, outputDir, pictureCache] = process.argv.slice(2) as [string, string, string];
const result = await buildSite({ articlesDir, outputDir, pictureCache });
console.log(JSON.stringify(result.problems));
