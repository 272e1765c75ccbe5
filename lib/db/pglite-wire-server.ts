// Serves one PGlite over the PostgreSQL wire protocol to many client connections.
//
// Why not @electric-sql/pglite-socket's server: it queues single protocol messages, so the
// extended-query messages of two connections interleave (A: Parse, B: Parse, A: Bind → "bind
// message supplies 1 parameters, but prepared statement requires 3"). Here each connection's
// messages run as whole batches, up to a Sync or a simple Query, and while one connection has a
// transaction open only its batches run; the others wait.
//
// LISTEN/NOTIFY: all connections share PGlite's one session, so a notification comes out in the
// output of whichever connection's batch committed the NOTIFY. The server remembers which channels
// each connection LISTENed on (a simple-query `LISTEN name`, as `pg` sends it) and hands every
// NotificationResponse to those connections only. UNLISTEN only updates that record: passing it
// on would stop the shared session hearing the channel for every other listener.
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
  /** Answered here instead of by PGlite (an UNLISTEN), given ReadyForQuery's status byte. */
  answer?: (status: "I" | "T") => Buffer;
}

const LISTEN_STATEMENT = /^\s*(UN)?LISTEN\s+("(?:[^"]|"")+"|[A-Za-z_][\w$]*|\*)\s*;?\s*$/i;

/** `LISTEN x` / `UNLISTEN x|*` of a simple Query message, or null for any other statement. */
function listenStatement(query: Buffer): { listen: boolean; channel: string } | null {
  if (query.length > 200) return null;
  const match = LISTEN_STATEMENT.exec(query.toString("utf8", 5, query.length - 1));
  if (!match) return null;
  const name = match[2]!;
  const channel = name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name === "*" ? "*" : name.toLowerCase();
  return { listen: !match[1], channel };
}

/** A complete CommandComplete + ReadyForQuery, answering an UNLISTEN without running it. */
function unlistenAnswer(status: string): Buffer {
  const tag = Buffer.from("UNLISTEN\0");
  const out = Buffer.alloc(5 + tag.length + 6);
  out.write("C", 0);
  out.writeInt32BE(4 + tag.length, 1);
  tag.copy(out, 5);
  out.write("Z", 5 + tag.length);
  out.writeInt32BE(5, 6 + tag.length);
  out.write(status, 10 + tag.length);
  return out;
}

/** The channel named by a NotificationResponse ('A': length, pid, channel, payload). */
function notificationChannel(message: Buffer): string {
  const end = message.indexOf(0, 9);
  return message.toString("utf8", 9, end < 0 ? message.length : end);
}

/**
 * Splits one batch's output stream into what goes to its own connection (passed on as it comes)
 * and NotificationResponse messages (held whole, then handed to `onNotification`). The stream
 * may split messages anywhere between chunks.
 */
export class NotificationSplitter {
  private head: Buffer | null = null; // the first bytes of a message header split between chunks
  private remaining = 0; // bytes of the current message still to come
  private held: Buffer[] | null = null; // the current message, when it is a notification

  constructor(
    private readonly pass: (data: Uint8Array) => void,
    private readonly onNotification: (message: Buffer) => void,
  ) {}

  push(chunk: Uint8Array): void {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.head) {
      data = Buffer.concat([this.head, data]);
      this.head = null;
    }
    let passFrom = 0;
    let i = 0;
    while (i < data.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, data.length - i);
        if (this.held) this.held.push(Buffer.from(data.subarray(i, i + n)));
        i += n;
        this.remaining -= n;
        if (this.remaining === 0 && this.held) {
          this.onNotification(Buffer.concat(this.held));
          this.held = null;
          passFrom = i;
        }
        continue;
      }
      if (data.length - i < 5) {
        this.head = Buffer.from(data.subarray(i));
        break;
      }
      this.remaining = 1 + data.readInt32BE(i + 1);
      if (data[i] === 0x41 /* 'A' */) {
        if (i > passFrom) this.pass(data.subarray(passFrom, i));
        this.held = [];
      }
    }
    const end = this.head ? data.length - this.head.length : data.length;
    if (!this.held && end > passFrom) this.pass(data.subarray(passFrom, end));
  }
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
  /** The channels this connection LISTENs on ("*" is never stored: UNLISTEN * clears). */
  readonly channels = new Set<string>();

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
      if (type === "Q" && this.pending.length === 0) {
        const statement = listenStatement(message);
        if (statement && !statement.listen) {
          if (statement.channel === "*") this.channels.clear();
          else this.channels.delete(statement.channel);
          this.submit({ conn: this, bytes: new Uint8Array(0), answer: unlistenAnswer });
          continue;
        }
        if (statement) this.channels.add(statement.channel);
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
        if (batch.answer) {
          batch.conn.socket.write(batch.answer(transactionOwner === batch.conn ? "T" : "I"));
          continue;
        }
        const own = (data: Uint8Array) => {
          if (!batch.conn.closed) batch.conn.socket.write(data);
        };
        // Only while someone listens can the output hold notifications worth looking for.
        const splitter = listening() ? new NotificationSplitter(own, deliver) : null;
        await db.runExclusive(() => db.execProtocolRawStream(batch.bytes, { onRawData: splitter ? (data) => splitter.push(data) : own }));
        transactionOwner = db.isInTransaction() ? batch.conn : null;
        // The owner just spoke (or the transaction ended): its silence is counted anew.
        stopIdleWatch();
      }
    } finally {
      running = false;
    }
  }

  const connections = new Set<Connection>();
  const listening = () => [...connections].some((c) => c.channels.size > 0);

  /** A notification goes to every connection that listens on its channel, the notifier included. */
  function deliver(message: Buffer): void {
    const channel = notificationChannel(message);
    for (const conn of connections) {
      if (!conn.closed && conn.channels.has(channel)) conn.socket.write(message);
    }
  }

  async function release(conn: Connection): Promise<void> {
    connections.delete(conn);
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
    connections.add(conn);
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
