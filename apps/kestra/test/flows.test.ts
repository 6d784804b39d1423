import { describe, expect, it } from 'vitest';
import {
  allTasks,
  DATA_TYPES,
  expressions,
  type Flow,
  ISO_DURATION,
  loadFlows,
  pebbleMapBody,
  REMOVED_OR_DEPRECATED,
  RENAMED_DATA_TYPES,
  strings,
  TASK_TYPES,
  unknownProperties,
} from './support/kestra-flows.ts';

// No Kestra here to validate against: these checks stand in for `kestra flow validate`, covering what
// breaks flows in practice (notes/kestra.md §7). Validate against your Kestra before deploying.

const flows = loadFlows();

function flowNamed(name: string): Flow {
  const found = flows.find((entry) => entry.name === name);
  if (!found) throw new Error(`no flow ${name}`);
  return found.flow;
}

describe.each(flows)('flow $name', ({ text, flow }) => {
  const tasks = allTasks(flow.tasks);
  const taskById = new Map(tasks.map((task) => [task.id, task]));

  it('has an id, a namespace and tasks', () => {
    expect(flow.id).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/);
    expect(flow.namespace).toMatch(/^[a-z0-9]+(\.[a-z0-9_-]+)*$/);
    expect(flow.tasks.length).toBeGreaterThan(0);
  });

  it('uses only allow-listed task types, each with its required properties and a unique id', () => {
    for (const task of tasks) {
      const spec = TASK_TYPES[task.type];
      expect(spec, `${task.id}: ${task.type}`).toBeDefined();
      for (const property of spec?.required ?? [])
        expect(task, `${task.id}.${property}`).toHaveProperty(property);
      expect(unknownProperties(task), `${task.id}: properties ${task.type} does not have`).toEqual([]);
    }
    expect(taskById.size).toBe(tasks.length);
  });

  it('declares inputs and outputs only with Kestra 2.0+ types', () => {
    const declared = [...(flow.inputs ?? []), ...(flow.outputs ?? [])];
    for (const { id, type } of declared) {
      const renamed = RENAMED_DATA_TYPES[type];
      expect(renamed, `${id}: type ${type} was removed in Kestra 2.0, use ${renamed}`).toBeUndefined();
      expect(DATA_TYPES, `${id}: type ${type}`).toContain(type);
    }
  });

  it('uses no syntax Kestra 2.0 removed or deprecated', () => {
    for (const pattern of REMOVED_OR_DEPRECATED) expect(text).not.toMatch(pattern);
  });

  it('references only outputs, inputs and variables that exist', () => {
    const inputs = new Set(flow.inputs?.map((input) => input.id));
    const variables = new Set(Object.keys(flow.variables ?? {}));
    for (const expression of expressions(flow)) {
      for (const [, taskId, output] of expression.matchAll(/outputs\.(\w+)\.(\w+)/g)) {
        const task = taskById.get(taskId ?? '');
        expect(task, `outputs.${taskId}`).toBeDefined();
        expect(TASK_TYPES[task?.type ?? '']?.outputs, `outputs.${taskId}.${output}`).toContain(output);
      }
      for (const [, input] of expression.matchAll(/(?<![\w.])inputs\.(\w+)/g))
        expect(inputs, `inputs.${input}`).toContain(input);
      for (const [, variable] of expression.matchAll(/(?<![\w.])vars\.(\w+)/g))
        expect(variables, `vars.${variable}`).toContain(variable);
    }
  });

  it('takes every credential from Kestra secrets', () => {
    const authorizations = strings(
      tasks.map((task) => (task.headers as Record<string, unknown>) ?? {}),
    ).concat(
      tasks.flatMap((task) =>
        strings(
          Object.entries((task.env as Record<string, string>) ?? {})
            .filter(([key]) => /KEY|SECRET|TOKEN/.test(key))
            .map(([, value]) => value),
        ),
      ),
    );
    expect(authorizations.length).toBeGreaterThan(0);
    for (const value of authorizations) expect(value).toMatch(/\{\{\s*secret\('[A-Z_]+'\)\s*\}\}/);
  });

  it('bounds every loop explicitly: interval, iterations and duration', () => {
    for (const loop of tasks.filter((task) => task.type === 'io.kestra.plugin.core.flow.LoopUntil')) {
      const frequency = loop.checkFrequency as Record<string, unknown>;
      expect(frequency.interval).toMatch(ISO_DURATION);
      expect(frequency.maxDuration).toMatch(ISO_DURATION);
      expect(frequency.maxIterations).toBeGreaterThan(0);
    }
  });

  it('writes durations in ISO-8601', () => {
    const durations = tasks.flatMap((task) => [
      task.timeout,
      (task.options as { timeout?: unknown })?.timeout,
    ]);
    for (const value of strings(durations)) expect(value).toMatch(ISO_DURATION);
    for (const value of strings(flow.variables?.retry_backoff)) expect(value).toMatch(ISO_DURATION);
  });

  it('retries busy and no-answer calls at most three times, after 5, 10 and 20 minutes', () => {
    expect(flow.variables?.retry_backoff).toEqual(['PT5M', 'PT10M', 'PT20M']);
    const attempts = taskById.get('attempts');
    expect(attempts?.checkFrequency).toMatchObject({ maxIterations: 4 });
    expect(attempts?.condition).toMatch(/retryable/);
  });

  // Before the fix for kestra-io/kestra#19209, maxIterations: 4 runs a 5th iteration, whose backoff
  // index is out of range; a cap in the condition holds on every 2.0 build.
  it('caps the attempts in the loop condition itself, with maxIterations as a backstop', () => {
    const attempts = taskById.get('attempts');
    const cap = /^\{\{ outputs\.attempts\.iterationCount >= (\d+) or \(.+\) \}\}$/s.exec(
      String(attempts?.condition),
    );
    expect(cap, String(attempts?.condition)).not.toBeNull();
    const frequency = (attempts?.checkFrequency ?? {}) as { maxIterations?: number };
    expect(Number(cap?.[1])).toBe(frequency.maxIterations);
  });

  it('declares outputs for the steps after it', () => {
    expect(flow.outputs?.length).toBeGreaterThan(0);
  });
});

