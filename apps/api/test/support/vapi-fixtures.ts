import { readFileSync } from 'node:fs';

/** A realistic VAPI server message from test/fixtures/vapi, with CALL_ID replaced by the given id. */
export function vapiFixture(name: string, callId = 'CALL_ID'): Record<string, unknown> {
  const text = readFileSync(new URL(`../fixtures/vapi/${name}.json`, import.meta.url), 'utf8');
  return JSON.parse(text.replaceAll('CALL_ID', callId));
}

export function uniqueCallId(label = 'call'): string {
  return `${label}-${crypto.randomUUID()}`;
}
