import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Writes a deterministic synthetic archive of news-like articles for benchmarks: the same
 * count and seed give byte-identical files. Articles spread over 2009–2026, 1–4 topics each
 * from ~240 names with a few very common (Zipf-like, some non-ASCII or with symbols), 8% with
 * two authors, bodies of 300–1,200 words with headings, quotes, lists and links, and one
 * unique token `ref<N>` per article so that a search for it has exactly one right answer.
 */
export function writeSyntheticArchive(folder: string, count: number, seed = 1, { pictures = false }: { pictures?: boolean } = {}): string[] {
  const pictureFiles: string[] = [];
  const random = xorshift(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const zipf = <T>(list: readonly T[]): T => list[Math.min(list.length - 1, Math.floor(list.length * random() ** 3))]!;
  const sentence = (min: number, max: number) => {
    const text = Array.from({ length: min + Math.floor(random() * (max - min)) }, () => pick(WORDS)).join(" ");
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  };
  const paragraph = () => Array.from({ length: 2 + Math.floor(random() * 4) }, () => sentence(8, 24)).join(" ");
  const authors = Array.from({ length: 140 }, () => `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`);
  const topics = [...TOPICS, ...Array.from({ length: 240 - TOPICS.length }, (_, index) => `${pick(TOPICS)} ${pick(WORDS)} ${index}`)];

  const start = Date.UTC(2009, 0, 1);
  const span = Date.UTC(2026, 10, 1) - start;
  const slugs = new Set<string>();
  for (let index = 0; index < count; index++) {
    const date = new Date(start + Math.floor(random() * span));
    const title = sentence(5, 11).slice(0, -1);
    let slug = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
    while (slugs.has(slug)) slug += `-${index}`;
    slugs.add(slug);
    const byline = random() < 0.08 ? [pick(authors), pick(authors)] : [pick(authors)];
    const articleTopics = [...new Set(Array.from({ length: 1 + Math.floor(random() * 4) }, () => zipf(topics)))];
    const written = random() < 0.3 ? date.toISOString().slice(0, 10) : date.toISOString().replace(/\.\d+Z$/, "Z");
    const blocks: string[] = [];
    const paragraphs = 4 + Math.floor(random() * 10);
    for (let block = 0; block < paragraphs; block++) {
      const roll = random();
      if (block === 2) blocks.push(`${paragraph()} Reference ref${index} is cited here.`);
      else if (roll < 0.08) blocks.push(`## ${sentence(3, 7).slice(0, -1)}`);
      else if (roll < 0.14) blocks.push(`> “${sentence(10, 20)}”`);
      else if (roll < 0.19) blocks.push(Array.from({ length: 3 }, () => `- ${sentence(4, 9)}`).join("\n"));
      else if (roll < 0.23) blocks.push(`${sentence(6, 12)} [Read the ${pick(WORDS)} report](https://example.org/${pick(WORDS)}).`);
      else blocks.push(paragraph());
    }
    const frontMatter = [
      "---",
      `title: ${JSON.stringify(title)}`,
      byline.length > 1 ? `author:\n${byline.map((name) => `  - ${JSON.stringify(name)}`).join("\n")}` : `author: ${JSON.stringify(byline[0])}`,
      `date: ${written}`,
      `topics:\n${articleTopics.map((topic) => `  - ${JSON.stringify(topic)}`).join("\n")}`,
      `summary: ${JSON.stringify(sentence(12, 22))}`,
      ...(pictures ? [`image:\n  src: ${slug}/lead.jpg\n  alt: ${JSON.stringify(sentence(5, 10))}\n  caption: ${JSON.stringify(sentence(8, 14))}\n  credit: ${JSON.stringify(pick(authors))}`] : []),
      "---",
    ].join("\n");
    const monthFolder = path.join(folder, String(date.getUTCFullYear()), String(date.getUTCMonth() + 1).padStart(2, "0"));
    mkdirSync(monthFolder, { recursive: true });
    writeFileSync(path.join(monthFolder, `${slug}.md`), `${frontMatter}\n\n${blocks.join("\n\n")}\n`);
    if (pictures) pictureFiles.push(path.join(monthFolder, slug, "lead.jpg"));
  }
  return pictureFiles;
}

/** Width and height of each synthetic lead picture: a camera's photograph, larger than any encoding. */
export const SYNTHETIC_PICTURE = { width: 2400, height: 1600 };

/**
 * Writes a different photograph-like JPEG at each path: a drawn scene with grain, so that it
 * compresses as photographs do, and marked with its number, so that no two have the same bytes.
 */
export async function writeSyntheticPictures(files: readonly string[]): Promise<void> {
  const sharp = (await import("sharp")).default;
  const { width, height } = SYNTHETIC_PICTURE;
  const scene = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#5b7fa6"/><stop offset="1" stop-color="#f0c987"/></linearGradient></defs><rect width="${width}" height="${height}" fill="url(#s)"/><circle cx="1700" cy="600" r="220" fill="#ffe2a8"/><path d="M0 1000 Q600 850 1200 980 T2400 950 L2400 1600 L0 1600 Z" fill="#31553f"/><path d="M0 1250 Q800 1150 2400 1300 L2400 1600 L0 1600 Z" fill="#244a66"/></svg>`,
  );
  const grain = await sharp({ create: { width, height, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 18 } } }).raw().toBuffer();
  const base = await sharp(scene).composite([{ input: grain, raw: { width, height, channels: 3 }, blend: "overlay" }]).removeAlpha().raw().toBuffer();
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < files.length; index = next++) {
      const pixels = Buffer.from(base);
      // A band of pixels set from the picture's number: a different file, the same kind of picture.
      for (let bit = 0; bit < 20; bit++) pixels.fill((index >> bit) & 1 ? 250 : 5, (bit * 40) * 3, (bit * 40 + 40) * 3);
      mkdirSync(path.dirname(files[index]!), { recursive: true });
      await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toFile(files[index]!);
    }
  };
  await Promise.all([worker(), worker()]);
}

