import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Kestra here to validate against: these checks stand in for `kestra flow validate`, covering what
// breaks flows in practice (notes/kestra.md §7). Validate against your Kestra before deploying.

type Task = Record<string, unknown> & { id: string; type: string };
type Input = { id: string; type: string };
type Flow = {
  id: string;
  namespace: string;
  tasks: Task[];
  inputs?: Input[];
  variables?: Record<string, unknown>;
  outputs?: Array<{ id: string; type: string; value: string }>;
};

const FLOW_DIR = new URL('../flows/', import.meta.url);
const flowFiles = readdirSync(FLOW_DIR).filter((name) => name.endsWith('.yaml'));
const flows = flowFiles.map((name) => {
  const text = readFileSync(new URL(name, FLOW_DIR), 'utf8');
  return { name, text, flow: parse(text) as Flow };
});

/** Task types these flows may use, with their required properties and the outputs they produce. */
const TASK_TYPES: Record<string, { required: string[]; outputs: string[] }> = {
  'io.kestra.plugin.core.http.Request': { required: ['uri'], outputs: ['code', 'headers', 'uri', 'body'] },
  'io.kestra.plugin.core.flow.LoopUntil': {
    required: ['condition', 'tasks', 'checkFrequency'],
    outputs: ['iterationCount'],
  },
  'io.kestra.plugin.core.flow.If': { required: ['condition', 'then'], outputs: [] },
  'io.kestra.plugin.core.flow.Sleep': { required: ['duration'], outputs: [] },
  'io.kestra.plugin.scripts.node.Commands': {
    required: ['commands'],
    outputs: ['vars', 'exitCode', 'outputFiles'],
  },
};

/** Input and output types of Kestra 2.0+ (`core/.../models/flows/Type.java`); others fail parsing. */
const DATA_TYPES = [
  'STRING',
  'SELECT',
  'INT',
  'FLOAT',
  'BOOL',
  'DATETIME',
  'DATE',
  'TIME',
  'DURATION',
  'FILE',
  'JSON',
  'URI',
  'SECRET',
  'ARRAY',
  'MULTISELECT',
  'YAML',
  'EMAIL',
  'FORM',
];

/** Types Kestra 2.0 removed, with what replaced them (docs: migration-guide/v2.0.0). */
const RENAMED_DATA_TYPES: Record<string, string> = { BOOLEAN: 'BOOL', ENUM: 'SELECT' };

const REMOVED_OR_DEPRECATED = [
  /\|\s*json\b/,
  /\bjson\(/,
  /WaitFor/,
  /maxAttempt:/,
  /pluginDefaults/,
  /\brunIf\b/,
  /io\.kestra\.core\.tasks/,
  /io\.kestra\.plugin\.fs\.http/,
  /\bForEach\b/,
  /allowFailed/,
];

const ISO_DURATION = /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

function allTasks(tasks: Task[]): Task[] {
  return tasks.flatMap((task) => [
    task,
    ...allTasks([
      ...((task.tasks as Task[]) ?? []),
      ...((task.then as Task[]) ?? []),
      ...((task.else as Task[]) ?? []),
    ]),
  ]);
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

function expressions(flow: Flow): string[] {
  return strings(flow).flatMap((text) =>
    [...text.matchAll(/\{\{([\s\S]*?)\}\}/g)].map((match) => match[1] ?? ''),
  );
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
    expect(Number(cap?.[1])).toBe((attempts?.checkFrequency as { maxIterations?: number }).maxIterations);
  });

  it('declares outputs for the steps after it', () => {
    expect(flow.outputs?.length).toBeGreaterThan(0);
  });
});

describe('flow vapi-call-http.yaml', () => {
  const { flow } = flows.find(({ name }) => name === 'vapi-call-http.yaml') ?? { flow: undefined };
  const getResult = allTasks(flow?.tasks ?? []).find((task) => task.id === 'get_result');

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
});

it('finds both flows', () => {
  expect(flowFiles.sort()).toEqual(['vapi-call-http.yaml', 'vapi-call-script.yaml']);
});
