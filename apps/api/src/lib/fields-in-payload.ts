import type { CallRowFields } from '../schemas/call-row-schema.ts';

/** Where in a payload a field's value may sit, most likely first. */
export type PayloadPath = readonly string[];

/** The big fields a report copies from its payload: sent as paths, so a request carries them once. */
const COPIED_FIELDS: ReadonlyArray<[keyof CallRowFields, PayloadPath[]]> = [
  [
    'transcript',
    [
      ['message', 'artifact', 'transcript'],
      ['message', 'transcript'],
    ],
  ],
  [
    'messages',
    [
      ['message', 'artifact', 'messages'],
      ['message', 'messages'],
    ],
  ],
  // A warm transfer's record carries its own transcript and messages; a turn latency per turn.
  ['transfers', [['message', 'artifact', 'transfers']]],
  ['performance_metrics', [['message', 'artifact', 'performanceMetrics']]],
  ['structured_outputs', [['message', 'artifact', 'structuredOutputs']]],
  ['scorecards', [['message', 'artifact', 'scorecards']]],
];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The value at `path` in a payload; undefined where the path leads nowhere. */
export function valueAtPath(value: unknown, path: PayloadPath): unknown {
  let node = value;
  for (const key of path) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

// The message reader hands back the payload's own lists and records (vapi-message-schema.ts), but
// one that copied them would still copy no element: an array or object is the payload's when its elements are.
function sameValue(field: unknown, inPayload: unknown): boolean {
  if (field === inPayload) return true;
  if (Array.isArray(field) && Array.isArray(inPayload)) {
    return field.length === inPayload.length && field.every((element, index) => element === inPayload[index]);
  }
  if (!isPlainObject(field) || !isPlainObject(inPayload)) return false;
  const keys = Object.keys(field);
  return (
    keys.length === Object.keys(inPayload).length &&
    keys.every((key) => Object.hasOwn(inPayload, key) && field[key] === inPayload[key])
  );
}

export interface FieldsOnce {
  fields: CallRowFields;
  /** Fields whose value is the payload's value at this path; the ingest batch reads them from there. */
  fieldsInPayload: Partial<Record<keyof CallRowFields, PayloadPath>>;
}

/**
 * Moves each big field that is the very value the payload holds (same string, or same elements) out of
 * `fields` and names its path instead, so the payload is the only copy sent and parsed.
 */
export function fieldsInPayload(payload: unknown, fields: CallRowFields): FieldsOnce {
  const rest: CallRowFields = { ...fields };
  const paths: FieldsOnce['fieldsInPayload'] = {};
  for (const [field, candidates] of COPIED_FIELDS) {
    const value = rest[field];
    if (value === undefined || value === null) continue;
    const path = candidates.find((candidate) => sameValue(value, valueAtPath(payload, candidate)));
    if (!path) continue;
    delete rest[field];
    paths[field] = path;
  }
  return { fields: rest, fieldsInPayload: paths };
}
