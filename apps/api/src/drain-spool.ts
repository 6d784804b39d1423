// `pnpm --filter @callbridge/api spool:drain <dir> [--take-over]` (in the image: `node dist/drain-spool.js`):
// drains the spool directory of an instance that will not come back into the database, oldest first,
// through the same ingest path (delivery ids make a repeat a no-op), then exits 0 with the spool empty.
// Needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY. Refuses a directory a live process holds; a lock
// left by another host (a pod on a node that is gone) is taken over only with --take-over.
import { parseArgs } from 'node:util';
import { ingestDeliveries, storedOrThrow } from './services/ingest-deliveries.ts';
import { SpoolDrainer } from './services/spool-drain.ts';
import { SpoolJournal } from './services/spool-journal.ts';
import { SpoolLockedError } from './services/spool-lock.ts';
import { ingestEndpoint, rpcAttempt } from './services/store-vapi-events.ts';

const say = (line: string) => process.stderr.write(`[spool:drain] ${line}\n`);
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'take-over': { type: 'boolean', default: false },
    'timeout-seconds': { type: 'string', default: '600' },
    'batch-size': { type: 'string', default: '250' },
  },
});
const [dir] = positionals;
const timeoutSeconds = Number(values['timeout-seconds']);
const batchSize = Number(values['batch-size']);
const { SUPABASE_URL: url, SUPABASE_SERVICE_ROLE_KEY: key } = process.env;
const timeoutMs = Number(process.env.SUPABASE_TIMEOUT_MS ?? '5000');
if (
  !dir ||
  !url ||
  !key ||
  !(timeoutSeconds > 0) ||
  !(batchSize >= 1 && batchSize <= 500) ||
  !(timeoutMs > 0)
) {
  say(
    'usage: SUPABASE_URL=… SUPABASE_SERVICE_ROLE_KEY=… spool:drain <spool dir> [--take-over] [--timeout-seconds 600] [--batch-size 250]',
  );
  process.exit(2);
}

const endpoint = ingestEndpoint(url, key);
let damaged = 0;
let journal: SpoolJournal;
try {
  journal = await SpoolJournal.open({
    dir,
    // Nothing is appended here: the cap only bounds appends.
    maxBytes: Number.MAX_SAFE_INTEGER,
    segmentBytes: 16 * 1024 * 1024,
    takeOverLockFromOtherHost: values['take-over'],
    onDamage: (damage) => {
      damaged++;
      say(
        `damaged record (${damage.kind}, ${damage.bytes} bytes at ${damage.offset} of ${damage.segment}): kept in ${damage.keptIn}`,
      );
    },
  });
} catch (error) {
  if (!(error instanceof SpoolLockedError)) throw error;
  say(error.message);
  process.exit(2);
}

const total = journal.depth;
say(`${total} deliveries spooled (${journal.bytes} bytes) in ${dir}; draining into ${url}`);
let drained = 0;
const drainer = new SpoolDrainer(journal, {
  batchSize,
  retryMinMs: 250,
  retryMaxMs: 5000,
  store: async (records) =>
    storedOrThrow(
      await ingestDeliveries(rpcAttempt(endpoint), records, {
        budgetMs: timeoutMs,
        attemptTimeoutMs: timeoutMs,
      }),
    ),
  onDrained: (records) => {
    drained += records.length;
    say(`${drained}/${total} stored`);
  },
  onError: (error) => say(`storing failed, retrying: ${(error as Error).message}`),
});
let code = 0;
try {
  await drainer.drainAll(timeoutSeconds * 1000);
  say(
    `done: ${drained} deliveries stored, the spool is empty${damaged ? `; ${damaged} damaged ranges kept aside (*.corrupt)` : ''}`,
  );
} catch (error) {
  say(`${(error as Error).message} after ${timeoutSeconds} s; run again to go on`);
  code = 1;
} finally {
  await drainer.stop();
  await journal.close();
}
process.exit(code);
