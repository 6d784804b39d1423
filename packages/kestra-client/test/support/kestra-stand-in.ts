import multipart from '@fastify/multipart';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';

export type StandInAuth = { username: string; password: string } | { token: string };

export const KESTRA_TEST_AUTH = { username: 'callbridge@example.com', password: 'Kestra-test-Pa55' } as const;

/** One resume request as the stand-in answered it. */
export interface RecordedResume {
  /** Which of Kestra's resume routes was called: 2 for `…/actions/resume`, 1 for `…/resume`. */
  route: 1 | 2;
  tenant: string;
  executionId: string;
  /** What the stand-in answered; null when the client had gone before it could answer. */
  status: number | null;
  /** Every multipart field, as text. */
  fields: Record<string, string>;
  /** The `result` field parsed as JSON, when it is. */
  result: unknown;
  receivedAt: number;
}

interface Execution {
  tenant: string;
  state: 'running' | 'paused' | 'resumed';
}

export interface HeldRequests {
  /** Resolves once the first request is being held. */
  arrived: Promise<void>;
  /** Answers every held request as if it had just arrived (one whose client has gone is dropped). */
  release(): void;
}

export interface KestraStandIn {
  url: string;
  /** Every resume request in arrival order: resumed, refused and failed alike. */
  requests: RecordedResume[];
  /** Makes an execution known. It answers 409 until `pause` (or `paused: true`), then resumes once. */
  createExecution(executionId: string, options?: { tenant?: string; paused?: boolean }): void;
  /** The execution reaches its Pause task. */
  pause(executionId: string): void;
  /** Requests that resumed this execution (2xx). */
  resumesOf(executionId: string): RecordedResume[];
  requestsFor(executionId: string): RecordedResume[];
  waitForResume(executionId: string, timeoutMs?: number): Promise<RecordedResume>;
  /** The next `count` requests get this status (a proxy or Kestra itself failing). */
  failNext(count: number, status?: number): void;
  /** Holds every request from now on until `release`: a push in flight. */
  hold(): HeldRequests;
  close(): Promise<void>;
}

function authorized(request: FastifyRequest, auth: StandInAuth): boolean {
  const header = request.headers.authorization ?? '';
  if ('token' in auth) return header === `Bearer ${auth.token}`;
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (!match?.[1]) return false;
  return Buffer.from(match[1], 'base64').toString('utf8') === `${auth.username}:${auth.password}`;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A stand-in for Kestra's resume API, over real HTTP: `POST /api/v1/{tenant}/executions/{id}/actions/resume`
 * (Kestra 2: 200 with the execution) and `…/{id}/resume` (Kestra 1: 204), with multipart/form-data,
 * basic auth (or a bearer token, as in Enterprise), 404 for an unknown execution, 409 while it is not
 * paused (before its Pause, and again once resumed), 422 when the `result` input is missing or not JSON.
 */
export async function startKestraStandIn(options: { auth?: StandInAuth } = {}): Promise<KestraStandIn> {
  const auth = options.auth ?? KESTRA_TEST_AUTH;
  const executions = new Map<string, Execution>();
  const requests: RecordedResume[] = [];
  const waiters = new Set<() => void>();
  let failures: { count: number; status: number } = { count: 0, status: 503 };
  let holding: { arrived: () => void; held: Array<() => void> } | undefined;

  // close() cuts connections a push worker still holds busy, so a test's teardown never waits on one.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  await app.register(multipart, { limits: { fields: 20, fieldSize: 10 * 1024 * 1024, files: 0 } });

  const resume =
    (route: 1 | 2) =>
    async (
      request: FastifyRequest<{ Params: { tenant: string; executionId: string } }>,
      reply: FastifyReply,
    ) => {
      const { tenant, executionId } = request.params;
      if (!authorized(request, auth)) {
        return reply
          .code(401)
          .header('www-authenticate', 'Basic realm="Kestra"')
          .send({ message: 'Unauthorized' });
      }
      if (!request.isMultipart()) return reply.code(415).send({ message: 'Unsupported Media Type' });
      const fields: Record<string, string> = {};
      for await (const part of request.parts()) {
        if (part.type === 'field') fields[part.fieldname] = String(part.value);
      }

      if (holding) {
        const hold = holding;
        await new Promise<void>((resolve) => {
          hold.held.push(resolve);
          hold.arrived();
        });
      }
      const record: RecordedResume = {
        route,
        tenant,
        executionId,
        status: null,
        fields,
        result: parseJson(fields.result),
        receivedAt: Date.now(),
      };
      requests.push(record);
      // A client that hung up while held: Kestra would not have got the request either.
      if (request.raw.socket.destroyed) return reply;

      const answer = (status: number, body?: object) => {
        record.status = status;
        for (const wake of waiters) wake();
        return body === undefined ? reply.code(status).send() : reply.code(status).send(body);
      };
      if (failures.count > 0) {
        failures.count--;
        return answer(failures.status, { message: 'Service Unavailable' });
      }
      const execution = executions.get(executionId);
      if (!execution || execution.tenant !== tenant) {
        return answer(404, { message: `Execution '${executionId}' not found` });
      }
      if (execution.state !== 'paused') {
        return answer(409, { message: `Execution '${executionId}' is not paused` });
      }
      if (record.result === undefined) {
        return answer(422, { message: 'Invalid input for `result`: expected JSON' });
      }
      execution.state = 'resumed';
      return route === 1
        ? answer(204)
        : answer(200, { id: executionId, tenantId: tenant, state: { current: 'RUNNING' } });
    };
  app.post('/api/v1/:tenant/executions/:executionId/actions/resume', resume(2));
  app.post('/api/v1/:tenant/executions/:executionId/resume', resume(1));

  const url = await app.listen({ host: '127.0.0.1', port: 0 });

  const resumesOf = (executionId: string) =>
    requests.filter(
      (request) =>
        request.executionId === executionId &&
        request.status !== null &&
        request.status >= 200 &&
        request.status < 300,
    );

  return {
    url,
    requests,
    createExecution(executionId, { tenant = 'main', paused = false } = {}) {
      executions.set(executionId, { tenant, state: paused ? 'paused' : 'running' });
    },
    pause(executionId) {
      const execution = executions.get(executionId);
      if (!execution) throw new Error(`no execution ${executionId}`);
      execution.state = 'paused';
    },
    resumesOf,
    requestsFor: (executionId) => requests.filter((request) => request.executionId === executionId),
    waitForResume(executionId, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const [resume] = resumesOf(executionId);
          if (!resume) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(resume);
          return true;
        };
        const wake = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`execution ${executionId} was not resumed within ${timeoutMs} ms`));
        }, timeoutMs);
        if (!check()) waiters.add(wake);
      });
    },
    failNext(count, status = 503) {
      failures = { count, status };
    },
    hold() {
      let arrived!: () => void;
      const promise = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      const hold = { arrived, held: [] as Array<() => void> };
      holding = hold;
      return {
        arrived: promise,
        release() {
          if (holding === hold) holding = undefined;
          for (const resume of hold.held.splice(0)) resume();
        },
      };
    },
    async close() {
      holding?.held.splice(0).forEach((resume) => {
        resume();
      });
      holding = undefined;
      await app.close();
    },
  };
}
