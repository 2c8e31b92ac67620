#!/bin/sh
# List every active goal whose measure got worse this month (needs jq).
#
#   examples/deteriorated-this-month.sh [YYYY-MM]        # default: the current month
#   GOALTRACK_HOME=examples/caseload examples/deteriorated-this-month.sh 2026-10
#
# Prints tab-separated lines: client, goal, measure, title, the value before the month
# (the last entry before it, else the month's first) and the month's last value, with dates.
# "Worse" follows the measure (PHQ-9 down is better, GBO up is better; for other measures,
# the direction from baseline to target). It is a screening list for supervision, not a test
# of reliable change. Read-only: it runs `goaltrack export`, nothing else.
set -eu

month=${1:-$(date +%Y-%m)}
case $month in
    [0-9][0-9][0-9][0-9]-[0-9][0-9]) ;;
    *) echo "usage: $0 [YYYY-MM]" >&2; exit 2 ;;
esac
command -v jq >/dev/null 2>&1 || { echo "$0: needs jq (e.g. apt-get install jq)" >&2; exit 2; }

printf 'client\tgoal\tmeasure\ttitle\tbefore_date\tbefore\tlast_date\tlast\n'
goaltrack export --all -f json | jq -r --arg month "$month" '
  def lower_is_better: {phq9: true, gad7: true, pcl5: true, core10: true, suds: true,
                        rses: false, gbo: false, ors: false, gas: false, rating: false};
  .clients[]
  | select(.client.status == "active")
  | .client.id as $client
  | .goals[]
  | select(.status == "active")
  | . as $goal
  | (lower_is_better[.measure // ""]
     // (if (.baseline != null and .target != null and .baseline != .target)
         then .target < .baseline else null end)) as $lower
  | select($lower != null)
  | [.progress // [] | sort_by(.date)[]] as $entries
  | [$entries[] | select(.date[0:7] == $month)] as $inside
  | select($inside | length > 0)
  | ([$entries[] | select(.date[0:7] < $month)] | last // $inside[0]) as $before
  | ($inside | last) as $last
  | select(if $lower then $last.value > $before.value else $last.value < $before.value end)
  | [$client, .number, (.measure // ""), .title, $before.date, $before.value,
     $last.date, $last.value]
  | @tsv'
