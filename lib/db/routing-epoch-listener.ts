// A gateway's ear on the routing epoch: one dedicated connection that LISTENs on
// ROUTING_EPOCH_CHANNEL and calls `onNotify` for every bump (lib/db/routing-epoch.ts), so a deploy
// is served as soon as it commits, not at the next poll. Works on PostgreSQL and on the embedded
// database (its wire server passes notifications to the connections that listen). Polling stays
// the fallback: while this connection is down (it reconnects every `retryMs`) nothing is missed
// for longer than one poll, and each (re)connect reports once, since bumps may have gone unheard.
import pg from "pg";
import { ROUTING_EPOCH_CHANNEL } from "./routing-epoch";

export interface RoutingEpochListener {
  /** Resolves once the first LISTEN is in place (or the first attempt failed). */
  ready: Promise<void>;
  /** How many notifications have arrived (tests). */
  readonly notifications: number;
  close(): Promise<void>;
}

export function listenForRoutingEpoch(options: { databaseUrl: string; onNotify: () => void; retryMs?: number }): RoutingEpochListener {
  const retryMs = options.retryMs ?? 1000;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let closed = false;
  let notifications = 0;

  function scheduleRetry(): void {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, retryMs);
    retry.unref();
  }

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: options.databaseUrl });
    client = c;
    const lost = () => {
      if (client === c) client = null;
      c.removeAllListeners("notification");
      void c.end().catch(() => {});
      scheduleRetry();
    };
    c.on("error", lost);
    c.on("end", lost);
    c.on("notification", (message) => {
      if (message.channel !== ROUTING_EPOCH_CHANNEL) return;
      notifications++;
      options.onNotify();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${ROUTING_EPOCH_CHANNEL}`);
      if (closed) return void c.end().catch(() => {});
      options.onNotify();
    } catch {
      lost();
    }
  }

  const ready = connect();
  return {
    ready,
    get notifications() {
      return notifications;
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      if (c) {
        c.removeAllListeners("end");
        await c.end().catch(() => {});
      }
    },
  };
}
