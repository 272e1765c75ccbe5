// Next.js runs register() once as a console process starts (scripts/console-server.mjs, before it
// serves anything): settings from the environment that would otherwise fail requests later are
// checked here, so a bad value stops the console with a message naming it. It also starts the
// hourly pruning of expired sessions and stale sign-in counts.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkConsoleSettings } = await import("@/lib/http/check-console-settings");
  checkConsoleSettings(process.env);
  const { scheduleAuthHousekeeping } = await import("@/lib/auth/schedule-auth-housekeeping");
  scheduleAuthHousekeeping();
}
