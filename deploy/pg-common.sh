# Shared by backup.sh and restore.sh (sourced, not run): the PostgreSQL database named by a URL, and the client
# tools that go with its server. Needs bash and PostgreSQL's client programs (psql, pg_dump, pg_restore).

die() {
    echo "${0##*/}: $*" >&2
    exit 1
}

# urldecode TEXT: %XX escapes to bytes (backslashes stay as they are).
urldecode() {
    local text=${1//\\/\\\\}
    printf '%b' "${text//%/\\x}"
}

# pg_target NAME: reads the URL in the environment variable NAME (postgres://user:password@host:port/database,
# as in DATABASE_URL) and sets PG_URI, a libpq connection URI without the password, which goes to PGPASSWORD
# instead (command lines are visible to every user of the machine), and PG_DATABASE, the database's name.
pg_target() {
    local name=$1
    local url=${!name:-}
    [ -n "$url" ] || die "$name is not set: it names the PostgreSQL database, e.g. postgres://user:password@host:5432/intymak"
    local scheme=${url%%:*}
    case $scheme in
        postgres | postgresql | pgsql | postgis) ;;
        sqlite*) die "$name is a SQLite database ($url): backups and restores are for PostgreSQL. For SQLite, copy the file while the portal is stopped." ;;
        *) die "$name must be a PostgreSQL URL (postgres://user:password@host:5432/database), not $scheme:..." ;;
    esac
    [[ $url == *://* ]] || die "$name is not a URL: $url"

    local rest=${url#*://}
    local authority=${rest%%[/?]*}
    local path=${rest:${#authority}}
    local host=${authority##*@}
    local user=""
    if [[ $authority == *@* ]]; then
        local userinfo=${authority%@*}
        user=${userinfo%%:*}
        if [[ $userinfo == *:* ]]; then
            PGPASSWORD=$(urldecode "${userinfo#*:}")
            export PGPASSWORD
        fi
    fi
    PG_URI="postgresql://${user:+$user@}$host$path"
    local database=${path#/}
    PG_DATABASE=$(urldecode "${database%%\?*}")
    [ -n "$PG_DATABASE" ] || die "$name names no database: $url"
}

# pg_tool PROGRAM: the path of one of PostgreSQL's client programs, from PG_BIN when it is set, else from PATH.
pg_tool() {
    local path
    if [ -n "${PG_BIN:-}" ]; then
        path=$PG_BIN/$1
        [ -x "$path" ] || die "$1 not found in PG_BIN ($PG_BIN)"
    else
        path=$(command -v "$1") ||
            die "$1 not found: install PostgreSQL's client programs, of the server's version (Debian: apt-get install postgresql-client-15), or set PG_BIN to their folder"
    fi
    echo "$path"
}

# pg_major_version PROGRAM: its major version ("pg_dump (PostgreSQL) 15.20 (Debian ...)" gives 15).
pg_major_version() {
    "$1" --version | sed -E -n '1s/^[^0-9]*([0-9]+).*/\1/p'
}

# pg_server_major: the major version of the server at PG_URI; on failure, the connection's error and exit.
pg_server_major() {
    local number
    number=$("$PSQL" -X -A -t -q --no-password -v ON_ERROR_STOP=1 -d "$PG_URI" -c "SHOW server_version_num") ||
        die "cannot connect to the database $PG_DATABASE (psql's message above)"
    echo $((number / 10000))
}

# pg_check_versions PROGRAM...: each must be of the server's major version. pg_dump refuses an older one itself,
# and a newer pg_dump or pg_restore writes SQL that an older server does not know.
pg_check_versions() {
    local server tool major
    server=$(pg_server_major) || exit 1
    for tool in "$@"; do
        major=$(pg_major_version "$tool")
        [ "$major" = "$server" ] ||
            die "$tool is PostgreSQL $major's, the server is PostgreSQL $server: use the client programs of version $server (set PG_BIN, e.g. PG_BIN=/usr/lib/postgresql/$server/bin)"
    done
}

# human_size FILE: its size as "12.3 MB".
human_size() {
    local bytes
    bytes=$(wc -c <"$1")
    awk -v b="$bytes" 'BEGIN { split("B KB MB GB TB", u); i = 1; while (b >= 1024 && i < 5) { b /= 1024; i++ }
        printf (i == 1 ? "%d %s" : "%.1f %s"), b, u[i] }'
}
