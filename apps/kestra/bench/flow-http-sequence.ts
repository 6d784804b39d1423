// Measures what the HTTP-only flow costs and how fast it resumes, against the local stack:
//   baseline  — the old cadence: GET the result every 5 s (what call-provider.js did against VAPI);
//   long poll — the flow's GET …?wait=55, on the instance that receives the webhooks;
//   other     — the same long poll on a second instance sharing the database (found by its 1 s check);
//   push      — the flow sends Callbridge nothing: it pauses, and Callbridge resumes it (a Kestra
//               stand-in here) with the result once the report is stored.
// Then what hundreds of waiting requests cost the server (memory, CPU) against the same server idle.
// Run: pnpm bench   (BENCH_CALLS, BENCH_MIN_CALL_SECONDS, BENCH_MAX_CALL_SECONDS, BENCH_WAITERS change the load)
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { TEST_WEBHOOK_SECRET, uniqueCallId } from '@callbridge/api/testing';
import { KESTRA_TEST_AUTH, type KestraStandIn, startKestraStandIn } from '@callbridge/kestra-client/testing';
import { startLocalSupabase } from '@callbridge/supabase-local';
import getPort from 'get-port';
import { startVapiStandIn } from '../test/support/vapi-stand-in.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 12);
/** Call lengths are spread evenly over this range, the same for every mode. */
const MIN_SECONDS = Number(process.env.BENCH_MIN_CALL_SECONDS ?? 2);
const MAX_SECONDS = Number(process.env.BENCH_MAX_CALL_SECONDS ?? 10);
const WAITERS = Number(process.env.BENCH_WAITERS ?? 500);
const API_KEY = 'bench-api-key-0123456789';
const VAPI_KEY = 'bench-vapi-key';
const API_DIR = fileURLToPath(new URL('../../api/', import.meta.url));
const CLOCK_TICKS_PER_SECOND = 100;

interface Server {
  url: string;
  process: ChildProcess;
}

/** The API as its own process (node dist-like entry), so its memory and CPU can be read from /proc. */
async function startApi(env: Record<string, string>): Promise<Server> {
  const port = await getPort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: API_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    const ready = await fetch(`${url}/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { url, process: child };
    await sleep(100);
  }
  throw new Error('the API did not become ready');
}

function processStats(pid: number): { cpuMs: number; rssKb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND, rssKb: Number(rss) };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

type Mode =
  | {
      kind: 'poll';
      name: string;
      pollUrl: (server: string, callId: string) => string;
      intervalMs: number;
      server: Server;
    }
  | { kind: 'push'; name: string };

type Stats = { requests: number[]; resumeMs: number[] };
type VapiCalls = Awaited<ReturnType<typeof startVapiStandIn>>['calls'];

async function startCall(vapiUrl: string, index: number, metadata?: Record<string, string>): Promise<string> {
  const created = await fetch(`${vapiUrl}/call`, {
    method: 'POST',
    headers: { authorization: `Bearer ${VAPI_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      assistantId: 'asst_bench',
      phoneNumberId: 'pn_bench',
      customer: { number: `+1555555${String(index).padStart(4, '0')}` },
      ...(metadata ? { assistantOverrides: { metadata } } : {}),
    }),
  });
  return ((await created.json()) as { id: string }).id;
}

/** When Callbridge acknowledged the call's report, which may come a moment after a push it caused. */
async function reportAcknowledgedAt(calls: VapiCalls, callId: string): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const at = calls.get(callId)?.endAcknowledgedAt;
    if (at !== undefined) return at;
    await sleep(10);
  }
  throw new Error(`the report of call ${callId} was never acknowledged`);
}

/** The push flow: place the call naming this execution, reach the Pause, wait to be resumed. */
async function runPushedCall(
  vapiUrl: string,
  index: number,
  stats: Stats,
  calls: VapiCalls,
  kestra: KestraStandIn,
) {
  const executionId = `bench${index}${Math.random().toString(36).slice(2, 10)}`;
  kestra.createExecution(executionId);
  const id = await startCall(vapiUrl, index, { kestraExecutionId: executionId });
  kestra.pause(executionId);
  const resume = await kestra.waitForResume(executionId, 10 * 60_000);
  // Kestra sends Callbridge nothing: the POST /call is the flow's only request.
  stats.requests.push(1);
  stats.resumeMs.push(resume.receivedAt - (await reportAcknowledgedAt(calls, id)));
}

