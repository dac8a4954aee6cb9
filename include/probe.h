/* probe.h: read a running Linux guest (or a captured tree of its files) into facts.
 *
 * probe_run reads, under a root directory, the files that tell a guest's hypervisor and
 * mode: /sys/hypervisor, DMI (/sys/class/dmi/id), /proc/xen, /proc/cpuinfo's flags,
 * /proc/interrupts, the clocksource, the kernel log (/dev/kmsg), the xen bus, network
 * interfaces and disks with their drivers, the kernel's release, command line and config,
 * and /etc/fstab. It interprets nothing beyond what catalogs/detect.yaml names; the rules
 * in rules/detect/ decide. It starts no child process and needs root only for the kernel
 * log (where dmesg_restrict is set) and XenStore.
 *
 * Every file is read bounded (PROBE_MAX_FILE), without following a FIFO or device other
 * than /dev/kmsg, and, under a root other than "/", with symbolic links resolved inside
 * the root. What could not be read, or held garbage, becomes a note, never a fact. With a
 * capture directory, every file read is also written there, so that probing the capture
 * gives the same answer. */
#ifndef XA_PROBE_H
#define XA_PROBE_H

#include "detectcat.h"
#include "facts.h"
#include "identify.h"
#include "kconfig.h"

#include <stdbool.h>
#include <stddef.h>

enum { PROBE_MAX_FILE = 4 * 1024 * 1024, PROBE_MAX_ENTRIES = 256 };

struct probe_iface {
	const char *name, *driver;     /* driver NULL when the device has none bound */
	const struct dc_driver *known; /* the catalog's entry, or NULL */
};

struct probe_disk {
	const char *name, *driver;
	const struct dc_driver *known;
};

/* One observation: the fact it gave, the value read, and the file. */
struct probe_evidence {
	const char *fact, *value, *file;
};

struct probe {
	struct facts facts;
	struct probe_iface *ifaces;
	size_t nifaces;
	struct probe_disk *disks;
	size_t ndisks;
	struct probe_evidence *evidence;
	size_t nevidence;
	const char **notes; /* what could not be read, and why */
	size_t nnotes;
	const char *xen_version; /* "4.11.amazon" */
	const char *kernel_release;
	const char *kconfig_file;
	struct kconfig *kconfig;
	const char *capture_error; /* the first failure writing the capture, or NULL */
	struct probe_priv *priv;
};

struct probe_opts {
	const char *root;    /* "/" or a captured tree */
	const char *capture; /* a directory to copy every file read into, or NULL */
};

/* Reads the guest. NULL only when memory runs out. */
struct probe *probe_run(const struct detect_catalog *dc, const struct identify *id,
			const struct probe_opts *o);
void probe_free(struct probe *p);

/* The parsers, for tests and fuzzing: each takes the whole file and adds to p. */
void probe_parse_cpuinfo(struct probe *p, const char *buf, size_t len);
void probe_parse_interrupts(struct probe *p, const char *buf, size_t len);
void probe_parse_kmsg(struct probe *p, const struct detect_catalog *dc, const char *buf, size_t len,
		      const char *file);
void probe_parse_features(struct probe *p, const struct detect_catalog *dc, const char *line,
			  const char *file);
void probe_parse_fstab(struct probe *p, const struct detect_catalog *dc, const char *buf,
		       size_t len);
void probe_parse_cmdline(struct probe *p, const char *buf, size_t len);
/* An empty probe to run the parsers on; probe_finish turns what they gathered into facts
 * (probe_run does both). */
struct probe *probe_new(void);
void probe_finish(struct probe *p);

#endif
