import type { CallProviderConfig } from './call-provider-config.ts';

/**
 * POST /call. VAPI rejects unknown top-level properties (there is no `metadata` on CreateCallDTO), so
 * the correlation ids ride in assistantOverrides, which come back on every webhook.
 */
export async function startVapiCall(config: CallProviderConfig): Promise<string> {
  const metadata = {
    ...config.metadata,
    ...(config.executionId ? { kestraExecutionId: config.executionId } : {}),
  };
  const response = await fetch(`${config.vapiBaseUrl}/call`, {
    method: 'POST',
    headers: { authorization: `Bearer ${config.vapiApiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      assistantId: config.assistantId,
      phoneNumberId: config.phoneNumberId,
      customer: { number: config.customerNumber },
      assistantOverrides: { variableValues: config.variableValues, metadata },
    }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json().catch(() => null)) as { id?: unknown; message?: unknown } | null;
  if (!response.ok || typeof body?.id !== 'string') {
    const detail = body?.message ? `: ${JSON.stringify(body.message)}` : '';
    throw new Error(`VAPI did not start the call (HTTP ${response.status})${detail}`);
  }
  return body.id;
}
