/**
 * A pool of guest workers (worker_threads). Wasm cannot be interrupted on the thread that runs
 * it, so the parent owns every deadline: on overrun it terminates the worker and starts a new
 * one; a worker that dies answers only for the request it was running.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import { isDatabaseUnavailable } from "@/lib/db/database-errors";
import { FairShare, type FairShareOptions, type TenantState } from "./fair-share";
import { serveKvBridge, type OutboundPort } from "./kv-bridge";
import { DEFAULT_WORKER_HEAP_MB, bundledWorkerScript, defaultPoolSize, discardEarlyThreads, startGuestThread, takeEarlyThread } from "./guest-threads";
import type { KvSession } from "../deployment-record/ports";
import type { PreparedModule } from "./module-cache";
import {
  PROGRESS_FINISHED,
  PROGRESS_RUNNING,
  PROGRESS_STARTED,
  type CrashCause,
  type JobMessage,
  type JobsMessage,
  type ModulePayload,
  type PayloadMessage,
  type WagiJobInput,
  type WagiJobResult,
  type WorkerMessage,
} from "./worker-protocol";

/**
 * How a worker gets a module it lacks. Measured by bench/worker-transfer.ts (2 cores, hello
 * modules of 0.2–74 KB): posting bytes reached every worker as fast or faster (cold p50
 * 1.7–6 ms vs 3–8 ms) and keeps compilation off the gateway's main thread, so it is the
 * default. Posting the compiled Module shares one copy of the code between workers; it may
 * win for large modules on many cores.
 */
export type ModuleTransfer =
  /** Compile once in the parent and post the WebAssembly.Module (shared code, no recompile). */
  | "module"
  /** Post the bytes; each worker compiles its own copy (off the main thread). */
  | "bytes";

export interface WorkerPoolOptions extends FairShareOptions {
  /** Number of workers; defaults to the number of cores (at least 2, so one runaway guest never stalls all). */
  size?: number;
  /**
   * Workers that are ready before `create` resolves (default: all). The others start once the
   * pool has answered its first job or has two at once, or `restStartMs` after `create` (default
   * 1000): booting a thread costs tens of ms of CPU, which a starting process would otherwise spend
   * before its first answer (bench/process-start.ts).
   */
  readyFirst?: number;
  restStartMs?: number;
  transfer?: ModuleTransfer;
  /** Jobs waiting for a free worker beyond this are refused (503) instead of queued. */
  maxQueue?: number;
  /**
   * How long a job may wait in the queue for a worker (default 30 s) before it is answered
   * "overloaded" (503): a request is never held without bound when no worker can take it
   * (all busy with long jobs, or none able to start).
   */
  maxQueueWaitMs?: number;
  /**
   * Jobs sent to one worker ahead of time (default 8), so it starts the next as soon as one
   * ends instead of idling for a message round trip. Deadlines still start when a job starts,
   * and jobs lined up behind one that runs long are taken back (see reclaim). bench/gateway on
   * 2 cores: 8 gave 0.25–0.28 × plain node:http for hello-c where 4 gave 0.24 (16: no better).
   */
  pipeline?: number;
  /**
   * JS heap cap of each worker in MiB (default 512). Host-side buffers a guest makes us fill
   * (its stdout/stderr) live there; past the cap only that worker dies, never the gateway.
   */
  workerHeapMb?: number;
  /**
   * Process memory (RSS, MiB) above which, while it keeps growing (> 80 MiB/s), the worker
   * running the longest job is stopped (default: half the machine's memory). Output buffers live outside the JS heap, so the heap
   * cap alone cannot stop a guest that writes without end; this watchdog does.
   */
  maxRssMb?: number;
  /** Path of a prebuilt worker script (ESM); by default wagi-worker.ts is bundled once per process. */
  workerScript?: string;
  /**
   * A guest that has run this long (ms, default 200; 0: never) runs on at a lower CPU priority
   * (Linux: its thread's nice value +10), so that on shared cores the short requests of other
   * tenants are scheduled ahead of it. Its worker is replaced when it ends: a thread's priority
   * cannot be raised again without privileges.
   */
  lowPriorityAfterMs?: number;
  /**
   * Jobs one worker runs before it is replaced (default 2^30). Job ids live in the Int32 cells
   * shared with the worker, so a worker must be retired before its ids could overflow them.
   */
  jobsPerWorker?: number;
}

