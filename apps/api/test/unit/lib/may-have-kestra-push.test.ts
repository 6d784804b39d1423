import { describe, expect, it } from 'vitest';
import { mayHaveKestraPush } from '../../../src/lib/may-have-kestra-push.ts';

describe('mayHaveKestraPush', () => {
  it('is true when the metadata names kestraExecutionId, whatever its value', () => {
    expect(mayHaveKestraPush({ kestraExecutionId: '4hXyZ9kLmN2pQr' })).toBe(true);
    expect(mayHaveKestraPush({ kestraExecutionId: '  ', other: 1 })).toBe(true);
  });

  it('is false without metadata or without the key', () => {
    expect(mayHaveKestraPush(null)).toBe(false);
    expect(mayHaveKestraPush({})).toBe(false);
    expect(mayHaveKestraPush({ serviceRequestId: 'sr_981' })).toBe(false);
  });

  it('does not take the key from the prototype chain', () => {
    expect(mayHaveKestraPush(Object.create({ kestraExecutionId: 'x' }))).toBe(false);
  });
});
