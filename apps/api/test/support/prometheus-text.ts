/** One sample line of the Prometheus text format: `name{label="value",…} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? ([^ ]+)(?: -?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/gy;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  // prom-client writes `Nan`; Prometheus reads values with Go's ParseFloat, which ignores case.
  if (text.toLowerCase() === 'nan') return Number.NaN;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`not a sample value: ${text}`);
  return value;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  let consumed = 0;
  for (let match = LABEL.exec(text); match; match = LABEL.exec(text)) {
    const [whole, key, value] = match as unknown as [string, string, string];
    labels[key] = value.replace(/\\(.)/g, (_escape, char: string) => (char === 'n' ? '\n' : char));
    consumed += whole.length;
  }
  if (consumed !== text.length) throw new Error(`malformed labels: ${line}`);
  return labels;
}

/**
 * Parses the Prometheus text exposition format (0.0.4), strictly: a line that is neither a comment,
 * a HELP/TYPE line nor a well-formed sample throws, and so does a sample of an undeclared metric.
 */
export function parsePrometheusText(text: string): { samples: Sample[]; types: Map<string, string> } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ');
      if (!name || !type || !TYPES.has(type)) throw new Error(`malformed TYPE line: ${line}`);
      types.set(name, type);
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`malformed sample: ${line}`);
    const [, name = '', labelText, value = ''] = match;
    const family = [...types.keys()].find(
      (declared) =>
        name === declared ||
        (name.startsWith(declared) &&
          /^_(bucket|sum|count|total|created)$/.test(name.slice(declared.length))),
    );
    if (!family) throw new Error(`sample of an undeclared metric: ${line}`);
    samples.push({ name, labels: labelText ? parseLabels(labelText, line) : {}, value: parseValue(value) });
  }
  return { samples, types };
}

/** The sum of the samples with this name and (at least) these labels; 0 when there is none. */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const matching = samples.filter(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  return matching.reduce((sum, sample) => sum + sample.value, 0);
}
