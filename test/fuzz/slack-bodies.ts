import fc from "fast-check";
import { TEAM_ID } from "../helpers/slack-harness.js";
import {
  blockActionsPayload,
  commandPayload,
  messageImEvent,
  viewSubmissionPayload,
} from "../helpers/slack-requests.js";
import { nastyString, typedText } from "./generators.js";

/** A raw request body and its content type, as it would reach POST /slack/events. */
export interface RawBody {
  readonly body: string;
  readonly contentType: string;
}

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const asPayload = (value: unknown) => form({ payload: JSON.stringify(value) ?? "undefined" });

/** JSON values of every kind, `null`, arrays and numbers included, and now and then deep nesting. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(null, 0, -1, 1e308, true, false, "", "null", [], [null], {}, { type: null }),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 50, max: 3000 })
      .map((depth) => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`)),
  },
);

const actor = fc.record({
  teamId: fc.oneof(fc.constant(TEAM_ID), nastyString, fc.constant("T0OTHER")),
  userId: fc.oneof(fc.constant("U0FUZZ"), nastyString, fc.constant("W0ENTERPRISE")),
});

/** A field of a well-formed payload replaced, removed or given the wrong type. */
function mangle(value: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(value);
  return fc
    .tuple(fc.constantFrom(...keys), fc.oneof(anyJson, typedText, fc.constant(undefined)))
    .map(([key, replacement]) => {
      const copy: Record<string, unknown> = { ...value };
      if (replacement === undefined) delete copy[key];
      else copy[key] = replacement;
      return copy;
    });
}

const RESPONSE_URL = "http://127.0.0.1:9/never-used";

/** Shapes the adapter handles, built right and then (often) broken. */
const nearlyRight: fc.Arbitrary<RawBody> = fc.oneof(
  fc.tuple(actor, typedText).chain(([who, text]) => {
    const command = commandPayload(who, text, RESPONSE_URL) as unknown as Record<string, unknown>;
    return fc.oneof(fc.constant(command), mangle(command)).map((fields) => ({
      body: form(
        Object.fromEntries(
          Object.entries(fields).map(([key, value]) => [
            key,
            typeof value === "string" ? value : (JSON.stringify(value) ?? ""),
          ]),
        ),
      ),
      contentType: FORM,
    }));
  }),
  fc.tuple(actor, typedText).chain(([who, text]) => {
    const event = messageImEvent(who, text) as unknown as Record<string, unknown>;
    const inner = event.event as Record<string, unknown>;
    return fc
      .oneof(
        fc.constant(event),
        mangle(event),
        mangle(inner).map((mangled) => ({ ...event, event: mangled })),
      )
      .map((envelope) => ({ body: JSON.stringify(envelope), contentType: JSON_TYPE }));
  }),
  fc.tuple(actor, typedText).chain(([who, actionId]) => {
    const press = blockActionsPayload(who, { actionId, value: actionId }, RESPONSE_URL) as unknown as Record<
      string,
      unknown
    >;
    return fc
      .oneof(fc.constant(press), mangle(press))
      .map((payload) => ({ body: asPayload(payload), contentType: FORM }));
  }),
  fc.tuple(actor, typedText, typedText).chain(([who, callbackId, value]) => {
    const submit = viewSubmissionPayload(who, callbackId, { field: value }) as unknown as Record<
      string,
      unknown
    >;
    return fc
      .oneof(fc.constant(submit), mangle(submit))
      .map((payload) => ({ body: asPayload(payload), contentType: FORM }));
  }),
);

/** Bodies that are not what they claim, or nothing Slack would send. */
const malformed: fc.Arbitrary<RawBody> = fc.oneof(
  anyJson.map((value) => ({ body: JSON.stringify(value), contentType: JSON_TYPE })),
  anyJson.map((value) => ({ body: asPayload(value), contentType: FORM })),
  fc.string({ unit: "binary", maxLength: 200 }).map((body) => ({ body, contentType: JSON_TYPE })),
  fc.string({ unit: "binary", maxLength: 200 }).map((body) => ({ body, contentType: FORM })),
  fc
    .dictionary(typedText, typedText, { maxKeys: 6 })
    .map((fields) => ({ body: form(fields), contentType: FORM })),
  fc.constantFrom(
    { body: "payload=null", contentType: FORM },
    { body: "null", contentType: JSON_TYPE },
    { body: "payload=", contentType: FORM },
    { body: "payload=5&payload=6", contentType: FORM },
    { body: "ssl_check=1&payload=null", contentType: FORM },
    { body: '{"type":"url_verification"}', contentType: JSON_TYPE },
    { body: '{"type":"event_callback","event":null}', contentType: JSON_TYPE },
    { body: '{"__proto__":{"type":"event_callback"}}', contentType: JSON_TYPE },
    { body: "", contentType: "text/plain" },
    { body: "{}", contentType: "application/json; charset=utf-8" },
  ),
  fc
    .tuple(fc.constantFrom("command=%2Fpeer&text=", "payload="), fc.integer({ min: 10_000, max: 300_000 }))
    .map(([head, n]) => ({
      body: head + "%F0%9F%98%80".repeat(n / 12),
      contentType: FORM,
    })),
);

/** Any body: nearly right as often as plainly wrong. */
export const slackBody: fc.Arbitrary<RawBody> = fc.oneof(nearlyRight, malformed);

/** How a request is signed: rightly, or one of the ways a forgery or a replay might try. */
export type Signing =
  | { readonly kind: "valid" }
  | { readonly kind: "wrong-secret"; readonly secret: string }
  | { readonly kind: "garbage"; readonly signature: string }
  | { readonly kind: "old"; readonly seconds: number }
  | { readonly kind: "future"; readonly seconds: number }
  | { readonly kind: "bad-timestamp"; readonly timestamp: string };

export const signing: fc.Arbitrary<Signing> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: "valid" } as const) },
  {
    weight: 1,
    arbitrary: fc.string({ maxLength: 40 }).map((secret) => ({ kind: "wrong-secret", secret }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        nastyString,
        fc.string({ maxLength: 80 }),
        fc.stringMatching(/^v0=[0-9a-f]{64}$/),
        fc.stringMatching(/^v1=[0-9a-f]{64}$/),
      )
      .map((signature) => ({ kind: "garbage", signature }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 5 * 60 + 2, max: 2 * 365 * 86_400 })
      .map((seconds) => ({ kind: "old", seconds }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 5 * 60 + 2, max: 2 * 365 * 86_400 })
      .map((seconds) => ({ kind: "future", seconds }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        nastyString,
        fc.constantFrom("1e10", "0x7fffffff", "-0", "Infinity", " 1", "99999999999999999999"),
      )
      .map((timestamp) => ({ kind: "bad-timestamp", timestamp }) as const),
  },
);
