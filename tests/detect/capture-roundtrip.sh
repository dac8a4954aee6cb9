#!/bin/sh
# `detect --capture DIR` then `detect --root DIR` gives the same answer: on every fixture
# tree, and on the machine the tests run on (which reads the live /dev/kmsg, /proc and
# /sys). A capture is written only when complete, and never over an existing directory.
#   tests/detect/capture-roundtrip.sh XENADVISE
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
check() { # NAME ROOT
  "$bin" detect --root "$2" -f json --fail-on none >"$tmp/a.json" 2>/dev/null
  "$bin" detect --root "$2" --capture "$tmp/cap-$1" -f json --fail-on none >"$tmp/b.json" 2>/dev/null
  "$bin" detect --root "$tmp/cap-$1" -f json --fail-on none >"$tmp/c.json" 2>/dev/null
  if ! cmp -s "$tmp/a.json" "$tmp/b.json" || ! cmp -s "$tmp/a.json" "$tmp/c.json"; then
    echo "$1: the capture does not give the same answer"
    diff "$tmp/a.json" "$tmp/c.json" | head -20
    fail=1
  fi
  [ -e "$tmp/cap-$1.partial" ] && { echo "$1: a partial capture was left"; fail=1; }
  n=$((n + 1))
}
for t in "$here"/trees/*/; do
  check "$(basename "$t")" "$t"
done
check live /
# an existing directory is refused (exit 2) and left as it was
mkdir "$tmp/exists" && touch "$tmp/exists/keep"
"$bin" detect --root "$here/trees/kvm" --capture "$tmp/exists" >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && [ -f "$tmp/exists/keep" ] || { echo "capture into an existing directory: rc $rc"; fail=1; }
# a capture that fails half-way (writes over 512 bytes refused: EFBIG) says why, exits 70
# and leaves nothing behind, neither DIR nor DIR.partial
sh -c "trap '' XFSZ; ulimit -f 1; exec \"$bin\" detect --root \"$here/trees/ec2-c4-pvhvm-vif\" \
  --capture \"$tmp/half\"" >/dev/null 2>"$tmp/half.err"
rc=$?
grep -q 'cannot write .*/proc/cpuinfo: File too large' "$tmp/half.err" || { echo "half capture: $(cat "$tmp/half.err")"; fail=1; }
[ $rc -eq 70 ] && [ ! -e "$tmp/half" ] && [ ! -e "$tmp/half.partial" ] || { echo "half capture: rc $rc, or files left"; fail=1; }
# a capture whose parent directory does not exist is a usage error
"$bin" detect --root "$here/trees/kvm" --capture "$tmp/no/such/dir" >/dev/null 2>"$tmp/noparent.err"
rc=$?
[ $rc -eq 2 ] && grep -q 'cannot create' "$tmp/noparent.err" || { echo "capture without a parent: rc $rc"; fail=1; }
[ $fail -eq 0 ] && echo "capture then --root gives the same answer on $n trees (the live machine included)"
exit $fail