export interface PoolJob {
  moduleHash: string;
  /** Compiled (prepared) module; used when transfer = "module". */
  getModule(): Promise<PreparedModule>;
  /** Raw bytes; used when transfer = "bytes". */
  getBytes(): Promise<Uint8Array>;
  filesKey?: string;
  getFiles?(): Promise<Record<string, Uint8Array>>;
  input: WagiJobInput;
  /** Wall-clock budget once a worker has the job, in milliseconds. */
  deadlineMs: number;
  /** The request's key-value session: the worker's kv calls for this job are answered by it. */
  kv?: KvSession;
  /** The request's outbound HTTP session: the worker's outbound calls for this job go to it. */
  outbound?: OutboundPort;
  /**
   * Whose job it is: workers go to tenants in turn, each holding at most its fair share while
   * others are active, with its own bounds on jobs at once (fair-share.ts). None: the platform's.
   */
  tenant?: string;
  /** The app (unique across tenants): its own bound on jobs at once, and its average run time. Default: the module. */
  app?: string;
}

export type PoolOutcome =
  | { kind: "ok"; result: WagiJobResult; wallMs: number }
  /**
   * The deadline passed. `loading`: the worker had taken the job but was still preparing its
   * module (compiling it) and never started the guest; such a module is then answered this way at
   * once for a while (SLOW_COMPILE_MEMORY_MS), without a worker, for jobs with no longer a deadline.
   */
  | { kind: "timeout"; wallMs: number; loading?: boolean }
  /** No answer from the guest: `cause` says why (worker-protocol.ts), `message` is for the logs. */
  | { kind: "crashed"; cause: CrashCause; message: string; wallMs: number }
  | { kind: "overloaded"; queued: number }
  /**
   * Refused for its tenant's sake, not the pool's: the tenant (or app) already has `limit` jobs
   * queued or running ("tenant", "app"), or the job waited `limit` ms while its tenant held its
   * whole share of the workers ("share").
   */
  | { kind: "busy"; scope: "tenant" | "app" | "share"; limit: number };

interface Pending {
  job: PoolJob;
  tenant: TenantState<Pending>;
  app: string;
  resolve(outcome: PoolOutcome): void;
  id: number;
  /** When run() queued it (performance.now()). */
  queuedAt: number;
  /** When the deadline clock started (the job became the head of its worker's line). */
  startedAt: number;
  timer?: NodeJS.Timeout;
  /** Running long with its line taken back: nothing more is lined up behind it. */
  lineClosed?: boolean;
  /** Its job message went to its worker (the payload had loaded). */
  sent?: boolean;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  dead: boolean;
  /** Jobs sent to this worker, in the order it runs them; the first is running (or about to). */
  inFlight: Pending[];
  /** Module hashes and file keys this worker was sent (a hint: the worker may have evicted them). */
  known: Set<string>;
  /** Shared with the worker: running, last finished and last claimed job ids (worker-protocol.ts). */
  progress: Int32Array;
  /** Armed while jobs wait behind the running one: takes them back if it runs long. */
  reclaimTimer?: NodeJS.Timeout;
  /** The id of this worker's next job: ids count per worker, so each line is in increasing order. */
  nextId: number;
  /** Out of ids, or running at a lower priority: it gets no new jobs, and is replaced once its line is empty. */
  retiring: boolean;
  /** The worker thread's id (Linux), for its CPU priority. */
  tid?: number;
  /** Its thread's priority was lowered (a guest ran long on it). */
  lowered?: boolean;
  /** Jobs to post at the end of this event-loop turn, as one message (one thread wake-up). */
  outbox: JobMessage[];
  /**
   * Posts of this worker's jobs, chained: a job's payload may take a while to load (a module to
   * compile), and the jobs lined up behind it must not overtake it, or the worker would run them
   * first and its progress counters (which assume line order) would make the job look finished
   * to its deadline, which would then never stop it.
   */
  posting: Promise<void>;
}

/** How much the nice value of a worker thread running a long guest goes up (lowerLongRunners). */
const LOW_PRIORITY_NICE = 10;

/** How long a module whose compile outlasted a job's deadline is answered "timeout" without a worker. */
const SLOW_COMPILE_MEMORY_MS = 60_000;

/**
 * A job is pipelined behind a running one only if that one started less than this ago (ms), and
 * jobs still waiting behind one that has run this long are taken back and run elsewhere.
 */
const PIPELINE_BEHIND_MS = 50;

let workerScriptPromise: Promise<string> | undefined;

