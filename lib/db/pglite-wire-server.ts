// Serves one PGlite over the PostgreSQL wire protocol to many client connections.
//
// Why not @electric-sql/pglite-socket's server: it queues single protocol messages, so the
// extended-query messages of two connections interleave (A: Parse, B: Parse, A: Bind → "bind
// message supplies 1 parameters, but prepared statement requires 3"). Here each connection's
// messages run as whole batches, up to a Sync or a simple Query, and while one connection has a
// transaction open only its batches run; the others wait.
import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

interface Batch {
  conn: Connection;
  bytes: Uint8Array;
}

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private pending: Buffer[] = [];
  private started = false;
  closed = false;

  constructor(
    readonly id: number,
    readonly socket: net.Socket,
    private readonly submit: (batch: Batch) => void,
  ) {}

  receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
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
        this.submit({ conn: this, bytes: new Uint8Array(message) });
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = 1 + this.buffer.readInt32BE(1);
      if (this.buffer.length < length) return;
      const type = String.fromCharCode(this.buffer[0]!);
      const message = this.buffer.subarray(0, length);
      this.buffer = this.buffer.subarray(length);
      if (type === "X") {
        this.socket.end();
        return;
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
    const conn = new Connection(nextId++, socket, (batch) => {
      queue.push(batch);
      void drain();
    });
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
