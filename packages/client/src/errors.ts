/** Callbridge answered with a status the client cannot recover from (400, 401, 403, …). */
export class CallbridgeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const message = (body as { message?: unknown } | null)?.message;
    super(`Callbridge answered ${status}${typeof message === 'string' ? `: ${message}` : ''}`);
    this.name = 'CallbridgeHttpError';
  }
}

/** The call's result was not final before the caller's deadline. */
export class CallbridgeTimeoutError extends Error {
  constructor(
    readonly callId: string,
    /** The last status Callbridge reported, or null when it had not heard of the call. */
    readonly lastStatus: string | null,
  ) {
    super(
      `No final result for call ${callId} in time (last status: ${lastStatus ?? 'unknown to Callbridge'})`,
    );
    this.name = 'CallbridgeTimeoutError';
  }
}
