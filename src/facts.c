/* facts.c: the fact table (names, types, allowed values). */
#include "facts.h"
#include "arena.h"
#include "strutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const providers[] = {"ec2", "rackspace", "xen", NULL};
static const char *const oses[] = {"linux", "windows", NULL};
static const char *const hypervisors[] = {"xen", "nitro", "none", NULL};
static const char *const virt_types[] = {"hvm", "paravirtual", NULL};
static const char *const support[] = {"unsupported", "supported", "required", NULL};
static const char *const archs[] = {"i386", "x86_64", "arm64", "x86_64_mac", "arm64_mac", NULL};
static const char *const boot_modes[] = {"legacy-bios", "uefi", NULL};
static const char *const root_devices[] = {"ebs", "instance-store", NULL};
static const char *const image_modes[] = {"hvm", "xen", "metal", NULL};
static const char *const image_boot_modes[] = {"legacy-bios", "uefi", "uefi-preferred", NULL};
static const char *const image_fields[] = {"virtualization_type", "architecture", NULL};
static const char *const detected_modes[] = {"pv",      "hvm", "hvm-pv-drivers", "pvhvm", "pvh",
					     "unknown", NULL};
static const char *const detected_hypervisors[] = {
	"xen", "nitro", "kvm", "vmware", "hyperv", "virtualbox", "other", "none", "unknown", NULL};
static const char *const net_kinds[] = {"ena", "intel-82599-vf", "none", NULL};
static const char *const xen_modes[] = {"pv",  "hvm", "hvm-pv-drivers", "pvhvm", "pvh-v1",
					"pvh", NULL};

