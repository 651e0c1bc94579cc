#!/usr/bin/env bash
# `make restore FILE=backups/intymak-YYYYmmdd-HHMMSS.dump`: loads a dump made by `make backup` into the PostgreSQL
# database of RESTORE_DATABASE_URL, or else of DATABASE_URL. That database must be empty: a restore never
# overwrites data. All or nothing: any error rolls the whole restore back.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/pg-common.sh"

file=${1:-}
[ -n "$file" ] || die "which dump? make restore FILE=backups/intymak-YYYYmmdd-HHMMSS.dump"
[ -f "$file" ] && [ -r "$file" ] || die "$file: no such file"

if [ -n "${RESTORE_DATABASE_URL:-}" ]; then target=RESTORE_DATABASE_URL; else target=DATABASE_URL; fi
pg_target "$target"
PSQL=$(pg_tool psql)
PG_RESTORE=$(pg_tool pg_restore)
pg_check_versions "$PG_RESTORE"
"$PG_RESTORE" --list "$file" >/dev/null || die "$file is not a dump made by make backup (pg_dump --format=custom)"

psql_value() {
    "$PSQL" -X -A -t -q --no-password -v ON_ERROR_STOP=1 -d "$PG_URI" -c "$1"
}

# Tables, views and sequences outside PostgreSQL's own schemas: any of them means the database is in use.
relations=$(psql_value "
    SELECT count(*) || ' (' || coalesce(string_agg(n.nspname || '.' || c.relname, ', ' ORDER BY n.nspname, c.relname)
                                        FILTER (WHERE c.relkind IN ('r', 'p')), '') || ')'
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'")
count=${relations%% *}
if [ "$count" != 0 ]; then
    tables=${relations#* (}
    tables=${tables%)}
    [ ${#tables} -le 300 ] || tables="${tables:0:300}..."
    die "the database $PG_DATABASE is not empty ($count tables, views or sequences: $tables). A restore goes only into an empty database and nothing was changed. Create one (createdb -T template0 NAME) and point RESTORE_DATABASE_URL (or DATABASE_URL) at it."
fi

# --no-owner and --no-privileges: the restored objects belong to the role that restores them, whatever the roles
# of the server the dump came from were called. --single-transaction with --exit-on-error: all or nothing.
"$PG_RESTORE" --no-owner --no-privileges --exit-on-error --single-transaction --no-password \
    --dbname="$PG_URI" "$file"
# Fresh tables have no planner statistics until autovacuum gets to them.
psql_value "ANALYZE" >/dev/null
tables=$(psql_value "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'")
echo "restored $file into the database $PG_DATABASE: $tables tables"
