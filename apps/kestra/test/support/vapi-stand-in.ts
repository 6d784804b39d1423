import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { vapiHmacHeaders } from '@callbridge/api/testing';

export interface CallScenario {
  /** How long the call lasts once in progress. */
  durationMs: number;
  endedReason: string;
  /** VAPI may send no end-of-call report for a call that never connected. */
  sendReport: boolean;
  /** Analysis delay between status `ended` and the report. */
  reportDelayMs: number;
  transcript: string;
}

export interface StandInCall {
  id: string;
  request: Record<string, unknown>;
  /** When Callbridge acknowledged the end-of-call report (or the final status update) with a 2xx. */
  endAcknowledgedAt?: number;
}

const DEFAULT_SCENARIO: CallScenario = {
  durationMs: 500,
  endedReason: 'customer-ended-call',
  sendReport: true,
  reportDelayMs: 100,
  transcript: 'AI: Hello from the stand-in.\nUser: Hi.',
};

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error);
      }
    });
    request.on('error', reject);
  });
}

/**
 * A local stand-in for VAPI: accepts POST /call like the real API (bearer key, CreateCallDTO shape,
 * unknown top-level properties refused) and then, like VAPI, posts signed status updates and an
 * end-of-call report to Callbridge's webhook.
 */
export async function startVapiStandIn(options: {
  apiKey: string;
  webhookUrl: string;
  webhookSecret: string;
  scenarioFor?: (customerNumber: string) => Partial<CallScenario>;
}): Promise<{ url: string; calls: Map<string, StandInCall>; close(): Promise<void> }> {
  const calls = new Map<string, StandInCall>();
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number, task: () => Promise<void>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      void task().catch(() => undefined);
    }, ms);
    timers.add(timer);
  };

  const deliver = async (message: Record<string, unknown>): Promise<boolean> => {
    const body = JSON.stringify({ message: { timestamp: Date.now(), ...message } });
    const response = await fetch(options.webhookUrl, {
      method: 'POST',
      body,
      headers: vapiHmacHeaders(body, { secret: options.webhookSecret }),
    });
    return response.ok;
  };

  const play = (call: StandInCall, scenario: CallScenario) => {
    const request = call.request as {
      customer: { number: string };
      assistantId: string;
      phoneNumberId: string;
    };
    const callObject = { ...call.request, id: call.id, type: 'outboundPhoneCall' };
    const common = { call: callObject, customer: request.customer, phoneNumber: { number: '+15555550199' } };
    const startedAt = new Date(Date.now() + 100);
    later(20, async () => void (await deliver({ ...common, type: 'status-update', status: 'ringing' })));
    later(100, async () => void (await deliver({ ...common, type: 'status-update', status: 'in-progress' })));
    const endAt = 100 + scenario.durationMs;
    later(endAt, async () => {
      const acknowledged = await deliver({
        ...common,
        type: 'status-update',
        status: 'ended',
        endedReason: scenario.endedReason,
      });
      if (acknowledged && !scenario.sendReport) call.endAcknowledgedAt = Date.now();
    });
    if (!scenario.sendReport) return;
    later(endAt + scenario.reportDelayMs, async () => {
      const acknowledged = await deliver({
        ...common,
        type: 'end-of-call-report',
        endedReason: scenario.endedReason,
        startedAt: startedAt.toISOString(),
        endedAt: new Date(startedAt.getTime() + scenario.durationMs).toISOString(),
        cost: 0.12,
        artifact: { transcript: scenario.transcript, messages: [] },
        analysis: { summary: 'The stand-in call went fine.', successEvaluation: 'true' },
      });
      if (acknowledged) call.endAcknowledgedAt = Date.now();
    });
  };

  const server: Server = createServer(async (request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.url !== '/call') return reply(404, { message: 'Not Found' });
    if (request.headers.authorization !== `Bearer ${options.apiKey}`)
      return reply(401, { message: 'Invalid Key' });
    const body = (await readJson(request).catch(() => null)) as Record<string, unknown> | null;
    const allowed = new Set(['assistantId', 'phoneNumberId', 'customer', 'assistantOverrides', 'name']);
    const unknown = Object.keys(body ?? {}).filter((key) => !allowed.has(key));
    if (unknown.length > 0)
      return reply(400, { message: unknown.map((key) => `property ${key} should not exist`) });
    const customer = body?.customer as { number?: string } | undefined;
    if (!body?.assistantId || !body.phoneNumberId || !customer?.number) {
      return reply(400, { message: ['assistantId, phoneNumberId and customer.number are required'] });
    }
    const call: StandInCall = { id: randomUUID(), request: body };
    calls.set(call.id, call);
    play(call, { ...DEFAULT_SCENARIO, ...options.scenarioFor?.(customer.number) });
    reply(201, { ...body, id: call.id, status: 'queued', createdAt: new Date().toISOString() });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
