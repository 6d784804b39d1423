import type { KestraPush } from '@callbridge/contracts';
import type { KestraPushView } from '../schemas/kestra-push-row-schema.ts';

const iso = (value: string): string => new Date(value).toISOString();

export function toKestraPush(row: KestraPushView, defaultTenant: string): KestraPush {
  return {
    executionId: row.execution_id,
    tenant: row.tenant ?? defaultTenant,
    state: row.state,
    attempts: row.attempts,
    lastStatus: row.last_status,
    lastError: row.last_error,
    nextAttemptAt: row.state === 'pending' ? iso(row.next_attempt_at) : null,
    deliveredAt: row.delivered_at === null ? null : iso(row.delivered_at),
  };
}
