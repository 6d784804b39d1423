import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { type RunningCallbridge, startCallbridge } from '@callbridge/api/testing';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_OPTIONS } from '../build-script.ts';
import { startVapiStandIn } from './support/vapi-stand-in.ts';

const SCRIPT = new URL('../scripts/call-provider.mjs', import.meta.url).pathname;
const VAPI_KEY = 'vapi-private-key-for-tests';
const BUSY_NUMBER = '+15555550111';
const LONG_CALL_NUMBER = '+15555550122';
// Four times Linux's 64 KiB pipe buffer: a write this size cannot finish before the process would exit.
const LONG_TRANSCRIPT = 'AI: Could you tell me more about the leak?\nUser: It drips all night.\n'.repeat(
  4000,
);

let callbridge: RunningCallbridge;
let vapi: Awaited<ReturnType<typeof startVapiStandIn>>;

beforeAll(async () => {
  // A 1 s grace period: a busy call gets no report, and its result must still become final.
  callbridge = await startCallbridge({
    RESULT_GRACE_PERIOD_SECONDS: '1',
    LONG_POLL_CHECK_INTERVAL_MS: '200',
  });
  vapi = await startVapiStandIn({
    apiKey: VAPI_KEY,
    webhookUrl: `${callbridge.url}/api/v1/vapi/webhook`,
    webhookSecret: callbridge.webhookSecret,
    scenarioFor: (number) => {
      if (number === BUSY_NUMBER) return { endedReason: 'customer-busy', sendReport: false, durationMs: 0 };
      if (number === LONG_CALL_NUMBER) return { transcript: LONG_TRANSCRIPT };
      return {};
    },
  });
});

afterAll(async () => {
  await vapi?.close();
  await callbridge?.stop();
});

interface ScriptRun {
  code: number | null;
  outputs: Array<Record<string, unknown>>;
  stdout: string;
  stderr: string;
}

/** Runs the bundled script as a Kestra Node task would: plain node, configuration in the environment. */
function runScript(env: Record<string, string>): Promise<ScriptRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT], {
      env: {
        PATH: process.env.PATH ?? '',
        VAPI_BASE_URL: vapi.url,
        VAPI_API_KEY: VAPI_KEY,
        VAPI_ASSISTANT_ID: 'asst_kestra',
        VAPI_PHONE_NUMBER_ID: 'pn_kestra',
        CALLBRIDGE_URL: callbridge.url,
        CALLBRIDGE_API_KEY: callbridge.apiKey,
        KESTRA_EXECUTION_ID: 'exec_5XyZ',
        CALL_TIMEOUT_MINUTES: '1',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('close', (code) => {
      const outputs = stdout
        .split('\n')
        .map((line) => /^::(\{.*\})::$/.exec(line)?.[1])
        .filter((json): json is string => json !== undefined)
        .map((json) => (JSON.parse(json) as { outputs: Record<string, unknown> }).outputs);
      resolve({ code, outputs, stdout, stderr });
    });
  });
}

describe('scripts/call-provider.mjs', () => {
  it('starts the call, waits on Callbridge and prints the result as Kestra outputs', async () => {
    const run = await runScript({
      CUSTOMER_NUMBER: '+15555550100',
      VARIABLE_VALUES: JSON.stringify({ providerName: "Joe's Plumbing" }),
      METADATA: JSON.stringify({ serviceRequestId: 'sr_981' }),
    });
    // Kestra logs every stderr line at ERROR level: a call that went fine writes none.
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('started; waiting for its result on Callbridge');
    expect(run.stdout).not.toContain(VAPI_KEY);
    expect(run.code).toBe(0);
    const [started, result] = run.outputs;
    expect(result).toMatchObject({
      callId: started?.callId,
      status: 'ended',
      outcome: 'completed',
      retryable: false,
      endedReason: 'customer-ended-call',
      finalReason: 'end-of-call-report',
      summary: 'The stand-in call went fine.',
    });

    const request = vapi.calls.get(String(started?.callId))?.request;
    expect(request).toEqual({
      assistantId: 'asst_kestra',
      phoneNumberId: 'pn_kestra',
      customer: { number: '+15555550100' },
      assistantOverrides: {
        variableValues: { providerName: "Joe's Plumbing" },
        metadata: { serviceRequestId: 'sr_981', kestraExecutionId: 'exec_5XyZ' },
      },
    });
  });

  it('reports a busy call as retryable once Callbridge finalizes it without a report', async () => {
    const run = await runScript({ CUSTOMER_NUMBER: BUSY_NUMBER });
    expect(run.code).toBe(0);
    expect(run.outputs.at(-1)).toMatchObject({
      outcome: 'busy',
      retryable: true,
      finalReason: 'ended-without-report',
    });
  });

  // Kestra's Docker runner reads stdout through a pipe, where Node writes asynchronously: exiting
  // before the write drains would cut the outputs line and lose the result.
  it('prints the whole result line when it is larger than a pipe buffer, then exits 0', async () => {
    const run = await runScript({ CUSTOMER_NUMBER: LONG_CALL_NUMBER });
    expect(run.code).toBe(0);
    expect(run.outputs.at(-1)).toMatchObject({ outcome: 'completed', transcript: LONG_TRANSCRIPT });
  });

  it('fails with a message naming what is missing and no values', async () => {
    const run = await runScript({ CUSTOMER_NUMBER: '', CALLBRIDGE_API_KEY: '' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('missing environment variables: CUSTOMER_NUMBER, CALLBRIDGE_API_KEY');
  });

  it('fails when VAPI refuses the call', async () => {
    const run = await runScript({ CUSTOMER_NUMBER: '+15555550100', VAPI_API_KEY: 'wrong-key' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('VAPI did not start the call (HTTP 401)');
    expect(run.stderr).not.toContain('wrong-key');
  });

  it('is the current build of src/call-provider.ts', async () => {
    const fresh = await build({ ...BUNDLE_OPTIONS, write: false });
    const committed = await readFile(SCRIPT, 'utf8');
    expect(committed).toBe(fresh.outputFiles[0]?.text);
  });
});
