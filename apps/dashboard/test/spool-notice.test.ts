import { describe, expect, it } from 'vitest';
import { spoolNotice } from '../src/lib/spool-notice.ts';

const ready = (spool: Record<string, unknown> | undefined) => ({
  status: 'ready',
  database: 'unreachable',
  ...(spool ? { spool } : {}),
});

describe('spoolNotice', () => {
  it('says nothing without a spool, or when it is empty and accepting', () => {
    expect(spoolNotice(ready(undefined))).toBeNull();
    expect(spoolNotice(ready({ depth: 0, oldestAgeSeconds: 0, bytes: 0, accepting: true }))).toBeNull();
    expect(spoolNotice(null)).toBeNull();
  });

  it('shows a waiting spool: how many, how big, how old', () => {
    expect(
      spoolNotice(ready({ depth: 42, oldestAgeSeconds: 75, bytes: 3 * 1024 * 1024, accepting: true })),
    ).toEqual({
      text: '42 deliveries (3.0 MB) spooled on this server, waiting for the database; oldest 1 min 15 s',
      alarm: false,
    });
  });

  it('alarms when the spool refuses, read from the 503 /ready answers then', () => {
    const unready = {
      success: false,
      error: 'Service Unavailable',
      message: 'Database not reachable',
      spool: { depth: 4, oldestAgeSeconds: 3, bytes: 13_000, accepting: false },
    };
    expect(spoolNotice(unready)).toEqual({
      text: '4 deliveries (12.7 KB) spooled on this server, waiting for the database; oldest 3 s. The spool is full or failing: webhooks are answered 503.',
      alarm: true,
    });
  });
});
