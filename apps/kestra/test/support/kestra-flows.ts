import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

// What Kestra 2.0+ accepts in these flows, read from the 2.0.0-SNAPSHOT source (notes/kestra-2.0-flow-review.md),
// and helpers to walk a parsed flow. No Kestra runs here: these stand in for `kestra flow validate`.

export type Task = Record<string, unknown> & { id: string; type: string };
export type Input = Record<string, unknown> & { id: string; type: string };
export type Flow = {
  id: string;
  namespace: string;
  tasks: Task[];
  inputs?: Input[];
  variables?: Record<string, unknown>;
  outputs?: Array<{ id: string; type: string; value: string }>;
};

/** Properties every task has (`core/.../models/tasks/Task.java`). */
const TASK_PROPERTIES = [
  'id',
  'type',
  'version',
  'description',
  'retry',
  'timeout',
  'disabled',
  'workerSelector',
  'logLevel',
  'allowFailure',
  'allowWarning',
  'logToFile',
  'taskCache',
  'assets',
];

interface TaskSpec {
  /** Properties of the type itself; Kestra's YAML parser fails on any other (FAIL_ON_UNKNOWN_PROPERTIES). */
  properties: string[];
  required: string[];
  outputs: string[];
}

/** Task types these flows may use. */
export const TASK_TYPES: Record<string, TaskSpec> = {
  'io.kestra.plugin.core.http.Request': {
    properties: [
      'uri',
      'method',
      'body',
      'formData',
      'params',
      'contentType',
      'headers',
      'options',
      'encryptBody',
    ],
    required: ['uri'],
    outputs: ['code', 'headers', 'uri', 'body'],
  },
  'io.kestra.plugin.core.flow.LoopUntil': {
    properties: ['condition', 'failOnMaxReached', 'checkFrequency', 'tasks', 'errors', 'finally'],
    required: ['condition', 'tasks', 'checkFrequency'],
    outputs: ['iterationCount'],
  },
  'io.kestra.plugin.core.flow.If': {
    properties: ['condition', 'then', 'else', 'errors', 'finally'],
    required: ['condition', 'then'],
    outputs: ['evaluationResult'],
  },
  'io.kestra.plugin.core.flow.Sleep': { properties: ['duration'], required: ['duration'], outputs: [] },
  'io.kestra.plugin.core.flow.Pause': {
    properties: ['pauseDuration', 'behavior', 'onPause', 'onResume', 'errors', 'finally'],
    required: [],
    outputs: ['onResume', 'resumed'],
  },
  'io.kestra.plugin.core.execution.Fail': {
    properties: ['condition', 'errorMessage'],
    required: [],
    outputs: [],
  },
  'io.kestra.plugin.scripts.node.Commands': {
    properties: [
      'commands',
      'containerImage',
      'taskRunner',
      'beforeCommands',
      'env',
      'interpreter',
      'failFast',
      'namespaceFiles',
      'inputFiles',
      'outputFiles',
      'targetOS',
    ],
    required: ['commands'],
    outputs: ['vars', 'exitCode', 'outputFiles'],
  },
};

export function unknownProperties(task: Task): string[] {
  const allowed = new Set([...TASK_PROPERTIES, ...(TASK_TYPES[task.type]?.properties ?? [])]);
  return Object.keys(task).filter((property) => !allowed.has(property));
}

/** Input and output types of Kestra 2.0+ (`core/.../models/flows/Type.java`); others fail parsing. */
export const DATA_TYPES = [
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
export const RENAMED_DATA_TYPES: Record<string, string> = { BOOLEAN: 'BOOL', ENUM: 'SELECT' };

export const REMOVED_OR_DEPRECATED = [
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

export const ISO_DURATION = /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

export function loadFlows(): Array<{ name: string; text: string; flow: Flow }> {
  const dir = new URL('../../flows/', import.meta.url);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => {
      const text = readFileSync(new URL(name, dir), 'utf8');
      return { name, text, flow: parse(text) as Flow };
    });
}

/** Every task, nested ones included. */
export function allTasks(tasks: Task[]): Task[] {
  return tasks.flatMap((task) => [
    task,
    ...allTasks([
      ...((task.tasks as Task[]) ?? []),
      ...((task.then as Task[]) ?? []),
      ...((task.else as Task[]) ?? []),
    ]),
  ]);
}

export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** The Pebble expressions (`{{ … }}`) in a value, without their braces. */
export function expressions(value: unknown): string[] {
  return strings(value).flatMap((text) =>
    [...text.matchAll(/\{\{([\s\S]*?)\}\}/g)].map((match) => match[1] ?? ''),
  );
}

/**
 * Reads a `{{ { … } | toJson }}` request body as JSON, each Pebble expression in it standing as a string
 * of its own text (`execution.id` becomes "execution.id"), so a test can check where each value comes from.
 */
export function pebbleMapBody(body: unknown): unknown {
  const literal = /^\s*\{\{\s*(\{[\s\S]*\})\s*\|\s*toJson\s*\}\}\s*$/.exec(String(body))?.[1];
  if (literal === undefined) throw new Error(`not a {{ {…} | toJson }} body: ${String(body)}`);
  const json = literal.replace(
    /"(?:[^"\\]|\\.)*"|([A-Za-z_][\w.]*(?:\s*\?\?\s*'[^']*')?)/g,
    (match, expression: string | undefined) => (expression ? JSON.stringify(expression) : match),
  );
  return JSON.parse(json);
}
