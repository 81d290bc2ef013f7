import type { MemberId } from "../platform/chat-platform.js";
import type { RotationState } from "./rotation.js";

/** The question a member has open: asked, and maybe part-answered. Ids only. */
export interface OpenPrompt {
  readonly questionId: string;
  /** 0: asked, waiting for the first answer; 1 and 2: the diary's follow-up steps. */
  readonly step: 0 | 1 | 2;
  readonly entryId?: string;
  readonly askedAt: number;
}

export interface MemberReflectionState extends RotationState {
  /** The next question should be a gentle one (after time away). */
  readonly gentle: boolean;
  /** The next question should be a light one (after a hard message). */
  readonly soft: boolean;
}

/** Rotation and conversation state, kept under each member's own keys. */
export interface ReflectionStateStore {
  load(member: MemberId): Promise<MemberReflectionState>;
  recordQuestion(
    member: MemberId,
    questionId: string,
    theme: string,
    resetIds: readonly string[],
  ): Promise<void>;
  recordTip(member: MemberId, tipId: string, reset: boolean): Promise<void>;
  getOpen(member: MemberId): Promise<OpenPrompt | null>;
  setOpen(member: MemberId, open: OpenPrompt): Promise<void>;
  /**
   * Replaces the open question only if it is still `expected` (same question,
   * step and time asked); false if another process changed or closed it first.
   * Use it to move a diary on a step, instead of `getOpen` then `setOpen`.
   */
  replaceOpen(member: MemberId, expected: OpenPrompt, next: OpenPrompt): Promise<boolean>;
  clearOpen(member: MemberId): Promise<void>;
  setGentle(member: MemberId, gentle: boolean): Promise<void>;
  setSoft(member: MemberId, soft: boolean): Promise<void>;
}
