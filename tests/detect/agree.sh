#!/bin/sh
# detect agrees with virt-what (Debian's, --test-root) and cloud-init's ds-identify
# (ec2_identify_platform) on every fixture tree, wherever they speak:
#   virt-what xen        <=> hypervisor xen
#   virt-what xen-dom0    => dom0 true;  xen-domU => dom0 false and guest_mode pv or pvh
#                            (virt-what's "paravirtualized guest domain": no DMI tables)
#   virt-what xen-hvm     => guest_mode hvm, hvm-pv-drivers or pvhvm
#   virt-what kvm        <=> hypervisor kvm or nitro (virt-what does not tell Nitro apart)
#   virt-what aws         => provider ec2
#   virt-what nothing    <=> hypervisor none
#   ds-identify AWS      <=> provider ec2
# Where detect goes further (PV vs PVH, HVM vs PVHVM, Nitro vs KVM, the instance type,
# drivers), the e2e scenarios hold the exact answers.
#   tests/detect/agree.sh XENADVISE [DS_IDENTIFY]
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
ds=${2:-${XA_DS_IDENTIFY:-/usr/local/share/xenadvise-test/ds-identify}}
command -v virt-what >/dev/null || { echo "virt-what is missing: scripts/install-deps --test"; exit 1; }
[ -f "$ds" ] || { echo "ds-identify is missing ($ds): scripts/install-deps --test"; exit 1; }
fail=0 n=0
for t in "$here"/trees/*/; do
  name=$(basename "$t")
  vw=$(virt-what --test-root="$t" 2>&1 | tr '\n' ' ')
  di=$("$here/ds-identify-ec2" "$ds" "$t" 2>/dev/null | tail -n 1)
  js=$("$bin" detect --root "$t" -f json --fail-on none) || { echo "$name: detect failed"; fail=1; continue; }
  hyp=$(printf '%s' "$js" | jq -r .hypervisor)
  mode=$(printf '%s' "$js" | jq -r .guest_mode)
  dom0=$(printf '%s' "$js" | jq -r .dom0)
  prov=$(printf '%s' "$js" | jq -r .provider)
  has() { case " $vw" in *" $1 "*) return 0;; esac; return 1; }
  bad() { echo "$name: $1 (virt-what: '$vw', ds-identify: $di; detect: $hyp $prov $mode dom0=$dom0)"; fail=1; }
  if has xen; then [ "$hyp" = xen ] || bad "virt-what says xen"; else [ "$hyp" != xen ] || bad "virt-what does not say xen"; fi
  if has xen-dom0; then [ "$dom0" = true ] || bad "virt-what says dom0"; fi
  if has xen-domU; then
    [ "$dom0" = false ] || bad "virt-what says domU"
    case $mode in pv|pvh) ;; *) bad "virt-what says a paravirtualized domU";; esac
  fi
  if has xen-hvm; then case $mode in hvm|hvm-pv-drivers|pvhvm) ;; *) bad "virt-what says xen-hvm";; esac; fi
  if has kvm; then case $hyp in kvm|nitro) ;; *) bad "virt-what says kvm";; esac
  else case $hyp in kvm|nitro) bad "virt-what does not say kvm";; esac; fi
  if has aws; then [ "$prov" = ec2 ] || bad "virt-what says aws"; fi
  if [ -z "$vw" ]; then [ "$hyp" = none ] || bad "virt-what finds no hypervisor"; fi
  if [ "$hyp" = none ] && [ -n "$vw" ] && [ "$vw" != "aws " ]; then bad "virt-what finds a hypervisor"; fi
  if [ "$di" = AWS ]; then [ "$prov" = ec2 ] || bad "ds-identify says AWS"; else [ "$prov" != ec2 ] || bad "ds-identify does not say AWS"; fi
  printf '%-26s virt-what: %-20s ds-identify: %-8s detect: %s %s %s\n' "$name" "$vw" "$di" "$hyp" "$prov" "$mode"
  n=$((n + 1))
done
[ "$n" -ge 18 ] || { echo "only $n trees"; fail=1; }
[ $fail -eq 0 ] && echo "detect agrees with virt-what and ds-identify on $n trees"
exit $fail
