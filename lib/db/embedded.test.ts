// The embedded database serves many connections at once, as the console and the gateway use it.
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
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
