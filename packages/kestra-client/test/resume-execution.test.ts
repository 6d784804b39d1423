import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KestraAuth, resumeExecution, resumeUrl } from '../src/index.ts';
import { KESTRA_TEST_AUTH, type KestraStandIn, startKestraStandIn } from './support/kestra-stand-in.ts';

let kestra: KestraStandIn;
beforeAll(async () => {
  kestra = await startKestraStandIn();
});
afterAll(() => kestra.close());

const basic: KestraAuth = { type: 'basic', ...KESTRA_TEST_AUTH };
const resume = (executionId: string, overrides: Partial<Parameters<typeof resumeExecution>[0]> = {}) =>
  resumeExecution({
    baseUrl: kestra.url,
    tenant: 'main',
    executionId,
    inputs: { result: JSON.stringify({ callId: 'call-1', outcome: 'completed' }) },
    auth: basic,
    ...overrides,
  });

let sequence = 0;
const executionId = () => `exec${++sequence}${Date.now().toString(36)}`;

describe('resumeExecution', () => {
  it('resumes a paused execution with each input as a multipart field, on Kestra 2’s route', async () => {
    const id = executionId();
    kestra.createExecution(id, { paused: true });
    expect(await resume(id)).toEqual({ outcome: 'resumed', status: 200 });
    const [received] = kestra.resumesOf(id);
    expect(received?.result).toEqual({ callId: 'call-1', outcome: 'completed' });
    expect(received).toMatchObject({ tenant: 'main', route: 2 });
  });

  it('uses the route of Kestra 0.x and 1.x when told to', async () => {
    const id = executionId();
    kestra.createExecution(id, { paused: true });
    expect(await resume(id, { kestraMajorVersion: 1 })).toEqual({ outcome: 'resumed', status: 204 });
    expect(kestra.resumesOf(id)).toMatchObject([{ route: 1 }]);
  });

  it('says not-paused-yet while the execution has not reached its Pause, and resumes it after', async () => {
    const id = executionId();
    kestra.createExecution(id);
    expect(await resume(id)).toMatchObject({ outcome: 'not-paused-yet', status: 409 });
    kestra.pause(id);
    expect(await resume(id)).toMatchObject({ outcome: 'resumed' });
  });

  it('says not-found for an execution Kestra does not know, or knows in another tenant', async () => {
    expect(await resume(executionId())).toMatchObject({ outcome: 'not-found', status: 404 });
    const id = executionId();
    kestra.createExecution(id, { tenant: 'sales', paused: true });
    expect(await resume(id)).toMatchObject({ outcome: 'not-found' });
    expect(await resume(id, { tenant: 'sales' })).toMatchObject({ outcome: 'resumed' });
  });

  it('reports a refused login, a server error and no answer as failed, with the status when there is one', async () => {
    const id = executionId();
    kestra.createExecution(id, { paused: true });
    expect(await resume(id, { auth: { type: 'basic', username: 'x', password: 'y' } })).toMatchObject({
      outcome: 'failed',
      status: 401,
    });
    expect(await resume(id, { auth: undefined })).toMatchObject({ outcome: 'failed', status: 401 });
    kestra.failNext(1, 502);
    expect(await resume(id)).toEqual({ outcome: 'failed', status: 502, message: 'Service Unavailable' });

    const closed = await startKestraStandIn();
    const deadUrl = closed.url;
    await closed.close();
    const unreachable = await resume(id, { baseUrl: deadUrl });
    expect(unreachable).toMatchObject({ outcome: 'failed', status: null });
    expect(unreachable.outcome === 'failed' && unreachable.message).toContain('ECONNREFUSED');
  });

  it('sends a bearer token to Enterprise Kestra', async () => {
    const enterprise = await startKestraStandIn({ auth: { token: 'ee-api-token' } });
    try {
      const id = executionId();
      enterprise.createExecution(id, { paused: true });
      const outcome = await resumeExecution({
        baseUrl: enterprise.url,
        tenant: 'main',
        executionId: id,
        inputs: { result: '{}' },
        auth: { type: 'bearer', token: 'ee-api-token' },
      });
      expect(outcome).toMatchObject({ outcome: 'resumed' });
    } finally {
      await enterprise.close();
    }
  });

  it('gives up on a request when its signal aborts', async () => {
    const id = executionId();
    kestra.createExecution(id, { paused: true });
    const held = kestra.hold();
    const pending = resume(id, { signal: AbortSignal.timeout(200) });
    await held.arrived;
    expect(await pending).toMatchObject({ outcome: 'failed', status: null });
    await new Promise((resolve) => setTimeout(resolve, 100));
    held.release();
    // The stand-in, like Kestra, never saw a request whose client had gone: still paused.
    expect(await resume(id)).toMatchObject({ outcome: 'resumed' });
  });
});

describe('resumeUrl', () => {
  it('keeps a path prefix and encodes the tenant and execution id', () => {
    expect(resumeUrl('https://kestra.example.com/kestra/', 'main', 'a/b c')).toBe(
      'https://kestra.example.com/kestra/api/v1/main/executions/a%2Fb%20c/actions/resume',
    );
    expect(resumeUrl('https://kestra.example.com', 'main', 'x', 1)).toBe(
      'https://kestra.example.com/api/v1/main/executions/x/resume',
    );
  });
});
