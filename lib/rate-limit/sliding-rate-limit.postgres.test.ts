import { slidingRateLimitSuite } from "./sliding-rate-limit.suite";

slidingRateLimitSuite("postgres");
