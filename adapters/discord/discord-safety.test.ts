import { startDiscordDriver } from "../../test/contract/discord-driver.js";
import { describeSafetyNet } from "../../test/contract/safety-net.contract.js";

describeSafetyNet(startDiscordDriver, "discord");
