export type Speaker = 'assistant' | 'customer' | 'tool';

export interface TranscriptTurn {
  speaker: Speaker;
  text: string;
  /** Seconds from the start of the call, when VAPI gave it. */
  secondsFromStart: number | null;
}

const SPEAKERS: Record<string, Speaker> = {
  bot: 'assistant',
  assistant: 'assistant',
  user: 'customer',
  customer: 'customer',
  tool: 'tool',
  tool_call_result: 'tool',
  function: 'tool',
};

interface VapiMessage {
  role?: unknown;
  message?: unknown;
  content?: unknown;
  secondsFromStart?: unknown;
}

/**
 * The conversation, turn by turn, from VAPI's `artifact.messages` (roles bot/user/…; the system prompt
 * is left out), or from the plain transcript ("AI: …" / "User: …" lines) when there are no messages.
 */
export function transcriptTurns(messages: unknown[] | null, transcript: string | null): TranscriptTurn[] {
  const fromMessages = (messages ?? []).flatMap((entry): TranscriptTurn[] => {
    const message = (entry ?? {}) as VapiMessage;
    const speaker = typeof message.role === 'string' ? SPEAKERS[message.role] : undefined;
    const text = typeof message.message === 'string' ? message.message : message.content;
    if (!speaker || typeof text !== 'string' || text.trim() === '') return [];
    const seconds = typeof message.secondsFromStart === 'number' ? message.secondsFromStart : null;
    return [{ speaker, text: text.trim(), secondsFromStart: seconds }];
  });
  if (fromMessages.length > 0 || !transcript) return fromMessages;
  return transcript.split('\n').flatMap((line): TranscriptTurn[] => {
    const match = /^\s*(AI|Assistant|Bot|User|Customer)\s*:\s*(.+)$/i.exec(line);
    if (!match?.[1] || !match[2]) return [];
    const speaker: Speaker = /^(ai|assistant|bot)$/i.test(match[1]) ? 'assistant' : 'customer';
    return [{ speaker, text: match[2].trim(), secondsFromStart: null }];
  });
}

/** 75.4 → "1:15". */
export function formatOffset(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
