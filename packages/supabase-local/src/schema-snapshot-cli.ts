#!/usr/bin/env -S node --import tsx
// Applies supabase/migrations to an empty database and writes the resulting schema to supabase/schema.sql.
import { writeFile } from 'node:fs/promises';
import { migratedSchema } from './migrated-schema.ts';
import { SCHEMA_SNAPSHOT_FILE, snapshotText } from './schema-snapshot-file.ts';

await writeFile(SCHEMA_SNAPSHOT_FILE, snapshotText(await migratedSchema()));
process.stdout.write(`wrote ${SCHEMA_SNAPSHOT_FILE}\n`);
