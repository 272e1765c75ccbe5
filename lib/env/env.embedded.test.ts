import { envSuite } from "./env.suite";

envSuite("embedded");
