/**
 * Who gets the worker pool's next free worker (issue #13 item 3). Without this the pool was one
 * FIFO queue: six 5-second requests of one tenant took every worker, and another tenant's 10 ms
 * requests waited 7–15 s behind them. Now:
 *
 * - each tenant has its own queue, and free workers go to the tenants round-robin;
 * - while several tenants are active (they have jobs, or had one within `activeWindowMs`), each
 *   holds at most its fair share of the workers, floor(workers ÷ active tenants), at least one; a
 *   tenant alone may use them all (a worker cannot be taken back from a running guest, so this is
 *   what keeps a neighbour's requests from waiting for a long one);
 * - an app whose recent requests ran long ("heavy") never takes the last worker another tenant
 *   could use, and nothing is lined up behind its running job;
 * - a tenant's (and an app's) jobs queued or running at once are bounded, and a job held back by
 *   its tenant's share for `shareWaitMs` is answered "busy" (the gateway's 429 with Retry-After),
 *   so a tenant's excess is refused quickly instead of filling the queue others need.
 *
 * The pool (worker-pool.ts) asks this module; it keeps no timers of its own.
 */

export interface FairShareOptions {
  /** Jobs of one tenant queued or running at once in this pool; past it "busy" at once (default 250). */
  tenantConcurrency?: number;
  /** Jobs of one app queued or running at once (default: tenantConcurrency). */
  appConcurrency?: number;
  /** How long a tenant counts as active after its last job ended (default 10 s). */
  activeWindowMs?: number;
  /** How long a job held back by its tenant's share may wait before it is answered "busy" (default 1 s). */
  shareWaitMs?: number;
}

export const FAIR_SHARE_DEFAULTS = { tenantConcurrency: 250, activeWindowMs: 10_000, shareWaitMs: 1000 } as const;

/** An app whose requests run longer than this on average (ms) is "heavy". */
export const HEAVY_APP_MS = 50;
/** Weight of the newest run in an app's average run time. */
const RUN_TIME_WEIGHT = 0.3;
/** Apps whose average run time is kept (the oldest is forgotten past it). */
const MAX_APPS = 10_000;

export interface TenantState<P> {
  key: string;
  /** Jobs waiting for a worker, oldest first (jobs taken back go to the front). */
  queue: P[];
  /** Jobs admitted and not yet settled (queued or on a worker). */
  jobs: number;
  /** When its last job was admitted or settled (performance.now()). */
  lastActive: number;
  /** Jobs admitted and not yet settled, per app. */
  apps: Map<string, number>;
  /** In the round-robin ring (it has, or recently had, queued jobs). */
  inRing: boolean;
}

export type Refusal = { scope: "tenant" | "app"; limit: number };

/** Key of jobs that belong to no tenant (route discovery, tests): scheduled, never capped or counted. */
const PLATFORM = "";

export class FairShare<P> {
  readonly tenantConcurrency: number;
  readonly appConcurrency: number;
  readonly activeWindowMs: number;
  readonly shareWaitMs: number;
  private readonly tenants = new Map<string, TenantState<P>>();
  /** Tenants with queued jobs, in turn order; `turn` is whose turn is next. */
  private ring: TenantState<P>[] = [];
  private turn = 0;
  private readonly runMs = new Map<string, number>();
  /** Jobs queued across all tenants. */
  queued = 0;

  constructor(options: FairShareOptions = {}) {
    this.tenantConcurrency = options.tenantConcurrency ?? FAIR_SHARE_DEFAULTS.tenantConcurrency;
    this.appConcurrency = options.appConcurrency ?? this.tenantConcurrency;
    this.activeWindowMs = options.activeWindowMs ?? FAIR_SHARE_DEFAULTS.activeWindowMs;
    this.shareWaitMs = options.shareWaitMs ?? FAIR_SHARE_DEFAULTS.shareWaitMs;
  }

  tenant(key: string | undefined): TenantState<P> {
    const k = key ?? PLATFORM;
    let state = this.tenants.get(k);
    if (!state) {
      state = { key: k, queue: [], jobs: 0, lastActive: 0, apps: new Map(), inRing: false };
      this.tenants.set(k, state);
    }
    return state;
  }

  /** Counts a new job, or says which limit refuses it. Jobs of no tenant are never refused. */
  admit(tenant: TenantState<P>, app: string): Refusal | null {
    const appJobs = tenant.apps.get(app) ?? 0;
    if (tenant.key !== PLATFORM) {
      if (tenant.jobs >= this.tenantConcurrency) return { scope: "tenant", limit: this.tenantConcurrency };
      if (appJobs >= this.appConcurrency) return { scope: "app", limit: this.appConcurrency };
    }
    tenant.jobs++;
    tenant.apps.set(app, appJobs + 1);
    tenant.lastActive = performance.now();
    return null;
  }

  /** A job is settled; `ranMs` (how long it held its worker) feeds its app's average. */
  release(tenant: TenantState<P>, app: string, ranMs: number | undefined): void {
    tenant.jobs--;
    const left = (tenant.apps.get(app) ?? 1) - 1;
    if (left > 0) tenant.apps.set(app, left);
    else tenant.apps.delete(app);
    tenant.lastActive = performance.now();
    if (ranMs === undefined) return;
    const average = this.runMs.get(app);
    this.runMs.delete(app); // re-inserted last: the map is kept in order of use
    if (this.runMs.size >= MAX_APPS) this.runMs.delete(this.runMs.keys().next().value!);
    this.runMs.set(app, average === undefined ? ranMs : average + RUN_TIME_WEIGHT * (ranMs - average));
  }

