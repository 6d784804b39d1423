import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { migratedSchema } from '../src/migrated-schema.ts';
import { SCHEMA_SNAPSHOT_FILE, SNAPSHOT_COMMAND, snapshotText } from '../src/schema-snapshot-file.ts';

describe('supabase/schema.sql', () => {
  it('is the schema the migrations produce on an empty database', async () => {
    const produced = snapshotText(await migratedSchema());
    const checkedIn = await readFile(SCHEMA_SNAPSHOT_FILE, 'utf8');
    if (produced !== checkedIn) {
      expect.fail(
        `supabase/schema.sql is not what supabase/migrations produce. If the migration change is intended, run\n  ${SNAPSHOT_COMMAND}\nand commit supabase/schema.sql. Difference (- checked in, + produced):\n${lineDiff(checkedIn, produced)}`,
      );
    }
  }, 60_000);
});

/** The lines only one side has, enough to see what changed. */
function lineDiff(expected: string, actual: string): string {
  const expectedLines = new Set(expected.split('\n'));
  const actualLines = new Set(actual.split('\n'));
  const removed = [...expectedLines].filter((line) => !actualLines.has(line)).map((line) => `- ${line}`);
  const added = [...actualLines].filter((line) => !expectedLines.has(line)).map((line) => `+ ${line}`);
  return [...removed, ...added].slice(0, 40).join('\n');
}
