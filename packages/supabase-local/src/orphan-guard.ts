import { spawn } from 'node:child_process';

export interface OrphanGuardOptions {
  postgresPid: number;
  postgrestPid: number;
  /** A throwaway data directory to delete once Postgres is gone. */
  removeDir?: string;
}

// Runs as a detached shell so it outlives a parent killed with SIGKILL, the one exit no
// process.on handler sees. It polls the parent and stops the servers the parent left behind.
const GUARD_SCRIPT = `
parent="$1"; pg="$2"; rest="$3"; dir="$4"
# kill -0 succeeds on a zombie, and nothing may reap the orphans here: read the state instead.
alive() { [ -r "/proc/$1/stat" ] && ! awk '{ exit ($3 == "Z") ? 0 : 1 }' "/proc/$1/stat"; }
while alive "$parent"; do sleep 1; done
kill -TERM "$rest" 2>/dev/null
kill -INT "$pg" 2>/dev/null
tries=0
while alive "$pg" && [ "$tries" -lt 150 ]; do sleep 0.2; tries=$((tries + 1)); done
[ -n "$dir" ] && rm -rf "$dir"
`;

/** Starts the guard; returns a function that dismisses it when the stack shuts down normally. */
export function startOrphanGuard(options: OrphanGuardOptions): () => void {
  const guard = spawn(
    '/bin/sh',
    [
      '-c',
      GUARD_SCRIPT,
      'orphan-guard',
      String(process.pid),
      String(options.postgresPid),
      String(options.postgrestPid),
      options.removeDir ?? '',
    ],
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
