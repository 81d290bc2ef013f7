import { describeChatPlatform } from "../../test/contract/chat-platform.contract.js";
import { startLocalPlatformHarness } from "../../test/contract/local-platform-harness.js";

describeChatPlatform(startLocalPlatformHarness, "local");
