import { BotError, UserInputError } from "../errors.js";
import type { MemberId } from "../platform/chat-platform.js";

/**
 * Handles: a short name every member has, unique in the network, so anyone
 * can name a peer on any platform (`@kim`, `sam-lee`). Lower-case letters,
 * digits and dashes, starting with a letter. Given at join (from the display
 * name, made unique with a number), changed with `/peer set handle`, released
 * when the member is forgotten. Implementations: Redis (`store/redis-handles.ts`),
 * which is also the member data section "handle" (export shows it, forget
 * releases it).
 */
export interface HandleStore {
  /** The member's handle, or null when they have none. */
  handleOf(id: MemberId): Promise<string | null>;
  /** The member a handle belongs to, or null. `handle` must already be normalised. */
  memberFor(handle: string): Promise<MemberId | null>;
  /**
   * Takes `handle` for the member, atomically, releasing the one they had.
   * False when someone else has it. Already theirs: true, nothing changes.
   */
  claim(id: MemberId, handle: string): Promise<boolean>;
  /**
   * For a member with no handle yet: takes the first of `candidates` nobody
   * has, atomically. Returns the member's handle afterwards (the one they
   * already had, if any), or null when every candidate is taken.
   */
  claimFirstFree(id: MemberId, candidates: readonly string[]): Promise<string | null>;
}

export const HANDLE_MIN = 2;
export const HANDLE_MAX = 24;
const HANDLE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const HANDLE_EXAMPLE = "/peer set handle sam-lee";

/** True when `value` is a well-formed handle (no `@`). */
export function isHandle(value: string): boolean {
  return value.length >= HANDLE_MIN && value.length <= HANDLE_MAX && HANDLE.test(value);
}

/** A handle as typed (`@Kim`, `kim`) in its stored form (`kim`); refuses anything that can't be one. */
export function parseHandle(raw: string): string {
  const typed = raw.trim();
  const handle = typed.replace(/^@/, "").toLowerCase();
  if (isHandle(handle)) return handle;
  const problem =
    handle.length > HANDLE_MAX
      ? `"${typed}" is longer than ${HANDLE_MAX} characters.`
      : `"${typed}" can't be a handle.`;
  throw new UserInputError(
    `${problem} A handle is ${HANDLE_MIN} to ${HANDLE_MAX} lower-case letters, digits and dashes, starting with a letter — like kim or sam-lee.`,
    HANDLE_EXAMPLE,
  );
}

/** The handle a display name suggests: `Kim Nguyen` → `kim-nguyen`, `José` → `jose`. */
export function handleFromName(displayName: string): string {
  const words = displayName
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  let handle = /^[a-z]/.test(words) ? words : `peer${words ? `-${words}` : ""}`;
  // Room for a number on the end ("kim-nguyen12"), cut at a dash where there is one.
  const room = HANDLE_MAX - 3;
  if (handle.length > room) {
    const cut = handle.slice(0, room);
    // Whole words where the name has several; a single long word is simply cut.
    handle = (handle[room] === "-" ? cut : cut.replace(/-[^-]*$/, "")).replace(/-+$/, "");
  }
  return handle.length >= HANDLE_MIN ? handle : `peer-${handle}`;
}

/** `kim`, then `kim2` … `kim99`. */
export function handleCandidates(base: string): string[] {
  const candidates = [base];
  for (let n = 2; n < 100; n++) candidates.push(`${base}${n}`);
  return candidates.filter(isHandle);
}

/**
 * Makes sure the member has a handle, giving them one from their display
 * name if they have none (members who joined before handles existed get
 * theirs the first time it is needed). Returns it.
 */
export async function ensureHandle(store: HandleStore, id: MemberId, displayName: string): Promise<string> {
  const existing = await store.handleOf(id);
  if (existing) return existing;
  const base = handleFromName(displayName);
  const given =
    (await store.claimFirstFree(id, handleCandidates(base))) ??
    (await store.claimFirstFree(
      id,
      Array.from({ length: 20 }, () => `${base}${100 + Math.floor(Math.random() * 9900)}`),
    ));
  if (!given) throw new BotError("STORE_FAILED", "no free handle could be found");
  return given;
}
