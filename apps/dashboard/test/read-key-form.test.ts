import { describe, expect, it } from 'vitest';
import { readKeyCreateBody } from '../src/lib/read-key-form.ts';

const SOURCE = '5b0c2f6e-8a47-4c55-9d0e-2f1a3b4c5d6e';
const NOW = new Date(2026, 10, 24, 12, 0, 0);

describe('readKeyCreateBody', () => {
  it('sends name and sources, and no expiry when none is picked', () => {
    expect(readKeyCreateBody({ name: ' Kestra ', sourceIds: [SOURCE], expiresOn: '' }, NOW)).toEqual({
      ok: true,
      body: { name: 'Kestra', sourceIds: [SOURCE] },
    });
  });

  it('asks for read+write only when picked', () => {
    expect(
      readKeyCreateBody({ name: 'k', sourceIds: [SOURCE], expiresOn: '', access: 'read+write' }, NOW),
    ).toEqual({ ok: true, body: { name: 'k', sourceIds: [SOURCE], access: 'read+write' } });
    expect(readKeyCreateBody({ name: 'k', sourceIds: [SOURCE], expiresOn: '', access: 'read' }, NOW)).toEqual(
      {
        ok: true,
        body: { name: 'k', sourceIds: [SOURCE] },
      },
    );
  });

  it('lets the key work through the whole expiry day in local time', () => {
    const result = readKeyCreateBody({ name: 'k', sourceIds: [SOURCE], expiresOn: '2027-01-31' }, NOW);
    expect(result).toEqual({
      ok: true,
      body: { name: 'k', sourceIds: [SOURCE], expiresAt: new Date(2027, 1, 1).toISOString() },
    });
  });

  it('refuses no name, no source and an expiry already past', () => {
    expect(readKeyCreateBody({ name: '', sourceIds: [SOURCE], expiresOn: '' }, NOW).ok).toBe(false);
    expect(readKeyCreateBody({ name: 'k', sourceIds: [], expiresOn: '' }, NOW)).toEqual({
      ok: false,
      error: 'Pick at least one source it may read.',
    });
    expect(readKeyCreateBody({ name: 'k', sourceIds: [SOURCE], expiresOn: '2026-11-23' }, NOW)).toEqual({
      ok: false,
      error: 'The expiry date has passed.',
    });
  });
});
