/**
 * Draws the small pictures of the `pictures` fixture from SVG written here, so that every
 * byte of the fixture is the project's own. Run it again only to change them:
 *   node --import tsx test/helpers/make-pictures.ts
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { fixture } from "./files.ts";

const folder = path.join(fixture("pictures"), "2024", "harbour-fire");

function scene(width: number, height: number, sky: string, sea: string, sun: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <rect width="${width}" height="${height}" fill="${sky}"/>
  <circle cx="${width * 0.7}" cy="${height * 0.35}" r="${height * 0.15}" fill="${sun}"/>
  <rect y="${height * 0.6}" width="${width}" height="${height * 0.4}" fill="${sea}"/>
  <path d="M${width * 0.2} ${height * 0.6} l${width * 0.2} 0 l-${width * 0.03} ${height * 0.08} l-${width * 0.14} 0 z" fill="#3b2a1a"/>
  <path d="M${width * 0.3} ${height * 0.6} l0 -${height * 0.3} l${width * 0.08} ${height * 0.25} z" fill="#f4f1e8"/>
</svg>`;
}

await mkdir(folder, { recursive: true });
const jpeg = (svg: string) => sharp(Buffer.from(svg)).jpeg({ quality: 70 }).toBuffer();
await writeFile(path.join(folder, "lead.jpg"), await jpeg(scene(480, 320, "#f2a65a", "#1d4e6b", "#ffe08a")));
await writeFile(path.join(folder, "boats.jpg"), await jpeg(scene(400, 300, "#9cc9e8", "#2a5d7c", "#fff6c0")));
await writeFile(path.join(folder, "unused.jpg"), await jpeg(scene(64, 48, "#555", "#222", "#999")));
await writeFile(path.join(folder, "diagram.png"), await sharp(Buffer.from(scene(200, 100, "#ffffff", "#0b6e4f", "#e4572e"))).png().toBuffer());
await writeFile(
  path.join(folder, "map.svg"),
  `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" viewBox="0 0 120 80"><rect width="120" height="80" fill="#e8f1f2"/><path d="M10 70 Q60 10 110 70" stroke="#1d4e6b" stroke-width="4" fill="none"/></svg>\n`,
);
// A PDF of one empty page, the smallest a reader opens.
await writeFile(
  path.join(folder, "report.pdf"),
  "%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);
