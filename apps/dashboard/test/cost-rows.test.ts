import { describe, expect, it } from 'vitest';
import { costRows, formatUsd } from '../src/lib/cost-rows.ts';

describe('costRows', () => {
  it('reads call.costBreakdown, leaving out the total and counts that are not money', () => {
    expect(
      costRows({ transport: 0.07, llm: 0.19, total: 0.26, llmPromptTokens: 5120, ttsCharacters: 300 }),
    ).toEqual([
      { label: 'Telephony', cost: 0.07 },
      { label: 'Model', cost: 0.19 },
    ]);
  });

  it('reads the costs[] list, keeping unknown types by name', () => {
    expect(
      costRows([{ type: 'model', cost: 0.19 }, { type: 'new-thing', cost: 0.01 }, { type: 'x' }]),
    ).toEqual([
      { label: 'Model', cost: 0.19 },
      { label: 'new-thing', cost: 0.01 },
    ]);
    expect(costRows(null)).toEqual([]);
  });

  it('shows small amounts to four places', () => {
    expect(formatUsd(0.0466)).toBe('$0.0466');
    expect(formatUsd(1.5)).toBe('$1.50');
    expect(formatUsd(null)).toBe('—');
  });
});
