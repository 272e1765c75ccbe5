// Serves one PGlite over the PostgreSQL wire protocol to many client connections.
//
// Why not @electric-sql/pglite-socket's server: it queues single protocol messages, so the
// extended-query messages of two connections interleave (A: Parse, B: Parse, A: Bind → "bind
// message supplies 1 parameters, but prepared statement requires 3"). Here each connection's
// messages run as whole batches, up to a Sync or a simple Query, and while one connection has a
// transaction open only its batches run; the others wait.
//
// Every connection proves it knows the database's password first (SCRAM-SHA-256, lib/db/scram.ts):
// the port is on loopback, where any local user could otherwise read every tenant's data. Until
// then nothing reaches PGlite, and nothing larger than a startup or password message is buffered.
import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { SCRAM_MECHANISM, ScramError, ScramExchange, scramVerifier, type ScramVerifier } from "./scram";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** PostgreSQL's own bound on a startup packet; password messages are far smaller. */
const MAX_UNAUTHENTICATED_MESSAGE = 10_000;

const AUTH_SASL = 10;
const AUTH_SASL_CONTINUE = 11;
const AUTH_SASL_FINAL = 12;

function authenticationMessage(code: number, data: Buffer | string = Buffer.alloc(0)): Buffer {
  const payload = typeof data === "string" ? Buffer.from(data) : data;
  const out = Buffer.alloc(9 + payload.length);
  out.write("R", 0);
  out.writeInt32BE(8 + payload.length, 1);
  out.writeInt32BE(code, 5);
  payload.copy(out, 9);
  return out;
}

/** A FATAL ErrorResponse, as PostgreSQL refuses a login. */
function fatalError(code: string, message: string): Buffer {
  const fields = Buffer.concat([
    ...[
      ["S", "FATAL"],
      ["V", "FATAL"],
      ["C", code],
      ["M", message],
    ].map(([k, v]) => Buffer.from(`${k}${v}\0`)),
    Buffer.from([0]),
  ]);
  const head = Buffer.alloc(5);
  head.write("E", 0);
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}

interface Batch {
  conn: Connection;
  bytes: Uint8Array;
}

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private pending: Buffer[] = [];
  private started = false;
  /** The startup message, held until the password exchange succeeds; then PGlite gets it. */
  private startup: Uint8Array | null = null;
  private scram: ScramExchange | null = null;
  private authenticated = false;
  closed = false;

  constructor(
    readonly id: number,
    readonly socket: net.Socket,
    private readonly submit: (batch: Batch) => void,
    private readonly verifier: ScramVerifier,
  ) {}

  /** Refuses the login and hangs up; nothing the client sent reaches the database. */
  private refuse(message = "password authentication failed for user \"postgres\""): void {
    this.closed = true;
    this.buffer = Buffer.alloc(0);
    this.socket.end(fatalError("28P01", message));
  }

  /** One password message ('p') of the SCRAM exchange; a wrong or malformed one refuses the login. */
  private authenticate(message: Buffer): void {
    const body = message.subarray(5);
    try {
      if (!this.scram) {
        // SASLInitialResponse: mechanism (C string), data length (Int32), data.
        const end = body.indexOf(0);
        if (end < 0 || body.toString("latin1", 0, end) !== SCRAM_MECHANISM || body.length < end + 5) throw new ScramError("SCRAM-SHA-256 is the only mechanism offered");
        const length = body.readInt32BE(end + 1);
        const data = body.subarray(end + 5, end + 5 + Math.max(0, length));
        this.scram = new ScramExchange(this.verifier);
        this.socket.write(authenticationMessage(AUTH_SASL_CONTINUE, this.scram.start(data.toString("utf8"))));
        return;
      }
      const final = this.scram.finish(body.toString("utf8"));
      this.authenticated = true;
      this.socket.write(authenticationMessage(AUTH_SASL_FINAL, final));
      // PGlite answers the held startup message with AuthenticationOk and the session's parameters.
      this.submit({ conn: this, bytes: this.startup! });
      this.startup = null;
    } catch (e) {
      if (!(e instanceof ScramError) && !(e instanceof RangeError)) throw e;
      this.refuse();
    }
  }

  receive(chunk: Buffer): void {
    if (this.closed) return;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (this.closed) return;
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        if (length < 8 || length > MAX_UNAUTHENTICATED_MESSAGE) return this.refuse("invalid startup packet length");
        if (this.buffer.length < length) return;
        const code = this.buffer.readInt32BE(4);
        const message = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.socket.write("N");
          continue;
        }
        if (code === CANCEL_REQUEST) {
          this.socket.end();
          return;
        }
        this.started = true;
        this.startup = new Uint8Array(message);
        // AuthenticationSASL: the mechanisms offered, each a C string, then an empty one.
        this.socket.write(authenticationMessage(AUTH_SASL, `${SCRAM_MECHANISM}\0\0`));
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = 1 + this.buffer.readInt32BE(1);
      if (!this.authenticated && (length < 5 || length > MAX_UNAUTHENTICATED_MESSAGE)) return this.refuse();
      if (this.buffer.length < length) return;
      const type = String.fromCharCode(this.buffer[0]!);
      const message = this.buffer.subarray(0, length);
      this.buffer = this.buffer.subarray(length);
      if (type === "X") {
        this.socket.end();
        return;
      }
      if (!this.authenticated) {
        if (type !== "p") return this.refuse();
        this.authenticate(message);
        continue;
      }
      this.pending.push(message);
      // A batch ends where the server would answer ReadyForQuery (Sync, Query) or on Flush.
      if (type === "S" || type === "Q" || type === "H") {
        this.submit({ conn: this, bytes: new Uint8Array(Buffer.concat(this.pending)) });
        this.pending = [];
      }
    }
  }
}