  /** Whether the app's requests have been running long (an app not seen yet is not). */
  isHeavy(app: string): boolean {
    const average = this.runMs.get(app);
    return average !== undefined && average > HEAVY_APP_MS;
  }

  enqueue(tenant: TenantState<P>, pending: P): void {
    tenant.queue.push(pending);
    this.queued++;
    this.joinRing(tenant);
  }

  /** Jobs that go back to their tenants' queues ahead of what waits there, in their order. */
  requeue(entries: { tenant: TenantState<P>; pending: P }[]): void {
    for (let i = entries.length - 1; i >= 0; i--) {
      const { tenant, pending } = entries[i]!;
      tenant.queue.unshift(pending);
      this.queued++;
      this.joinRing(tenant);
    }
  }

  private joinRing(tenant: TenantState<P>): void {
    if (tenant.inRing) return;
    tenant.inRing = true;
    this.ring.push(tenant);
  }

  /**
   * The tenants with queued jobs, starting with the one whose turn it is. The caller takes a job
   * of at most one of them (taken()), then asks again.
   */
  *turns(): Generator<TenantState<P>> {
    const n = this.ring.length;
    for (let i = 0; i < n; i++) {
      const tenant = this.ring[(this.turn + i) % n]!;
      if (tenant.queue.length > 0) yield tenant;
    }
  }

  /** The head of `tenant`'s queue went to a worker: the next turn is the following tenant's. */
  taken(tenant: TenantState<P>): P {
    this.queued--;
    const pending = tenant.queue.shift()!;
    const index = this.ring.indexOf(tenant);
    if (tenant.queue.length === 0) {
      // Out of the ring until it queues again; the tenant after it keeps its place in turn.
      this.ring.splice(index, 1);
      tenant.inRing = false;
      this.turn = this.ring.length === 0 ? 0 : index % this.ring.length;
    } else {
      this.turn = (index + 1) % this.ring.length;
    }
    return pending;
  }

  /** Every queued job, tenant by tenant. */
  *allQueued(): Generator<{ tenant: TenantState<P>; pending: P }> {
    for (const tenant of this.ring) for (const pending of tenant.queue) yield { tenant, pending };
  }

  /** Removes the queued jobs `drop` picks (expired ones), keeping the others in order. */
  removeQueued(drop: (tenant: TenantState<P>, pending: P) => boolean): P[] {
    const removed: P[] = [];
    for (const tenant of this.ring) {
      const keep: P[] = [];
      for (const pending of tenant.queue) (drop(tenant, pending) ? removed : keep).push(pending);
      tenant.queue = keep;
    }
    this.queued -= removed.length;
    if (removed.length > 0) this.compactRing();
    return removed;
  }

  /** Takes tenants left with empty queues out of the ring, keeping whose turn it is. */
  private compactRing(): void {
    const n = this.ring.length;
    let nextTenant: TenantState<P> | undefined;
    for (let i = 0; i < n && !nextTenant; i++) {
      const tenant = this.ring[(this.turn + i) % n]!;
      if (tenant.queue.length > 0) nextTenant = tenant;
    }
    for (const tenant of this.ring) if (tenant.queue.length === 0) tenant.inRing = false;
    this.ring = this.ring.filter((t) => t.inRing);
    this.turn = nextTenant ? this.ring.indexOf(nextTenant) : 0;
  }

  /** Tenants with jobs now or within the active window (jobs of no tenant do not count). */
  activeTenants(now: number): number {
    let active = 0;
    for (const tenant of this.tenants.values()) {
      if (tenant.key !== PLATFORM && (tenant.jobs > 0 || now - tenant.lastActive < this.activeWindowMs)) active++;
    }
    return active;
  }

  /** Workers one tenant may hold now: all of them while it is alone, else its fair share. */
  share(workers: number, now: number): number {
    if (this.tenants.size <= 1) return Infinity;
    const active = this.activeTenants(now);
    return active <= 1 ? Infinity : Math.max(1, Math.floor(workers / active));
  }

  /** Whether `tenant` is subject to the share at all (jobs of no tenant are not). */
  capped(tenant: TenantState<P>): boolean {
    return tenant.key !== PLATFORM;
  }

  /** Forgets tenants with nothing queued or running and no job within the active window. */
  prune(now: number): void {
    for (const [key, tenant] of this.tenants) {
      if (tenant.jobs === 0 && !tenant.inRing && now - tenant.lastActive >= this.activeWindowMs) this.tenants.delete(key);
    }
  }

  /** Drops every queued job (the pool is closing) and returns them. */
  drain(): P[] {
    const all = [...this.allQueued()].map((e) => e.pending);
    for (const tenant of this.ring) {
      tenant.queue = [];
      tenant.inRing = false;
    }
    this.ring = [];
    this.turn = 0;
    this.queued = 0;
    return all;
  }
}
