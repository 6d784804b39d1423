#!/bin/sh
# Applies supabase/migrations in version order, each in its own transaction, and records each in
# supabase_migrations.schema_migrations: the table the Supabase CLI and Callbridge's local stack use,
# so `supabase migration list`, `supabase db push` and this job agree on what is applied.
# Usage: DATABASE_URL=postgresql://… MIGRATIONS_DIR=/migrations sh migrate.sh
set -eu
: "${DATABASE_URL:?DATABASE_URL is required}"
dir="${MIGRATIONS_DIR:-/migrations}"

run_psql() { psql "$DATABASE_URL" --no-psqlrc --quiet --set ON_ERROR_STOP=1 "$@"; }

run_psql --command 'create schema if not exists supabase_migrations;
  create table if not exists supabase_migrations.schema_migrations (version text primary key, statements text[], name text);'
applied="$(run_psql --tuples-only --no-align --command 'select version from supabase_migrations.schema_migrations')"

count=0
for file in "$dir"/*.sql; do
  [ -e "$file" ] || { echo "no migrations in $dir" >&2; exit 1; }
  base="$(basename "$file" .sql)"
  version="${base%%_*}"
  name="${base#*_}"
  case "$version" in '' | *[!0-9]*) echo "$base is not named <timestamp>_<name>.sql" >&2; exit 1 ;; esac
  if printf '%s\n' "$applied" | grep -qx "$version"; then continue; fi
  echo "applying $base"
  # One session per migration: the file and its record commit together or not at all.
  {
    echo 'begin;'
    printf '\\i %s\n' "$file"
    printf '\\set statements `cat %s`\n' "$file"
    echo "insert into supabase_migrations.schema_migrations (version, statements, name) values (:'version', array[:'statements'], :'name');"
    echo 'commit;'
  } | run_psql --set version="$version" --set name="$name"
  count=$((count + 1))
done
echo "applied $count migration(s)"
