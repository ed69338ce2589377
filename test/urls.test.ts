import { describe, expect, test } from "vitest";
import { absoluteUrl } from "../src/urls.ts";

describe("absoluteUrl", () => {
  // The plain paths are joined without parsing; every path must come out as the URL parser writes it.
  const paths = ["/", "2019/05/a-slug/", "topics/ü/", "a b/", "a/./b/", "a/../b/", "x%20y/", "q?x=1", "f#part", "a\\b", "it's/(1)/", "feed.xml", "a//b", "~x/", "*x+y,z;=w!$&/"];
  test.each(["https://news.example.org", "https://News.Example.ORG:443", "http://localhost:8080"])("from %s, as the URL parser writes it", (baseUrl) => {
    for (const basePath of ["/", "/archive/"]) {
      for (const url of paths) expect(absoluteUrl({ baseUrl, basePath }, url)).toBe(new URL(basePath + url.replace(/^\//, ""), baseUrl).href);
    }
  });

  test("puts the base path between the host and the page", () => {
    expect(absoluteUrl({ baseUrl: "https://news.example.org", basePath: "/gazette/" }, "/2019/05/a-slug/")).toBe("https://news.example.org/gazette/2019/05/a-slug/");
  });
});
