#!/usr/bin/env bash
# The nightly overdue list for a caseload (README "The overdue-list job").
#
#   examples/overdue-job.sh [request.json] [cases.ndjson] [overdue.ndjson]
#
# request.json is the request without cases ({"authority", "as_of",
# "due_within_working_days"}); cases.ndjson is one case a line from the case
# system. The answer goes to overdue.ndjson, whole and as the service sent it
# (deadline rows, rule lines, not_evaluated lines, problem lines, the summary).
#
# Exit 0  the whole answer arrived and adds up.
# Exit 2  answered, but some cases could not be computed: each is listed on
#         stderr (and is a problem line in the file); the others are in the file.
#         OVERDUE_PROBLEM_EXIT=0 makes this a success.
# Exit 1  no list: the service is unreachable, answered an HTTP error (a
#         misspelt authority is a 422), or the answer was cut off or does not
#         add up. The file is removed, so yesterday's list is never read as today's.
#
# Settings: OVERDUE_URL (http://localhost:8000), OVERDUE_API_KEY (sent as
# X-API-Key when set), OVERDUE_MAX_SECONDS (3600). Needs bash, curl, python3.
set -euo pipefail

request=${1:-request.json}
cases=${2:-cases.ndjson}
out=${3:-overdue.ndjson}
url=${OVERDUE_URL:-http://localhost:8000}
part="$out.part"

fail() {
  echo "overdue-job: $*" >&2
  rm -f "$out" "$part"
  exit 1
}
trap 'rm -f "$part"' EXIT

[ -r "$request" ] || fail "cannot read $request"
[ -r "$cases" ] || fail "cannot read $cases"
# The NDJSON body's first line is the request without cases, on one line.
header=$(python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))))' \
  "$request") || fail "$request is not JSON"
auth=()
if [ -n "${OVERDUE_API_KEY:-}" ]; then auth=(-H "X-API-Key: $OVERDUE_API_KEY"); fi

# --fail-with-body: an HTTP error is a failure, and its problem+json is kept
# to say why. With pipefail, a case file that cannot be read fails too.
set +e
status=$(
  { printf '%s\n' "$header"; cat "$cases"; } |
    curl -sS --fail-with-body --connect-timeout 10 --max-time "${OVERDUE_MAX_SECONDS:-3600}" \
      -H 'Content-Type: application/x-ndjson' -H 'Accept: application/x-ndjson' "${auth[@]}" \
      --data-binary @- -o "$part" -w '%{http_code}' "$url/v1/overdue.ndjson"
)
sent=$?
set -e
if [ "$sent" -ne 0 ]; then
  if [ "$status" -ge 400 ] 2>/dev/null; then
    why=$(python3 -c 'import json, sys; p = json.load(open(sys.argv[1]))
print(p.get("title", ""), "-", p.get("detail", ""))' "$part" 2>/dev/null) || why="(no problem body)"
    fail "the service answered HTTP $status: $why"
  fi
  case $sent in
    6 | 7) fail "cannot reach $url (curl exit $sent; its message is above)" ;;
    *) fail "no whole answer from $url (curl exit $sent; its message is above)" ;;
  esac
fi

# Read the answer line by line: every line is classified by its key, and the
# last must be the summary, whose counts must match what arrived.
set +e
python3 - "$part" "$cases" <<'PY'
import collections, json, sys

answer, cases = sys.argv[1], sys.argv[2]
with open(cases, "rb") as f:
    sent = sum(1 for line in f if line.strip())  # the service skips blank lines
seen = collections.Counter()
reasons = collections.Counter()
unassessed_cases = set()
problems = []
summary = None
with open(answer, encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        if summary is not None:
            sys.exit(f"overdue-job: answer line {n} comes after the summary line")
        try:
            row = json.loads(line)
        except ValueError:
            sys.exit(f"overdue-job: answer line {n} is not JSON: the answer was cut off")
        if not isinstance(row, dict):
            sys.exit(f"overdue-job: answer line {n} is not a JSON object")
        if "summary" in row:
            summary = row["summary"]
        elif "problem" in row:
            seen["problems"] += 1
            problems.append(row)
        elif "not_evaluated" in row:
            seen["not_evaluated"] += len(row["not_evaluated"])
            unassessed_cases.add(row.get("case_id"))
            reasons.update(r.get("reason") for r in row["not_evaluated"])
        elif "rule" in row:
            seen["rules"] += 1
        elif "case_id" in row:
            seen["deadlines"] += 1
        else:
            sys.exit(f"overdue-job: answer line {n} is not a row the job knows")
if not isinstance(summary, dict):
    sys.exit("overdue-job: the answer has no summary line: it was cut off, the list is incomplete")
expected = {"cases": sent, **{k: seen[k] for k in ("deadlines", "not_evaluated", "problems")}}
if "rules" in summary:
    expected["rules"] = seen["rules"]
wrong = [f"{k} {summary.get(k)} (arrived: {v})" for k, v in expected.items() if summary.get(k) != v]
if wrong:
    sys.exit("overdue-job: the summary does not match the answer: " + ", ".join(wrong))

print(f"overdue-job: {sent} cases, {seen['deadlines']} deadlines overdue or due soon")
if reasons:
    by_reason = ", ".join(f"{r} {c}" for r, c in sorted(reasons.items()))
    print(
        f"overdue-job: {seen['not_evaluated']} rules not evaluated for "
        f"{len(unassessed_cases)} cases ({by_reason}); each is a not_evaluated line"
    )
if problems:
    print(f"overdue-job: not answered ({len(problems)} of {sent} cases):", file=sys.stderr)
    for p in problems:
        problem = p.get("problem") or {}
        print(
            f"  case {p.get('case_id')} (request line {p.get('line')}): "
            f"{problem.get('status')} {problem.get('title')} - {problem.get('detail')}",
            file=sys.stderr,
        )
    sys.exit(2)
PY
checked=$?
set -e
case $checked in
  0) mv "$part" "$out"; echo "overdue-job: the list is in $out" ;;
  2) mv "$part" "$out"; echo "overdue-job: the other cases' list is in $out" >&2
     exit "${OVERDUE_PROBLEM_EXIT:-2}" ;;
  *) fail "no list written" ;;
esac
