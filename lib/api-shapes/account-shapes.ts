// The signed-in account's sessions, as the REST API answers them (docs/api.md).
import { z } from "zod";

/** DELETE /account/sessions and PUT /account/password: how many console sessions ended. */
export const RevokedSessionsResponse = z.looseObject({ revokedSessions: z.number() });
export type RevokedSessionsResponse = z.infer<typeof RevokedSessionsResponse>;
