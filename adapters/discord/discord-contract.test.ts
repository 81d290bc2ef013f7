import { describeChatPlatform } from "../../test/contract/chat-platform.contract.js";
import { startDiscordPlatformHarness } from "../../test/contract/discord-platform-harness.js";

describeChatPlatform(startDiscordPlatformHarness, "discord");
