interface Window {
  count: number;
  resetAt: number;
}

/**
 * Failed authentication attempts per client (an IP), in fixed windows: past `max` failures in a
 * window the client is refused until the window ends. Counts failures only, so a client that
 * authenticates never spends it, and it can be asked before the (costly) check: a refused client's
 * junk then costs no key lookup. Bounded: past `maxClients` the oldest window goes, so a flood from
 * many addresses costs memory it cannot grow, and only ever evicts other failing clients.
 */
export class FailedAttempts {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly max: number,
    private readonly windowMs = 60_000,
    private readonly maxClients = 10_000,
  ) {}

  /** Whole seconds until this client may try again; 0 while it may. */
  retryAfterSeconds(client: string, now = Date.now()): number {
    const window = this.windows.get(client);
    if (!window || window.resetAt <= now || window.count < this.max) return 0;
    return Math.ceil((window.resetAt - now) / 1000);
  }

  record(client: string, now = Date.now()): void {
    let window = this.windows.get(client);
    if (!window || window.resetAt <= now) {
      this.windows.delete(client);
      if (this.windows.size >= this.maxClients) {
        const oldest = this.windows.keys().next();
        if (!oldest.done) this.windows.delete(oldest.value);
      }
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(client, window);
    }
    window.count += 1;
  }
}