describe.each(['vapi-call-http.yaml'])('flow %s, placing the call with an HTTP task', (name) => {
  const tasks = allTasks(flowNamed(name).tasks);
  const getResult = tasks.find((task) => task.id === 'get_result');

  it('long-polls Callbridge, accepting 404 as "not yet"', () => {
    expect(getResult?.uri).toMatch(/\/api\/v1\/vapi\/calls\/.*\?wait=55$/);
    expect(getResult?.options).toMatchObject({ allowedResponseCodes: [200, 404] });
  });

  it('gives each request a read timeout longer than the server may hold it', () => {
    const options = getResult?.options as { timeout?: { readIdleTimeout?: string } } | undefined;
    const readIdle = options?.timeout?.readIdleTimeout ?? '';
    const seconds = Number(/^PT(\d+)S$/.exec(readIdle)?.[1]);
    expect(seconds).toBeGreaterThan(55);
  });

  // Callbridge finds the execution to resume, and tells calls apart, by this metadata.
  it('creates the VAPI call with the Kestra execution id in assistantOverrides.metadata', () => {
    const startCall = tasks.find((task) => task.id === 'start_call');
    expect(startCall?.uri).toBe('{{ vars.vapi_url }}/call');
    const body = pebbleMapBody(startCall?.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      'assistantId',
      'assistantOverrides',
      'customer',
      'phoneNumberId',
    ]);
    expect(body).toMatchObject({
      customer: { number: 'inputs.customer_number' },
      assistantOverrides: { metadata: { kestraExecutionId: 'execution.id' } },
    });
  });
});

it('finds both flows', () => {
  expect(flows.map(({ name }) => name)).toEqual(['vapi-call-http.yaml', 'vapi-call-script.yaml']);
});
