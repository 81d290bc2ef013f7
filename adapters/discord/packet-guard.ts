import type { Client } from "discord.js";
import type { Logger } from "../../src/logging/logger.js";

interface PacketHandling {
  handlePacket(packet: unknown, shard: unknown): boolean;
}

/**
 * Drops a gateway dispatch that discord.js can't read, instead of letting it
 * escape. discord.js builds its structures (an Interaction, a Message) from
 * each dispatch inside its WebSocket listener, with nothing around it: a
 * dispatch missing a field it expects (an interaction without
 * `authorizing_integration_owners`, message flags it can't resolve) throws
 * there and becomes an unhandled rejection. Discord sends well-formed
 * dispatches, so this is for the odd one that isn't: it is logged by its
 * event type and error kind (never its content) and the client carries on.
 */
export function guardPackets(client: Client, logger: Logger): void {
  const manager = client.ws as unknown as PacketHandling;
  const handle = manager.handlePacket.bind(manager);
  manager.handlePacket = (packet, shard) => {
    try {
      return handle(packet, shard);
    } catch (error) {
      const type = (packet as { t?: unknown } | null)?.t;
      logger.warn(
        {
          code: "PLATFORM_FAILED",
          event: typeof type === "string" ? type.slice(0, 40) : "unknown",
          err: error instanceof Error ? error.name : typeof error,
        },
        "dropped a gateway dispatch discord.js could not read",
      );
      return true;
    }
  };
}
