import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

export interface SupervisedProcessOptions {
  name: string;
  /** Spawns the process and resolves once it serves; rejects if it could not start. */
  start: () => Promise<ChildProcess>;
  /** The signal that stops it cleanly (Postgres: SIGINT, a fast shutdown). */
  stopSignal: NodeJS.Signals;
  onLog: (line: string) => void;
  /** Called with the new pid after every (re)start, so the orphan guard follows it. */
  onStarted?: (pid: number) => void;
}

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;
/** A process that served this long before dying starts its next backoff from the beginning. */
const HEALTHY_AFTER_MS = 30_000;

/**
 * Keeps one server process running: when it dies without being asked to, it is started again with
 * exponential backoff, and each death and restart is logged. stop() ends it for good.
 */
export class SupervisedProcess {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restarting: Promise<void> | undefined;

  constructor(private readonly options: SupervisedProcessOptions) {}

  async start(): Promise<void> {
    this.stopping = false;
    await this.spawn();
  }

  pid(): number | undefined {
    return this.child?.pid;
  }

  /** Stops it and keeps it stopped; start() brings it back. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.restarting;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(this.options.stopSignal);
    await exited;
  }

  private async spawn(): Promise<void> {
    const child = await this.options.start();
    this.child = child;
    const startedAt = Date.now();
    if (child.pid) this.options.onStarted?.(child.pid);
    child.once('exit', (code, signal) => {
      if (this.stopping || this.child !== child) return;
      this.options.onLog(`${this.options.name} exited (code ${code}, signal ${signal}); restarting`);
      const delay = Date.now() - startedAt > HEALTHY_AFTER_MS ? 0 : FIRST_DELAY_MS;
      this.restarting = this.restart(delay).finally(() => {
        this.restarting = undefined;
      });
    });
  }

  private async restart(firstDelayMs: number): Promise<void> {
    let delay = firstDelayMs;
    for (let attempt = 1; !this.stopping; attempt++) {
      await sleep(delay);
      if (this.stopping) return;
      try {
        await this.spawn();
        this.options.onLog(`${this.options.name} restarted (attempt ${attempt})`);
        return;
      } catch (error) {
        this.options.onLog(
          `${this.options.name} did not start (attempt ${attempt}): ${(error as Error).message}`,
        );
        delay = Math.min(MAX_DELAY_MS, Math.max(FIRST_DELAY_MS, delay * 2));
      }
    }
  }
}
