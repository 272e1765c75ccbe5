import { kvSuite } from "./kv.suite";

kvSuite("embedded");
