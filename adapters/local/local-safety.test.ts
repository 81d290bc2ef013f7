import { startLocalDriver } from "../../test/contract/local-driver.js";
import { describeSafetyNet } from "../../test/contract/safety-net.contract.js";

describeSafetyNet(startLocalDriver, "local");
