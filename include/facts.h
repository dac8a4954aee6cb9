/* facts.h: the closed table of named facts that rules and catalogs speak about.
 *
 * A fact is what is known about one situation: the provider, the instance type's
 * hypervisor, the kernel's config. Catalogs give facts values; rules test them. The
 * names, types and allowed values are fixed here (a closed table, like tmux's
 * options-table.c); what they mean for a recommendation lives in rules/. */
#ifndef XA_FACTS_H
#define XA_FACTS_H

#include <stdbool.h>
#include <stddef.h>

enum fact_type {
	FT_STRING, /* one word; may have a closed set of values */
	FT_BOOL,
	FT_LIST,    /* a few words (architectures, boot modes) */
	FT_SET,     /* many words, sorted for lookup (kernel config options) */
	FT_VERSION, /* dotted version compared with strverscmp */
};

enum fact_id {
	/* facts a catalog may set come first, so catalogs store only F__CATALOG of them */
	F_HYPERVISOR,
	F_BARE_METAL,
	F_VIRT_TYPES,
	F_ENA,
	F_INTEL_VF,
	F_NVME_EBS,
	F_ARCHITECTURES,
	F_BOOT_MODES,
	F_ROOT_DEVICES,
	F_CURRENT_GENERATION,
	F_NETWORK_PERFORMANCE,
	F_FLAVOR_CLASS,
	F_IMAGE_MODES,
	F__CATALOG,
	/* facts from the command line, the kernel config and derived ones */
	F_PROVIDER = F__CATALOG,
	F_OS,
	F_OS_VERSION,
	F_INSTANCE_TYPE,
	F_FAMILY,
	F_XEN_VERSION,
	F_XEN_MODES,
	F_KERNEL_VERSION,
	F_KERNEL_CONFIG,
	F_KERNEL_CONFIG_OFF,
	F_KERNEL_MODULES,
	/* an image definition (xenadvise check) */
	F_IMAGE_VIRT,
	F_IMAGE_ENA,
	F_IMAGE_SRIOV,
	F_IMAGE_ARCH,
	F_IMAGE_BOOT,
	F_IMAGE_ROOT,
	F_IMAGE_IMDS,
	F_IMAGE_TPM,
	F_IMAGE_UNSET,
	F_FSTAB_SOURCES,
	F_KERNEL_CMDLINE,
	F_INITRAMFS_MODULES,
	/* what `xenadvise detect` reads on a running guest (probe.h) */
	F_SYS_HYPERVISOR_TYPE,
	F_XEN_GUEST_TYPE,
	F_XEN_FEATURES,
	F_PROC_XEN,
	F_XEN_CAPABILITIES,
	F_DMI,
	F_DMI_SYS_VENDOR,
	F_DMI_PRODUCT_NAME,
	F_DMI_PRODUCT_VERSION,
	F_DMI_BIOS_VENDOR,
	F_DMI_BIOS_VERSION,
	F_CPU_HYPERVISOR,
	F_IDENTIFIED_PROVIDER,
	F_DMESG,
	F_INTERRUPT_CHIPS,
	F_CLOCKSOURCE,
	F_CLOCKSOURCES,
	F_XEN_DEVICES,
	F_NET_DRIVERS,
	F_NET_KINDS,
	F_DISK_DRIVERS,
	F_NETFRONT_INTERFACES,
	F_XVD_FSTAB,
	/* what detect concluded, and what the advisor recommends, for the gap rules */
	F_DETECTED_HYPERVISOR,
	F_DETECTED_MODE,
	F_DOM0,
	F_ADVISED_MODE,
	F__COUNT
};

struct fact_def {
	const char *name;
	enum fact_type type;
	const char *const *values; /* allowed words, NULL-terminated; NULL = any */
	bool from_catalog;         /* may be set by a catalog entry */
	const char *doc;
};

/* 16 bytes: a catalog holds one per fact for each of its 1,373 EC2 types. */
struct fact_value {
	union {
		const char *s;           /* FT_STRING, FT_VERSION */
		const char *const *list; /* FT_LIST, FT_SET (a set is sorted by strcmp) */
	};
	unsigned n; /* list length */
	bool known;
	bool b; /* FT_BOOL */
};

struct facts {
	struct fact_value v[F__COUNT];
};

extern const struct fact_def fact_defs[F__COUNT];

/* Fact id by name, or -1. */
int fact_lookup(const char *name);
/* True when `word` is allowed for fact f (always true for open facts). */
bool fact_value_allowed(enum fact_id f, const char *word);
/* Membership in an FT_LIST or FT_SET value. */
bool fact_has(const struct fact_value *v, const char *word);
/* Renders a fact value as text into buf (for --explain and `catalog show`). */
const char *fact_format(const struct fact_value *v, enum fact_type t, char *buf, size_t size);

/* Sets a string fact (nothing when s is NULL), or a list or set fact. */
void facts_set_str(struct facts *f, enum fact_id id, const char *s);
void facts_set_list(struct facts *f, enum fact_id id, const char *const *l, size_t n);

struct strbuf;
/* Appends tmpl to sb with each {fact} placeholder replaced by the fact's value. */
void facts_expand(const struct facts *f, const char *tmpl, struct strbuf *sb);
struct arena;
/* The same as a string in arena a; tmpl itself when it has no placeholder (NULL stays
 * NULL). */
const char *facts_expand_in(struct arena *a, const struct facts *f, const char *tmpl);

#endif
