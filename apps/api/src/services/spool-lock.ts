import { open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';

/** Another live process holds the spool directory. */
export class SpoolLockedError extends Error {}

interface LockOwner {
  pid: number;
  host: string;
}

const LOCK_FILE = 'spool.lock';
/** Directories this process holds: its own pid in a lock file is stale only if no one here holds it. */
const heldHere = new Set<string>();

/**
 * One process per spool directory: a lock file created with O_EXCL holding the owner's pid and host.
 * A lock whose process is gone (SIGKILL, a crash, a container restarted with the same pid) is stale
 * and taken over at once, so a killed instance drains its spool on the next start without waiting for
 * a timeout (proper-lockfile's mtime staleness would make that start wait, and it refreshes on a timer).
 * A lock from another host is never taken over: the operator decides (see docs/operations.md, "The spool").
 */
export async function lockSpoolDir(
  dir: string,
  options: { takeOverFromOtherHost?: boolean } = {},
): Promise<() => Promise<void>> {
  const file = path.join(path.resolve(dir), LOCK_FILE);
  if (heldHere.has(file))
    throw new SpoolLockedError(`spool directory ${dir} is already open in this process`);
  const me: LockOwner = { pid: process.pid, host: hostname() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(JSON.stringify(me));
      await handle.sync();
      await handle.close();
      heldHere.add(file);
      return async () => {
        heldHere.delete(file);
        await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(file);
    const takenOver = options.takeOverFromOtherHost && owner && owner.host !== me.host;
    if (owner && !takenOver && !isStale(owner, me)) {
      throw new SpoolLockedError(
        owner.host === me.host
          ? `spool directory ${dir} is in use by process ${owner.pid}: each instance needs its own SPOOL_DIR`
          : `spool directory ${dir} is locked by process ${owner.pid} on ${owner.host}; if that instance is gone for good, drain it with --take-over`,
      );
    }
    await rm(file, { force: true });
  }
  throw new SpoolLockedError(`could not lock spool directory ${dir}`);
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string'
      ? { pid: owner.pid, host: owner.host }
      : undefined;
  } catch {
    // Empty or half-written: its writer died between create and write.
    return undefined;
  }
}

function isStale(owner: LockOwner, me: LockOwner): boolean {
  if (owner.host !== me.host) return false;
  if (owner.pid === me.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
