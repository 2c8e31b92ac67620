#!/bin/sh
# Load a CSV of scores saved from a spreadsheet: check every row first, then import in one call.
#
#   GOALTRACK_HOME=$(mktemp -d)/home examples/import-spreadsheet.sh            # the sample file
#   GOALTRACK_HOME=~/clinic examples/import-spreadsheet.sh scores-2026.csv     # your own file
#
# Save the sheet as "CSV UTF-8". Columns are described in docs/formats.md ("import"); the
# sample examples/spreadsheet-scores.csv creates two clients, their goals and their scores.
# Nothing is written unless every row is valid, and running it twice adds nothing.
set -eu

: "${GOALTRACK_HOME:?set GOALTRACK_HOME; try a scratch home first: GOALTRACK_HOME=\$(mktemp -d)/home $0}"
case $GOALTRACK_HOME in
    *examples/caseload*) echo "$0: refusing to write into the example caseload" >&2; exit 2 ;;
esac
file=${1:-$(dirname "$0")/spreadsheet-scores.csv}

echo "== checking $file (nothing is written yet)" >&2
goaltrack import "$file" --dry-run

echo "== importing" >&2
clients=$(goaltrack import "$file" -f csv | tail -n +2 | cut -d, -f1)

for client in $clients; do
    echo >&2
    goaltrack progress "$client"
done
