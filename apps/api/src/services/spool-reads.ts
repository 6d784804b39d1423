import type { ReadScope } from '../lib/read-scope.ts';
import { callRowFromSpooledReport } from '../lib/spooled-call-row.ts';
import type { CallLookup } from './call-results-service.ts';
import type { SpoolService } from './spool-service.ts';

/**
 * A call's result from this instance's spool: final when its end-of-call report waits there (the
 * database has not stored it yet, or cannot be asked). No Kestra push exists before the report drains.
 */
export async function spooledCallLookup(
  spool: SpoolService | null,
  callId: string,
  scope: ReadScope,
): Promise<CallLookup | undefined> {
  const report = await spool?.pendingReport(callId, scope);
  if (!report?.callId) return undefined;
  return {
    state: 'final',
    row: callRowFromSpooledReport({ ...report, callId: report.callId }),
    reason: 'end-of-call-report',
    push: null,
  };
}
