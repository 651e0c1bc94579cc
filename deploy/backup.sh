#!/usr/bin/env bash
# `make backup`: a compressed dump of the PostgreSQL database of DATABASE_URL, written to
# backups/intymak-YYYYmmdd-HHMMSS.dump (UTC; BACKUP_DIR chooses another folder). `make restore FILE=...` reads it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/pg-common.sh"

pg_target DATABASE_URL
PSQL=$(pg_tool psql)
PG_DUMP=$(pg_tool pg_dump)
pg_check_versions "$PG_DUMP"

# Dumps hold password hashes and mediators' personal details: readable by their owner only.
umask 077
folder=${BACKUP_DIR:-backups}
mkdir -p "$folder"
file=$folder/intymak-$(date -u +%Y%m%d-%H%M%S).dump
[ ! -e "$file" ] || die "$file exists already"

# Written under another name first, so that an interrupted dump never looks like a finished one.
partial=$file.partial
trap 'rm -f "$partial"' EXIT
"$PG_DUMP" --format=custom --compress=9 --no-password --file="$partial" --dbname="$PG_URI"
mv "$partial" "$file"
trap - EXIT
echo "$file ($(human_size "$file"))"
