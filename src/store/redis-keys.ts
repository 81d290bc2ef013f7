import type { MemberId } from "../platform/chat-platform.js";

/**
 * Every Redis key the core uses, under one configurable prefix. Keys that
 * hold data about one member all start with `memberRoot(id)`, so forgetting
 * a member can find them all.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  memberRoot(id: MemberId): string {
    return `${this.prefix}member:${id}`;
  }

  member(id: MemberId): string {
    return this.memberRoot(id);
  }

  /** A sub-key owned by one member, e.g. `journal`. */
  memberPart(id: MemberId, part: string): string {
    return `${this.memberRoot(id)}:${part}`;
  }

  members(): string {
    return `${this.prefix}members`;
  }

  global(name: string): string {
    return `${this.prefix}${name}`;
  }
}

/** Escapes Redis glob characters so an id can sit inside a SCAN pattern. */
export function escapeGlob(value: string): string {
  return value.replace(/[*?[\]\\]/g, "\\$&");
}