const struct fact_def fact_defs[F__COUNT] = {
	[F_PROVIDER] = {"provider", FT_STRING, providers, false, "cloud or host kind (--provider)"},
	[F_OS] = {"os", FT_STRING, oses, false, "guest operating system (--os)"},
	[F_OS_VERSION] = {"os_version", FT_STRING, NULL, false,
			  "OS version, lower case without spaces, e.g. 2012r2 (--os-version)"},
	[F_INSTANCE_TYPE] = {"instance_type", FT_STRING, NULL, false,
			     "EC2 instance type or Rackspace flavor (--instance-type, --flavor)"},
	[F_FAMILY] = {"family", FT_STRING, NULL, false,
		      "instance family (text before the dot) or flavor class"},
	[F_HYPERVISOR] = {"hypervisor", FT_STRING, hypervisors, true,
			  "xen, nitro, or none for bare metal"},
	[F_BARE_METAL] = {"bare_metal", FT_BOOL, NULL, true, "no hypervisor at all"},
	[F_VIRT_TYPES] = {"virt_types", FT_LIST, virt_types, true,
			  "EC2 virtualization types the type can launch"},
	[F_ENA] = {"ena", FT_STRING, support, true, "ENA support of the type"},
	[F_INTEL_VF] = {"intel_vf", FT_BOOL, NULL, true,
			"Intel 82599 VF (ixgbevf) enhanced networking available"},
	[F_NVME_EBS] = {"nvme_ebs", FT_STRING, support, true, "EBS volumes exposed as NVMe"},
	[F_ARCHITECTURES] = {"architectures", FT_LIST, archs, true, "CPU architectures"},
	[F_BOOT_MODES] = {"boot_modes", FT_LIST, boot_modes, true, "firmware boot modes"},
	[F_ROOT_DEVICES] = {"root_devices", FT_LIST, root_devices, true, "root device types"},
	[F_CURRENT_GENERATION] = {"current_generation", FT_BOOL, NULL, true,
				  "the API's CurrentGeneration flag"},
	[F_NETWORK_PERFORMANCE] = {"network_performance", FT_STRING, NULL, true,
				   "network performance as the API words it"},
	[F_FLAVOR_CLASS] = {"flavor_class", FT_STRING, NULL, true, "Rackspace flavor class"},
	[F_IMAGE_MODES] = {"image_modes", FT_LIST, image_modes, true,
			   "Rackspace image vm_mode values the flavor accepts"},
	[F_XEN_VERSION] = {"xen_version", FT_VERSION, NULL, false,
			   "Xen host version (--xen-version)"},
	[F_XEN_MODES] = {"xen_modes", FT_LIST, xen_modes, false,
			 "guest modes the Xen host offers (from catalogs/xen)"},
	[F_KERNEL_VERSION] = {"kernel_version", FT_VERSION, NULL, false,
			      "guest kernel version (--kernel-version or the config header)"},
	[F_KERNEL_CONFIG] = {"kernel_config", FT_SET, NULL, false,
			     "kernel options set to y or m (--kernel-config)"},
	[F_KERNEL_CONFIG_OFF] = {"kernel_config_off", FT_SET, NULL, false,
				 "kernel options the config explicitly leaves out"},
	[F_KERNEL_MODULES] =
		{"kernel_modules", FT_SET, NULL, false,
		 "kernel options built as modules (=m): they must be in the initramfs to boot"},
	/* an image definition, for `xenadvise check` (names follow DescribeImages) */
	[F_IMAGE_VIRT] = {"image_virtualization_type", FT_STRING, virt_types, false,
			  "the image's VirtualizationType"},
	[F_IMAGE_ENA] = {"image_ena_support", FT_BOOL, NULL, false, "the image's EnaSupport"},
	[F_IMAGE_SRIOV] = {"image_sriov_net_support", FT_STRING, NULL, false,
			   "the image's SriovNetSupport (simple: Intel 82599 VF)"},
	[F_IMAGE_ARCH] = {"image_architecture", FT_STRING, archs, false,
			  "the image's Architecture"},
	[F_IMAGE_BOOT] = {"image_boot_mode", FT_STRING, image_boot_modes, false,
			  "the image's BootMode"},
	[F_IMAGE_ROOT] = {"image_root_device_type", FT_STRING, root_devices, false,
			  "the image's RootDeviceType"},
	[F_IMAGE_IMDS] = {"image_imds_support", FT_STRING, NULL, false,
			  "the image's ImdsSupport (v2.0: IMDSv2 required)"},
	[F_IMAGE_TPM] = {"image_tpm_support", FT_STRING, NULL, false,
			 "the image's TpmSupport (v2.0: NitroTPM)"},
	[F_IMAGE_UNSET] = {"image_unset", FT_LIST, image_fields, false,
			   "attributes a definition that registers the image leaves out, so "
			   "RegisterImage picks its default"},
	[F_FSTAB_SOURCES] = {"fstab_sources", FT_LIST, NULL, false,
			     "the first field of each /etc/fstab line (image spec)"},
	[F_KERNEL_CMDLINE] = {"kernel_cmdline", FT_SET, NULL, false,
			      "the kernel command line's words (image spec)"},
	[F_INITRAMFS_MODULES] = {"initramfs_modules", FT_SET, NULL, false,
				 "modules in the initramfs (image spec)"},
	/* xenadvise detect: read from the running guest (or a captured tree) */
	[F_SYS_HYPERVISOR_TYPE] = {"sys_hypervisor_type", FT_STRING, NULL, false,
				   "/sys/hypervisor/type (xen)"},
	[F_XEN_GUEST_TYPE] = {"xen_guest_type", FT_STRING, NULL, false,
			      "/sys/hypervisor/guest_type: PV, HVM or PVH (Linux 4.13+)"},
	[F_XEN_FEATURES] = {"xen_features", FT_LIST, NULL, false,
			    "/sys/hypervisor/properties/features decoded (catalogs/detect.yaml)"},
	[F_PROC_XEN] = {"proc_xen", FT_BOOL, NULL, false, "/proc/xen exists (xenfs)"},
	[F_XEN_CAPABILITIES] = {"xen_capabilities", FT_LIST, NULL, false,
				"/proc/xen/capabilities words (control_d in dom0)"},
	[F_DMI] = {"dmi", FT_BOOL, NULL, false,
		   "the firmware gives SMBIOS/DMI tables (/sys/class/dmi/id); PV guests have none"},
	[F_DMI_SYS_VENDOR] = {"dmi_sys_vendor", FT_STRING, NULL, false, "DMI sys_vendor"},
	[F_DMI_PRODUCT_NAME] = {"dmi_product_name", FT_STRING, NULL, false,
				"DMI product_name (the instance type on EC2 Nitro)"},
	[F_DMI_PRODUCT_VERSION] = {"dmi_product_version", FT_STRING, NULL, false,
				   "DMI product_version"},
	[F_DMI_BIOS_VENDOR] = {"dmi_bios_vendor", FT_STRING, NULL, false, "DMI bios_vendor"},
	[F_DMI_BIOS_VERSION] = {"dmi_bios_version", FT_STRING, NULL, false,
				"DMI bios_version (4.11.amazon on EC2 Xen)"},
	[F_CPU_HYPERVISOR] = {"cpu_hypervisor_flag", FT_BOOL, NULL, false,
			      "/proc/cpuinfo lists the x86 `hypervisor` CPU flag"},
	[F_IDENTIFIED_PROVIDER] = {"identified_provider", FT_STRING, providers, false,
				   "the provider catalogs/identify.yaml finds"},
	[F_DMESG] = {"dmesg", FT_LIST, NULL, false,
		     "kernel log lines seen, by the ids of catalogs/detect.yaml"},
	[F_INTERRUPT_CHIPS] = {"interrupt_chips", FT_LIST, NULL, false,
			       "interrupt controller names in /proc/interrupts (xen-percpu...)"},
	[F_CLOCKSOURCE] = {"clocksource", FT_STRING, NULL, false,
			   "the current clocksource (xen, tsc, kvm-clock...)"},
	[F_CLOCKSOURCES] = {"clocksources", FT_LIST, NULL, false,
			    "the clocksources the kernel offers (kvm-clock on KVM, xen on Xen)"},
	[F_XEN_DEVICES] = {"xen_devices", FT_LIST, NULL, false,
			   "kinds of device on the xen bus (/sys/bus/xen/devices: vif, vbd...)"},
	[F_NET_DRIVERS] = {"net_drivers", FT_LIST, NULL, false,
			   "drivers of the network interfaces"},
	[F_NET_KINDS] =
		{"net_kinds", FT_LIST, net_kinds, false,
		 "enhanced networking in use by an interface (ena, intel-82599-vf), or none"},
	[F_DISK_DRIVERS] = {"disk_drivers", FT_LIST, NULL, false, "drivers of the disks"},
	[F_NETFRONT_INTERFACES] = {"netfront_interfaces", FT_LIST, NULL, false,
				   "interfaces on the Xen PV network driver (vif)"},
	[F_XVD_FSTAB] =
		{"xvd_fstab", FT_LIST, NULL, false,
		 "/etc/fstab sources that name a Xen disk (catalogs/detect.yaml: /dev/xvd*)"},
	[F_DETECTED_HYPERVISOR] = {"detected_hypervisor", FT_STRING, detected_hypervisors, false,
				   "the hypervisor detect found"},
	[F_DETECTED_MODE] = {"detected_guest_mode", FT_STRING, detected_modes, false,
			     "the guest mode detect found"},
	[F_DOM0] = {"dom0", FT_BOOL, NULL, false, "the guest is Xen's control domain"},
	[F_ADVISED_MODE] = {"advised_guest_mode", FT_STRING, NULL, false,
			    "the guest mode the advisor recommends for this instance type"},
};

