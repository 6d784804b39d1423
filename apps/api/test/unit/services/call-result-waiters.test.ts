import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallResultWaiters } from '../../../src/services/call-result-waiters.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function recordingCheck(final: string[] = []) {
  const calls: string[][] = [];
  const check = async (callIds: string[]) => {
    calls.push(callIds);
    return callIds.filter((id) => final.includes(id));
  };
  return { calls, check };
}

describe('CallResultWaiters', () => {
  it('wakes the waiters of a notified call and no others', async () => {
    const waiters = new CallResultWaiters(recordingCheck().check, 1000);
    const a = waiters.subscribe('call-a');
    const b = waiters.subscribe('call-b');
    const wokeA = a.next(30_000);
    const wokeB = b.next(30_000);
    waiters.notify('call-a');
    await expect(wokeA).resolves.toBe('notified');
    await vi.advanceTimersByTimeAsync(30_000);
    await expect(wokeB).resolves.toBe('timeout');
    a.close();
    b.close();
  });

  it('remembers a notification that came before the waiter started waiting', async () => {
    const waiters = new CallResultWaiters(recordingCheck().check, 1000);
    const subscription = waiters.subscribe('call-a');
    waiters.notify('call-a');
    await expect(subscription.next(30_000)).resolves.toBe('notified');
    subscription.close();
  });

  it('checks every waited-for call in one batched query per interval, however many wait', async () => {
    const { calls, check } = recordingCheck();
    const waiters = new CallResultWaiters(check, 1000);
    const subscriptions = Array.from({ length: 250 }, (_, index) => waiters.subscribe(`call-${index % 150}`));
    for (const subscription of subscriptions) void subscription.next(10_000);

    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.map((batch) => batch.length)).toEqual([100, 50]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(4);
    for (const subscription of subscriptions) subscription.close();
  });

  it('wakes waiters whose call another instance finalized', async () => {
    const waiters = new CallResultWaiters(recordingCheck(['call-a']).check, 1000);
    const subscription = waiters.subscribe('call-a');
    const woke = subscription.next(30_000);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(woke).resolves.toBe('notified');
    subscription.close();
  });

  it('runs no timer while nobody waits', async () => {
    const { calls, check } = recordingCheck();
    const waiters = new CallResultWaiters(check, 1000);
    const subscription = waiters.subscribe('call-a');
    subscription.close();
    expect(waiters.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toEqual([]);
  });

  it('stops waiting for a request whose client hung up', async () => {
    const waiters = new CallResultWaiters(recordingCheck().check, 1000);
    const hangUp = new AbortController();
    const subscription = waiters.subscribe('call-a', hangUp.signal);
    const woke = subscription.next(30_000);
    hangUp.abort();
    await expect(woke).resolves.toBe('aborted');
    expect(waiters.size).toBe(0);
  });

  it('releases every waiter on close and checks no more', async () => {
    const { calls, check } = recordingCheck();
    const waiters = new CallResultWaiters(check, 1000);
    const woke = [waiters.subscribe('a').next(30_000), waiters.subscribe('b').next(30_000)];
    waiters.close();
    await expect(Promise.all(woke)).resolves.toEqual(['closed', 'closed']);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toEqual([]);
  });

  it('keeps checking after a failed check and reports the failure', async () => {
    const errors: unknown[] = [];
    let failures = 1;
    const waiters = new CallResultWaiters(
      async (ids) => {
        if (failures-- > 0) throw new Error('database down');
        return ids;
      },
      1000,
      (error) => errors.push(error),
    );
    const subscription = waiters.subscribe('call-a');
    const woke = subscription.next(30_000);
    await vi.advanceTimersByTimeAsync(2000);
    await expect(woke).resolves.toBe('notified');
    expect(errors).toHaveLength(1);
    subscription.close();
  });

  it('checks now on demand, and at the new interval once it changes', async () => {
    const { calls, check } = recordingCheck(['call-a']);
    const waiters = new CallResultWaiters(check, 1000);
    const subscription = waiters.subscribe('call-a');
    await waiters.checkNow();
    expect(calls).toEqual([['call-a']]);
    await expect(subscription.next(30_000)).resolves.toBe('notified');

    waiters.setCheckInterval(5000);
    await vi.advanceTimersByTimeAsync(4999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    subscription.close();
  });

  it('runs no check on demand while nobody waits', async () => {
    const { calls, check } = recordingCheck();
    await new CallResultWaiters(check, 1000).checkNow();
    expect(calls).toEqual([]);
  });
});
