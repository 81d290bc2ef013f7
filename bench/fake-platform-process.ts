/**
 * The fake chat platform for the benchmark, in its own process so the bot's
 * figures (CPU, RSS) are the bot's alone. Messages: {rate} to enforce a limit,
 * {stats} for counts; it answers {url} when listening.
 */
import { FakeChatServer } from "../test/fakes/fake-chat-server.js";

const server = new FakeChatServer();
const url = await server.start();
process.send?.({ url });
process.on("message", (message: { rate?: number; stats?: boolean; stop?: boolean }) => {
  if (message.rate) server.enforceRate(message.rate);
  if (message.stats) {
    const perSecond: Record<string, number> = {};
    for (const d of server.delivered) {
      const second = String(Math.floor(d.at / 1000));
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    }
    process.send?.({
      delivered: server.delivered.length,
      rejected: server.rejected,
      members: new Set(server.delivered.map((d) => d.member)).size,
      busiestSecond: Math.max(0, ...Object.values(perSecond)),
    });
  }
  if (message.stop) void server.stop().then(() => process.exit(0));
});
