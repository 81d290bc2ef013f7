import { readFileSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { SourceTree } from "./rules.js";

const SOURCE = /\.[cm]?[jt]sx?$/;

/** Every TypeScript and JavaScript file under the given folders of `root`, keyed by `/`-separated path. */
export function readTree(root: string, folders: readonly string[]): SourceTree {
  const tree = new Map<string, string>();
  for (const folder of folders) {
    const entries = readdirSync(join(root, folder), { withFileTypes: true, recursive: true });
    for (const entry of entries) {
      if (!entry.isFile() || !SOURCE.test(entry.name)) continue;
      const path = join(entry.parentPath, entry.name);
      if (path.split(sep).includes("node_modules")) continue;
      tree.set(relative(root, path).split(sep).join("/"), readFileSync(path, "utf8"));
    }
  }
  return tree;
}