async function runCall(
  mode: Extract<Mode, { kind: 'poll' }>,
  vapiUrl: string,
  index: number,
  stats: Stats,
  calls: VapiCalls,
) {
  const id = await startCall(vapiUrl, index);
  let requests = 1;
  while (true) {
    const response = await fetch(mode.pollUrl(mode.server.url, id), {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    await response.arrayBuffer();
    requests++;
    if (response.status === 200) break;
    if (mode.intervalMs > 0) await sleep(mode.intervalMs);
  }
  const resumedAt = Date.now();
  stats.requests.push(requests);
  stats.resumeMs.push(resumedAt - (await reportAcknowledgedAt(calls, id)));
}

async function main() {
  const stack = await startLocalSupabase();
  const kestra = await startKestraStandIn();
  // Both instances push, as a deployment would have them: the webhook's instance sends the push.
  const env = {
    SUPABASE_URL: stack.url,
    SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
    API_KEYS: API_KEY,
    VAPI_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    // NODE_ENV=production refuses /metrics without a token (nothing here scrapes it).
    METRICS_TOKEN: 'bench-metrics-token-0123456789',
    READ_RATE_LIMIT_PER_MINUTE: '100000',
    KESTRA_URL: kestra.url,
    KESTRA_USERNAME: KESTRA_TEST_AUTH.username,
    KESTRA_PASSWORD: KESTRA_TEST_AUTH.password,
  };
  const receiving = await startApi(env);
  const other = await startApi(env);
  const callMs = (index: number) =>
    1000 * (MIN_SECONDS + ((MAX_SECONDS - MIN_SECONDS) * index) / Math.max(1, CALLS - 1));
  const vapi = await startVapiStandIn({
    apiKey: VAPI_KEY,
    webhookUrl: `${receiving.url}/api/v1/vapi/webhook`,
    webhookSecret: TEST_WEBHOOK_SECRET,
    scenarioFor: (number) => ({
      durationMs: callMs(Number(number.slice(-4))),
      reportDelayMs: 500,
    }),
  });

  try {
    const modes: Mode[] = [
      {
        kind: 'poll',
        name: 'baseline: poll every 5 s',
        pollUrl: (url, id) => `${url}/api/v1/vapi/calls/${id}`,
        intervalMs: 5000,
        server: receiving,
      },
      {
        kind: 'poll',
        name: 'long poll, same instance',
        pollUrl: (url, id) => `${url}/api/v1/vapi/calls/${id}?wait=55`,
        intervalMs: 0,
        server: receiving,
      },
      {
        kind: 'poll',
        name: 'long poll, other instance',
        pollUrl: (url, id) => `${url}/api/v1/vapi/calls/${id}?wait=55`,
        intervalMs: 0,
        server: other,
      },
      { kind: 'push', name: 'push: Callbridge resumes' },
    ];
    const results = [];
    for (const mode of modes) {
      const stats = { requests: [] as number[], resumeMs: [] as number[] };
      await Promise.all(
        Array.from({ length: CALLS }, (_, index) =>
          mode.kind === 'poll'
            ? runCall(mode, vapi.url, index, stats, vapi.calls)
            : runPushedCall(vapi.url, index, stats, vapi.calls, kestra),
        ),
      );
      results.push({ mode: mode.name, stats });
    }
    const resumeRequests = kestra.requests.length;

    console.log(
      `\nFlow HTTP sequence, ${CALLS} calls per mode (calls last ${MIN_SECONDS}–${MAX_SECONDS} s; requests include the POST /call)\n`,
    );
    console.log(
      'mode                        requests/call (mean, max)   resume after report (median, p95, max)',
    );
    const baseline = results[0];
    for (const { mode, stats } of results) {
      console.log(
        `${mode.padEnd(28)}${`${mean(stats.requests).toFixed(1)}, ${Math.max(...stats.requests)}`.padEnd(28)}${percentile(stats.resumeMs, 50)} ms, ${percentile(stats.resumeMs, 95)} ms, ${Math.max(...stats.resumeMs)} ms`,
      );
    }
    for (const { mode, stats } of results.slice(1)) {
      if (!baseline) break;
      const fewer = mean(baseline.stats.requests) / mean(stats.requests);
      const faster = percentile(baseline.stats.resumeMs, 50) / Math.max(1, percentile(stats.resumeMs, 50));
      console.log(
        `ratio baseline / ${mode}: ${fewer.toFixed(1)}x the requests, ${faster.toFixed(0)}x the median resume time`,
      );
    }

    console.log(
      `push: ${resumeRequests} resume requests from Callbridge to Kestra for ${CALLS} calls (the flow sends Callbridge none)`,
    );

    const pid = other.process.pid ?? 0;
    const idleStart = processStats(pid);
    await sleep(5000);
    const idleEnd = processStats(pid);
    const hangUp = new AbortController();
    const waiting = Array.from({ length: WAITERS }, () =>
      fetch(`${other.url}/api/v1/vapi/calls/${uniqueCallId('bench-waiter')}?wait=60`, {
        headers: { authorization: `Bearer ${API_KEY}` },
        signal: hangUp.signal,
      }).catch(() => undefined),
    );
    await sleep(3000);
    const busyStart = processStats(pid);
    await sleep(5000);
    const busyEnd = processStats(pid);
    hangUp.abort();
    await Promise.all(waiting);

    const idleCpu = ((idleEnd.cpuMs - idleStart.cpuMs) / 5000) * 100;
    const busyCpu = ((busyEnd.cpuMs - busyStart.cpuMs) / 5000) * 100;
    const perWaiterKb = (busyEnd.rssKb - idleEnd.rssKb) / WAITERS;
    console.log(
      `\n${WAITERS} concurrent long polls on one instance (5 s windows, same process measured idle first)`,
    );
    console.log(
      `server RSS: idle ${(idleEnd.rssKb / 1024).toFixed(1)} MiB, waiting ${(busyEnd.rssKb / 1024).toFixed(1)} MiB (${perWaiterKb.toFixed(1)} KiB per waiter, sockets included)`,
    );
    console.log(
      `server CPU: idle ${idleCpu.toFixed(2)} %, waiting ${busyCpu.toFixed(2)} % of one core (one batched check a second, no per-waiter loop; idle includes the push poll)`,
    );
  } finally {
    await vapi.close();
    await kestra.close();
    receiving.process.kill('SIGTERM');
    other.process.kill('SIGTERM');
    await stack.stop();
  }
}

await main();
