import type { CallResult } from '@callbridge/contracts';
import type { ResumeOutcome } from '@callbridge/kestra-client';
import { type KestraPushPolicy, type PushSettlement, settlePushAttempt } from '../lib/kestra-push-policy.ts';
import { type KestraTenantRule, kestraTargetRefusal } from '../lib/kestra-push-target.ts';
import { finalReason, toCallResult } from '../lib/to-call-result.ts';
import { withSpan } from '../lib/with-span.ts';
import type { ClaimedPush } from './kestra-push-outbox.ts';
import { LeasedClaimLoop } from './leased-claim-loop.ts';

/** The outbox, as the worker uses it (services/kestra-push-outbox.ts over one Supabase client). */
export interface KestraPushStore {
  /** Enqueues calls the grace period made final; how many. */
  enqueueEnded(): Promise<number>;
  claim(limit: number, leaseSeconds: number): Promise<ClaimedPush[]>;
  settle(push: ClaimedPush, settlement: PushSettlement): Promise<boolean>;
}

/** Sends one resume request to Kestra with the result as the `result` input. */
export type ResumeExecution = (
  push: ClaimedPush,
  result: CallResult,
  signal: AbortSignal,
) => Promise<ResumeOutcome>;

export interface PushLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface KestraPushWorkerOptions {
  graceSeconds: number;
  pollIntervalMs: number;
  requestTimeoutMs: number;
  policy: KestraPushPolicy;
  /** Resume requests in flight at once on this instance. */
  maxInFlight?: number;
  /** On close, how long requests in flight may take to finish before they are cut and released. */
  shutdownGraceMs?: number;
  /** Which tenants each source may resume executions in; a push outside them is never sent. */
  tenants: KestraTenantRule;
}

/** Past the request's own timeout: time to read the call before and to settle after. */
const LEASE_MARGIN_SECONDS = 30;

/**
 * Delivers the Kestra push outbox from this instance: resumes each execution with its call's result,
 * and records the outcome on the row. A report stored here nudges it, so its push leaves within
 * milliseconds; a poll (KESTRA_PUSH_POLL_INTERVAL_MS) catches rows written by other instances, retries
 * that fell due and calls the grace period made final. Cost: while idle, two small queries per poll
 * (enqueue the ended calls, claim due rows), whatever the number of instances or calls; then per
 * push one claim, one read of the call, one resume request and one settle. Rows are claimed under a
 * lease with FOR UPDATE SKIP LOCKED, so instances never send one row at the same time, and a row
 * whose instance died comes back when its lease runs out. On close, requests in flight get a moment
 * to finish; the rest are cut and their rows released for the next instance.
 */
export class KestraPushWorker {
  private readonly loop: LeasedClaimLoop<ClaimedPush>;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly store: KestraPushStore,
    private readonly resume: ResumeExecution,
    private readonly log: PushLog,
    private readonly options: KestraPushWorkerOptions,
  ) {
    const leaseSeconds = Math.ceil(options.requestTimeoutMs / 1000) + LEASE_MARGIN_SECONDS;
    this.loop = new LeasedClaimLoop({
      claim: (limit) => this.store.claim(limit, leaseSeconds),
      deliver: (push, shutdown) => this.deliver(push, shutdown),
      onClaimFailed: (error) =>
        this.log.warn({ err: error }, 'claiming Kestra pushes failed; retrying next poll'),
      maxInFlight: options.maxInFlight ?? 16,
      shutdownGraceMs: options.shutdownGraceMs ?? 2000,
    });
  }

  /** Resume requests this instance has in flight. */
  get activeDeliveries(): number {
    return this.loop.activeDeliveries;
  }

  /** Starts polling, with a first poll at once for rows left from before a restart. */
  start(): void {
    if (this.timer || this.loop.closed) return;
    this.timer = setInterval(() => void this.poll(), this.options.pollIntervalMs);
    void this.poll();
  }

  /** A report was stored on this instance: claim what is due now rather than at the next poll. */
  nudge(): void {
    this.loop.nudge();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.loop.close();
  }

  private async poll(): Promise<void> {
    // A slow database must not stack up overlapping polls.
    if (this.polling || this.loop.closed) return;
    this.polling = true;
    try {
      const enqueued = await this.store.enqueueEnded();
      if (enqueued > 0) this.log.info({ enqueued }, 'kestra push enqueued for calls ended without a report');
    } catch (error) {
      this.log.warn({ err: error }, 'enqueueing Kestra pushes failed; retrying next poll');
    }
    try {
      this.nudge();
      await this.loop.claimed();
    } finally {
      this.polling = false;
    }
  }

  private async deliver(push: ClaimedPush, shutdown: AbortSignal): Promise<void> {
    const fields = {
      callId: push.callId,
      executionId: push.executionId,
      tenant: push.tenant ?? undefined,
      attempt: push.attempts,
    };
    // Deleted since (its push row went with it): nothing to send, nothing to record.
    if (!push.call) return;

    let settlement: PushSettlement;
    const refusal = kestraTargetRefusal(push, push.sourceTenants, this.options.tenants);
    if (refusal) {
      // Nothing reaches Kestra: the metadata came from whoever holds the source's secret.
      settlement = { state: 'failed', lastStatus: null, lastError: `refused: ${refusal}`, retryInMs: 0 };
    } else if (this.loop.closed) {
      settlement = released('released at shutdown before sending');
    } else {
      const now = new Date();
      // The row is only written once the result is final; the grace rule re-read here agrees with it.
      const reason =
        finalReason(push.call, now, this.options.graceSeconds) ??
        (push.call.report_received_at ? 'end-of-call-report' : 'ended-without-report');
      const signal = AbortSignal.any([shutdown, AbortSignal.timeout(this.options.requestTimeoutMs)]);
      const call = push.call;
      const outcome = await withSpan(
        'kestra.push',
        {
          'callbridge.call.id': push.callId,
          'callbridge.kestra.execution.id': push.executionId,
          'callbridge.kestra.attempt': push.attempts,
        },
        async (span) => {
          const answer = await this.resume(push, toCallResult(call, reason), signal);
          if (answer.status !== null) span.setAttribute('http.response.status_code', answer.status);
          return answer;
        },
        { root: true },
      );
      settlement =
        shutdown.aborted && outcome.status === null
          ? released('interrupted by shutdown; released for another attempt')
          : settlePushAttempt(outcome, push, new Date(), this.options.policy);
    }

    const logged = {
      ...fields,
      state: settlement.state,
      status: settlement.lastStatus ?? undefined,
      error: settlement.lastError ?? undefined,
      retryInMs: settlement.state === 'pending' ? settlement.retryInMs : undefined,
    };
    try {
      const settled = await this.store.settle(push, settlement);
      if (!settled) {
        this.log.warn(logged, 'kestra push lease ran out before the outcome was recorded');
        return;
      }
    } catch (error) {
      this.log.error(
        { ...logged, err: error },
        'recording a Kestra push failed; it is retried after its lease',
      );
      return;
    }
    if (settlement.state === 'delivered') this.log.info(logged, 'kestra push delivered');
    else if (settlement.state === 'pending') this.log.warn(logged, 'kestra push not delivered; retrying');
    else this.log.error(logged, `kestra push ${settlement.state}`);
  }
}

function released(reason: string): PushSettlement {
  return { state: 'pending', lastStatus: null, lastError: reason, retryInMs: 0 };
}
