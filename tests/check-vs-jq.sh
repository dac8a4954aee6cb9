#!/bin/sh
# `xenadvise check` agrees with an independent implementation of its core checks: the jq
# program bench/check.jq over the real describe-instance-types output, on generated images.
# For each image and rule, both must count the same types.
set -eu
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
data=$top/../shared/data/ec2-describe-instance-types.json
export XENADVISE_DATADIR="$top"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$top/bench/gen-images" 60 > "$tmp/images.json"
rules="pv-image-on-hvm-only-type ena-required-not-enabled architecture-mismatch
uefi-image-on-bios-only-type instance-store-root-unsupported nitro-tpm-without-uefi
nitro-tpm-boot-mode-unset ena-available-not-enabled intel-vf-available-not-enabled"
jq -r --slurpfile t "$data" -f "$top/bench/check.jq" "$tmp/images.json" |
  jq -r '"\(.image) \(.rule) \(.types)"' | sort > "$tmp/jq.txt"
"$bin" check --no-config -f json --fail-on none "$tmp/images.json" |
  jq -r '.[] | "\(.image) \(.rule) \(.instance_types | length)"' |
  grep -wF "$(echo "$rules" | tr ' ' '\n')" | sort > "$tmp/xa.txt"
[ -s "$tmp/jq.txt" ] || { echo "jq found nothing"; exit 1; }
if ! diff -u "$tmp/jq.txt" "$tmp/xa.txt"; then
  echo "xenadvise and bench/check.jq disagree (- jq, + xenadvise)"
  exit 1
fi
echo "agree on $(wc -l < "$tmp/xa.txt") image/rule pairs"
