// The embedded database serves many connections at once, as the console and the gateway use it,
// and only to clients that know its password.
import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded";

let server: EmbeddedDatabase;
let pools: pg.Pool[];

beforeAll(async () => {
  server = await startEmbeddedDatabase({ idleInTransactionMs: 500 });
  pools = [new pg.Pool({ connectionString: server.url, max: 4 }), new pg.Pool({ connectionString: server.url, max: 4 })];
  await pools[0]!.query("CREATE TABLE counter (id int primary key, n int not null); INSERT INTO counter VALUES (1, 0);");
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await server.stop();
});

it("keeps concurrent extended-protocol queries of many connections apart", async () => {
  const results = await Promise.all(
    Array.from({ length: 400 }, (_, i) =>
      i % 2 ? pools[i % 2]!.query("SELECT $1::int + $2::int AS sum, $3::text AS tag", [i, 1, `q${i}`]) : pools[0]!.query("SELECT $1::int * 2 AS sum", [i]),
    ),
  );
  results.forEach((r, i) => expect(r.rows[0].sum).toBe(i % 2 ? i + 1 : i * 2));
});

it("runs each connection's transaction alone: concurrent increments lose nothing", async () => {
  await Promise.all(
    Array.from({ length: 100 }, async (_, i) => {
      const client = await pools[i % 2]!.connect();
      try {
        await client.query("BEGIN");
        const { rows } = await client.query("SELECT n FROM counter WHERE id = $1", [1]);
        await client.query("UPDATE counter SET n = $1 WHERE id = $2", [rows[0].n + 1, 1]);
        await client.query("COMMIT");
      } finally {
        client.release();
      }
    }),
  );
  expect((await pools[1]!.query("SELECT n FROM counter")).rows[0].n).toBe(100);
});

it("rolls back the transaction of a client that disconnects mid-way", async () => {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query("BEGIN");
  await client.query("UPDATE counter SET n = -1 WHERE id = 1");
  await client.end();
  expect((await pools[0]!.query("SELECT n FROM counter")).rows[0].n).toBe(100);
});

it("rolls back a transaction that stays silent while others wait, so one stuck client freezes no one", async () => {
  const stuck = new pg.Client({ connectionString: server.url });
  stuck.on("error", () => {});
  await stuck.connect();
  await stuck.query("BEGIN");
  await stuck.query("UPDATE counter SET n = -2 WHERE id = 1");
  // Another connection's query waits behind the open transaction, then runs once it is rolled back.
  const { rows } = await pools[1]!.query("SELECT n FROM counter WHERE id = 1");
  expect(rows[0].n).toBe(100);
  await expect(stuck.query("COMMIT")).rejects.toThrow();
  expect((await pools[0]!.query("SELECT n FROM counter")).rows[0].n).toBe(100);
});

it("leaves a silent transaction alone while nobody waits for it", async () => {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query("BEGIN");
  await client.query("UPDATE counter SET n = 7 WHERE id = 1");
  await new Promise((r) => setTimeout(r, 800));
  await client.query("COMMIT");
  await client.end();
  expect((await pools[0]!.query("SELECT n FROM counter")).rows[0].n).toBe(7);
});

describe("the password", () => {
  const withoutPassword = () => {
    const url = new URL(server.url);
    url.password = "";
    return url.toString();
  };
  const withPassword = (password: string) => {
    const url = new URL(server.url);
    url.password = password;
    return url.toString();
  };

  it("is in the url the server hands out, and a client with it gets in", async () => {
    expect(new URL(server.url).password.length).toBeGreaterThanOrEqual(32);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    expect((await client.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await client.end();
  });

  it("refuses a client without it or with a wrong one", async () => {
    const refused = async (connectionString: string) => {
      const client = new pg.Client({ connectionString });
      client.on("error", () => {});
      try {
        await client.connect();
        await client.query("SELECT n FROM counter");
      } catch (e) {
        return (e as Error).message;
      } finally {
        await client.end().catch(() => {});
      }
      throw new Error("connected without the right password");
    };
    expect(await refused(withoutPassword())).toMatch(/password/);
    expect(await refused(withPassword("guess"))).toBe('password authentication failed for user "postgres"');
    expect(await refused(withPassword(`${new URL(server.url).password}x`))).toBe('password authentication failed for user "postgres"');
  });

  /** Talks the wire protocol by hand: what comes back before the server hangs up. */
  function raw(messages: Buffer[]): Promise<Buffer> {
    const { port } = new URL(server.url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => socket.end(Buffer.concat(messages)));
      const received: Buffer[] = [];
      socket.on("data", (d) => received.push(d));
      socket.on("close", () => resolve(Buffer.concat(received)));
      socket.on("error", reject);
      setTimeout(() => socket.destroy(), 3000).unref();
    });
  }
  const startup = () => {
    const body = Buffer.from("\0\x03\0\0user\0postgres\0database\0postgres\0\0", "latin1");
    const head = Buffer.alloc(4);
    head.writeInt32BE(4 + body.length);
    return Buffer.concat([head, body]);
  };
  const messageTypes = (bytes: Buffer) => {
    const types: string[] = [];
    for (let at = 0; at + 5 <= bytes.length; at += 1 + bytes.readInt32BE(at + 1)) types.push(String.fromCharCode(bytes[at]!));
    return types;
  };
  const typed = (type: string, body: Buffer) => {
    const head = Buffer.alloc(5);
    head.write(type, 0);
    head.writeInt32BE(4 + body.length, 1);
    return Buffer.concat([head, body]);
  };

  it("passes nothing to the database before the exchange: a query sent straight after the startup message is refused", async () => {
    const answer = await raw([startup(), typed("Q", Buffer.from("SELECT n FROM counter\0"))]);
    // AuthenticationSASL offering SCRAM-SHA-256, then the refusal: no RowDescription, no DataRow.
    expect(messageTypes(answer)).toEqual(["R", "E"]);
    expect(answer.readInt32BE(5)).toBe(10);
    expect(answer.includes(Buffer.from("SCRAM-SHA-256"))).toBe(true);
    expect(answer.includes(Buffer.from("28P01"))).toBe(true);
  });

  it("refuses an oversized startup or password message without buffering it", async () => {
    const huge = Buffer.alloc(8);
    huge.writeInt32BE(1 << 30);
    huge.writeInt32BE(196608, 4);
    expect((await raw([huge])).includes(Buffer.from("28P01"))).toBe(true);
    expect((await raw([startup(), typed("p", Buffer.alloc(20_000))])).includes(Buffer.from("28P01"))).toBe(true);
  });

  it("never listens without one", async () => {
    const { serveWire } = await import("./pglite-wire-server");
    await expect(serveWire({} as never, { host: "127.0.0.1", port: 0, password: "" })).rejects.toThrow(/needs a password/);
  });
});

