import { z } from 'zod';
import { formatDuration } from './format.ts';

/** The part of GET /ready the dashboard reads: the local spool, when the server has one. */
const readySpoolSchema = z.object({
  spool: z
    .object({
      depth: z.number(),
      oldestAgeSeconds: z.number(),
      bytes: z.number(),
      accepting: z.boolean(),
    })
    .optional(),
});

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export interface SpoolNotice {
  text: string;
  /** The spool refuses: webhooks are being answered 503 and lost. */
  alarm: boolean;
}

/** What to say about the spool from a /ready answer (200 or 503); null when it is empty or absent. */
export function spoolNotice(ready: unknown): SpoolNotice | null {
  const parsed = readySpoolSchema.safeParse(ready);
  const spool = parsed.success ? parsed.data.spool : undefined;
  if (!spool || (spool.depth === 0 && spool.accepting)) return null;
  const waiting = `${spool.depth} ${spool.depth === 1 ? 'delivery' : 'deliveries'} (${formatBytes(spool.bytes)}) spooled on this server, waiting for the database; oldest ${formatDuration(spool.oldestAgeSeconds)}`;
  return spool.accepting
    ? { text: waiting, alarm: false }
    : {
        text: `${waiting}. The spool is full or failing: webhooks are answered 503.`,
        alarm: true,
      };
}
