import { describe, expect, test } from "vitest";
import { dateFromFileName, readDateLine } from "../../src/import/clipping-date.ts";

describe("readDateLine", () => {
  test.each([
    ["Tue 14 May 2024 09.30 BST", "2024-05-14T09:30:00+01:00"],
    ["Tuesday 14 May 2024", "2024-05-14"],
    ["14 May 2024", "2024-05-14"],
    ["14th May 2024 09:30", "2024-05-14T09:30:00"],
    ["2024-05-14", "2024-05-14"],
    ["2024-05-14T09:30:00+02:00", "2024-05-14T09:30:00+02:00"],
    ["May 14, 2024", "2024-05-14"],
    ["Published: March 5, 2024 at 4:15 pm EST", "2024-03-05T16:15:00-05:00"],
    ["First published on Sun 1 Dec 2019 12.00 GMT", "2019-12-01T12:00:00+00:00"],
    ["Sept 3 2023", "2023-09-03"],
  ])("%s is %s", (line, date) => {
    expect(readDateLine(line)).toEqual({ date, kind: "published" });
  });

  test("a last-modified line is an update", () => {
    expect(readDateLine("Last modified on Wed 15 May 2024 10.00 BST")).toEqual({ date: "2024-05-15T10:00:00+01:00", kind: "updated" });
  });

  test("a zone nobody can place leaves the time in the site's zone", () => {
    expect(readDateLine("14 May 2024 09:30 XYZ")?.date).toBe("2024-05-14T09:30:00");
  });

  test.each(["31 February 2024", "14 Mayor 2024", "The vote on 14 May 2024 was close", "2024", "Show image", "13 pm"])("%s is not a date line", (line) => {
    expect(readDateLine(line)).toBeUndefined();
  });
});

describe("dateFromFileName", () => {
  test("a file name that starts with a date gives it", () => {
    expect(dateFromFileName("2024-05-14-council-tower.txt")).toBe("2024-05-14");
    expect(dateFromFileName("2024-05-14.txt")).toBe("2024-05-14");
  });

  test("an impossible or missing date gives none", () => {
    expect(dateFromFileName("2024-02-30-tower.txt")).toBeUndefined();
    expect(dateFromFileName("council-tower-2024-05-14.txt")).toBeUndefined();
  });
});
