import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux everywhere that matters). */
const TICKS_PER_SECOND = 100;

/** utime, stime, cutime, cstime and ppid of one process, in ticks; null once it is gone. */
function stat(pid: number): { ppid: number; own: number; reaped: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name is in parentheses and may hold spaces: fields are counted after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const tick = (field: number) => Number(fields[field - 3]);
  return { ppid: tick(4), own: tick(14) + tick(15), reaped: tick(16) + tick(17) };
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const child = Number(entry);
    if (Number.isInteger(child) && stat(child)?.ppid === pid) children.push(child);
  }
  return children;
}

/**
 * CPU seconds a process has used so far. With `children`, its children's too, living (their own time)
 * and exited (reaped into the parent's cutime/cstime): a server whose workers come and go, as Postgres's
 * backends do, is counted whole, and the difference of two readings is the time spent in between.
 */
export function cpuSeconds(pid: number, options: { children?: boolean } = {}): number {
  const parent = stat(pid);
  if (!parent) return 0;
  let ticks = parent.own;
  if (options.children) {
    ticks += parent.reaped;
    for (const child of childrenOf(pid)) ticks += stat(child)?.own ?? 0;
  }
  return ticks / TICKS_PER_SECOND;
}

export interface CpuProcess {
  name: string;
  pid: number | undefined;
  children?: boolean;
}

/** A reading of several processes now; `since` turns two readings into CPU seconds per process. */
export function readCpu(processes: CpuProcess[]): Map<string, number> {
  return new Map(
    processes.map(({ name, pid, children }) => [name, pid ? cpuSeconds(pid, { children }) : Number.NaN]),
  );
}

export function cpuSince(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([name, seconds]) => [name, seconds - (before.get(name) ?? Number.NaN)]));
}
