// What other workspace packages' tests use to run against a real Callbridge.
export { CALLBRIDGE_TEST_API_KEY, type RunningCallbridge, startCallbridge } from './running-callbridge.ts';
export { TEST_WEBHOOK_SECRET, vapiHmacHeaders } from './sign-webhook.ts';
export { uniqueCallId, vapiFixture } from './vapi-fixtures.ts';
