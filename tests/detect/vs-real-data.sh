#!/bin/sh
# The gaps detect reports for a running Xen guest agree with the real EC2 API answer
# (../shared/data/ec2-describe-instance-types.json) for every one of its 74 Xen types:
#   - an HVM guest whose eth0 uses vif (tree ec2-c4-pvhvm-vif) gets gap-vif-not-ena where
#     the API says EnaSupport supported or required, else gap-vif-not-sriov where the type's
#     family has the Intel 82599 VF (C3, C4, D2, I2, M4, R3 per AWS's enhanced networking
#     page; m4.16xlarge has ENA instead), else neither;
#   - a PV guest (tree ec2-pv-m1) gets gap-pv-on-hvm-type on every type the API says
#     launches HVM (all 74).
# The expectations come from the API data and the AWS page, not from xenadvise's catalog.
#   tests/detect/vs-real-data.sh XENADVISE
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
data=${XA_SHARED:-$here/../../../shared}/data/ec2-describe-instance-types.json
[ -f "$data" ] || { echo "missing $data"; exit 1; }
fail=0 n=0 ena=0 vf=0 none=0
jq -r '.InstanceTypes[] | select(.Hypervisor == "xen") |
  "\(.InstanceType) \(.NetworkInfo.EnaSupport) \(.SupportedVirtualizationTypes | join(","))"' \
  "$data" >"${TMPDIR:-/tmp}/xa-xen-types.$$"
while read -r type enasup virt; do
  family=${type%%.*}
  want=none
  case $enasup in supported|required) want=gap-vif-not-ena ;; esac
  if [ $want = none ]; then
    case $family in c3|c4|d2|i2|m4|r3) want=gap-vif-not-sriov ;; esac
  fi
  gaps=$("$bin" detect --root "$here/trees/ec2-c4-pvhvm-vif" -t "$type" -f json --fail-on none |
    jq -r '[.gaps[].id] | join(" ")')
  case " $gaps " in
    *" gap-vif-not-ena "*) got=gap-vif-not-ena ;;
    *" gap-vif-not-sriov "*) got=gap-vif-not-sriov ;;
    *) got=none ;;
  esac
  case " $gaps " in *" gap-vif-not-ena "*" gap-vif-not-sriov "*|*" gap-vif-not-sriov "*" gap-vif-not-ena "*)
    echo "$type: both network gaps"; fail=1 ;;
  esac
  [ "$got" = "$want" ] || { echo "$type (EnaSupport $enasup): want $want, got $got"; fail=1; }
  case $want in gap-vif-not-ena) ena=$((ena + 1));; gap-vif-not-sriov) vf=$((vf + 1));; *) none=$((none + 1));; esac
  pv=$("$bin" detect --root "$here/trees/ec2-pv-m1" -t "$type" -f json --fail-on none |
    jq -r '[.gaps[].id] | index("gap-pv-on-hvm-type") != null')
  case $virt in *hvm*) [ "$pv" = true ] || { echo "$type: PV guest, HVM type, no gap-pv-on-hvm-type"; fail=1; } ;; esac
  n=$((n + 1))
done <"${TMPDIR:-/tmp}/xa-xen-types.$$"
rm -f "${TMPDIR:-/tmp}/xa-xen-types.$$"
[ "$n" -eq 74 ] || { echo "expected 74 Xen types in the API data, read $n"; fail=1; }
[ $fail -eq 0 ] && echo "detect's network and PV gaps agree with the API on all $n Xen types ($ena ENA, $vf Intel VF, $none neither)"
exit $fail
