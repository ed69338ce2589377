import { describe, expect, test } from "vitest";
import { parseClipping, readByline } from "../../src/import/clipping.ts";

/** A clipping from its parts, one blank line between each. */
function clipping(...parts: string[]): string {
  return `${parts.join("\n\n")}\n`;
}

describe("parseClipping: the parts", () => {
  test("byline, headline, standfirst and body, with leftovers above dropped", () => {
    const result = parseClipping(clipping("Show image", "A caption.\nPhotograph: A. Snapper", "By Jane Doe", "Budget approved", "The council passed it.", "First paragraph.", "Second paragraph."));
    expect(result).toEqual({
      clipping: { title: "Budget approved", authors: ["Jane Doe"], summary: "The council passed it.", body: "First paragraph.\n\nSecond paragraph.\n", date: undefined, updated: undefined },
    });
  });

  test("wrapped lines of a paragraph, headline and standfirst are joined", () => {
    const result = parseClipping(clipping("Jane Doe", "A headline that\nwraps", "A standfirst\nthat wraps.", "Body that\nwraps over\nthree lines."));
    expect(result.clipping).toMatchObject({ title: "A headline that wraps", summary: "A standfirst that wraps.", body: "Body that wraps over three lines.\n" });
  });

  test("Windows line endings, non-breaking spaces and runs of blank lines are all the same", () => {
    const result = parseClipping("By Jane\u00A0Doe\r\n\r\n\r\n\r\nHeadline\r\n\r\nStandfirst.\r\n\r\n\r\nBody.\r\n");
    expect(result.clipping).toMatchObject({ title: "Headline", authors: ["Jane Doe"], summary: "Standfirst.", body: "Body.\n" });
  });

  test("a date line anywhere is taken out and kept as the date; a last-modified line as the update", () => {
    const result = parseClipping(clipping("Jane Doe", "Headline", "Standfirst.", "Tue 14 May 2024 09.30 BST\nLast modified on Wed 15 May 2024 10.00 BST", "Body."));
    expect(result.clipping).toMatchObject({ date: "2024-05-14T09:30:00+01:00", updated: "2024-05-15T10:00:00+01:00", body: "Body.\n" });
  });

  test("with only one part after the headline, it is the body and there is no summary", () => {
    expect(parseClipping(clipping("Jane Doe", "Headline", "The only paragraph.")).clipping).toMatchObject({ summary: undefined, body: "The only paragraph.\n" });
  });

  test("a picture in the body, with its caption and credit, is dropped", () => {
    const result = parseClipping(clipping("Jane Doe", "Headline", "Standfirst.", "One.", "Show image", "A caption", "Photograph: A. Snapper", "Two."));
    expect(result.clipping?.body).toBe("One.\n\nTwo.\n");
  });
});

describe("parseClipping: quotations and lists stay as written", () => {
  test("curly quotes are kept", () => {
    const result = parseClipping(clipping("Jane Doe", "Headline", "Standfirst.", "“We were never asked,” she said.\n“Never.”"));
    expect(result.clipping?.body).toBe("“We were never asked,” she said. “Never.”\n");
  });

  test("a list keeps one item a line; a wrapped item is joined; bullets become dashes", () => {
    const result = parseClipping(clipping("Jane Doe", "Headline", "Standfirst.", "Three things:\n• one,\n• two, which\n  wraps,\n• three."));
    expect(result.clipping?.body).toBe("Three things:\n\n- one,\n- two, which wraps,\n- three.\n");
  });

  test("a numbered list keeps its numbers", () => {
    expect(parseClipping(clipping("Jane Doe", "Headline", "Standfirst.", "1) first\n2) second")).clipping?.body).toBe("1. first\n2. second\n");
  });

  test("a quotation written with > stays a quotation", () => {
    expect(parseClipping(clipping("Jane Doe", "Headline", "Standfirst.", "> Quoted text\n> that wraps.")).clipping?.body).toBe("> Quoted text that wraps.\n");
  });

  test("text that Markdown would read as a heading or a list is escaped", () => {
    const result = parseClipping(clipping("Jane Doe", "Headline", "Standfirst.", "# not a heading", "1984. A year.", "#1 stays"));
    expect(result.clipping?.body).toBe("\\# not a heading\n\n1984\\. A year.\n\n#1 stays\n");
  });
});

describe("parseClipping: doubts and hints", () => {
  test("no byline is a doubt", () => {
    expect(parseClipping(clipping("Headline", "Standfirst.", "Body."))).toEqual({ doubt: { kind: "no-byline" } });
  });

  test("a title-case headline is not taken for a byline", () => {
    expect(parseClipping(clipping("Council Approves Budget", "The vote was close.", "Body."))).toEqual({ doubt: { kind: "no-byline" } });
  });

  test("--author settles a missing byline; recognised leftovers are still dropped", () => {
    const result = parseClipping(clipping("Show image", "Photograph: A. Snapper", "Headline", "Standfirst.", "Body."), { authors: ["Ann Lee"] });
    expect(result.clipping).toMatchObject({ title: "Headline", authors: ["Ann Lee"], summary: "Standfirst." });
  });

  test("two short lines after the byline are two candidate headlines", () => {
    expect(parseClipping(clipping("Jane Doe", "Exclusive", "Mayor to step down", "She will not stand again.", "Body."))).toEqual({
      doubt: { kind: "two-headlines", candidates: ["Exclusive", "Mayor to step down"] },
    });
  });

  test("--title naming the second candidate makes the first a dropped kicker", () => {
    const result = parseClipping(clipping("Jane Doe", "Exclusive", "Mayor to step down", "She will not stand again.", "Body."), { title: "Mayor to step down" });
    expect(result.clipping).toMatchObject({ title: "Mayor to step down", summary: "She will not stand again.", body: "Body.\n" });
  });

  test("--title naming the first candidate makes the second the standfirst", () => {
    const result = parseClipping(clipping("Jane Doe", "Mayor to step down", "She will not stand again", "Body.", "More."), { title: "Mayor to step down" });
    expect(result.clipping).toMatchObject({ title: "Mayor to step down", summary: "She will not stand again", body: "Body.\n\nMore.\n" });
  });

  test("nothing after the byline is a doubt", () => {
    expect(parseClipping(clipping("Show image", "By Jane Doe"))).toEqual({ doubt: { kind: "no-headline" } });
  });
});

describe("readByline", () => {
  test.each([
    ["By Jane Doe", ["Jane Doe"]],
    ["by jane doe", undefined],
    ["Jane Doe", ["Jane Doe"]],
    ["Jane Doe and John Smith", ["Jane Doe", "John Smith"]],
    ["By Ann Lee, Sam O'Neill and Tom Price", ["Ann Lee", "Sam O'Neill", "Tom Price"]],
    ["Ann Lee & Tom Price", ["Ann Lee", "Tom Price"]],
    ["Jane Doe, Business reporter", ["Jane Doe"]],
    ["By Jon Henley in Paris", ["Jon Henley"]],
    ["Ludwig van Beethoven", ["Ludwig van Beethoven"]],
    ["J. R. Hartley", ["J. R. Hartley"]],
    ["By Banksy", ["Banksy"]],
    ["Banksy", undefined],
    ["The vote was close.", undefined],
    ["Residents listen as the vote is read out", undefined],
    ["Agent 007", undefined],
  ])("%s", (line, names) => {
    expect(readByline(line)).toEqual(names);
  });
});