/**
 * Bundles wagi-worker.ts (and lib/wasm) into one ESM file in the temp dir, once per process.
 * Loading TypeScript through a loader in every worker costs ~400 ms per spawn; a bundle starts
 * as fast as a plain worker, which matters when replacing a terminated one.
 */
export function getWorkerScript(): Promise<string> {
  workerScriptPromise ??= (async () => {
    // In the server bundle (dist/server/, scripts/bundle-server.mjs) it is built beside this code already.
    const bundled = bundledWorkerScript();
    if (bundled) return bundled;
    const { build } = await import("esbuild");
    const entry = fileURLToPath(new URL("./wagi-worker.ts", import.meta.url));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.text;
    const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
    const dir = path.join(os.tmpdir(), "wasmcompute");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `wagi-worker-${hash}.mjs`);
    if (!existsSync(file)) {
      // Write then rename: another gateway process may be loading the same file right now.
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, code);
      renameSync(temp, file);
    }
    return file;
  })();
  return workerScriptPromise;
}

export class WorkerPool {
  readonly size: number;
  readonly transfer: ModuleTransfer;
  private readonly maxQueue: number;
  private readonly pipeline: number;
  private readonly workerHeapMb: number;
  private readonly maxRssBytes: number;
  private readonly jobsPerWorker: number;
  private readonly maxQueueWaitMs: number;
  private readonly lowPriorityAfterMs: number;
  private watchdog: NodeJS.Timeout | undefined;
  private lastMemoryKill = 0;
  private lastRss = 0;
  private readonly slots: Slot[] = [];
  /** The queued jobs, per tenant, and who gets the next worker. */
  private readonly fair: FairShare<Pending>;
  private lastPrune = 0;
  private closed = false;
  private script: string | undefined;
  private startupFailures = 0;
  private flushScheduled = false;
  /** Modules whose compile outlasted a deadline: that deadline, and until when it is remembered. */
  private readonly slowCompiles = new Map<string, { deadlineMs: number; until: number }>();
  /** Workers of `size` not started yet (readyFirst), and the timer that starts them if no job does. */
  private notStarted = 0;
  private restTimer: NodeJS.Timeout | undefined;
  respawns = 0;

  private constructor(options: WorkerPoolOptions) {
    this.size = options.size ?? defaultPoolSize();
    this.transfer = options.transfer ?? "bytes";
    this.maxQueue = options.maxQueue ?? 1000;
    this.pipeline = Math.max(1, options.pipeline ?? 8);
    this.workerHeapMb = options.workerHeapMb ?? DEFAULT_WORKER_HEAP_MB;
    this.maxRssBytes = (options.maxRssMb ?? Math.floor(os.totalmem() / 2 / 1024 / 1024)) * 1024 * 1024;
    this.jobsPerWorker = Math.min(options.jobsPerWorker ?? 2 ** 30, 2 ** 30);
    this.maxQueueWaitMs = options.maxQueueWaitMs ?? 30_000;
    this.lowPriorityAfterMs = options.lowPriorityAfterMs ?? 200;
    this.fair = new FairShare(options);
  }

