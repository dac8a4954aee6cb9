#!/bin/sh
# Every check rule is shown firing by some end-to-end scenario (tests/e2e/check-*).
set -eu
top=$(dirname "$0")/..
missing=0
for id in $(sed -n 's/^  - id: //p' "$top"/rules/*.yaml); do
  grep -q "^scope: check" "$(grep -l "^  - id: $id\$" "$top"/rules/*.yaml)" || continue
  if ! grep -qs -e "\[$id\]" -e "\"$id\"" "$top"/tests/e2e/check-*/stdout; then
    echo "check rule $id fires in no tests/e2e/check-* scenario"
    missing=1
  fi
done
exit $missing
