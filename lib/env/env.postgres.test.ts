import { envSuite } from "./env.suite";

envSuite("postgres");
