#!/bin/sh
# `xenadvise check --format sarif` passes SARIF 2.1.0 schema validation (tests/sarif-valid.py)
# on every input format, with and without findings, and with hostile names.
set -eu
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
export XENADVISE_DATADIR="$top"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fx=$top/tests/e2e/fixtures/check
i=0
for f in describe-images.json packer-legacy.json web.pkr.json main.tf.json plan.json spec.yaml \
         spec-more.yaml hostile.json; do
  i=$((i + 1))
  (cd "$fx" && "$bin" check --no-config -f sarif "$f" > "$out/$i.sarif") || [ $? -eq 1 ]
done
"$bin" check --no-config -f sarif -t m5.large --fail-on none "$fx/plan.json" --ignore \
  ena-required-not-enabled,imds-v2-not-required > "$out/empty.sarif"
python3 "$top/tests/sarif-valid.py" "$out"/*.sarif