export interface WireServer {
  port: number;
  close(): Promise<void>;
}

export async function serveWire(
  db: PGlite,
  options: {
    host: string;
    port: number;
    /** Every connection must prove it knows this (SCRAM-SHA-256) before anything reaches PGlite. */
    password: string;
    /**
     * A transaction that sends nothing for this long while other connections wait is rolled back
     * and its connection closed (PostgreSQL's idle_in_transaction_session_timeout): one stuck
     * client must not freeze every process of the platform. Default 15 s.
     */
    idleInTransactionMs?: number;
  },
): Promise<WireServer> {
  const queue: Batch[] = [];
  let running = false;
  let transactionOwner: Connection | null = null;
  let nextId = 1;
  const idleInTransactionMs = options.idleInTransactionMs ?? 15_000;
  let idleWatch: { owner: Connection; timer: NodeJS.Timeout } | undefined;
  if (!options.password) throw new Error("serveWire needs a password: the embedded database never listens without one");
  const verifier = scramVerifier(options.password);

  function stopIdleWatch(): void {
    if (idleWatch) clearTimeout(idleWatch.timer);
    idleWatch = undefined;
  }

  /** While the transaction's owner is silent and someone else waits, its clock runs. */
  function watchIdleTransaction(): void {
    const owner = transactionOwner;
    if (!owner || queue.length === 0 || queue.some((b) => b.conn === owner)) return stopIdleWatch();
    if (idleWatch?.owner === owner) return;
    stopIdleWatch();
    const timer = setTimeout(() => {
      if (transactionOwner !== owner || queue.some((b) => b.conn === owner)) return;
      console.error(`[embedded-db] a transaction sent nothing for ${idleInTransactionMs / 1000} s while others waited: rolled back, its connection closed`);
      owner.socket.destroy();
      void release(owner);
    }, idleInTransactionMs);
    timer.unref();
    idleWatch = { owner, timer };
  }

  async function drain(): Promise<void> {
    if (running) return;
    running = true;
    try {
      for (;;) {
        const index = transactionOwner ? queue.findIndex((b) => b.conn === transactionOwner) : 0;
        if (index < 0 || queue.length === 0) {
          watchIdleTransaction();
          return;
        }
        const [batch] = queue.splice(index, 1) as [Batch];
        if (batch.conn.closed) continue;
        await db.runExclusive(() =>
          db.execProtocolRawStream(batch.bytes, {
            onRawData: (data: Uint8Array) => {
              if (!batch.conn.closed) batch.conn.socket.write(data);
            },
          }),
        );
        transactionOwner = db.isInTransaction() ? batch.conn : null;
        // The owner just spoke (or the transaction ended): its silence is counted anew.
        stopIdleWatch();
      }
    } finally {
      running = false;
    }
  }

  async function release(conn: Connection): Promise<void> {
    conn.closed = true;
    if (transactionOwner === conn) {
      // The client went away mid-transaction: roll it back so the others can go on.
      await db.exec("ROLLBACK").catch(() => {});
      transactionOwner = null;
    }
    watchIdleTransaction();
    void drain();
  }

  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    const conn = new Connection(
      nextId++,
      socket,
      (batch) => {
        queue.push(batch);
        void drain();
      },
      verifier,
    );
    socket.on("data", (chunk) => conn.receive(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => void release(conn));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const sockets = new Set<net.Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        stopIdleWatch();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
