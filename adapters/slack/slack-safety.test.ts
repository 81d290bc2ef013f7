import { describeSafetyNet } from "../../test/contract/safety-net.contract.js";
import { startSlackDriver } from "../../test/contract/slack-driver.js";

describeSafetyNet(startSlackDriver, "slack");