int fact_lookup(const char *name)
{
	/* catalogs look up ten facts per entry, 1,373 entries per run: compare the first
	 * byte before calling strcmp */
	for (int i = 0; i < F__COUNT; i++)
		if (fact_defs[i].name[0] == name[0] && strcmp(fact_defs[i].name, name) == 0)
			return i;
	return -1;
}

bool fact_value_allowed(enum fact_id f, const char *word)
{
	const char *const *v = fact_defs[f].values;
	if (v == NULL)
		return true;
	for (; *v; v++)
		if (strcmp(*v, word) == 0)
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool fact_has(const struct fact_value *v, const char *word)
{
	if (!v->known || v->list == NULL)
		return false;
	if (v->n > 16)
		return bsearch(&word, v->list, v->n, sizeof(*v->list), cmp_str) != NULL;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->list[i], word) == 0)
			return true;
	return false;
}

const char *fact_format(const struct fact_value *v, enum fact_type t, char *buf, size_t size)
{
	if (!v->known) {
		snprintf(buf, size, "(unknown)");
		return buf;
	}
	switch (t) {
	case FT_BOOL: snprintf(buf, size, "%s", v->b ? "true" : "false"); break;
	case FT_STRING:
	case FT_VERSION: snprintf(buf, size, "%s", v->s); break;
	case FT_SET: snprintf(buf, size, "%u options", v->n); break;
	case FT_LIST: {
		size_t used = 0;
		buf[0] = '\0';
		for (size_t i = 0; i < v->n && used + 1 < size; i++) {
			int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
					 v->list[i]);
			if (w < 0)
				break;
			used += (size_t)w;
		}
		if (v->n == 0)
			snprintf(buf, size, "(none)");
		break;
	}
	}
	return buf;
}

void facts_expand(const struct facts *f, const char *tmpl, struct strbuf *sb)
{
	for (const char *p = tmpl; *p;) {
		size_t plain = strcspn(p, "{");
		if (plain) {
			strbuf_putn(sb, p, plain);
			p += plain;
			continue;
		}
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		if (close && close - p < 64) {
			char name[64];
			memcpy(name, p + 1, (size_t)(close - p - 1));
			name[close - p - 1] = '\0';
			int id = fact_lookup(name);
			if (id >= 0) {
				char buf[512];
				strbuf_puts(sb, fact_format(&f->v[id], fact_defs[id].type, buf,
							    sizeof(buf)));
				p = close + 1;
				continue;
			}
		}
		strbuf_putc(sb, *p++);
	}
}

const char *facts_expand_in(struct arena *a, const struct facts *f, const char *tmpl)
{
	if (tmpl == NULL || strchr(tmpl, '{') == NULL)
		return tmpl;
	struct strbuf sb;
	strbuf_init(&sb);
	facts_expand(f, tmpl, &sb);
	const char *r = arena_strdup(a, sb.s ? sb.s : "");
	strbuf_free(&sb);
	return r;
}

void facts_set_str(struct facts *f, enum fact_id id, const char *s)
{
	if (s == NULL)
		return;
	f->v[id].known = true;
	f->v[id].s = s;
}

void facts_set_list(struct facts *f, enum fact_id id, const char *const *l, size_t n)
{
	f->v[id].known = true;
	f->v[id].list = l;
	f->v[id].n = (unsigned)n;
}
