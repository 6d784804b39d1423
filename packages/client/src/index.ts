export type {
  CallFault,
  CallHistoryResponse,
  CallNotFound,
  CallOutcome,
  CallResult,
  CallSummary,
} from '@callbridge/contracts';
export {
  type CallbridgeClient,
  type CallbridgeClientOptions,
  type CallResultLookup,
  createCallbridgeClient,
  type WaitOptions,
} from './callbridge-client.ts';
export { CallbridgeHttpError, CallbridgeTimeoutError } from './errors.ts';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-delay.ts';
