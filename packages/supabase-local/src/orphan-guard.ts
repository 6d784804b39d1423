import { spawn } from 'node:child_process';

export interface OrphanGuardOptions {
  /** A file holding the pids to stop, one per line, rewritten whenever a server restarts. */
  pidsFile: string;
  /** A throwaway folder to delete once the servers are gone. */
  removeDir?: string;
}

// Runs as a detached shell so it outlives a parent killed with SIGKILL, the one exit no
// process.on handler sees. It polls the parent and stops the servers the parent left behind: the
// pids are read when that happens, so a server restarted meanwhile is the one stopped.
const GUARD_SCRIPT = `
parent="$1"; pids="$2"; dir="$3"
# kill -0 succeeds on a zombie, and nothing may reap the orphans here: read the state instead.
alive() { [ -r "/proc/$1/stat" ] && ! awk '{ exit ($3 == "Z") ? 0 : 1 }' "/proc/$1/stat"; }
while alive "$parent"; do sleep 1; done
for pid in $(cat "$pids" 2>/dev/null); do kill -INT "$pid" 2>/dev/null; done
for pid in $(cat "$pids" 2>/dev/null); do
  tries=0
  while alive "$pid" && [ "$tries" -lt 150 ]; do sleep 0.2; tries=$((tries + 1)); done
done
rm -f "$pids"
[ -n "$dir" ] && rm -rf "$dir"
`;

/** Starts the guard; returns a function that dismisses it when the stack shuts down normally. */
export function startOrphanGuard(options: OrphanGuardOptions): () => void {
  const guard = spawn(
    '/bin/sh',
    ['-c', GUARD_SCRIPT, 'orphan-guard', String(process.pid), options.pidsFile, options.removeDir ?? ''],
    { detached: true, stdio: 'ignore' },
  );
  guard.unref();
  return () => {
    try {
      guard.kill('SIGKILL');
    } catch {
      // already gone
    }
  };
}
