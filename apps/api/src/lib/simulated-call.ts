import { randomUUID } from 'node:crypto';

/** One webhook of a simulated call: post `payload` after waiting `delayMs` since the previous one. */
export interface SimulatedDelivery {
  delayMs: number;
  payload: { message: Record<string, unknown> };
}

export interface SimulatedCallOptions {
  callId?: string;
  /** When the call starts; message timestamps and times follow it. */
  startedAt?: Date;
  /** Multiplies every pause: 0 posts the whole call at once (tests), 1 plays it roughly live. */
  pace?: number;
  customerNumber?: string;
}

const SCRIPT = [
  {
    role: 'bot',
    text: 'Hi, this is Concierge calling for Pat about the plumbing request. Is now a good time?',
  },
  { role: 'user', text: 'Yes, go ahead. We had a leak under the kitchen sink.' },
  { role: 'bot', text: "Thanks. Joe's Plumbing can come tomorrow at nine. Does that work for you?" },
  { role: 'user', text: 'Tomorrow at nine is perfect. What does it cost?' },
  { role: 'bot', text: 'The call-out is one hundred dollars an hour. I have booked it. Goodbye!' },
] as const;

const TURN_SECONDS = 5;

/**
 * A realistic VAPI outbound call as the webhooks VAPI sends for it (status updates queued → ringing →
 * in-progress, live speech/transcript/conversation updates, status ended, then the end-of-call report),
 * shared by `pnpm simulate-call` and POST /api/v1/dev/simulate-call so both play the same call.
 */
export function simulatedCall(options: SimulatedCallOptions = {}): {
  callId: string;
  deliveries: SimulatedDelivery[];
} {
  const callId = options.callId ?? `sim-${randomUUID()}`;
  const pace = options.pace ?? 1;
  const start = (options.startedAt ?? new Date()).getTime();
  const customer = { number: options.customerNumber ?? '+15555550100', name: 'Pat Example' };
  const assistantOverrides = {
    variableValues: { providerName: "Joe's Plumbing", serviceNeeded: 'plumbing' },
    metadata: { serviceRequestId: `sr_${callId.slice(-6)}`, source: 'simulator' },
  };
  const call = (status: string, extra: Record<string, unknown> = {}) => ({
    id: callId,
    type: 'outboundPhoneCall',
    status,
    assistantId: 'asst_simulated',
    phoneNumberId: 'pn_simulated',
    createdAt: new Date(start).toISOString(),
    customer,
    assistantOverrides,
    ...extra,
  });
  const at = (seconds: number) => start + seconds * 1000;
  const iso = (seconds: number) => new Date(at(seconds)).toISOString();
  const deliveries: SimulatedDelivery[] = [];
  const push = (delaySeconds: number, message: Record<string, unknown>) =>
    deliveries.push({ delayMs: Math.round(delaySeconds * 1000 * pace), payload: { message } });
  const status = (delay: number, seconds: number, value: string, extra: Record<string, unknown> = {}) =>
    push(delay, {
      type: 'status-update',
      timestamp: at(seconds),
      status: value,
      call: call(value, extra),
      customer,
      phoneNumber: { provider: 'vapi', number: '+15555550199' },
    });

  status(0, 0, 'queued');
  status(0.8, 1, 'ringing');
  status(1.2, 3, 'in-progress', { startedAt: iso(3) });

  const messages: Record<string, unknown>[] = [];
  SCRIPT.forEach((turn, index) => {
    const from = 4 + index * TURN_SECONDS;
    const speaker = turn.role === 'bot' ? 'assistant' : 'user';
    push(0.6, {
      type: 'speech-update',
      timestamp: at(from),
      status: 'started',
      role: speaker,
      turn: index,
      call: { id: callId },
    });
    push(0.5, {
      type: 'transcript',
      timestamp: at(from + 3),
      role: speaker,
      transcriptType: 'final',
      transcript: turn.text,
      call: { id: callId },
    });
    messages.push({
      role: turn.role,
      message: turn.text,
      time: at(from),
      endTime: at(from + 4),
      secondsFromStart: from - 3,
      duration: 4000,
    });
    push(0.3, {
      type: 'conversation-update',
      timestamp: at(from + 4),
      messages: [...messages],
      call: { id: callId },
    });
  });

  const endSeconds = 4 + SCRIPT.length * TURN_SECONDS;
  status(0.6, endSeconds, 'ended', {
    startedAt: iso(3),
    endedAt: iso(endSeconds),
    endedReason: 'assistant-ended-call',
  });

  const minutes = Math.round(((endSeconds - 3) / 60) * 100) / 100;
  const costBreakdown = {
    transport: 0.0052,
    stt: 0.0041,
    llm: 0.0123,
    tts: 0.0067,
    vapi: 0.0183,
    total: 0.0466,
  };
  push(1, {
    type: 'end-of-call-report',
    timestamp: at(endSeconds + 2),
    endedReason: 'assistant-ended-call',
    startedAt: iso(3),
    endedAt: iso(endSeconds),
    cost: costBreakdown.total,
    costs: [
      { type: 'transport', provider: 'vapi', minutes, cost: costBreakdown.transport },
      { type: 'transcriber', provider: 'deepgram', minutes, cost: costBreakdown.stt },
      {
        type: 'model',
        model: { provider: 'openai', model: 'gpt-4o' },
        promptTokens: 1840,
        completionTokens: 160,
        cost: costBreakdown.llm,
      },
      { type: 'voice', provider: '11labs', characters: 310, cost: costBreakdown.tts },
      { type: 'vapi', subType: 'normal', minutes, cost: costBreakdown.vapi },
    ],
    artifact: {
      transcript: SCRIPT.map((turn) => `${turn.role === 'bot' ? 'AI' : 'User'}: ${turn.text}`).join('\n'),
      messages: [
        { role: 'system', message: 'You are Concierge.', time: at(3), secondsFromStart: 0 },
        ...messages,
      ],
      recording: {
        stereoUrl: `https://storage.vapi.ai/${callId}-stereo.wav`,
        mono: { combinedUrl: `https://storage.vapi.ai/${callId}-mono.wav` },
      },
    },
    analysis: {
      summary: "Pat booked Joe's Plumbing for tomorrow at 9am to fix a leak under the kitchen sink.",
      structuredData: { booked: true, slot: 'tomorrow 09:00', estimatedRate: '$100/hour' },
      successEvaluation: 'true',
    },
    call: call('ended', { startedAt: iso(3), endedAt: iso(endSeconds), costBreakdown }),
    customer,
    phoneNumber: { provider: 'vapi', number: '+15555550199' },
  });
  return { callId, deliveries };
}
