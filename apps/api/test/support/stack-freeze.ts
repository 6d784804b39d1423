import { readdirSync, readFileSync } from 'node:fs';
import type { LocalSupabase } from '@callbridge/supabase-local';

/** Every process below `pid` (children, their children…), from /proc. */
export function descendantPids(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Exited while listed.
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const child of parents.get(parent) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

/**
 * Stops PostgREST and every Postgres process (the postmaster and each backend, checkpointer, WAL
 * writer…) with SIGSTOP: the whole database side hangs as a partition or a frozen VM does, with
 * connections open and nothing answering. `thaw` resumes them, Postgres first.
 */
export function freezeStack(stack: LocalSupabase): { thaw: () => void } {
  const { postgres, postgrest } = stack.pids();
  if (!postgres || !postgrest) throw new Error('the stack is not running');
  process.kill(postgrest, 'SIGSTOP');
  // The postmaster first, so it forks no backend after the list is taken.
  process.kill(postgres, 'SIGSTOP');
  const postgresPids = [postgres, ...descendantPids(postgres)];
  for (const pid of postgresPids) process.kill(pid, 'SIGSTOP');
  let thawed = false;
  return {
    thaw: () => {
      if (thawed) return;
      thawed = true;
      for (const pid of postgresPids) process.kill(pid, 'SIGCONT');
      process.kill(postgrest, 'SIGCONT');
    },
  };
}