describe("LISTEN/NOTIFY across connections (one shared session underneath)", () => {
  /** A client that records the notifications it is handed. */
  async function client(): Promise<{ c: pg.Client; heard: string[] }> {
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    const heard: string[] = [];
    c.on("notification", (n) => heard.push(`${n.channel}:${n.payload}`));
    return { c, heard };
  }

  it("hands a committed notification to the connections that listen, not to the others, the notifier included", async () => {
    const listener = await client();
    const notifier = await client();
    const bystander = await client();
    try {
      await listener.c.query("LISTEN deploys");
      // Only a committed transaction's notification is delivered.
      await notifier.c.query("BEGIN");
      await notifier.c.query("SELECT pg_notify('deploys', 'rolled back')");
      await notifier.c.query("ROLLBACK");
      await notifier.c.query("BEGIN");
      await notifier.c.query("SELECT pg_notify('deploys', 'one')");
      await notifier.c.query("COMMIT");
      await notifier.c.query("NOTIFY other, 'x'");
      // Each answer below follows the notification on its connection's socket.
      await listener.c.query("SELECT 1");
      await bystander.c.query("SELECT 1");
      expect(listener.heard).toEqual(["deploys:one"]);
      expect(notifier.heard).toEqual([]);
      expect(bystander.heard).toEqual([]);
    } finally {
      await Promise.all([listener, notifier, bystander].map((x) => x.c.end()));
    }
  });

  it("one connection's UNLISTEN leaves the others listening", async () => {
    const a = await client();
    const b = await client();
    try {
      await a.c.query("LISTEN deploys");
      await b.c.query('LISTEN "deploys"');
      await b.c.query("UNLISTEN deploys");
      await b.c.query("NOTIFY deploys, 'two'");
      await a.c.query("SELECT 1");
      expect(a.heard).toEqual(["deploys:two"]);
      expect(b.heard).toEqual([]);
      // The connection is in step after the locally answered UNLISTEN: its next query answers as usual.
      expect((await b.c.query("SELECT 41 + 1 AS n")).rows[0].n).toBe(42);
    } finally {
      await Promise.all([a.c.end(), b.c.end()]);
    }
  });

  it("finds notifications wherever the output stream splits its messages", async () => {
    const { NotificationSplitter } = await import("./pglite-wire-server");
    const message = (type: string, body: string) => {
      const out = Buffer.alloc(5 + Buffer.byteLength(body));
      out.write(type, 0);
      out.writeInt32BE(4 + Buffer.byteLength(body), 1);
      out.write(body, 5);
      return out;
    };
    const notification = message("A", "\0\0\0\x07deploys\0three\0");
    const before = message("C", "SELECT 1\0");
    const after = message("Z", "I");
    const stream = Buffer.concat([before, notification, after]);
    for (let cut1 = 0; cut1 <= stream.length; cut1++) {
      for (const cut2 of [cut1, Math.min(stream.length, cut1 + 3), stream.length]) {
        const passed: Buffer[] = [];
        const held: Buffer[] = [];
        const splitter = new NotificationSplitter((d) => passed.push(Buffer.from(d)), (m) => held.push(m));
        for (const part of [stream.subarray(0, cut1), stream.subarray(cut1, cut2), stream.subarray(cut2)]) if (part.length) splitter.push(part);
        expect(Buffer.concat(passed)).toEqual(Buffer.concat([before, after]));
        expect(held).toEqual([notification]);
      }
    }
  });
});
