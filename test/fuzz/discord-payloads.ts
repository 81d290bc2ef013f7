import fc from "fast-check";
import { type FakeDiscord, type FakeUser, type Json, snowflake } from "../fakes/fake-discord.js";
import { nastyString, typedText } from "./generators.js";

/**
 * Gateway dispatches as Discord sends them (INTERACTION_CREATE, MESSAGE_CREATE,
 * MESSAGE_UPDATE, MESSAGE_DELETE), built right and then broken: fields
 * removed, given the wrong type, odd Unicode in every string.
 */
export interface Dispatch {
  readonly type: string;
  readonly data: Json;
}

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: fc.constantFrom(null, 0, -1, "", [], {}, "0", "not-a-snowflake", 1e308, true) },
  { weight: 2, arbitrary: typedText },
);

/** Options as a `/peer` invocation nests them, with any names, types and values. */
const optionData: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  option: fc.record(
    {
      name: fc.oneof(
        fc.constantFrom("join", "set", "pause", "region", "tz", "circle", "checkin", "for"),
        typedText,
      ),
      type: fc.oneof(fc.integer({ min: 0, max: 12 }), anyJson),
      value: fc.oneof(typedText, fc.integer(), fc.boolean(), anyJson),
      options: fc.array(tie("option"), { maxLength: 3 }),
    },
    { requiredKeys: ["name", "type"] },
  ),
})).option;

function mangle(value: Json): fc.Arbitrary<Json> {
  const keys = Object.keys(value);
  return fc
    .array(fc.tuple(fc.constantFrom(...keys), fc.oneof(anyJson, fc.constant(undefined))), { maxLength: 3 })
    .map((changes) => {
      const copy: Json = { ...value };
      for (const [key, replacement] of changes) {
        if (replacement === undefined) delete copy[key];
        else copy[key] = replacement;
      }
      return copy;
    });
}

/** Generated dispatches for a fake Discord and one of its users. */
export function discordDispatch(fake: FakeDiscord, user: FakeUser): fc.Arbitrary<Dispatch> {
  const dm = fake.dmChannelFor(user.id);
  const inDm = {
    channel_id: dm,
    channel: { id: dm, type: 1, recipients: [user] },
    user,
    context: 1,
    authorizing_integration_owners: { "1": user.id },
  };
  const inGuild = {
    guild_id: fake.guildId,
    channel_id: fake.guildChannelId,
    member: { user, roles: [], joined_at: new Date().toISOString(), permissions: "1024" },
    context: 0,
    guild_locale: "en-US",
    authorizing_integration_owners: { "0": fake.guildId },
  };
  const interactionData = fc.oneof(
    fc
      .array(optionData, { maxLength: 3 })
      .map((options) => ({ id: snowflake(), name: "peer", type: 1, options })),
    fc.oneof(typedText, nastyString).map((custom_id) => ({ custom_id, component_type: 2 })),
    fc.tuple(fc.oneof(typedText, nastyString), typedText).map(([custom_id, value]) => ({
      custom_id,
      components: [{ type: 18, id: 1, component: { type: 4, id: 2, custom_id: "field", value } }],
    })),
    anyJson,
  );
  const interaction = fc
    .tuple(fc.constantFrom(2, 3, 4, 5, 1, 99), interactionData, fc.constantFrom(inDm, inGuild))
    .chain(([type, data, place]) =>
      mangle({
        id: snowflake(),
        application_id: fake.applicationId,
        type,
        token: `itok_fuzz_${snowflake()}`,
        version: 1,
        data: data as Json,
        ...place,
        ...(type === 3
          ? {
              message: { id: snowflake(), channel_id: place.channel_id, flags: 0, author: user, content: "" },
            }
          : {}),
        app_permissions: "0",
        locale: "en-US",
        entitlements: [],
      }),
    )
    .map((data) => ({ type: "INTERACTION_CREATE", data }));
  const message = fc
    .tuple(fc.oneof(typedText, nastyString), fc.constantFrom(dm, fake.guildChannelId, snowflake()))
    .chain(([content, channel_id]) =>
      mangle({
        id: snowflake(),
        type: 0,
        channel_id,
        author: user,
        content,
        timestamp: new Date().toISOString(),
        tts: false,
        mention_everyone: false,
        mentions: [],
        mention_roles: [],
        attachments: [],
        embeds: [],
        pinned: false,
        flags: 0,
        ...(channel_id === dm ? { channel_type: 1 } : { guild_id: fake.guildId }),
      }),
    );
  return fc.oneof(
    { weight: 3, arbitrary: interaction },
    { weight: 2, arbitrary: message.map((data) => ({ type: "MESSAGE_CREATE", data })) },
    { weight: 1, arbitrary: message.map((data) => ({ type: "MESSAGE_UPDATE", data })) },
    { weight: 1, arbitrary: message.map((data) => ({ type: "MESSAGE_DELETE", data })) },
  );
}
