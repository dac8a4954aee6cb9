#!/bin/sh
# docs/checks/ID.md is exactly what `xenadvise rules show --markdown ID` prints, for every
# check rule, and there is no page for a rule that is gone (scripts/gen-check-docs).
set -eu
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
export XENADVISE_DATADIR="$top"
fail=0
ids=$(sed -n 's/^  - id: //p' "$top"/rules/check/*.yaml)
for id in $ids; do
  if ! "$bin" rules show --markdown "$id" | diff -u "$top/docs/checks/$id.md" - >/dev/null; then
    echo "docs/checks/$id.md is stale: run scripts/gen-check-docs"
    fail=1
  fi
done
for page in "$top"/docs/checks/*.md; do
  id=$(basename "$page" .md)
  echo "$ids" | grep -qx "$id" || { echo "docs/checks/$id.md documents no rule"; fail=1; }
done
exit $fail
