import { createHash } from "node:crypto";
import { readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ContentHashes } from "../../src/archive/content-hashes.ts";

let scratch: string;
let memo: string;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const remembered = () => (JSON.parse(readFileSync(memo, "utf8")) as { files: Record<string, { hash: string }> }).files;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-hashes-"));
  memo = path.join(scratch, "cache", "file-hashes.json");
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("content hashes remembered between builds", () => {
  test("a file unchanged since it was hashed is not read again; one rewritten is, even with its old size and modification time", async () => {
    const picture = path.join(scratch, "boats.jpg");
    writeFileSync(picture, "first bytes");
    // The file's status must settle before it is remembered (see SETTLED_NANOSECONDS).
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const first = new ContentHashes(memo);
    expect(first.hash(picture)).toEqual({ hash: sha256("first bytes"), bytes: 11 });
    first.save();
    expect(remembered()[picture]?.hash).toBe(sha256("first bytes"));

    // What is remembered is what is used: changed by hand here, it shows that the file was not read.
    const kept = JSON.parse(readFileSync(memo, "utf8"));
    kept.files[picture].hash = "remembered";
    writeFileSync(memo, JSON.stringify(kept));
    expect(new ContentHashes(memo).hash(picture).hash).toBe("remembered");

    // Same size, modification time set back as `cp -p` or `touch -d` would: the change time moved.
    const { atime, mtime } = statSync(picture);
    writeFileSync(picture, "other bytes");
    utimesSync(picture, atime, mtime);
    expect(new ContentHashes(memo).hash(picture).hash).toBe(sha256("other bytes"));
  });

  test("a file written a moment ago is hashed but not remembered; one this build did not use is kept while it exists", async () => {
    const fresh = path.join(scratch, "fresh.jpg");
    writeFileSync(fresh, "just written");
    const hashes = new ContentHashes(memo);
    expect(hashes.hash(fresh).hash).toBe(sha256("just written"));
    hashes.save();
    // boats.jpg, of the test before, belongs to another archive built with the same cache.
    expect(Object.keys(remembered())).toEqual([path.join(scratch, "boats.jpg")]);
    await rm(path.join(scratch, "boats.jpg"));
    new ContentHashes(memo).save();
    expect(Object.keys(remembered())).toEqual([]);
  });

  test("without a file to keep them in, every file is read and hashed", () => {
    const picture = path.join(scratch, "plain.jpg");
    writeFileSync(picture, "plain");
    const hashes = new ContentHashes();
    expect(hashes.hash(picture)).toEqual({ hash: sha256("plain"), bytes: 5 });
    hashes.save();
  });
});
