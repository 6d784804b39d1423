/** An error whose message is safe to show the caller, with the status it maps to. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

export class ServiceUnavailableError extends HttpError {
  constructor(message = 'A dependency is unavailable; try again shortly', options?: { cause?: unknown }) {
    super(503, message, options);
    this.name = 'ServiceUnavailableError';
  }
}
