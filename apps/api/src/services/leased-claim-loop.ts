/** How a leased outbox (the Kestra push, the relay of VAPI_RELAY_TYPES) is claimed and delivered. */
export interface LeasedClaimLoopOptions<Row> {
  /** Claims up to `limit` due rows under a lease (FOR UPDATE SKIP LOCKED). */
  claim(limit: number): Promise<Row[]>;
  /** Sends one claimed row and settles it; `shutdown` aborts when close's grace has run out. */
  deliver(row: Row, shutdown: AbortSignal): Promise<void>;
  onClaimFailed(error: unknown): void;
  /** Deliveries in flight at once on this instance. */
  maxInFlight: number;
  /** On close, how long deliveries in flight may take before they are cut. */
  shutdownGraceMs: number;
}

/**
 * The claim side both outbox workers share: nudges coalesce into one claim run, which claims as many
 * rows as there are free slots and claims again while a claim filled them all; a slot freed after a
 * full claim nudges again. close() waits for the claim run, gives deliveries in flight their grace,
 * then aborts the rest and waits for them to settle (or release) their rows.
 */
export class LeasedClaimLoop<Row> {
  private readonly shutdown = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private claimRun: Promise<void> | undefined;
  private claimAgain = false;
  /** The last claim filled every free slot: more rows may be due once a slot frees up. */
  private backlog = false;
  private closing = false;

  constructor(private readonly options: LeasedClaimLoopOptions<Row>) {}

  get closed(): boolean {
    return this.closing;
  }

  /** Aborted once close's grace has run out. */
  get shutdownSignal(): AbortSignal {
    return this.shutdown.signal;
  }

  get activeDeliveries(): number {
    return this.inFlight.size;
  }

  /** Claims what is due now; during a claim run, makes it claim once more. */
  nudge(): void {
    if (this.closing) return;
    if (this.claimRun) {
      this.claimAgain = true;
      return;
    }
    this.claimRun = this.claimLoop().finally(() => {
      this.claimRun = undefined;
    });
  }

  /** Waits for a nudge's claims to be made and delivered (the claim run only, not every delivery). */
  async claimed(): Promise<void> {
    await this.claimRun;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.claimRun;
    const pending = [...this.inFlight];
    if (pending.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.options.shutdownGraceMs);
      });
      await Promise.race([Promise.allSettled(pending), grace]);
      clearTimeout(timer);
    }
    this.shutdown.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private async claimLoop(): Promise<void> {
    do {
      this.claimAgain = false;
      const room = this.options.maxInFlight - this.inFlight.size;
      if (room <= 0) {
        this.backlog = true;
        return;
      }
      let claimed: Row[];
      try {
        claimed = await this.options.claim(room);
      } catch (error) {
        this.options.onClaimFailed(error);
        return;
      }
      for (const row of claimed) this.track(row);
      if (claimed.length === room) this.claimAgain = true;
    } while (this.claimAgain && !this.closing);
  }

  private track(row: Row): void {
    const delivery = this.options.deliver(row, this.shutdown.signal).finally(() => {
      this.inFlight.delete(delivery);
      if (this.backlog && !this.closing) {
        this.backlog = false;
        this.nudge();
      }
    });
    this.inFlight.add(delivery);
  }
}
