/**
 * Draws the small pictures of the `pictures` fixture from SVG written here, so that every
 * byte of the fixture is the project's own. Run it again only to change them:
 *   node --import tsx test/helpers/make-pictures.ts
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { deflateSync } from "node:zlib";
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
await writeFile(path.join(folder, "flag.gif"), await sharp(Buffer.from(scene(48, 32, "#ffffff", "#a3201c", "#1d4e6b"))).gif().toBuffer());
// A PDF of one empty page, the smallest a reader opens.
await writeFile(
  path.join(folder, "report.pdf"),
  "%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

// A photograph's size, with the camera's metadata (and where it was taken) that must not be published.
await writeFile(
  path.join(folder, "wide.jpg"),
  await sharp(Buffer.from(scene(2400, 1600, "#c6d8e4", "#24506b", "#fbe3a1")))
    .jpeg({ quality: 60 })
    .withExif({ IFD0: { Copyright: "Jane Roe", Artist: "Jane Roe" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1", GPSLongitudeRef: "W", GPSLongitude: "0/1 7/1 0/1" } })
    .toBuffer(),
);

// The bad-pictures scenario: files that look like pictures and are not, each shown by one article.
const bad = path.join(fixture("bad-pictures"), "2024", "files");
await mkdir(bad, { recursive: true });
await writeFile(path.join(bad, "not-a-picture.jpg"), "<!doctype html><title>Saved from the browser</title><p>This is a web page.</p>\n");
const whole = await sharp(Buffer.from(scene(640, 480, "#f2a65a", "#1d4e6b", "#ffe08a"))).jpeg({ quality: 80 }).toBuffer();
await writeFile(path.join(bad, "cut-short.jpg"), whole.subarray(0, Math.floor(whole.length * 0.6)));
await writeFile(path.join(bad, "scan.tif"), await sharp(Buffer.from(scene(64, 48, "#fff", "#000", "#888"))).tiff().toBuffer());
await writeFile(path.join(bad, "bomb.png"), pngHeaderOnly(30_000, 30_000));

/** A PNG that says it is `width` × `height` and holds no pixels: all a decompression bomb needs to be refused. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  // The first rows' pixels, compressed: a reader decodes the rest only if it is allowed to.
  const rows = deflateSync(Buffer.alloc(1 + width * 3));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", rows), chunk("IEND", Buffer.alloc(0))]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
