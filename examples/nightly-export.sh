#!/bin/sh
# Nightly backup: a full JSON dump (re-importable with `goaltrack import`) and a FHIR R4 bundle,
# checked by a dry-run import into an empty home, keeping the newest KEEP nights (default 30).
#
#   examples/nightly-export.sh BACKUP_DIR
#   crontab:  15 2 * * *  GOALTRACK_HOME=/srv/goaltrack /opt/goaltrack/examples/nightly-export.sh /srv/backups/goaltrack
#
# The files hold client data: they are written 0600 in a folder made 0700. The script exits
# non-zero (and cron mails you) if any client file cannot be read or the dump does not re-import.
set -eu

dir=${1:?usage: $0 BACKUP_DIR}
keep=${KEEP:-30}
umask 077
mkdir -p "$dir"
stamp=$(date +%Y-%m-%d)
dump="$dir/goaltrack-$stamp.json"

goaltrack export --all -f json -o "$dump"
goaltrack export --all -f fhir -o "$dir/goaltrack-$stamp.fhir.json"

# A backup that does not restore is not a backup: import it into a throw-away home.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
goaltrack --home "$scratch/home" import "$dump" --dry-run -f csv >/dev/null

# Keep the newest $keep nights of each kind.
for pattern in 'goaltrack-????-??-??.json' 'goaltrack-????-??-??.fhir.json'; do
    # shellcheck disable=SC2086  # the pattern is ours and has no spaces
    ls -1 "$dir"/$pattern 2>/dev/null | sort -r | tail -n +"$((keep + 1))" |
        while IFS= read -r old; do rm -f -- "$old"; done
done
echo "backed up to $dump" >&2
