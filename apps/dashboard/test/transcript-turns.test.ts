import { describe, expect, it } from 'vitest';
import { formatOffset, transcriptTurns } from '../src/lib/transcript-turns.ts';

describe('transcriptTurns', () => {
  it('turns VAPI messages into who said what, leaving out the system prompt and empty turns', () => {
    const turns = transcriptTurns(
      [
        { role: 'system', message: 'You are Concierge.', secondsFromStart: 0 },
        { role: 'bot', message: ' Hi, this is Concierge. ', secondsFromStart: 1.2 },
        { role: 'user', message: 'Yes, tomorrow at nine.', secondsFromStart: 6.1 },
        { role: 'user', message: '   ' },
        { role: 'tool_call_result', message: '{"ok":true}' },
        null,
      ],
      'AI: ignored when there are messages',
    );
    expect(turns).toEqual([
      { speaker: 'assistant', text: 'Hi, this is Concierge.', secondsFromStart: 1.2 },
      { speaker: 'customer', text: 'Yes, tomorrow at nine.', secondsFromStart: 6.1 },
      { speaker: 'tool', text: '{"ok":true}', secondsFromStart: null },
    ]);
  });

  it('falls back to the plain transcript when there are no messages', () => {
    expect(transcriptTurns(null, 'AI: Hello there.\nUser: Hi: who is this?\nnoise')).toEqual([
      { speaker: 'assistant', text: 'Hello there.', secondsFromStart: null },
      { speaker: 'customer', text: 'Hi: who is this?', secondsFromStart: null },
    ]);
    expect(transcriptTurns([], null)).toEqual([]);
  });

  it('formats offsets as minutes and seconds', () => {
    expect(formatOffset(75.4)).toBe('1:15');
    expect(formatOffset(3)).toBe('0:03');
  });
});
