import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { forExecution, uniqueExecutionId, usePushStack } from '../../support/push-stack.ts';
import { freezeStack } from '../../support/stack-freeze.ts';
import { getCall, postWebhook } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

const push = usePushStack();
const spoolDir = await mkdtemp(path.join(tmpdir(), 'callbridge-push-spool-'));
afterAll(() => rm(spoolDir, { recursive: true, force: true }));

describe('push to Kestra for a report spooled during an outage', () => {
  it('goes out once the report has drained, not before, with the stored result', async () => {
    // The poll a minute away: only the drain's nudge can send it soon after the database is back.
    const app = await push.buildApp({
      SPOOL_DIR: spoolDir,
      SPOOL_AFTER_MS: '500',
      KESTRA_PUSH_POLL_INTERVAL_MS: '60000',
    });
    const kestra = push.kestra();
    const callId = uniqueCallId('push-spooled');
    const executionId = uniqueExecutionId();
    kestra.createExecution(executionId, { paused: true });

    const frozen = freezeStack(push.stack());
    try {
      const report = forExecution(vapiFixture('end-of-call-report', callId), {
        kestraExecutionId: executionId,
      });
      expect((await postWebhook(app, report)).statusCode).toBe(200);
      expect(app.spool?.status().depth).toBe(1);
      await sleep(1000);
      // Nothing to push yet: the outbox row comes with the report's commit.
      expect(kestra.requestsFor(executionId)).toEqual([]);
    } finally {
      frozen.thaw();
    }
    const thawedAt = Date.now();

    const resume = await kestra.waitForResume(executionId, 15_000);
    expect(resume.receivedAt - thawedAt).toBeLessThan(10_000);
    expect(app.spool?.status().depth).toBe(0);
    expect(resume.result).toEqual((await getCall(app, callId)).json().data);
  }, 60_000);
});
