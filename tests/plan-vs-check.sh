#!/bin/sh
# `plan` and `check` agree on every type: for each image, the (type, rule) pairs plan gives
# as reasons are exactly the (type, rule) pairs of check's findings. Both use the same
# rules; this proves the two commands read them the same way.
set -eu
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
export XENADVISE_DATADIR="$top"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fx=$top/tests/e2e/fixtures/check
python3 "$top/bench/gen-images" 30 > "$tmp/generated.json"
total=0
for f in "$fx/describe-images.json" "$fx/spec.yaml" "$fx/spec-more.yaml" "$fx/packer-legacy.json" \
         "$fx/main.tf.json" "$tmp/generated.json"; do
  "$bin" check --no-config -f json --fail-on none "$f" |
    jq -r '.[] | .image as $i | .rule as $r | .instance_types[] | "\($i) \(.) \($r)"' |
    sort > "$tmp/check.txt"
  "$bin" plan -f json "$f" |
    jq -r '.[] | .image.name as $i | .types[] | .instance_type as $t | .reasons[] |
           "\($i) \($t) \(.rule)"' | sort > "$tmp/plan.txt"
  if ! diff -u "$tmp/check.txt" "$tmp/plan.txt" > "$tmp/diff"; then
    echo "plan and check disagree on $f (- check, + plan):"
    head -20 "$tmp/diff"
    exit 1
  fi
  total=$((total + $(wc -l < "$tmp/check.txt")))
done
[ "$total" -gt 1000 ] || { echo "too few pairs compared ($total)"; exit 1; }
echo "plan and check agree on $total (image, type, rule) triples"
