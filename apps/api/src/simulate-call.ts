// `pnpm simulate-call`: plays a realistic, signed VAPI call against a running Callbridge (scripts/dev
// by default), with pauses so the dashboard shows it live. Signs with the same VAPI_* settings the API
// reads, falling back to the local-only defaults scripts/dev uses.
import { DEV_DEFAULTS } from './config/dev-defaults.ts';
import { ConfigError, loadConfig } from './config/load-config.ts';
import { playSimulatedCall } from './lib/play-simulated-call.ts';
import { simulatedCall } from './lib/simulated-call.ts';
import { vapiDeliveryHeaders } from './lib/vapi-delivery-headers.ts';
import type { DeliveryAuthSettings } from './lib/verify-delivery.ts';

const env: NodeJS.ProcessEnv = { ...DEV_DEFAULTS, ...process.env };
const baseUrl = (env.CALLBRIDGE_URL ?? `http://localhost:${env.PORT ?? '8000'}`).replace(/\/$/, '');
const webhookUrl = `${baseUrl}/api/v1/vapi/webhook`;

let auth: DeliveryAuthSettings;
try {
  // Only the VAPI_* part matters here; the rest of the config is the API's, not the simulator's.
  auth = loadConfig({ ...env, SUPABASE_URL: 'http://unused.invalid', SUPABASE_SERVICE_ROLE_KEY: 'unused' })
    .webhookAuth.auth;
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const pace = Number(env.SIMULATE_PACE ?? '1');
const { callId, deliveries } = simulatedCall({ pace: Number.isFinite(pace) && pace >= 0 ? pace : 1 });
process.stdout.write(`simulating call ${callId}: ${deliveries.length} webhooks to ${webhookUrl}\n`);
const result = await playSimulatedCall(deliveries, async (body) => {
  const response = await fetch(webhookUrl, {
    method: 'POST',
    body,
    headers: await vapiDeliveryHeaders(auth, { body, url: webhookUrl }),
  });
  const type = (JSON.parse(body) as { message: { type: string } }).message.type;
  process.stdout.write(`  ${response.status} ${type}\n`);
  return response.status;
});
if (result.failedStatus !== undefined) {
  process.stderr.write(`stopped: the webhook answered ${result.failedStatus} (check VAPI_WEBHOOK_SECRET)\n`);
  process.exit(1);
}
process.stdout.write(`done: ${baseUrl}/dashboard/calls/${encodeURIComponent(callId)}\n`);
