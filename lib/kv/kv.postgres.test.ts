import { kvSuite } from "./kv.suite";

kvSuite("postgres");
