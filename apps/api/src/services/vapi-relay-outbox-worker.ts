import {
  type RelayRetryPolicy,
  type RelaySettlement,
  settleRelayAttempt,
} from '../lib/relay-retry-policy.ts';
import type { RelayOutboxRow } from '../schemas/relay-outbox-row-schema.ts';
import type { PushLog } from './kestra-push-worker.ts';
import type { RelayOutcome } from './vapi-relay.ts';

/** The outbox, as the worker uses it (services/vapi-relay-outbox.ts over one Supabase client). */
export interface RelayOutboxStore {
  claim(limit: number, leaseSeconds: number): Promise<RelayOutboxRow[]>;
  settle(row: RelayOutboxRow, settlement: RelaySettlement): Promise<boolean>;
}

/** Sends one stored delivery to the team's server (services/vapi-relay.ts). */
export type ForwardRelay = (row: RelayOutboxRow, signal: AbortSignal) => Promise<RelayOutcome>;

export interface RelayOutboxWorkerOptions {
  pollIntervalMs: number;
  requestTimeoutMs: number;
  policy: RelayRetryPolicy;
  maxInFlight?: number;
  shutdownGraceMs?: number;
  onForwarded?: (type: string, outcome: RelayOutcome) => void;
}

/** Past the request's own timeout: time to settle after. */
const LEASE_MARGIN_SECONDS = 30;

/**
 * Delivers the relay outbox from this instance, like the Kestra push worker: a stored delivery nudges
 * it, a poll (VAPI_RELAY_POLL_INTERVAL_MS) catches other instances' rows and retries that fell due.
 * Rows are claimed under a lease (FOR UPDATE SKIP LOCKED), so instances never send one row at once
 * and a dead instance's rows come back when the lease runs out. Idle cost: one small query per poll.
 */
export class RelayOutboxWorker {
  private readonly shutdown = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly maxInFlight: number;
  private readonly leaseSeconds: number;
  private timer: NodeJS.Timeout | undefined;
  private claimRun: Promise<void> | undefined;
  private claimAgain = false;
  private backlog = false;
  private closed = false;

  constructor(
    private readonly store: RelayOutboxStore,
    private readonly forward: ForwardRelay,
    private readonly log: PushLog,
    private readonly options: RelayOutboxWorkerOptions,
  ) {
    this.maxInFlight = options.maxInFlight ?? 16;
    this.leaseSeconds = Math.ceil(options.requestTimeoutMs / 1000) + LEASE_MARGIN_SECONDS;
  }

  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.nudge(), this.options.pollIntervalMs);
    this.nudge();
  }

  /** A delivery was enqueued on this instance: claim now rather than at the next poll. */
  nudge(): void {
    if (this.closed) return;
    if (this.claimRun) {
      this.claimAgain = true;
      return;
    }
    this.claimRun = this.claimLoop().finally(() => {
      this.claimRun = undefined;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.claimRun;
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.options.shutdownGraceMs ?? 2000);
      });
      await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
      clearTimeout(timer);
    }
    this.shutdown.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private async claimLoop(): Promise<void> {
    do {
      this.claimAgain = false;
      const room = this.maxInFlight - this.inFlight.size;
      if (room <= 0) {
        this.backlog = true;
        return;
      }
      let claimed: RelayOutboxRow[];
      try {
        claimed = await this.store.claim(room, this.leaseSeconds);
      } catch (error) {
        this.log.warn({ err: error }, 'claiming relays failed; retrying next poll');
        return;
      }
      for (const row of claimed) this.track(row);
      if (claimed.length === room) this.claimAgain = true;
    } while (this.claimAgain && !this.closed);
  }

  private track(row: RelayOutboxRow): void {
    const delivery = this.deliver(row).finally(() => {
      this.inFlight.delete(delivery);
      if (this.backlog && !this.closed) {
        this.backlog = false;
        this.nudge();
      }
    });
    this.inFlight.add(delivery);
  }

  private async deliver(row: RelayOutboxRow): Promise<void> {
    const fields = { eventId: row.event_id, type: row.event_type, attempt: row.attempts };
    let settlement: RelaySettlement;
    if (this.closed) {
      settlement = { state: 'pending', lastStatus: null, lastError: 'released at shutdown', retryInMs: 0 };
    } else {
      const outcome = await this.forward(row, this.shutdown.signal);
      this.options.onForwarded?.(row.event_type, outcome);
      settlement =
        this.shutdown.signal.aborted && outcome.status === null
          ? { state: 'pending', lastStatus: null, lastError: 'interrupted by shutdown', retryInMs: 0 }
          : settleRelayAttempt(
              { status: outcome.status, error: outcome.kind === 'failed' ? outcome.error : null },
              { attempts: row.attempts, createdAt: new Date(row.created_at) },
              new Date(),
              this.options.policy,
            );
    }
    const logged = {
      ...fields,
      state: settlement.state,
      status: settlement.lastStatus ?? undefined,
      error: settlement.lastError ?? undefined,
      retryInMs: settlement.state === 'pending' ? settlement.retryInMs : undefined,
    };
    try {
      if (!(await this.store.settle(row, settlement))) {
        this.log.warn(logged, 'relay lease ran out before the outcome was recorded');
        return;
      }
    } catch (error) {
      this.log.error({ ...logged, err: error }, 'recording a relay failed; it is retried after its lease');
      return;
    }
    if (settlement.state === 'delivered') this.log.info(logged, 'relay delivered');
    else if (settlement.state === 'pending') this.log.warn(logged, 'relay not delivered; retrying');
    else this.log.error(logged, `relay ${settlement.state}`);
  }
}
