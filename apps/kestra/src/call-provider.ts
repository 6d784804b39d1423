// Kestra Node task: starts a VAPI call, waits for its result on Callbridge, prints it as Kestra
// outputs (`::{"outputs":{...}}::`). Exit 0 with a result (even busy or no-answer: the flow decides
// on retries from `retryable`), exit 1 when no result could be had. Progress goes to stdout, as Kestra
// logs every stderr line at ERROR level; stderr is for the failure message only.
import { CallbridgeTimeoutError, type CallResult, createCallbridgeClient } from '@callbridge/client';
import { readCallProviderConfig } from './call-provider-config.ts';
import { startVapiCall } from './start-vapi-call.ts';

function kestraOutputs(outputs: Record<string, unknown>): void {
  process.stdout.write(`::${JSON.stringify({ outputs })}::\n`);
}

function resultOutputs(result: CallResult): Record<string, unknown> {
  return {
    callId: result.callId,
    status: result.status,
    outcome: result.outcome,
    retryable: result.retryable,
    endedReason: result.endedReason,
    finalReason: result.finalReason,
    durationSeconds: result.durationSeconds,
    summary: result.summary,
    successEvaluation: result.successEvaluation,
    structuredData: result.structuredData,
    recordingUrl: result.recordingUrl,
    transcript: result.transcript,
    cost: result.cost,
  };
}

async function main(): Promise<number> {
  const config = readCallProviderConfig(process.env);
  const callId = await startVapiCall(config);
  console.log(`call ${callId} started; waiting for its result on Callbridge`);
  kestraOutputs({ callId });

  const client = createCallbridgeClient({ baseUrl: config.callbridgeUrl, apiKey: config.callbridgeApiKey });
  try {
    const result = await client.waitForCallResult(callId, { timeoutMs: config.timeoutMinutes * 60_000 });
    kestraOutputs(resultOutputs(result));
    console.log(`call ${callId}: ${result.outcome} (${result.endedReason ?? 'no ended reason'})`);
    return 0;
  } catch (error) {
    if (error instanceof CallbridgeTimeoutError) {
      kestraOutputs({ callId, status: error.lastStatus, outcome: 'timeout', retryable: false });
    }
    throw error;
  }
}

// No process.exit(): stdout is a pipe under Kestra's Docker runner, where Node writes asynchronously,
// and exiting before the write drains would cut the outputs line. Node exits with exitCode once idle.
main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`call-provider failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
