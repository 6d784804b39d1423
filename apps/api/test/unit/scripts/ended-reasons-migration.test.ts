import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BEGIN_MARKER,
  END_MARKER,
  withEndedReasons,
} from '../../../scripts/generate-ended-reasons-migration.ts';
import { CALL_ENDED_REASONS } from '../../../src/lib/call-ended-reasons.ts';

const migrationsDir = new URL('../../../../../supabase/migrations/', import.meta.url);

/** The newest migration that fills public.vapi_ended_reasons: the rows the database ends up with. */
function newestEndedReasonsMigration(): { name: string; text: string } {
  const name = readdirSync(migrationsDir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .filter((file) =>
      readFileSync(new URL(file, migrationsDir), 'utf8').includes('insert into public.vapi_ended_reasons'),
    )
    .at(-1);
  if (!name) throw new Error('no migration fills public.vapi_ended_reasons');
  return { name, text: readFileSync(new URL(name, migrationsDir), 'utf8') };
}

describe('the ended-reasons migration', () => {
  it('is the baseline file until a later migration refills the table', () => {
    expect(newestEndedReasonsMigration().name).toBe('20261201000200_vapi_ended_reasons.sql');
  });

  it('holds exactly the rows of the TS table', () => {
    const { text } = newestEndedReasonsMigration();
    const rows = [...text.matchAll(/^ {2}\('([^']+)', '([^']+)', (true|false), '([^']+)'\)[,;]$/gm)].map(
      ([, reason, outcome, retryable, fault]) => [
        reason,
        { outcome, retryable: retryable === 'true', fault },
      ],
    );
    expect(rows).toHaveLength(597);
    expect(Object.fromEntries(rows)).toEqual(CALL_ENDED_REASONS);
  });

  it('is what the generator writes today (run it after changing the table)', () => {
    const { text } = newestEndedReasonsMigration();
    expect(withEndedReasons(text)).toBe(text);
  });

  it('appends the block to a migration without one and replaces only the block in one that has it', () => {
    const fresh = withEndedReasons('-- why\n');
    expect(fresh.startsWith(`-- why\n\n${BEGIN_MARKER}\n`)).toBe(true);
    expect(fresh.trimEnd().endsWith(END_MARKER)).toBe(true);
    const stale = `-- why\n${BEGIN_MARKER}\ninsert nothing;\n${END_MARKER}\n-- after\n`;
    expect(withEndedReasons(stale)).toBe(
      `-- why\n${fresh.slice(fresh.indexOf(BEGIN_MARKER)).trimEnd()}\n-- after\n`,
    );
  });
});
