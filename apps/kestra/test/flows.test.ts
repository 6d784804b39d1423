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
  type Task,
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
    const onResume = tasks.flatMap((task) => (task.onResume as Flow['inputs']) ?? []);
    const declared = [...(flow.inputs ?? []), ...onResume, ...(flow.outputs ?? [])];
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
      task.pauseDuration,
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

describe.each(['vapi-call-http.yaml', 'vapi-call-push.yaml'])(
  'flow %s, placing the call with an HTTP task',
  (name) => {
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
  },
);

describe('flow vapi-call-push.yaml', () => {
  const flow = flowNamed('vapi-call-push.yaml');
  const tasks = allTasks(flow.tasks);
  const byId = (id: string) => tasks.find((task) => task.id === id);
  const loopTasks = (byId('attempts')?.tasks ?? []) as Task[];
  const loopOrder = loopTasks.map((task) => task.id);
  const pause = tasks.find((task) => task.type === 'io.kestra.plugin.core.flow.Pause');
  const fallback = loopTasks.find((task) =>
    ((task.then as Task[]) ?? []).some((child) => child.id === 'get_result'),
  );

  it('pauses after starting the call, for an onResume input `result` of type JSON', () => {
    expect(loopOrder.indexOf(pause?.id ?? '')).toBe(loopOrder.indexOf('start_call') + 1);
    expect(pause?.onResume).toEqual([expect.objectContaining({ id: 'result', type: 'JSON' })]);
  });

  it('goes on after the pause times out, instead of failing or waiting forever', () => {
    expect(pause?.pauseDuration).toMatch(ISO_DURATION);
    expect(pause?.behavior).toBe('RESUME');
  });

  it('asks Callbridge once, after the pause, only when no result for this call was pushed', () => {
    expect(loopOrder.indexOf(fallback?.id ?? '')).toBe(loopOrder.indexOf(pause?.id ?? '') + 1);
    expect(fallback?.type).toBe('io.kestra.plugin.core.flow.If');
    expect(fallback?.condition).toBe(
      `{{ (outputs.${pause?.id}.onResume.result.callId ?? null) != fromJson(outputs.start_call.body).id }}`,
    );
    expect(
      tasks.filter((task) => task.type === 'io.kestra.plugin.core.http.Request' && task.method === 'GET'),
    ).toEqual([byId('get_result')]);
  });

  it('fails, rather than placing another call, when the fallback finds no final result either', () => {
    const then = (fallback?.then ?? []) as Task[];
    expect(then.map((task) => task.type)).toEqual([
      'io.kestra.plugin.core.http.Request',
      'io.kestra.plugin.core.execution.Fail',
    ]);
    expect(then[1]?.condition).toBe('{{ outputs.get_result.code != 200 }}');
  });

  // Strict variables: on a timeout the Pause has no onResume output, and get_result exists only when
  // the fallback ran. Expressions evaluated on either path must read them through `??`.
  it('reads the pushed result and the fallback response only through ?? outside the fallback', () => {
    const fallbackTasks = new Set(allTasks((fallback?.then ?? []) as Task[]));
    const outside = [
      ...expressions(flow.outputs),
      ...tasks.filter((task) => !fallbackTasks.has(task)).flatMap((task) => expressions(task.condition)),
    ];
    const reading = outside.filter((expression) => /\.onResume\b|outputs\.get_result\b/.test(expression));
    expect(reading.length).toBeGreaterThan(2);
    for (const expression of reading) expect(expression).toContain('??');
  });

  it('outputs the result, whether it was pushed, and the fields the next steps branch on', () => {
    expect(flow.outputs?.map(({ id, type }) => `${id}:${type}`)).toEqual([
      'result:JSON',
      'retryable:BOOL',
      'outcome:STRING',
      'pushed:BOOL',
      'attempts:INT',
    ]);
  });
});

it('finds the three flows', () => {
  expect(flows.map(({ name }) => name)).toEqual([
    'vapi-call-http.yaml',
    'vapi-call-push.yaml',
    'vapi-call-script.yaml',
  ]);
});
