/** Open-source Kestra takes basic auth (mandatory since 0.24); Enterprise takes an API token. */
export type KestraAuth =
  | { type: 'basic'; username: string; password: string }
  | { type: 'bearer'; token: string };

/**
 * Kestra 2.0 moved the per-execution actions under `/actions` (`…/executions/{id}/actions/resume`,
 * answering 200 with the execution); 0.x and 1.x resume at `…/executions/{id}/resume` (204).
 */
export type KestraMajorVersion = 1 | 2;

export interface ResumeExecutionRequest {
  /** Kestra's address, e.g. https://kestra.example.com (a path prefix is kept). */
  baseUrl: string;
  /** Which resume route the server has; 2 when not given. */
  kestraMajorVersion?: KestraMajorVersion;
  /** `main` in open-source Kestra. */
  tenant: string;
  executionId: string;
  /** One multipart field per `onResume` input of the Pause task; JSON inputs are sent as JSON text. */
  inputs: Record<string, string>;
  auth?: KestraAuth;
  /** Aborts the request; the outcome is then `failed` with no status. */
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export type ResumeOutcome =
  | { outcome: 'resumed'; status: number }
  /** 409: the execution is not paused, typically because it has not reached its Pause yet. */
  | { outcome: 'not-paused-yet'; status: 409; message: string }
  /** 404: Kestra knows no such execution in this tenant. */
  | { outcome: 'not-found'; status: 404; message: string }
  /** Any other answer, or none (`status: null`: network error, timeout, abort). */
  | { outcome: 'failed'; status: number | null; message: string };

/** Enough of Kestra's error body to tell what went wrong, never the whole of a large page. */
const MESSAGE_LIMIT = 300;

export function resumeUrl(
  baseUrl: string,
  tenant: string,
  executionId: string,
  kestraMajorVersion: KestraMajorVersion = 2,
): string {
  const base = baseUrl.replace(/\/+$/, '');
  const action = kestraMajorVersion === 1 ? 'resume' : 'actions/resume';
  return `${base}/api/v1/${encodeURIComponent(tenant)}/executions/${encodeURIComponent(executionId)}/${action}`;
}

function authorization(auth: KestraAuth): string {
  if (auth.type === 'bearer') return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}

/** Kestra answers errors with `{ message }` JSON; anything else is quoted as text, cut short. */
async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  let message = text;
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {}
  const trimmed = message.trim().slice(0, MESSAGE_LIMIT);
  return trimmed === '' ? `HTTP ${response.status}` : trimmed;
}

/**
 * `POST {baseUrl}/api/v1/{tenant}/executions/{executionId}/actions/resume` (Kestra 2) or `…/resume`
 * (Kestra 1) with the inputs as multipart/form-data. Never throws: every answer, and the lack of one, is an outcome the caller
 * decides on (retry a 409 or a 5xx, give up on a 404).
 */
export async function resumeExecution(request: ResumeExecutionRequest): Promise<ResumeOutcome> {
  const form = new FormData();
  for (const [name, value] of Object.entries(request.inputs)) form.append(name, value);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.auth) headers.authorization = authorization(request.auth);

  let response: Response;
  try {
    response = await (request.fetch ?? globalThis.fetch)(
      resumeUrl(request.baseUrl, request.tenant, request.executionId, request.kestraMajorVersion),
      // A followed redirect would turn the POST into a GET without its body: report it instead.
      { method: 'POST', headers, body: form, signal: request.signal, redirect: 'manual' },
    );
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message;
    const name = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { outcome: 'failed', status: null, message: detail ? `${name} (${detail})` : name };
  }

  if (response.ok) {
    await response.body?.cancel();
    return { outcome: 'resumed', status: response.status };
  }
  const message = await errorMessage(response);
  if (response.status === 409) return { outcome: 'not-paused-yet', status: 409, message };
  if (response.status === 404) return { outcome: 'not-found', status: 404, message };
  return { outcome: 'failed', status: response.status, message };
}
