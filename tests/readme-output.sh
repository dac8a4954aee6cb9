#!/bin/sh
# Keeps README.md true: the example output it shows must be the start of what the
# e2e scenario ec2-c4-intel-vf-kernel (checked on every run) expects.
set -eu
top=$(dirname "$0")/..
shown=$(mktemp)
trap 'rm -f "$shown"' EXIT
# the lines after the command, up to the "..." line, without the 4-space indent
awk '/^    \$ xenadvise --provider ec2 --os linux --instance-type c4.large --kernel-config/ {on=1; next}
     on && /^      \.\.\.$/ {exit}
     on {sub(/^    /, ""); print}' "$top/README.md" > "$shown"
n=$(wc -l < "$shown")
[ "$n" -gt 20 ] || { echo "README example not found"; exit 1; }
head -n "$n" "$top/tests/e2e/ec2-c4-intel-vf-kernel/stdout" | diff -u - "$shown"

# and the `xenadvise check` example, from tests/e2e/check-spec
awk '/^    \$ cd tests\/e2e\/check-spec && xenadvise check/ {on=1; next}
     on && /^      \.\.\.$/ {exit}
     on {sub(/^    /, ""); print}' "$top/README.md" > "$shown"
n=$(wc -l < "$shown")
[ "$n" -gt 5 ] || { echo "README check example not found"; exit 1; }
head -n "$n" "$top/tests/e2e/check-spec/stdout" | diff -u - "$shown"

# the two `xenadvise plan` examples, whole, from their scenarios
for pair in "plan -t 'c3.*:plan-hvm-without-ena" "plan --from 'm4.*':plan-migration-xen-to-nitro"; do
  cmd=${pair%%:*} scenario=${pair#*:}
  awk -v cmd="    \$ xenadvise $cmd" 'index($0, cmd) == 1 {on=1; next}
       on && /^$/ {exit}
       on {sub(/^    /, ""); print}' "$top/README.md" > "$shown"
  [ -s "$shown" ] || { echo "README example for $scenario not found"; exit 1; }
  diff -u "$top/tests/e2e/$scenario/stdout" "$shown"
done

# the `xenadvise detect` example, whole (it has blank lines: it ends at the first text line)
awk '/^    \$ xenadvise detect --root tests\/detect\/trees\/ec2-c4-pvhvm-vif/ {on=1; next}
     on && /^[^ ]/ {exit}
     on {sub(/^    /, ""); print}' "$top/README.md" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' > "$shown"
[ -s "$shown" ] || { echo "README detect example not found"; exit 1; }
diff -u "$top/tests/e2e/detect-ec2-c4-pvhvm-vif/stdout" "$shown"
