import { slidingRateLimitSuite } from "./sliding-rate-limit.suite";

slidingRateLimitSuite("embedded");
