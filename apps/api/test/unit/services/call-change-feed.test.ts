import { describe, expect, it } from 'vitest';
import type { CallRow } from '../../../src/schemas/call-row-schema.ts';
import { CallChangeFeed } from '../../../src/services/call-change-feed.ts';

const row = (callId: string, updatedAt: string) => ({ call_id: callId, updated_at: updatedAt }) as CallRow;

/** A feed whose interval never fires in a test: polls are driven by hand. */
function feedOver(batches: CallRow[][], now = Date.parse('2026-11-23T10:00:00Z')) {
  const asked: string[] = [];
  const feed = new CallChangeFeed(
    async (since) => {
      asked.push(since);
      return batches.shift() ?? [];
    },
    3_600_000,
    undefined,
    () => now,
  );
  return { feed, asked };
}

describe('CallChangeFeed', () => {
  it('sends each version of a call once, though the overlap window reads it again', async () => {
    const { feed, asked } = feedOver([
      [row('a', '2026-11-23T10:00:01Z')],
      [row('a', '2026-11-23T10:00:01Z'), row('b', '2026-11-23T10:00:02Z')],
      [row('b', '2026-11-23T10:00:02Z'), row('a', '2026-11-23T10:00:03Z')],
    ]);
    const seen: string[] = [];
    const stop = feed.subscribe((changed) => seen.push(`${changed.call_id}@${changed.updated_at}`));
    await feed.poll();
    await feed.poll();
    await feed.poll();
    expect(seen).toEqual(['a@2026-11-23T10:00:01Z', 'b@2026-11-23T10:00:02Z', 'a@2026-11-23T10:00:03Z']);
    // Reads from 5 s before the newest change seen, so a slow store's older updated_at is not missed.
    expect(asked[0]).toBe('2026-11-23T09:59:55.000Z');
    expect(asked[2]).toBe('2026-11-23T09:59:57.000Z');
    stop();
  });

  it('reads nothing while nobody listens, and every listener gets every change', async () => {
    const { feed, asked } = feedOver([[row('a', '2026-11-23T10:00:01Z')]]);
    await feed.poll();
    expect(asked).toEqual([]);
    const first: string[] = [];
    const second: string[] = [];
    const stopFirst = feed.subscribe((changed) => first.push(changed.call_id));
    const stopSecond = feed.subscribe((changed) => second.push(changed.call_id));
    await feed.poll();
    expect(asked).toHaveLength(1);
    expect([first, second]).toEqual([['a'], ['a']]);
    stopFirst();
    stopSecond();
    expect(feed.size).toBe(0);
  });
});
