import { uniqueCallId, vapiFixture, vapiHmacHeaders } from '@callbridge/api/testing';
import pg from 'pg';
import { inject } from 'vitest';

export { uniqueCallId, vapiFixture };

/**
 * Posts a message to the running API's default webhook, or to a source's URL with its secret, signed
 * as a VAPI HMAC credential with its default settings signs it.
 */
export async function postWebhook(payload: unknown, to?: { url: string; secret: string }): Promise<void> {
  const body = JSON.stringify(payload);
  const response = await fetch(to?.url ?? `${inject('callbridge').url}/api/v1/vapi/webhook`, {
    method: 'POST',
    body,
    headers: vapiHmacHeaders(body, to ? { secret: to.secret } : {}),
  });
  if (response.status !== 200)
    throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
}

/** The API's answer for a call's result, read as a client would. */
export async function getCallResult(callId: string): Promise<{ recordingUrl: string | null }> {
  const { url, apiKey } = inject('callbridge');
  const response = await fetch(`${url}/api/v1/vapi/calls/${encodeURIComponent(callId)}`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  if (response.status !== 200) throw new Error(`call ${callId} answered ${response.status}`);
  return ((await response.json()) as { data: { recordingUrl: string | null } }).data;
}

async function sql(text: string, params: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: inject('callbridge').dbUrl });
  await client.connect();
  try {
    await client.query(text, params);
  } finally {
    await client.end();
  }
}

const poisonName = (callId: string) => `e2e_poison_${callId.replace(/[^a-z0-9]/gi, '_').slice(-40)}`;

/**
 * Makes Postgres refuse every write to one call's row (a check constraint naming it), so its next
 * delivery is logged as `failed` with the SQLSTATE, as a real database refusal would be. This run's
 * stack is the browser tests' own, so no other test sees the constraint.
 */
export async function poisonCall(callId: string): Promise<void> {
  await sql(
    `alter table vapi_call_results add constraint ${poisonName(callId)} check (call_id <> '${callId.replaceAll("'", "''")}') not valid`,
  );
}

/** Fixes the cause: the call's row may be written again. */
export async function curePoisonedCall(callId: string): Promise<void> {
  await sql(`alter table vapi_call_results drop constraint ${poisonName(callId)}`);
}
