export interface CostRow {
  label: string;
  cost: number;
}

const LABELS: Record<string, string> = {
  transport: 'Telephony',
  stt: 'Transcriber',
  transcriber: 'Transcriber',
  llm: 'Model',
  model: 'Model',
  tts: 'Voice',
  voice: 'Voice',
  vapi: 'VAPI',
  analysis: 'Analysis',
  'voicemail-detection': 'Voicemail detection',
  'knowledge-base': 'Knowledge base',
};

/**
 * Rows of a cost breakdown, as VAPI sends it in either shape: `call.costBreakdown` (an object of
 * amounts with a `total`, plus token counts that are not costs) or `costs[]` (one entry per item).
 */
export function costRows(breakdown: unknown): CostRow[] {
  if (Array.isArray(breakdown)) {
    return breakdown.flatMap((item): CostRow[] => {
      const entry = (item ?? {}) as { type?: unknown; cost?: unknown };
      if (typeof entry.type !== 'string' || typeof entry.cost !== 'number') return [];
      return [{ label: LABELS[entry.type] ?? entry.type, cost: entry.cost }];
    });
  }
  if (!breakdown || typeof breakdown !== 'object') return [];
  return Object.entries(breakdown as Record<string, unknown>).flatMap(([key, value]): CostRow[] => {
    if (typeof value !== 'number' || key === 'total' || /tokens|characters|minutes/i.test(key)) return [];
    return [{ label: LABELS[key] ?? key, cost: value }];
  });
}

export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return `$${value.toFixed(value !== 0 && Math.abs(value) < 0.1 ? 4 : 2)}`;
}
