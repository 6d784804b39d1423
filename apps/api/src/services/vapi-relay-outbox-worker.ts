import {
  type RelayRetryPolicy,
  type RelaySettlement,
  settleRelayAttempt,
} from '../lib/relay-retry-policy.ts';
import type { RelayOutboxRow } from '../schemas/relay-outbox-row-schema.ts';
import type { PushLog } from './kestra-push-worker.ts';
import { LeasedClaimLoop } from './leased-claim-loop.ts';
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
  private readonly loop: LeasedClaimLoop<RelayOutboxRow>;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: RelayOutboxStore,
    private readonly forward: ForwardRelay,
    private readonly log: PushLog,
    private readonly options: RelayOutboxWorkerOptions,
  ) {
    const leaseSeconds = Math.ceil(options.requestTimeoutMs / 1000) + LEASE_MARGIN_SECONDS;
    this.loop = new LeasedClaimLoop({
      claim: (limit) => this.store.claim(limit, leaseSeconds),
      deliver: (row, shutdown) => this.deliver(row, shutdown),
      onClaimFailed: (error) => this.log.warn({ err: error }, 'claiming relays failed; retrying next poll'),
      maxInFlight: options.maxInFlight ?? 16,
      shutdownGraceMs: options.shutdownGraceMs ?? 2000,
    });
  }

  start(): void {
    if (this.timer || this.loop.closed) return;
    this.timer = setInterval(() => this.nudge(), this.options.pollIntervalMs);
    this.nudge();
  }

  /** A delivery was enqueued on this instance: claim now rather than at the next poll. */
  nudge(): void {
    this.loop.nudge();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.loop.close();
  }

  private async deliver(row: RelayOutboxRow, shutdown: AbortSignal): Promise<void> {
    const fields = { eventId: row.event_id, type: row.event_type, attempt: row.attempts };
    let settlement: RelaySettlement;
    if (this.loop.closed) {
      settlement = { state: 'pending', lastStatus: null, lastError: 'released at shutdown', retryInMs: 0 };
    } else {
      const outcome = await this.forward(row, shutdown);
      this.options.onForwarded?.(row.event_type, outcome);
      settlement =
        shutdown.aborted && outcome.status === null
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
