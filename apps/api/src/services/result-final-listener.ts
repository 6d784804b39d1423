import pg from 'pg';

/** The channel notify_call_result_final (20261201000300_outboxes.sql) notifies on, with the call id as payload. */
export const RESULT_FINAL_CHANNEL = 'callbridge_call_result_final';

export interface ListenerLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface ResultFinalListenerOptions {
  connectionString: string;
  onFinal: (callId: string) => void;
  /** Connected (again): notifications sent while disconnected are lost, so the caller re-checks. */
  onConnected: () => void;
  onDisconnected: () => void;
  log: ListenerLog;
  /** First retry after this, doubling (with jitter) up to maxRetryMs. */
  retryBaseMs?: number;
  maxRetryMs?: number;
}

/**
 * One dedicated Postgres connection per instance, LISTENing for results made final by any instance.
 * It reconnects with backoff for as long as the instance runs. Logs carry the error's message and code
 * only: pg errors never include the connection string, and nothing here logs it.
 */
export class ResultFinalListener {
  private client: pg.Client | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;
  private _connected = false;
  private _notifications = 0;
  private _reconnects = 0;
  private everConnected = false;

  constructor(private readonly options: ResultFinalListenerOptions) {}

  get connected(): boolean {
    return this._connected;
  }

  /** Notifications received since start. */
  get notifications(): number {
    return this._notifications;
  }

  /** Connections made after the first. */
  get reconnects(): number {
    return this._reconnects;
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    this._connected = false;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      keepAlive: true,
      application_name: 'callbridge-result-listener',
    });
    this.client = client;
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost || this.client !== client) return;
      lost = true;
      this.client = undefined;
      const wasConnected = this._connected;
      this._connected = false;
      if (wasConnected) this.options.onDisconnected();
      client.end().catch(() => undefined);
      if (!this.stopped) this.scheduleRetry(error);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel !== RESULT_FINAL_CHANNEL || !message.payload) return;
      this._notifications++;
      this.options.onFinal(message.payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${RESULT_FINAL_CHANNEL}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (this.stopped || this.client !== client) {
      await client.end().catch(() => undefined);
      return;
    }
    if (this.everConnected) this._reconnects++;
    this.everConnected = true;
    const retried = this.failures;
    this.failures = 0;
    this._connected = true;
    this.options.log.info({ afterFailures: retried }, 'listening for final results');
    this.options.onConnected();
  }

  private scheduleRetry(error: Error | undefined): void {
    const base = this.options.retryBaseMs ?? 250;
    const max = this.options.maxRetryMs ?? 30_000;
    const delayMs = Math.round(Math.min(max, base * 2 ** this.failures) * (0.5 + Math.random() / 2));
    this.failures++;
    this.options.log.warn(
      {
        reason: error?.message ?? 'connection closed',
        code: (error as { code?: string } | undefined)?.code,
        attempt: this.failures,
        retryInMs: delayMs,
      },
      'result listener disconnected; reconnecting',
    );
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delayMs);
  }
}
