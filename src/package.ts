import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder that holds Broadsheet's `src/` and `layouts/`: the repository when it runs from
 * source (tests, benches), `dist/` in the package, where the compiled code keeps the same shape.
 */
export const CODE_ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The stylesheet, search script and other files every site gets under `/assets/`. */
export const ASSETS_DIR = path.join(CODE_ROOT, "layouts", "assets");
/** Where in the site they go. */
export const ASSETS_FOLDER = "assets";

/** Whether a file of ASSETS_DIR goes into the site: all but the type declarations that sit beside the scripts for the compiler. */
export function isPublishedAsset(file: string): boolean {
  return !file.endsWith(".d.ts");
}

/** The folder Broadsheet is installed in: the nearest one above this module with its package.json. */
export const PACKAGE_ROOT = findPackageRoot(path.resolve(CODE_ROOT));

/** Broadsheet's version, as its package.json says. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

function findPackageRoot(from: string): string {
  for (let folder = from; ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, "package.json"))) return folder;
    if (path.dirname(folder) === folder) throw new Error(`Broadsheet's package.json was not found above ${from}; reinstall Broadsheet.`);
  }
}