  static async create(options: WorkerPoolOptions = {}): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    pool.script = options.workerScript ?? (await getWorkerScript());
    const first = Math.min(pool.size, Math.max(1, options.readyFirst ?? pool.size));
    const ready = Array.from({ length: first }, () => pool.spawn());
    // Threads the process started early for a pool of other settings are not wanted.
    discardEarlyThreads();
    await Promise.all(ready);
    pool.notStarted = pool.size - first;
    if (pool.notStarted > 0) pool.restTimer = setTimeout(() => pool.startRest(), options.restStartMs ?? 1000).unref();
    pool.watchdog = setInterval(() => {
      pool.checkMemory();
      pool.expireQueued();
      pool.lowerLongRunners();
    }, 100);
    pool.watchdog.unref();
    return pool;
  }

  stats(): { size: number; ready: number; busy: number; queued: number; respawns: number; tenants: number } {
    return {
      size: this.size,
      ready: this.slots.filter((s) => s.ready && !s.dead).length,
      busy: this.slots.filter((s) => s.inFlight.length > 0).length,
      queued: this.fair.queued,
      respawns: this.respawns,
      /** Tenants active now (jobs, or one within the active window): the fair share is the workers ÷ this. */
      tenants: this.fair.activeTenants(performance.now()),
    };
  }

  run(job: PoolJob): Promise<PoolOutcome> {
    if (this.closed) return Promise.resolve({ kind: "crashed", cause: "closed", message: "worker pool is closed", wallMs: 0 });
    if (this.slowCompiles.size > 0) {
      // The module did not compile within a deadline this long: another try would hold a worker
      // just as long for the same answer.
      const slow = this.slowCompiles.get(job.moduleHash);
      if (slow && slow.until < performance.now()) this.slowCompiles.delete(job.moduleHash);
      else if (slow && job.deadlineMs <= slow.deadlineMs) return Promise.resolve({ kind: "timeout", wallMs: 0, loading: true });
    }
    if (this.fair.queued >= this.maxQueue) {
      return Promise.resolve({ kind: "overloaded", queued: this.fair.queued });
    }
    // Jobs at once: the workers readyFirst left out are wanted now.
    if (this.notStarted > 0 && this.slots.some((slot) => slot.inFlight.length > 0)) this.startRest();
    const tenant = this.fair.tenant(job.tenant);
    const app = job.app ?? job.moduleHash;
    const refused = this.fair.admit(tenant, app);
    if (refused) return Promise.resolve({ kind: "busy", ...refused });
    return new Promise((resolve) => {
      let settled = false;
      const pending: Pending = {
        job,
        tenant,
        app,
        id: 0,
        queuedAt: performance.now(),
        startedAt: 0,
        resolve: (outcome) => {
          if (settled) return;
          settled = true;
          // How long it held a worker, for its app's average (jobs that never ran say nothing).
          this.fair.release(tenant, app, pending.startedAt && "wallMs" in outcome ? outcome.wallMs : undefined);
          resolve(outcome);
        },
      };
      this.fair.enqueue(tenant, pending);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    clearTimeout(this.restTimer);
    for (const pending of this.fair.drain()) {
      pending.resolve({ kind: "crashed", cause: "closed", message: "worker pool closed", wallMs: 0 });
    }
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.dead = true;
        clearTimeout(slot.reclaimTimer);
        for (const pending of slot.inFlight.splice(0)) {
          clearTimeout(pending.timer);
          pending.resolve({ kind: "crashed", cause: "closed", message: "worker pool closed", wallMs: 0 });
        }
        await slot.worker.terminate();
      }),
    );
    this.slots.length = 0;
  }

  /** Starts the workers `readyFirst` left out. */
  private startRest(): void {
    clearTimeout(this.restTimer);
    if (this.closed) return;
    for (; this.notStarted > 0; this.notStarted--) void this.spawn();
  }

  private spawn(): Promise<void> {
    // A thread the process started before it loaded this code (scripts/gateway.ts), if one is left.
    const early = takeEarlyThread(this.script!, this.workerHeapMb);
    const { worker, progress, kv } = early ?? startGuestThread(this.script!, this.workerHeapMb);
    const slot: Slot = { worker, ready: false, dead: false, inFlight: [], known: new Set(), progress, outbox: [], posting: Promise.resolve(), nextId: 1, retiring: false };
    // A job's kv calls reach only that job's session, and only while the job is in this worker's line.
    const stopKv = serveKvBridge(
      kv,
      (id) => slot.inFlight.find((p) => p.id === id)?.job.kv,
      (id) => slot.inFlight.find((p) => p.id === id)?.job.outbound,
    );
    worker.once("exit", stopKv);
    this.slots.push(slot);
    return new Promise<void>((resolveReady) => {
      worker.on("message", (message: WorkerMessage) => {
        if (message.type === "ready") {
          slot.ready = true;
          slot.tid = message.tid;
          this.startupFailures = 0;
          resolveReady();
          this.dispatch();
          return;
        }
        this.onWorkerMessage(slot, message);
      });
      const die = (reason: string, cause: CrashCause = "worker") => {
        if (slot.dead) return;
        slot.dead = true;
        if (!slot.ready) {
          this.startupFailures++;
          resolveReady();
        }
        this.abandon(slot, (pending) => ({ kind: "crashed", cause, message: reason, wallMs: this.elapsed(pending) }));
        this.replace(slot);
        this.dispatch();
      };
      worker.on("error", (error) =>
        die(`worker crashed: ${error.message}`, (error as { code?: unknown }).code === "ERR_WORKER_OUT_OF_MEMORY" ? "host-memory" : "worker"),
      );
      worker.on("exit", (code) => die(`worker exited with code ${code}`));
      early?.replay();
    });
  }

  /**
   * Settles the jobs of a worker that is gone: the one it was running (or whose answer was
   * lost) gets `outcome`; those it had not started go back to the front of the queue, so no
   * job ever runs twice and none is failed for another's fault.
   */
  private abandon(slot: Slot, outcome: (pending: Pending) => PoolOutcome): void {
    slot.outbox = [];
    clearTimeout(slot.reclaimTimer);
    const running = Atomics.load(slot.progress, PROGRESS_RUNNING);
    const finished = Atomics.load(slot.progress, PROGRESS_FINISHED);
    const notStarted: Pending[] = [];
    for (const pending of slot.inFlight.splice(0)) {
      clearTimeout(pending.timer);
      if (pending.id === running || pending.id <= finished) pending.resolve(outcome(pending));
      else notStarted.push(pending);
    }
    // Their clocks start again when they head a new worker's line (startClock skips a job that
    // still holds a timer, even a cleared one).
    for (const pending of notStarted) {
      pending.startedAt = 0;
      pending.timer = undefined;
      pending.lineClosed = false;
      pending.sent = false;
      pending.queuedAt = performance.now(); // waiting for a worker anew, through no fault of its own
    }
    this.fair.requeue(notStarted.map((pending) => ({ tenant: pending.tenant, pending })));
  }

  private replace(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    if (this.closed) return;
    this.respawns++;
    // A worker that cannot even start would otherwise be respawned in a tight loop.
    const delay = this.startupFailures === 0 ? 0 : Math.min(5000, 100 * 2 ** this.startupFailures);
    setTimeout(() => {
      if (!this.closed) void this.spawn();
    }, delay).unref();
  }

  private elapsed(pending: Pending): number {
    return pending.startedAt ? performance.now() - pending.startedAt : 0;
  }

  /** The head of a worker's line is the job it runs now: its deadline clock starts here. */
  private startClock(slot: Slot): void {
    const head = slot.inFlight[0];
    if (!head || head.timer) return;
    head.startedAt = performance.now();
    head.timer = setTimeout(() => this.onDeadline(slot, head), head.job.deadlineMs);
    this.armReclaim(slot);
  }

  /**
   * With jobs waiting behind the head, checks on it once it has run PIPELINE_BEHIND_MS. One timer
   * per worker, not per job: when it fires it looks at whichever job heads the line then.
   */
  private armReclaim(slot: Slot, delayMs?: number): void {
    if (slot.reclaimTimer || slot.dead || slot.inFlight.length < 2) return;
    const wait = delayMs ?? Math.ceil(slot.inFlight[0]!.startedAt + PIPELINE_BEHIND_MS - performance.now());
    slot.reclaimTimer = setTimeout(() => this.reclaim(slot), Math.max(1, wait));
  }

  /**
   * The head has run long (perhaps a runaway that will hold its worker until its deadline): take
   * back the jobs lined up behind it, unless the worker already started one of them, and queue
   * them again at the front so a free worker runs them now. The swap on PROGRESS_STARTED makes
   * "the worker has not started them" and "it never will" one atomic step.
   */
  private reclaim(slot: Slot): void {
    slot.reclaimTimer = undefined;
    const head = slot.inFlight[0];
    if (slot.dead || !head || slot.inFlight.length < 2) return;
    if (performance.now() - head.startedAt < PIPELINE_BEHIND_MS) return this.armReclaim(slot);
    const behind = slot.inFlight.slice(1);
    const mark = -behind[behind.length - 1]!.id;
    const seen = Atomics.compareExchange(slot.progress, PROGRESS_STARTED, head.id, mark);
    if (seen !== head.id) {
      // Past the head: it has finished and its answer is on the way. Not there yet (the message
      // is still travelling, or the worker has not met an earlier mark): look again later.
      if (seen < head.id) this.armReclaim(slot, PIPELINE_BEHIND_MS);
      return;
    }
    head.lineClosed = true;
    slot.inFlight.length = 1;
    const taken = new Set(behind.map((p) => p.id));
    for (const pending of behind) {
      pending.queuedAt = performance.now();
      pending.sent = false;
      // Its message may have carried the module or files, which the worker drops with the job:
      // the next job here sends them again rather than costing the worker a "miss" round trip.
      slot.known.delete(pending.job.moduleHash);
      if (pending.job.filesKey) slot.known.delete(pending.job.filesKey);
    }
    slot.outbox = slot.outbox.filter((m) => !taken.has(m.id));
    this.fair.requeue(behind.map((pending) => ({ tenant: pending.tenant, pending })));
    this.dispatch();
  }

  private dispatch(): void {
    if (this.fair.queued === 0) return;
    const now = performance.now();
    // Infinity while one tenant is alone (then the pool is as it was: first come, first served).
    const share = this.fair.share(this.size, now);
    for (;;) {
      let placed = false;
      for (const tenant of this.fair.turns()) {
        const best = this.pickSlot(tenant, tenant.queue[0]!, now, share);
        if (!best) continue;
        this.assign(best, this.fair.taken(tenant));
        placed = true;
        break;
      }
      if (!placed) return;
    }
  }

  /**
   * Whether a job may go to this worker now: it takes jobs, and is not running one that has run a
   * while or whose app's requests run long (it may be a runaway guest holding its worker until the
   * deadline, and a job lined up behind it would wait that long for nothing).
   */
  private open(slot: Slot, now: number): boolean {
    if (!slot.ready || slot.dead || slot.retiring || slot.inFlight.length >= this.pipeline) return false;
    const running = slot.inFlight[0];
    return !running || !(running.lineClosed || now - running.startedAt > PIPELINE_BEHIND_MS || this.fair.isHeavy(running.app));
  }

  /** The worker for the head of `tenant`'s queue, if one may take it now. */
  private pickSlot(tenant: TenantState<Pending>, head: Pending, now: number, share: number): Slot | undefined {
    const capped = share !== Infinity && this.fair.capped(tenant);
    let held = -1;
    let best: Slot | undefined;
    for (const slot of this.slots) {
      if (!this.open(slot, now)) continue;
      if (capped && !slot.inFlight.some((p) => p.tenant === tenant)) {
        // A worker it does not hold yet: only within its share, and a heavy app never takes the
        // last open worker, which another tenant's short requests may need.
        if (held < 0) held = this.slots.filter((s) => s.inFlight.some((p) => p.tenant === tenant)).length;
        if (held >= share) continue;
        if (this.size > 1 && this.fair.isHeavy(head.app) && this.slots.filter((s) => this.open(s, now)).length <= 1) continue;
      }
      // Fewest jobs in line first; among equals, one that already holds the module.
      if (
        !best ||
        slot.inFlight.length < best.inFlight.length ||
        (slot.inFlight.length === best.inFlight.length && slot.known.has(head.job.moduleHash) && !best.known.has(head.job.moduleHash))
      ) {
        best = slot;
      }
    }
    return best;
  }

  private assign(slot: Slot, head: Pending): void {
    // A fresh id on every dispatch keeps each worker's line in increasing id order, which the
    // progress checks (deadline, abandon, memory) rely on: a job sent back to the queue by a
    // stopped worker would otherwise carry an id lower than what its next worker has finished,
    // and look finished there, so its deadline would never stop it.
    head.id = slot.nextId++;
    if (slot.nextId > this.jobsPerWorker) slot.retiring = true;
    slot.inFlight.push(head);
    if (slot.inFlight.length === 1) this.startClock(slot);
    else this.armReclaim(slot);
    const id = head.id;
    slot.posting = slot.posting.then(() => this.post(slot, head, id));
  }

  /**
   * Queues a job for its worker; all jobs of one event-loop turn go out together in one
   * message, since waking a thread costs a system call and those are expensive (very much so
   * in VMs): under load this turns one wake-up per request into one per turn.
   */
  private send(slot: Slot, message: JobMessage): void {
    slot.outbox.push(message);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      for (const s of this.slots) {
        if (s.outbox.length === 0 || s.dead) continue;
        const batch: JobsMessage = { type: "jobs", jobs: s.outbox };
        s.outbox = [];
        s.worker.postMessage(batch);
      }
    });
  }

  private async loadPayload(slot: Slot, job: PoolJob, forceModule: boolean, forceFiles: boolean) {
    let payload: ModulePayload | undefined;
    if (forceModule || !slot.known.has(job.moduleHash)) {
      payload = this.transfer === "module" ? await job.getModule() : { bytes: await job.getBytes() };
    }
    let files: Record<string, Uint8Array> | undefined;
    if (job.filesKey && (forceFiles || !slot.known.has(job.filesKey))) {
      files = (await job.getFiles?.()) ?? {};
    }
    return { payload, files };
  }

  private async post(slot: Slot, pending: Pending, id: number): Promise<void> {
    const { job } = pending;
    try {
      const { payload, files } = await this.loadPayload(slot, job, false, false);
      // Gone from this line while its payload loaded (taken back, or its worker stopped); a job
      // taken back and sent here again carries a new id and is posted by that dispatch.
      if (slot.dead || pending.id !== id || !slot.inFlight.includes(pending)) return;
      const message: JobMessage = {
        type: "job",
        id: pending.id,
        moduleHash: job.moduleHash,
        filesKey: job.filesKey,
        payload,
        files,
        input: job.input,
      };
      this.send(slot, message);
      pending.sent = true;
      if (payload) slot.known.add(job.moduleHash);
      if (files && job.filesKey) slot.known.add(job.filesKey);
    } catch (error) {
      this.failLoad(slot, pending, error);
    }
  }

  private failLoad(slot: Slot, pending: Pending, error: unknown): void {
    const index = slot.inFlight.indexOf(pending);
    if (index < 0) return;
    // The worker never got (or will never get) this job: take it out of its line.
    slot.inFlight.splice(index, 1);
    clearTimeout(pending.timer);
    pending.resolve({
      kind: "crashed",
      cause: isDatabaseUnavailable(error) ? "load-database" : "load",
      message: `could not load the module: ${error instanceof Error ? error.message : String(error)}`,
      wallMs: this.elapsed(pending),
    });
    if (index === 0 && !slot.dead) {
      // The worker may be waiting for this job's payload: it cannot be reused safely.
      this.stopWorker(slot, "worker replaced");
    }
    this.dispatch();
  }

  private onWorkerMessage(slot: Slot, message: WorkerMessage): void {
    if (message.type === "ready") return;
    const pending = slot.inFlight.find((p) => p.id === message.id);
    if (!pending) return;
    if (message.type === "miss") {
      // The worker evicted it since we last sent it: send it again; the worker waits for it.
      if (message.what === "module") slot.known.delete(pending.job.moduleHash);
      else if (pending.job.filesKey) slot.known.delete(pending.job.filesKey);
      this.loadPayload(slot, pending.job, message.what === "module", message.what === "files").then(
        ({ payload, files }) => {
          if (slot.dead) return;
          const reply: PayloadMessage = { type: "payload", id: pending.id, payload, files };
          slot.worker.postMessage(reply);
          if (payload) slot.known.add(pending.job.moduleHash);
          if (files && pending.job.filesKey) slot.known.add(pending.job.filesKey);
        },
        (error: unknown) => this.failLoad(slot, pending, error),
      );
      return;
    }
    // Jobs finish in order: this is the head.
    slot.inFlight.splice(slot.inFlight.indexOf(pending), 1);
    clearTimeout(pending.timer);
    const wallMs = this.elapsed(pending);
    pending.resolve(
      message.type === "done"
        ? { kind: "ok", result: message.result, wallMs }
        : { kind: "crashed", cause: "worker", message: message.message, wallMs },
    );
    // After the answer has gone out (its promise callbacks run first).
    if (this.notStarted > 0) setImmediate(() => this.startRest());
    // Out of job ids and its line empty: a fresh worker takes its place.
    if (slot.retiring && slot.inFlight.length === 0) this.stopWorker(slot, "worker retired");
    else this.startClock(slot);
    this.dispatch();
  }

  /**
   * Terminates a worker and puts a fresh one in its place; what was still in its line is settled
   * by abandon (`message` for a job it was running, the queue again for those it had not started).
   */
  private stopWorker(slot: Slot, message: string): void {
    slot.dead = true;
    void slot.worker.terminate();
    this.abandon(slot, (p) => ({ kind: "crashed", cause: "worker", message, wallMs: this.elapsed(p) }));
    this.replace(slot);
  }

  /**
   * Jobs that have waited too long are answered: "busy" after shareWaitMs when their tenant holds
   * its whole share of the workers (its own load holds them back), "overloaded" after
   * maxQueueWaitMs whatever holds them back.
   */
  private expireQueued(): void {
    const now = performance.now();
    if (now - this.lastPrune > this.fair.activeWindowMs) {
      this.lastPrune = now;
      this.fair.prune(now);
    }
    if (this.fair.queued === 0) return;
    const oldest = now - this.maxQueueWaitMs;
    const shareOldest = now - this.fair.shareWaitMs;
    let share: number | undefined;
    const held = new Map<TenantState<Pending>, number>();
    const atShare = (tenant: TenantState<Pending>): boolean => {
      share ??= this.fair.share(this.size, now);
      if (share === Infinity || !this.fair.capped(tenant)) return false;
      let n = held.get(tenant);
      if (n === undefined) held.set(tenant, (n = this.slots.filter((s) => s.inFlight.some((p) => p.tenant === tenant)).length));
      return n >= share;
    };
    const answers = new Map<Pending, PoolOutcome>();
    this.fair.removeQueued((tenant, pending) => {
      if (pending.queuedAt < oldest) answers.set(pending, { kind: "overloaded", queued: this.fair.queued });
      else if (pending.queuedAt < shareOldest && atShare(tenant)) answers.set(pending, { kind: "busy", scope: "share", limit: this.fair.shareWaitMs });
      return answers.has(pending);
    });
    for (const [pending, outcome] of answers) pending.resolve(outcome);
  }

  /**
   * Guests running longer than lowPriorityAfterMs go on at a lower CPU priority: a running guest
   * cannot be paused, but the kernel can run the short requests of others ahead of it. The worker
   * takes no more jobs and is replaced when its line is empty (see onWorkerMessage).
   */
  private lowerLongRunners(): void {
    if (this.lowPriorityAfterMs <= 0) return;
    const now = performance.now();
    for (const slot of this.slots) {
      const head = slot.inFlight[0];
      if (!head?.startedAt || slot.lowered || slot.dead || slot.tid === undefined || now - head.startedAt < this.lowPriorityAfterMs) continue;
      if (Atomics.load(slot.progress, PROGRESS_RUNNING) !== head.id) continue;
      slot.lowered = true;
      try {
        os.setPriority(slot.tid, Math.min(19, os.getPriority(slot.tid) + LOW_PRIORITY_NICE));
        slot.retiring = true;
      } catch {
        // Not allowed here (or the thread is gone): the guest runs on as it was.
      }
    }
  }

  /**
   * Over the memory limit and still growing fast: stop the worker whose current job has run
   * longest (the likely cause). "Growing" matters: freed memory is not always handed back to
   * the system at once, and a high but flat RSS must not cost innocent requests their run.
   */
  private checkMemory(): void {
    const now = performance.now();
    const rss = process.memoryUsage.rss();
    const growth = rss - this.lastRss;
    this.lastRss = rss;
    if (now - this.lastMemoryKill < 1000 || rss <= this.maxRssBytes || growth < 8 * 1024 * 1024) return;
    let culprit: Slot | undefined;
    for (const slot of this.slots) {
      const head = slot.inFlight[0];
      if (slot.dead || !head?.startedAt || Atomics.load(slot.progress, PROGRESS_FINISHED) >= head.id) continue;
      if (!culprit || head.startedAt < culprit.inFlight[0]!.startedAt) culprit = slot;
    }
    if (!culprit) return;
    this.lastMemoryKill = now;
    const pending = culprit.inFlight.shift()!;
    pending.resolve({
      kind: "crashed",
      cause: "host-memory",
      message: `out of memory: the gateway went over ${Math.round(this.maxRssBytes / 1048576)} MiB while this request ran`,
      wallMs: this.elapsed(pending),
    });
    this.stopWorker(culprit, "worker stopped");
    this.dispatch();
  }

  private onDeadline(slot: Slot, pending: Pending): void {
    if (slot.dead || slot.inFlight[0] !== pending) return;
    // Its answer may already be on the way: then there is nothing to stop.
    if (Atomics.load(slot.progress, PROGRESS_FINISHED) >= pending.id) return;
    slot.inFlight.shift();
    // Sent to the worker (its module and files loaded here) but never started: the worker was
    // still preparing the module, i.e. compiling it.
    const loading = pending.sent === true && Atomics.load(slot.progress, PROGRESS_RUNNING) !== pending.id;
    if (loading) {
      const { moduleHash, deadlineMs } = pending.job;
      if (this.slowCompiles.size >= 1000) this.slowCompiles.delete(this.slowCompiles.keys().next().value!);
      this.slowCompiles.set(moduleHash, { deadlineMs: Math.max(deadlineMs, this.slowCompiles.get(moduleHash)?.deadlineMs ?? 0), until: performance.now() + SLOW_COMPILE_MEMORY_MS });
    }
    pending.resolve({ kind: "timeout", wallMs: this.elapsed(pending), ...(loading ? { loading } : {}) });
    // The jobs behind it never started: they go back to the queue.
    this.stopWorker(slot, "worker stopped");
    this.dispatch();
  }
}
