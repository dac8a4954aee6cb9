# The core checks of `xenadvise check` as a jq program, what a CI author would write by
# hand over the real describe-instance-types output: for every image and every instance
# type, the launch failures (PV on an HVM-only type, ENA required but not enabled,
# UEFI on a BIOS-only type, instance-store root unsupported, NitroTPM without UEFI) and
# the slow cases (ENA or the Intel 82599 VF available but not enabled; the Intel VF list is
# hand-kept, as in catalogs/ec2/overlay.yaml); on a type of another architecture, only the
# architecture mismatch. One line per image and check: {image, rule, types}.
#   jq -c --slurpfile t ../shared/data/ec2-describe-instance-types.json -f bench/check.jq images.json
($t[0].InstanceTypes) as $types
| def vf: (.InstanceType | test("^(c3|c4|d2|i2|r3|m4)\\.") and (. != "m4.16xlarge"));
  def has($l; $v): (($l // []) | index($v)) != null;
.Images[]
| . as $img
| [ $types[]
    | . as $ty
    | if has($ty.ProcessorInfo.SupportedArchitectures; $img.Architecture) | not
      then "architecture-mismatch"   # built for another architecture: nothing else matters
      else
        ( if $img.VirtualizationType == "paravirtual"
             and (has($ty.SupportedVirtualizationTypes; "paravirtual") | not)
          then "pv-image-on-hvm-only-type" else empty end ),
        ( if $ty.NetworkInfo.EnaSupport == "required" and $img.EnaSupport != true
          then "ena-required-not-enabled" else empty end ),
        ( if $img.BootMode == "uefi" and (has($ty.SupportedBootModes; "uefi") | not)
          then "uefi-image-on-bios-only-type" else empty end ),
        ( if $img.RootDeviceType == "instance-store"
             and (has($ty.SupportedRootDeviceTypes; "instance-store") | not)
          then "instance-store-root-unsupported" else empty end ),
        ( if $img.TpmSupport == "v2.0" and $img.BootMode == null
          then "nitro-tpm-boot-mode-unset" else empty end ),
        ( if $img.TpmSupport == "v2.0" and $img.BootMode != null and $img.BootMode != "uefi"
          then "nitro-tpm-without-uefi" else empty end ),
        ( if $ty.NetworkInfo.EnaSupport == "supported" and $img.EnaSupport != true
             and $img.VirtualizationType == "hvm"
          then "ena-available-not-enabled" else empty end ),
        ( if ($ty | vf) and $img.SriovNetSupport == null and $img.VirtualizationType == "hvm"
          then "intel-vf-available-not-enabled" else empty end )
      end ]
| group_by(.) | map({image: $img.Name, rule: .[0], types: length}) | .[]
