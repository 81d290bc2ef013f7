import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { DateTime } from "luxon";
import { afterAll, describe, expect, it } from "vitest";
import { spawnNpmStart } from "../../test/helpers/npm-start.js";
import { TEST_REDIS_URL, createTestRedis } from "../../test/helpers/test-redis.js";

const testRedis = createTestRedis("local-checkins");
const dataDir = mkdtempSync(join(tmpdir(), "peer-bot-checkins-"));
const filesRuns: string[] = [];
let running: ChildProcessWithoutNullStreams | undefined;
afterAll(async () => {
  // A test that failed midway leaves the chat open: end its input, as a person would, then stop it.
  running?.stdin.end();
  if (running && running.exitCode === null) running.kill("SIGTERM");
  await testRedis.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  for (const dir of filesRuns) rmSync(dir, { recursive: true, force: true });
});

/** The longest to wait for something the bot prints (a safety net, not a measure of speed). */
const WAIT_MS = 30_000;

/**
 * `npm start` with no chat credentials, typed into a line at a time as a
 * newcomer would: each line is typed once what the previous one led to has
 * been printed.
 */
function startLocalChat() {
  const child = spawnNpmStart(testRedis.prefix, dataDir);
  running = child;
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
  };
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    wake();
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    wake();
  });
  // A line typed after the chat ended is reported by the wait for its answer, not as a crash here.
  child.stdin.on("error", () => {});
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  child.on("close", wake);

  /** Resolves with the first match of `pattern` printed from `from` on; fails (showing what was printed) if it never comes. */
  function waitFor(pattern: RegExp, from: number): Promise<RegExpExecArray> {
    const flags = pattern.flags.replace("g", "");
    const find = () => new RegExp(pattern.source, flags).exec(stdout.slice(from));
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found) {
          done();
          found.index += from;
          resolve(found);
        } else if (child.exitCode !== null) {
          done();
          reject(new Error(`npm start ended before printing ${pattern}:\n${stdout}\n${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`npm start never printed ${pattern}. It printed:\n${stdout.slice(from)}\n${stderr}`),
        );
      }, WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  }

  /**
   * Until the bot says (in its log file) that it has started: a person types after reading the screen,
   * by which time it has; a line typed at once would find the store still connecting.
   */
  async function started(): Promise<void> {
    const log = join(dataDir, "peer-bot.log");
    const until = Date.now() + WAIT_MS;
    while (!(existsSync(log) && readFileSync(log, "utf8").includes('"msg":"peer-bot started"'))) {
      if (child.exitCode !== null || Date.now() > until) {
        throw new Error(`npm start didn't start:\n${stdout}\n${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  return {
    started,
    stdout: () => stdout,
    stderr: () => stderr,
    closed,
    /** Types a line, then waits until `until` is printed after it; returns what was printed meanwhile. */
    async type(line: string, until: RegExp): Promise<{ printed: string; match: RegExpExecArray }> {
      const from = stdout.length;
      child.stdin.write(`${line}\n`);
      const match = await waitFor(until, from);
      return { printed: stdout.slice(from), match };
    },
    waitFor,
    end() {
      child.stdin.end();
    },
  };
}

/** A message's number, from its printed heading: `bot → sam (#12): …`. */
const numberOf = (match: RegExpExecArray) => Number(match[1]);
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A message the bot sent `to` (a name, or `#room`) whose first line contains `text`: group 1 is its number. */
const message = (to: string, text: string) =>
  new RegExp(`bot → ${escaped(to)} \\(#(\\d+)\\): [^\\n]*${escaped(text)}`);

const WEEKDAY_WORDS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/**
 * The day a newcomer would pick for the first session: the first Tuesday to
 * Friday at least two days from today (so the day-before reminder, on the
 * working day before, is still ahead). Its word for the command, and its date.
 */
function sessionDay(zone: string): { word: string; date: DateTime } {
  const today = DateTime.now().setZone(zone).startOf("day");
  for (let ahead = 2; ; ahead++) {
    const date = today.plus({ days: ahead });
    if (date.weekday >= 2 && date.weekday <= 5)
      return { word: WEEKDAY_WORDS[date.weekday - 1] as string, date };
  }
}

/** Where the `📎 name → path` line for a file ending in `extension` says it was written. */
function attached(printed: string, extension: string): string {
  const found = new RegExp(`📎 (\\S+\\.${extension}) → (.+)`).exec(printed);
  if (!found) throw new Error(`no 📎 .${extension} file in:\n${printed}`);
  return found[2] as string;
}

describe("co-supervision check-ins in the local chat", () => {
  it("/clock lets a newcomer watch a session's invitation, reminders, agenda and follow-up happen", async () => {
    const chat = startLocalChat();
    await chat.started();
    const { word: day, date } = sessionDay("Europe/London");
    // 10:00 in London is 11:00 in Berlin, on the same day.
    const sessionDate = date.toISODate() as string;

    // alex (London) and sam (Berlin) join, with only check-ins to hear about: no tips, no prompts.
    await chat.type(
      "/peer join region:Leeds tz:Europe/London days:mon-fri hours:08:00-18:00",
      /Before I store anything/,
    );
    await chat.type("yes", /Your handle is @alex/);
    await chat.type("/peer set tips off", /Self-care tips: off/);
    await chat.type("/peer set prompts off", /Reflective prompts: off/);
    await chat.type("/as sam", /You are now "sam"/);
    await chat.type(
      "/peer join region:Berlin tz:Europe/Berlin days:mon-fri hours:08:00-18:00",
      /Before I store anything/,
    );
    await chat.type("yes", /Your handle is @sam/);
    await chat.type("/peer set tips off", /Self-care tips: off/);
    await chat.type("/peer set prompts off", /Reflective prompts: off/);

    // alex invites @sam; sam sees the invitation in sam's own time, and accepts it by its number.
    await chat.type("/as alex", /You are now "alex"/);
    const story = chat.stdout().length;
    const proposed = await chat.type(
      `/peer checkin new @sam every 1w ${day} 10:00`,
      message("alex", "Invitations are on their way to sam"),
    );
    expect(proposed.printed).toContain("every week on ");
    const invitation = await chat.waitFor(
      message("sam", "alex would like to meet for peer co-supervision"),
      story,
    );
    expect(chat.stdout().slice(invitation.index)).toMatch(/^[^\n]*at 11:00 your time \(Europe\/Berlin\)/);
    await chat.type("/as sam", /You are now "sam"/);
    await chat.type(
      `/press ${numberOf(invitation)} Accept`,
      message("sam", "You're in, and with that the check-ins are on"),
    );
    await chat.waitFor(message("alex", "Your co-supervision check-ins with sam are on"), story);
    await chat.waitFor(message("sam", "Your co-supervision check-ins with alex are on"), story);
    const accepted = chat.stdout().length;
    expect(chat.stdout().slice(story)).not.toContain("Coming up:");

    // A day at a time until the day-before reminder comes (two to six days).
    const dayBefore = message("sam", "Coming up: your co-supervision check-in with alex");
    let reminder: RegExpExecArray | null = null;
    for (let days = 1; days <= 6 && !reminder; days++) {
      await chat.type("/clock +1d", /Bot time is now/);
      reminder = dayBefore.exec(chat.stdout().slice(accepted));
    }
    if (!reminder)
      throw new Error(`no day-before reminder after six days:\n${chat.stdout().slice(accepted)}`);
    const afterDayBefore = chat.stdout().slice(accepted);
    expect(afterDayBefore).toMatch(message("alex", "Coming up: your co-supervision check-in with sam"));
    // The "who's coming" post goes up in the check-in's room at the same moment (a day before), in
    // the same move of the clock; it and the reminders are due together, so either may print first.
    const step = afterDayBefore.lastIndexOf("Moving the bot's clock forward 1 day…");
    const room = /Room "([\w-]+)" \(Co-supervision check-in: alex, sam\) opened for alex, sam\n/.exec(
      afterDayBefore,
    );
    expect(room?.[1]).toBe("co-supervision-check-in-alex-sam");
    const tally = message("#co-supervision-check-in-alex-sam", "Next check-in:").exec(afterDayBefore);
    if (!room || !tally) throw new Error(`no "who's coming" post in a room:\n${afterDayBefore}`);
    expect(room.index).toBeGreaterThan(step);
    expect(tally.index).toBeGreaterThan(room.index);
    expect(afterDayBefore.slice(tally.index)).toMatch(
      /^[^\n]*\n {2}Coming: —\n {2}Can't make it: —\n {2}Not answered yet: alex, sam\n/,
    );

    // sam says they'll be there: the "who's coming" post is edited in place.
    const coming = await chat.type(
      `/press ${reminder[1]} I'll be there`,
      message("sam", "Lovely — see you there."),
    );
    expect(coming.printed).toMatch(
      new RegExp(
        `bot → #co-supervision-check-in-alex-sam \\(edited #${tally[1]}\\): Next check-in:[^\\n]*\\n  Coming: sam\\n  Can't make it: —\\n  Not answered yet: alex\\n`,
      ),
    );

    // Two more days: the 15-minute reminder, the agenda in the room, then "did it happen?", in that order.
    await chat.type("/clock +2d", /Bot time is now/);
    const printed = chat.stdout().slice(accepted);
    const soon = message("sam", "Your check-in with alex starts in 15 minutes").exec(printed);
    const agenda =
      /bot → #co-supervision-check-in-alex-sam \(#\d+\): Check-in time\.[^\n]*\n {2}Facilitating today: alex /.exec(
        printed,
      );
    const after = message("sam", "— did it happen?").exec(printed);
    if (!soon || !agenda || !after) throw new Error(`not all of the session happened:\n${printed}`);
    expect(soon.index).toBeGreaterThan(Math.max(reminder.index, tally.index));
    expect(agenda.index).toBeGreaterThan(soon.index);
    expect(after.index).toBeGreaterThan(agenda.index);
    expect(printed.slice(agenda.index)).toMatch(message("alex", "— did it happen?"));

    // sam answers the follow-up: yes, 60 minutes, and a take-away.
    await chat.type(`/press ${numberOf(after)} Yes`, message("sam", "How long did it run?"));
    await chat.type("60", message("sam", "a line on what you take away from it"));
    await chat.type("Naming the hard part out loud helped", message("sam", "Kept, encrypted"));

    // The record: a CSV and a printable page, written to disk.
    const log = await chat.type("/peer supervision log", /📎 [^\n]*\.html → [^\n]+\n/);
    expect(log.printed).toMatch(
      message("sam", "Your co-supervision record: 1 session held, 1 hour, 0 facilitated by you."),
    );
    const csvPath = attached(log.printed, "csv");
    const htmlPath = attached(log.printed, "html");
    // This run's folder of files, under the machine's temp folder: removed afterwards.
    expect(relative(join(tmpdir(), "peer-bot-files"), csvPath)).toMatch(/^[\w-]+\/\d+-sam\/[^/]+\.csv$/);
    filesRuns.push(dirname(dirname(csvPath)));
    const csv = readFileSync(csvPath, "utf8");
    expect(csv).toContain(`${sessionDate},11:00,Yes,60,No,alex,Naming the hard part out loud helped\r\n`);
    expect(csv).toContain("Total,,1 session held,1 hour,0 facilitated");
    expect(readFileSync(htmlPath, "utf8")).toContain("Naming the hard part out loud helped");

    chat.end();
    expect(await chat.closed).toBe(0);
    expect(chat.stderr()).toBe("");
  }, 120_000);
});
