import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  return [
    ...text.matchAll(/(?:import|export)[^"'`;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g),
  ].map((match) => match[1] ?? match[2] ?? "");
}

const production = (dir: string) => sourceFiles(dir).filter((file) => !file.endsWith(".test.ts"));

describe("architecture", () => {
  it("finds the files it checks", () => {
    expect(production("src").length).toBeGreaterThan(10);
  });

  it("keeps platform SDKs and the queue library out of the core", () => {
    const leaks = sourceFiles("src").flatMap((file) =>
      imports(file)
        .filter((spec) => /^(@slack\/|discord\.js|@discordjs\/|bullmq)/.test(spec))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(leaks).toEqual([]);
  });

  it("points dependencies inward: the core imports no adapter, scheduler or entry point", () => {
    const outward = sourceFiles("src").flatMap((file) =>
      imports(file)
        .filter((spec) => /(^|\/)(adapters|scheduler|bin)\//.test(spec))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(outward).toEqual([]);
  });

  it("keeps adapters apart from one another", () => {
    const crossing = production("adapters").flatMap((file) => {
      const own = file.split("/")[1];
      return imports(file)
        .filter((spec) => /\.\.\/(local|slack|discord)\//.test(spec) && !spec.includes(`../${own}/`))
        .map((spec) => `${file} imports ${spec}`);
    });
    expect(crossing).toEqual([]);
  });

  it("reads the environment in the config module only", () => {
    const readers = [...production("src"), ...production("adapters"), ...production("bin")].filter(
      (file) =>
        file !== "src/config/config.ts" && readFileSync(join(root, file), "utf8").includes("process.env"),
    );
    expect(readers).toEqual([]);
  });

  it("writes to the console only at the entry point and in the terminal chat", () => {
    const talkers = production("src").filter((file) =>
      /console\.(log|error|warn|info)/.test(readFileSync(join(root, file), "utf8")),
    );
    expect(talkers).toEqual([]);
  });
});
