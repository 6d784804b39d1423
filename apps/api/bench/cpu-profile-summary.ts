// Sums a V8 .cpuprofile (from BENCH_API_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof') by function and
// by file, self time and inclusive time, as shares of the busy (non-idle) time: what the profile says to
// work on. Run with `node --import tsx bench/cpu-profile-summary.ts <file.cpuprofile> [rows]`.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, rowsArgument] = process.argv.slice(2);
if (!file) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> [rows]');
const rows = Number(rowsArgument ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const sampled = new Map<number, number>();
profile.samples.forEach((id, index) => {
  sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

const shortUrl = (url: string) =>
  url.replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/.*\/apps\/api\//, '');
const nameOf = ({ callFrame }: ProfileNode) =>
  `${callFrame.functionName || '(anonymous)'} ${shortUrl(callFrame.url)}:${callFrame.lineNumber}`;

const self = new Map<string, number>();
const byFile = new Map<string, number>();
const inclusive = new Map<string, number>();
const add = (map: Map<string, number>, key: string, time: number) => map.set(key, (map.get(key) ?? 0) + time);
let idle = 0;
let all = 0;
for (const node of profile.nodes) {
  const time = sampled.get(node.id) ?? 0;
  all += time;
  if (node.callFrame.functionName === '(idle)') idle += time;
  add(self, nameOf(node), time);
  add(byFile, shortUrl(node.callFrame.url) || node.callFrame.functionName, time);
  const seen = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parents.get(id)) {
    const name = nameOf(nodes.get(id) as ProfileNode);
    if (!seen.has(name)) add(inclusive, name, time);
    seen.add(name);
  }
}
const busy = all - idle;
for (const [title, map] of [
  ['self time by function', self],
  ['self time by file', byFile],
  ['inclusive time by function', inclusive],
] as const) {
  console.log(`\n${title} (% of ${(busy / 1e6).toFixed(1)} s busy)`);
  const top = [...map].filter(([name]) => !name.startsWith('(idle)') && !name.startsWith('(root)'));
  for (const [name, time] of top.sort((a, b) => b[1] - a[1]).slice(0, rows))
    console.log(`${((100 * time) / busy).toFixed(1).padStart(5)}  ${name}`);
}
