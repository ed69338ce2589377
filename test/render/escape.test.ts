import { XMLParser } from "fast-xml-parser";
import { describe, expect, test } from "vitest";
import { escapeAttribute, escapeText } from "../../src/render/escape.ts";

describe("escaping for HTML and XML", () => {
  test("markup characters are escaped, and quotes in attributes", () => {
    expect(escapeText(`a < b & c > "d"`)).toBe(`a &lt; b &amp; c &gt; "d"`);
    expect(escapeAttribute(`say "hi" <now>`)).toBe("say &quot;hi&quot; &lt;now&gt;");
  });

  test("control characters XML forbids are dropped, so a feed with one in a title stays well-formed", () => {
    const title = "Budget\u0001 vote\u000B\u001F tonight\uFFFF";
    const xml = `<?xml version="1.0"?><feed><title type="html">${escapeText(escapeText(title))}</title></feed>`;
    expect(new XMLParser().parse(xml).feed.title).toBe("Budget vote tonight");
    // Tab, line feed and carriage return are allowed and kept.
    expect(escapeText("a\tb\nc\rd")).toBe("a\tb\nc\rd");
  });
});
