import type { webApi } from "@slack/bolt";
import { BotError, RateLimitedError } from "../../src/errors.js";
import type { MemberId, OutboundFile } from "../../src/platform/chat-platform.js";
import { toPlatformError } from "./slack-errors.js";

/** A file whose bytes Slack has, not yet shared anywhere (nobody sees it). */
export interface UploadedFile {
  readonly id: string;
  readonly title: string;
}

/** How long the bytes of one file may take to go up. */
const UPLOAD_TIMEOUT_MS = 30_000;

/**
 * The first two steps of Slack's external upload, for each file in turn:
 * `files.getUploadURLExternal` with its name and length in bytes, then its
 * bytes POSTed (raw) to the upload URL Slack gave. The URL is pre-signed, so
 * the bot's token is not sent with the bytes. Nobody sees the files until
 * `shareFiles`. Failures are the core's errors, as for any Web API call.
 */
export async function uploadFiles(
  client: webApi.WebClient,
  files: readonly OutboundFile[],
  member?: MemberId,
): Promise<UploadedFile[]> {
  const uploaded: UploadedFile[] = [];
  for (const file of files) {
    const bytes = Buffer.from(file.content, "utf8");
    let target: webApi.FilesGetUploadURLExternalResponse;
    try {
      target = await client.files.getUploadURLExternal({ filename: file.name, length: bytes.length });
    } catch (error) {
      throw toPlatformError(error, "files.getUploadURLExternal", member);
    }
    if (!target.upload_url || !target.file_id) {
      throw new BotError("PLATFORM_FAILED", "slack files.getUploadURLExternal returned no upload URL");
    }
    await sendBytes(target.upload_url, bytes);
    uploaded.push({ id: target.file_id, title: file.name });
  }
  return uploaded;
}

/** The last step: `files.completeUploadExternal` shares the uploaded files into the channel (and thread). */
export async function shareFiles(
  client: webApi.WebClient,
  channel: string,
  files: readonly UploadedFile[],
  member?: MemberId,
  thread?: string,
): Promise<void> {
  const [first, ...rest] = files.map(({ id, title }) => ({ id, title }));
  if (!first) return;
  try {
    await client.files.completeUploadExternal({
      files: [first, ...rest],
      channel_id: channel,
      ...(thread ? { thread_ts: thread } : {}),
    });
  } catch (error) {
    throw toPlatformError(error, "files.completeUploadExternal", member);
  }
}

async function sendBytes(url: string, bytes: Buffer): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: bytes,
      redirect: "error",
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
  } catch (error) {
    throw new BotError("PLATFORM_FAILED", "slack file upload failed", { cause: error });
  }
  await response.body?.cancel();
  if (response.status === 429) {
    const seconds = Number(response.headers.get("retry-after") ?? "");
    throw new RateLimitedError("slack", (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000);
  }
  if (response.status !== 200) {
    throw new BotError("PLATFORM_FAILED", `slack file upload failed: HTTP ${response.status}`);
  }
}
