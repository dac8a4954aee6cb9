#!/bin/sh
# Bad or odd trees never crash detect, never hang it, never leak a terminal escape, and
# never make it claim a mode without evidence. Builds what git cannot hold (a FIFO, a
# symbolic link out of the tree, a file it cannot read) in a temporary directory.
#   tests/detect/odd-trees.sh XENADVISE
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
esc=$(printf '\033')
run() { # NAME: runs text and json on $tmp/NAME, checks the common promises
  for f in text json; do
    timeout 10 "$bin" detect --root "$tmp/$1" -f "$f" >"$tmp/$1.$f" 2>"$tmp/$1.err"
    rc=$?
    case $rc in 0|1) ;; *) echo "$1 ($f): exit $rc"; cat "$tmp/$1.err"; fail=1;; esac
    if grep -q "$esc" "$tmp/$1.$f" "$tmp/$1.err"; then echo "$1 ($f): an escape sequence leaked"; fail=1; fi
  done
  jq -e . "$tmp/$1.json" >/dev/null || { echo "$1: not JSON"; fail=1; }
}
mode() { jq -r .guest_mode "$tmp/$1.json"; }
mk() { mkdir -p "$(dirname "$tmp/$1")" && printf '%b' "$2" >"$tmp/$1"; }

# a FIFO where /sys/hypervisor/type should be, and one for the kernel log
mk fifo/proc/cpuinfo 'flags\t\t: fpu hypervisor\n'
mkdir -p "$tmp/fifo/sys/hypervisor" "$tmp/fifo/dev"
mkfifo "$tmp/fifo/sys/hypervisor/type" "$tmp/fifo/dev/kmsg" "$tmp/fifo/proc/interrupts"
run fifo
[ "$(mode fifo)" = none ] || { echo "fifo: claims $(mode fifo)"; fail=1; }

# garbage: bytes that are not text, escape sequences, a bad features number, a huge file
mk garbage/sys/hypervisor/type 'xen\n'
mk garbage/sys/hypervisor/guest_type '\033]0;owned\007HVM\n'
mk garbage/sys/hypervisor/properties/features 'zz\033[31m\n'
mk garbage/sys/class/dmi/id/sys_vendor '\033[2J\033[31mXen\n'
mk garbage/dev/kmsg '6,1,0,-;Booting paravirtualized kernel on Xen HVM\033[31m\n\377\376;\n'
mkdir -p "$tmp/garbage/sys/class/net/eth0$esc[31m/device"
mk "garbage/sys/class/net/eth0$esc[31m/device/uevent" 'DRIVER=vif\033[0m\n'
mkdir -p "$tmp/garbage/proc"
head -c 6000000 /dev/zero | tr '\0' 'x' >"$tmp/garbage/proc/interrupts"
run garbage
[ "$(mode garbage)" = unknown ] || { echo "garbage: claims $(mode garbage) without evidence"; fail=1; }
grep -q 'larger than' "$tmp/garbage.text" || { echo "garbage: the huge file is not noted"; fail=1; }

# symbolic links: a loop, and one that points out of the tree (resolved inside it)
mkdir -p "$tmp/links/sys/hypervisor" "$tmp/links/sys/class/net/eth0" "$tmp/links/etc"
ln -s guest_type "$tmp/links/sys/hypervisor/guest_type"
mkdir -p "$tmp/outside" && printf 'xen\n' >"$tmp/outside/type"
ln -s "$tmp/outside/type" "$tmp/links/sys/hypervisor/type"
ln -s /sys/class/net "$tmp/links/sys/class/net/eth0/device"
run links
[ "$(jq -r .hypervisor "$tmp/links.json")" = unknown ] || { echo "links: followed a link out of the tree"; fail=1; }

# directories where files should be, and a file it cannot read
mkdir -p "$tmp/dirs/proc/cpuinfo" "$tmp/dirs/sys/hypervisor/type" "$tmp/dirs/etc/fstab"
mk dirs/sys/hypervisor/guest_type 'PV\n'
mk dirs/boot/config-1 'not a config\n'
mk dirs/proc/sys/kernel/osrelease '1\n'
run dirs
[ "$(mode dirs)" = pv ] || { echo "dirs: guest_type PV not read past the odd files"; fail=1; }
grep -q 'not a kernel config' "$tmp/dirs.text" || { echo "dirs: the broken config is not noted"; fail=1; }

[ $fail -eq 0 ] && echo "odd trees: no crash, no hang, no escape, no mode without evidence"
exit $fail
