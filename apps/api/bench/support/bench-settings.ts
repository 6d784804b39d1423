import { z } from 'zod';

const count = z.coerce.number().int().positive();

const benchSettingsSchema = z.object({
  BENCH_CONNECTIONS: count.default(64),
  BENCH_DURATION_S: count.default(8),
  BENCH_ROUNDS: count.default(3),
  BENCH_WARMUP_S: count.default(3),
  BENCH_REPORT_BYTES: count.default(20_000),
  BENCH_STATUS_BYTES: count.default(2_000),
  /** bench:ingest: 0 skips the read rounds (when only the writes are being worked on). */
  BENCH_READS: z.enum(['0', '1']).default('1'),
  /** bench:ingest: which write kinds run, e.g. `report` alone for a profile of one kind. */
  BENCH_WRITES: z
    .string()
    .default('report,status')
    .transform((list) => list.split(',').map((kind) => kind.trim()))
    .pipe(z.array(z.enum(['report', 'status'])).min(1)),
  BENCH_PURGE_BACKLOG: count.default(300_000),
});

export type BenchSettings = z.output<typeof benchSettingsSchema>;

/** The knobs every benchmark reads from the environment, with the method's defaults. */
export function loadBenchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  return benchSettingsSchema.parse(env);
}
