# The core checks of `xenadvise check` as a jq program, what a CI author would write by
# hand: for every image and every instance type in describe-instance-types, the launch
# failures (PV on an HVM-only type, ENA required but not enabled, architecture mismatch,
# UEFI on a BIOS-only type, instance-store root unsupported) and the slow ones (ENA or the
# Intel VF available but not enabled; the Intel VF list is hand-kept as in catalogs/ec2),
# grouped per image and check with the count of types.
#   jq -c --slurpfile t ../shared/data/ec2-describe-instance-types.json -f bench/check.jq images.json
($t[0].InstanceTypes) as $types
| def vf: (.InstanceType | test("^(c3|c4|d2|i2|r3)\\.|^m4\\.(large|xlarge|2xlarge|4xlarge|10xlarge)$"));
.Images[]
| . as $img
| [ $types[]
    | . as $ty
    | ( if ($img.VirtualizationType == "paravirtual")
           and (($ty.SupportedVirtualizationTypes // []) | index("paravirtual") | not)
        then "pv-image-on-hvm-only-type" else empty end ),
      ( if ($ty.NetworkInfo.EnaSupport == "required") and ($img.EnaSupport != true)
        then "ena-required-not-enabled" else empty end ),
      ( if (($ty.ProcessorInfo.SupportedArchitectures // []) | index($img.Architecture) | not)
        then "architecture-mismatch" else empty end ),
      ( if ($img.BootMode == "uefi") and (($ty.SupportedBootModes // []) | index("uefi") | not)
        then "uefi-image-on-bios-only-type" else empty end ),
      ( if ($img.RootDeviceType == "instance-store")
           and (($ty.SupportedRootDeviceTypes // []) | index("instance-store") | not)
        then "instance-store-root-unsupported" else empty end ),
      ( if ($ty.NetworkInfo.EnaSupport == "supported") and ($img.EnaSupport != true)
           and ($img.VirtualizationType == "hvm")
        then "ena-available-not-enabled" else empty end ),
      ( if ($ty | vf) and ($img.SriovNetSupport == null) and ($img.VirtualizationType == "hvm")
        then "intel-vf-available-not-enabled" else empty end )
  ]
| group_by(.) | map({image: $img.Name, rule: .[0], types: length}) | .[]
