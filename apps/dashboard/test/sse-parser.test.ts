import { describe, expect, it } from 'vitest';
import { SseParser } from '../src/lib/sse-parser.ts';

describe('SseParser', () => {
  it('yields events once complete, across chunks split anywhere, and drops heartbeats and retry', () => {
    const parser = new SseParser();
    expect(parser.push('retry: 2000\nevent: ready\ndata: {"a"')).toEqual([]);
    expect(
      parser.push(':1}\n\n: keep-alive\n\nevent: call\r\ndata: {"callId":"x"}\r\n\r\nevent: ca'),
    ).toEqual([
      { event: 'ready', data: '{"a":1}' },
      { event: 'call', data: '{"callId":"x"}' },
    ]);
    expect(parser.push('ll\ndata: 1\ndata: 2\n\n')).toEqual([{ event: 'call', data: '1\n2' }]);
  });

  it('names an event without an event field "message"', () => {
    expect(new SseParser().push('data: hi\n\n')).toEqual([{ event: 'message', data: 'hi' }]);
  });
});
