import type { VapiEvent } from '@callbridge/contracts';

export interface TimelineEntry {
  eventId: number;
  at: string;
  /** The status a status-update moved to, else the message type. */
  label: string;
  kind: 'status' | 'report' | 'other';
  outcome: VapiEvent['outcome'];
  errorCode: string | null;
}

function statusOf(event: VapiEvent): string | undefined {
  const message = (event.payload as { message?: { status?: unknown } } | null | undefined)?.message;
  return typeof message?.status === 'string' ? message.status : undefined;
}

/**
 * A call's timeline from its deliveries, oldest first by VAPI's own time (receipt time when VAPI gave
 * none), so out-of-order deliveries still read in the order things happened. Chatty live updates
 * (speech, transcript, conversation) are folded into one entry per run, or they would bury the statuses.
 */
export function statusTimeline(events: VapiEvent[]): TimelineEntry[] {
  const ordered = [...events].sort(
    (a, b) => Date.parse(a.eventAt ?? a.receivedAt) - Date.parse(b.eventAt ?? b.receivedAt) || a.id - b.id,
  );
  const entries: TimelineEntry[] = [];
  for (const event of ordered) {
    const at = event.eventAt ?? event.receivedAt;
    const base = { eventId: event.id, at, outcome: event.outcome, errorCode: event.errorCode };
    if (event.type === 'status-update') {
      entries.push({ ...base, kind: 'status', label: statusOf(event) ?? 'status-update' });
    } else if (event.type === 'end-of-call-report') {
      entries.push({ ...base, kind: 'report', label: 'end-of-call report' });
    } else {
      const family = event.type.replace(/\[.*$/s, '');
      const previous = entries.at(-1);
      if (previous?.kind === 'other' && previous.outcome === event.outcome && event.outcome !== 'failed') {
        previous.label = previous.label.includes(family) ? previous.label : `${previous.label}, ${family}`;
        continue;
      }
      entries.push({ ...base, kind: 'other', label: family });
    }
  }
  return entries;
}
