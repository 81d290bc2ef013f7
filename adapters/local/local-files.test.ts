import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { BotError } from "../../src/errors.js";
import { type OutboundFile, dmWith } from "../../src/platform/chat-platform.js";
import { createLocalAdapter, safeFileName } from "./local-adapter.js";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function adapterWithScreen(filesDir?: string) {
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk) => {
    printed += chunk.toString();
  });
  const adapter = createLocalAdapter({
    input: new PassThrough(),
    output,
    ...(filesDir !== undefined ? { filesDir } : {}),
  });
  return { adapter, screen: () => printed };
}

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "peer-bot-local-files-"));
  made.push(dir);
  return dir;
}

/** The `📎 name → path` lines on the screen. */
function attached(printed: string): Array<{ name: string; path: string }> {
  return [...printed.matchAll(/^ {2}📎 (.+) → (.+)$/gm)].map((m) => ({ name: m[1] ?? "", path: m[2] ?? "" }));
}

const ics: OutboundFile = {
  name: "check-ins.ics",
  contentType: "text/calendar",
  content: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
};
const csv: OutboundFile = {
  name: "record.csv",
  contentType: "text/csv",
  content: "date,note\n2026-03-02,Zoë ✓\n",
};

describe("local terminal chat: files sent with a message", () => {
  it("writes each file under its own post's folder and shows it under the text, before the buttons", async () => {
    const dir = scratch();
    const { adapter, screen } = adapterWithScreen(dir);
    const ref = await adapter.post(dmWith("local:sam"), {
      text: "Your check-ins",
      buttons: [{ id: "ok", label: "Thanks" }],
      files: [ics, csv],
    });
    expect(ref.id).toBe("1");
    const files = attached(screen());
    expect(files.map((f) => f.name)).toEqual(["check-ins.ics", "record.csv"]);
    expect(files.map((f) => relative(dir, f.path))).toEqual([
      join("1-sam", "check-ins.ics"),
      join("1-sam", "record.csv"),
    ]);
    expect(files.map((f) => readFileSync(f.path, "utf8"))).toEqual([ics.content, csv.content]);
    // Only the owner can read a member's record.
    expect(statSync(files[0]?.path ?? "").mode & 0o777).toBe(0o600);
    expect(statSync(dirname(files[0]?.path ?? "")).mode & 0o777).toBe(0o700);
    expect(screen()).toBe(
      [
        "bot → sam (#1): Your check-ins",
        `  📎 check-ins.ics → ${files[0]?.path}`,
        `  📎 record.csv → ${files[1]?.path}`,
        "  [1] Thanks",
        "",
      ].join("\n"),
    );
  });

  it("keeps the numbering, and an edit neither shows nor writes files again", async () => {
    const dir = scratch();
    const { adapter, screen } = adapterWithScreen(dir);
    const first = await adapter.post(dmWith("local:sam"), { text: "one" });
    const second = await adapter.post(dmWith("local:sam"), { text: "two", files: [ics] });
    const third = await adapter.post(dmWith("local:sam"), { text: "three" });
    expect([first.id, second.id, third.id]).toEqual(["1", "2", "3"]);
    await adapter.edit(second, { text: "two, edited", files: [csv] });
    expect(screen()).toContain("bot → sam (edited #2): two, edited\n");
    expect(attached(screen())).toHaveLength(1);
    expect(readdirSync(dir)).toEqual(["2-sam"]);
    expect(readdirSync(join(dir, "2-sam"))).toEqual(["check-ins.ics"]);
  });

  it("posts files into a room too, in a folder named after the room", async () => {
    const dir = scratch();
    const { adapter, screen } = adapterWithScreen(dir);
    const room = await adapter.openGroup(["local:a", "local:b"], "Peer circle: Tuesdays");
    await adapter.post(room, { text: "Agenda", files: [csv] });
    const [file] = attached(screen());
    expect(relative(dir, file?.path ?? "")).toBe(join("1-peer-circle-tuesdays", "record.csv"));
    expect(screen()).toContain("bot → #peer-circle-tuesdays (#1): Agenda\n  📎 record.csv → ");
  });

  it("never writes outside its folder, whatever the file is called", async () => {
    const dir = scratch();
    const { adapter, screen } = adapterWithScreen(dir);
    const names = [
      "../../escape.csv",
      "..\\..\\evil.ics",
      "/etc/passwd",
      ".hidden",
      "a\nb\u0007.txt",
      "..",
      "",
    ];
    await adapter.post(dmWith("local:sam"), {
      text: "files",
      files: names.map((name) => ({ name, contentType: "text/plain", content: `content of ${name}` })),
    });
    const files = attached(screen());
    expect(files.map((f) => f.name)).toEqual([
      "_.._escape.csv",
      "_.._evil.ics",
      "_etc_passwd",
      "hidden",
      "ab.txt",
      "file",
      "file (2)",
    ]);
    for (const [i, file] of files.entries()) {
      expect(dirname(file.path)).toBe(join(dir, "1-sam"));
      expect(readFileSync(file.path, "utf8")).toBe(`content of ${names[i]}`);
    }
    expect(existsSync(join(dir, "escape.csv"))).toBe(false);
    expect(
      screen()
        .split("\n")
        .filter((line) => line.startsWith("  📎")),
    ).toHaveLength(names.length);
  });

  it("gives a second file of the same name a number, and never writes through a link left in its place", async () => {
    const dir = scratch();
    const outside = join(scratch(), "target.txt");
    // A folder left from an earlier run with the same numbering, holding a link where the file would go.
    mkdirSync(join(dir, "1-sam"));
    symlinkSync(outside, join(dir, "1-sam", "check-ins.ics"));
    const { adapter, screen } = adapterWithScreen(dir);
    await adapter.post(dmWith("local:sam"), { text: "twice", files: [ics, ics] });
    expect(attached(screen()).map((f) => f.name)).toEqual(["check-ins (2).ics", "check-ins (3).ics"]);
    expect(existsSync(outside)).toBe(false);
  });

  it("fails the post, showing nothing, when a file can't be written", async () => {
    const dir = scratch();
    // A file where the folder would go.
    const blocked = join(dir, "not-a-folder");
    writeFileSync(blocked, "x");
    const { adapter, screen } = adapterWithScreen(blocked);
    const error = await adapter
      .post(dmWith("local:sam"), { text: "x", files: [ics] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BotError);
    expect((error as BotError).code).toBe("PLATFORM_FAILED");
    expect(screen()).toBe("");
    // The number it would have had goes to the next post.
    expect((await adapter.post(dmWith("local:sam"), { text: "y" })).id).toBe("1");
  });

  it("by default writes under the temp folder, in a folder for this run", async () => {
    const { adapter, screen } = adapterWithScreen();
    const other = adapterWithScreen();
    made.push(adapter.filesDir, other.adapter.filesDir);
    expect(dirname(adapter.filesDir)).toBe(join(tmpdir(), "peer-bot-files"));
    expect(other.adapter.filesDir).not.toBe(adapter.filesDir);
    // Nothing is made until a file is sent.
    expect(existsSync(adapter.filesDir)).toBe(false);
    await adapter.post(dmWith("local:alex"), { text: "here", files: [csv] });
    const [file] = attached(screen());
    expect(file?.path).toBe(join(adapter.filesDir, "1-alex", "record.csv"));
    expect(file?.path.startsWith(join(tmpdir(), "peer-bot-files") + sep)).toBe(true);
    expect(readFileSync(file?.path ?? "", "utf8")).toBe(csv.content);
  });

  it("makes names safe: no separators, control characters or leading dots; long names keep their extension", () => {
    expect(safeFileName("check-ins.ics")).toBe("check-ins.ics");
    expect(safeFileName("Zoë's record.html")).toBe("Zoë's record.html");
    expect(safeFileName('a/b\\c:d*e?f"g<h>i|j.csv')).toBe("a_b_c_d_e_f_g_h_i_j.csv");
    expect(safeFileName("...")).toBe("file");
    expect(safeFileName("name.\u202e")).toBe("name");
    const long = safeFileName(`${"x".repeat(300)}.html`);
    expect(long).toHaveLength(100);
    expect(long.endsWith(".html")).toBe(true);
  });
});
