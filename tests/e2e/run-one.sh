#!/bin/sh
# Runs one end-to-end scenario: DIR/args holds the arguments (one per line; paths are
# relative to DIR), DIR/stdout and DIR/rc the expected output and exit code, and
# DIR/stderr (optional) the expected error output; DIR/env (optional) holds VAR=value lines
# to export first (values relative paths are relative to DIR); DIR/absent (optional) names
# files that must not exist afterwards. XA_UPDATE=1 rewrites the
# expectations.
set -u
bin=$1
dir=$2
cd "$dir" || exit 2
[ -f args ] || { echo "$dir: no args file"; exit 2; }
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
if [ -f env ]; then
  while IFS= read -r kv || [ -n "$kv" ]; do
    export "${kv?}"
  done < env
fi
set --
while IFS= read -r line || [ -n "$line" ]; do
  set -- "$@" "$line"
done < args
"$bin" "$@" >"$out" 2>"$err" </dev/null
rc=$?
# the installed-data path differs per checkout: show it as $DATADIR
if [ -n "${XENADVISE_DATADIR:-}" ]; then
  for f in "$out" "$err"; do
    sed "s#${XENADVISE_DATADIR}#\$DATADIR#g" "$f" > "$f.n" && mv "$f.n" "$f"
  done
fi
if [ "${XA_UPDATE:-}" = 1 ]; then
  cp "$out" stdout
  echo "$rc" > rc
  if [ -s "$err" ]; then cp "$err" stderr; else rm -f stderr; fi
  exit 0
fi
fail=0
# DIR/absent (optional) lists files the command must not leave behind
if [ -f absent ]; then
  while IFS= read -r f || [ -n "$f" ]; do
    if [ -e "$f" ]; then echo "$f was written"; rm -f "$f"; fail=1; fi
  done < absent
fi
if ! diff -u stdout "$out"; then echo "stdout differs"; fail=1; fi
if [ "$rc" != "$(cat rc)" ]; then echo "exit code $rc, expected $(cat rc)"; fail=1; fi
if [ -f stderr ]; then
  if ! diff -u stderr "$err"; then echo "stderr differs"; fail=1; fi
elif [ -s "$err" ]; then
  echo "unexpected stderr:"; cat "$err"; fail=1
fi
exit $fail
