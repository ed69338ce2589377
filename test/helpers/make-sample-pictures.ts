/**
 * Draws the sample archive's lead pictures from SVG written here, so that every picture in
 * `articles/` is the project's own. Run it again only to change them:
 *   node --import tsx test/helpers/make-sample-pictures.ts
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { ROOT } from "./files.ts";

const W = 1600;
const H = 1000;

const sky = (top: string, bottom: string) =>
  `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/></linearGradient></defs><rect width="${W}" height="${H}" fill="url(#sky)"/>`;

const trees = (count: number, baseline: number, scale: number, colour: string) =>
  Array.from({ length: count }, (_, index) => {
    const x = 40 + ((index * 977) % (W - 80));
    const h = scale * (0.7 + ((index * 37) % 10) / 20);
    return `<rect x="${x - 4}" y="${baseline - h * 0.35}" width="8" height="${h * 0.35}" fill="#4a3421"/><ellipse cx="${x}" cy="${baseline - h * 0.55}" rx="${h * 0.28}" ry="${h * 0.38}" fill="${colour}"/>`;
  }).join("");

const pictures: Record<string, string> = {
  // The evening ferry on the Wend, lights on, the far bank in silhouette.
  "2026/ferry-returns-to-full-timetable/ferry.jpg": `${sky("#23395b", "#f4a259")}
    <circle cx="1180" cy="560" r="70" fill="#ffd58a" opacity="0.9"/>
    <path d="M0 600 L220 560 L480 590 L760 540 L1040 585 L1320 555 L1600 590 L1600 640 L0 640 Z" fill="#1b2a3a"/>
    <rect y="620" width="${W}" height="${H - 620}" fill="#2c4a66"/>
    <path d="M0 700 Q400 680 800 705 T1600 700" stroke="#f4a259" stroke-width="6" fill="none" opacity="0.5"/>
    <g transform="translate(520 560)"><path d="M0 90 L520 90 L470 150 L40 150 Z" fill="#f1ede4"/><rect x="120" y="30" width="300" height="60" fill="#e8e2d4"/>
    ${Array.from({ length: 7 }, (_, i) => `<rect x="${140 + i * 40}" y="45" width="24" height="24" fill="#ffd58a"/>`).join("")}
    <rect x="250" y="-20" width="26" height="50" fill="#a3201c"/></g>
    <path d="M470 740 Q800 730 1120 742" stroke="#ffd58a" stroke-width="4" fill="none" opacity="0.6"/>`,
  // Runners on the new riverside path, trees behind them.
  "2026/half-marathon-riverside-park/runners.jpg": `${sky("#8ec5e8", "#e6f2f8")}
    <path d="M0 560 Q400 500 800 540 T1600 520 L1600 ${H} L0 ${H} Z" fill="#7fb069"/>
    ${trees(18, 600, 220, "#3e7c3a")}
    <path d="M0 820 Q500 700 1000 760 T1600 700 L1600 780 Q1100 820 900 830 T0 900 Z" fill="#d9c7a0"/>
    <path d="M0 920 Q600 860 1600 880 L1600 ${H} L0 ${H} Z" fill="#4f7ca8"/>
    ${[300, 520, 760, 980, 1240]
      .map((x, i) => {
        const y = 780 - i * 14;
        const colour = ["#a3201c", "#1a4d8c", "#f4a259", "#2a9d8f", "#6d597a"][i];
        return `<g transform="translate(${x} ${y})"><circle cx="0" cy="-118" r="16" fill="#3b2a1a"/><rect x="-14" y="-100" width="28" height="60" rx="10" fill="${colour}"/><path d="M-8 -40 L-30 10 M8 -40 L26 8" stroke="#2b2b2b" stroke-width="10" stroke-linecap="round"/><path d="M-12 -90 L-36 -60 M12 -90 L34 -66" stroke="#3b2a1a" stroke-width="8" stroke-linecap="round"/></g>`;
      })
      .join("")}`,
  // Rows of young trees in their guards along the riverbank.
  "2025/tree-planting-passes-5000-saplings/saplings.jpg": `${sky("#cfe3ef", "#f7f3e8")}
    <path d="M0 420 Q500 380 1000 410 T1600 400 L1600 ${H} L0 ${H} Z" fill="#9cbf7a"/>
    ${trees(10, 440, 160, "#5e8c4a")}
    ${Array.from({ length: 5 }, (_, row) =>
      Array.from({ length: 9 }, (_, column) => {
        const x = 90 + column * 175 + (row % 2) * 80;
        const y = 520 + row * 100;
        const s = 0.6 + row * 0.12;
        return `<g transform="translate(${x} ${y}) scale(${s})"><rect x="-6" y="-90" width="12" height="90" fill="#6b4a2b"/><ellipse cx="0" cy="-100" rx="34" ry="30" fill="#7bc35b"/><rect x="-22" y="-70" width="44" height="70" fill="#e7e2cf" opacity="0.85"/></g>`;
      }).join(""),
    ).join("")}
    <path d="M0 960 Q800 930 1600 955 L1600 ${H} L0 ${H} Z" fill="#5b86a8"/>`,
};

for (const [relative, body] of Object.entries(pictures)) {
  const file = path.join(ROOT, "articles", relative);
  await mkdir(path.dirname(file), { recursive: true });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${body}</svg>`;
  await writeFile(file, await sharp(Buffer.from(svg)).jpeg({ quality: 82, mozjpeg: true }).toBuffer());
}
