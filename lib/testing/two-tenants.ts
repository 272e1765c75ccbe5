// What the API route tests share: a real platform (console + gateway processes) on a PostgreSQL
// database of its own, and two tenants signed up through the console — alice, with a token of the
// scope the test needs and a read-only one, and bob (admin), who must never see alice's things.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ConsoleClient, apiWithToken, type TestAccount } from "./console-client";
import { startPlatform, type Platform } from "./platform";
import { createTestDatabase, type TestDatabase } from "./test-database";

type Api = ReturnType<typeof apiWithToken>;

export interface TwoTenants {
  database: TestDatabase;
  platform: Platform;
  dataDir: string;
  /** Alice's account (her tenant's name, email and password). */
  account: TestAccount;
  alice: Api;
  aliceRead: Api;
  bob: Api;
  /** Stops the platform, drops the database, deletes the data folder. */
  stop(): Promise<void>;
}

export async function startTwoTenants(options: { name: string; env?: Record<string, string>; aliceScope?: "deploy" | "admin" }): Promise<TwoTenants> {
  const database = await createTestDatabase("postgres");
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `wc-${options.name}-`));
  let platform: Platform | undefined;
  const stop = async () => {
    await platform?.stop();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    platform = await startPlatform({ dataDir, databaseUrl: database.url, env: options.env });
    const a = new ConsoleClient(platform.consoleUrl);
    const account = await a.signUp();
    const alice = apiWithToken(platform.consoleUrl, await a.createToken(options.aliceScope ?? "admin"));
    const aliceRead = apiWithToken(platform.consoleUrl, await a.createToken("read", "reader"));
    const b = new ConsoleClient(platform.consoleUrl);
    await b.signUp();
    const bob = apiWithToken(platform.consoleUrl, await b.createToken("admin"));
    return { database, platform, dataDir, account, alice, aliceRead, bob, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
