import { describeChatPlatform } from "../../test/contract/chat-platform.contract.js";
import { startSlackPlatformHarness } from "../../test/contract/slack-platform-harness.js";

describeChatPlatform(startSlackPlatformHarness, "slack");