/** xorshift32: small, fast and the same everywhere. */
function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

const WORDS = `security service agency government minister policy technology data intelligence analysis
machine learning artificial network encryption private sector company start-up investment fund partner
director general deputy officer report warrant access court law review public privacy citizen right
surveillance threat attack cyber defence operation real time software platform message user account
cloud infrastructure research university talent skill shortage budget treasury parliament committee
inquiry evidence statement interview briefing press market growth revenue share price investor board
chief executive strategy plan election campaign vote poll region city council transport energy climate
health hospital patient doctor school teacher student exam housing rent property bank interest rate
inflation economy trade export import tariff supply chain factory worker union strike wage pension
benefit tax spending deficit debt bond currency football match season league club player coach transfer
stadium fan ticket final film music album tour festival gallery museum exhibition theatre author novel
book prize award science space mission rocket satellite launch planet telescope physics chemistry
biology genome vaccine trial drug medicine disease outbreak study result`.split(/\s+/);

const FIRST_NAMES = `Laurie Ken Andrew Priti Amira Tom Sophie Rahul Chen Olga Marcus Zoë Siobhán José Ngozi Hannah
Kwame Ingrid Mateus Aisha Daniel Fatima Piotr Yuki Grace Omar Freya Luca Eilidh Tariq`.split(/\s+/);

const LAST_NAMES = `Clarke McCallum Parker Patel Hassan Wright Okafor Nakamura Kowalski Dubois O'Brien García
Müller Lindqvist Mensah Shapiro Rossi Singh Ferreira Byrne MacLeod Novak Adeyemi Haddad Jensen Murphy
Petrova Costa Achterberg Evans`.split(/\s+/);

const TOPICS = `AI;Security;Privacy;Encryption;Government;Policy;Start-ups;Cloud;Cyber;Defence;Surveillance;
Data;Machine Learning;Telecoms;5G;Space;Health;Climate;Energy;Transport;Finance;Fintech;Crypto;Retail;
Media;Music;Film;Football;Education;Science;Research;Elections;Europe;China;US;India;Africa;Ethics;C++;
Node.js;.NET;Open Source;Société;Économie;Zürich;São Paulo;AI & Ethics;"Quoted" Topic;Robotics;Quantum;
Semiconductors;Gaming;Apps;Social Media;Regulation`
  .split(";")
  .map((topic) => topic.trim());
