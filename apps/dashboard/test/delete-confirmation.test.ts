import { describe, expect, it } from 'vitest';
import { confirmsDeletion } from '../src/lib/delete-confirmation.ts';

const source = { id: '5b0c2f6e-8a47-4c55-9d0e-2f1a3b4c5d6e', name: 'Acme org' };

describe('confirmsDeletion', () => {
  it('accepts the exact name or the id (any case), ignoring surrounding spaces', () => {
    expect(confirmsDeletion(source, 'Acme org')).toBe(true);
    expect(confirmsDeletion(source, ' Acme org ')).toBe(true);
    expect(confirmsDeletion(source, source.id.toUpperCase())).toBe(true);
  });
  it('refuses anything else, including nothing and a differently cased name', () => {
    expect(confirmsDeletion(source, '')).toBe(false);
    expect(confirmsDeletion(source, 'acme org')).toBe(false);
    expect(confirmsDeletion(source, 'Acme')).toBe(false);
  });
});
