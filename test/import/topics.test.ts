import { describe, expect, test } from "vitest";
import { archiveTopics, topicFinder } from "../../src/import/topics.ts";
import { source } from "../helpers/articles.ts";

describe("archiveTopics", () => {
  test("one name per topic, in its most used spelling", () => {
    const sources = [source("a.md", "title: A\nauthor: X Y\ndate: 2024-01-01\ntopics: [City Hall, housing]"), source("b.md", "title: B\nauthor: X Y\ndate: 2024-01-02\ntopics: [city-hall, City Hall]")];
    expect(archiveTopics(sources)).toEqual(["City Hall", "housing"]);
  });
});

describe("topicFinder", () => {
  const find = topicFinder(["City Hall", "Housing", "AI", "C++"]);

  test("finds topics as whole words, in any case, across spaces and hyphens", () => {
    expect(find("The city-hall vote on HOUSING.")).toEqual(["City Hall", "Housing"]);
  });

  test("a topic inside a longer word is not found", () => {
    expect(find("Rainfall and maintenance; the houses")).toEqual([]);
  });

  test("names with symbols are matched literally", () => {
    expect(find("Written in C++ by AI.")).toEqual(["AI", "C++"]);
  });

  test("no topics finds nothing", () => {
    expect(topicFinder([])("Housing")).toEqual([]);
  });
});
