/** Everything the script reads from its environment: Kestra passes these from secrets and inputs. */
export interface CallProviderConfig {
  vapiBaseUrl: string;
  vapiApiKey: string;
  assistantId: string;
  phoneNumberId: string;
  customerNumber: string;
  callbridgeUrl: string;
  callbridgeApiKey: string;
  executionId: string | undefined;
  variableValues: Record<string, unknown>;
  metadata: Record<string, unknown>;
  timeoutMinutes: number;
}

const REQUIRED = [
  'VAPI_API_KEY',
  'VAPI_ASSISTANT_ID',
  'VAPI_PHONE_NUMBER_ID',
  'CUSTOMER_NUMBER',
  'CALLBRIDGE_URL',
  'CALLBRIDGE_API_KEY',
] as const;

function jsonObject(name: string, text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${name} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Reads and checks the environment; the error names every problem and never a value. */
export function readCallProviderConfig(env: NodeJS.ProcessEnv): CallProviderConfig {
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`missing environment variables: ${missing.join(', ')}`);
  const timeoutMinutes = Number(env.CALL_TIMEOUT_MINUTES ?? 30);
  if (!Number.isFinite(timeoutMinutes) || timeoutMinutes <= 0) {
    throw new Error('CALL_TIMEOUT_MINUTES must be a positive number');
  }
  return {
    vapiBaseUrl: (env.VAPI_BASE_URL ?? 'https://api.vapi.ai').replace(/\/+$/, ''),
    vapiApiKey: env.VAPI_API_KEY as string,
    assistantId: env.VAPI_ASSISTANT_ID as string,
    phoneNumberId: env.VAPI_PHONE_NUMBER_ID as string,
    customerNumber: env.CUSTOMER_NUMBER as string,
    callbridgeUrl: env.CALLBRIDGE_URL as string,
    callbridgeApiKey: env.CALLBRIDGE_API_KEY as string,
    executionId: env.KESTRA_EXECUTION_ID || undefined,
    variableValues: jsonObject('VARIABLE_VALUES', env.VARIABLE_VALUES),
    metadata: jsonObject('METADATA', env.METADATA),
    timeoutMinutes,
  };
}
