import { execFile, spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import type { RunAs } from './postgres-binaries.ts';

const run = promisify(execFile);
const OS_USER = 'postgres';

async function idOf(flag: '-u' | '-g'): Promise<number> {
  const { stdout } = await run('id', [flag, OS_USER]);
  return Number.parseInt(stdout.trim(), 10);
}

/**
 * Postgres refuses to run as root. Run as root (CI, a fresh VM), it runs as the OS user `postgres`,
 * created on first use; otherwise as the current user (undefined: no switch).
 */
export async function postgresOsUser(): Promise<RunAs | undefined> {
  if (userInfo().uid !== 0) return undefined;
  try {
    return { uid: await idOf('-u'), gid: await idOf('-g') };
  } catch {
    await run('groupadd', ['--force', OS_USER]);
    await run('useradd', ['--no-create-home', '--gid', OS_USER, OS_USER]).catch(async (error) => {
      // Another process created it meanwhile.
      await idOf('-u').catch(() => Promise.reject(error));
    });
    return { uid: await idOf('-u'), gid: await idOf('-g') };
  }
}

/** Whether `user` can enter this folder: every folder above it must let the user through. */
export function canEnter(dir: string, user: RunAs): boolean {
  const result = spawnSync('/bin/sh', ['-c', 'cd "$1"', 'check', dir], {
    uid: user.uid,
    gid: user.gid,
    stdio: 'ignore',
  });
  return result.error === undefined && result.status === 0;
}
