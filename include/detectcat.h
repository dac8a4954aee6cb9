/* detectcat.h: what detect makes of the files it reads (catalogs/detect.yaml, `kind:
 * detect`): Xen feature bit names, kernel log lines by id, and device drivers.
 *
 * The decisions (which hypervisor, which mode, what is missing) are rules in
 * rules/detect/; this file only names what the raw files say. */
#ifndef XA_DETECTCAT_H
#define XA_DETECTCAT_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

struct dc_feature {
	unsigned bit;
	const char *name, *source;
};

struct dc_dmesg {
	const char *id;
	const char **match; /* fnmatch patterns for the message, NULL-terminated */
	const char *source;
};

struct dc_driver {
	const char *driver;  /* as the device's uevent says it (DRIVER=) */
	const char *device;  /* net or disk */
	const char *kind;    /* what it is: xen-netfront, ena, nvme, emulated... */
	const char *network; /* net: the enhanced networking it gives (ena, intel-82599-vf, none) */
	const char *source;
};

struct detect_catalog {
	struct dc_feature *features;
	size_t nfeatures;
	struct dc_dmesg *dmesg;
	size_t ndmesg;
	struct dc_driver *drivers;
	size_t ndrivers;
	const char **fstab_xen; /* fnmatch patterns, NULL-terminated (may be NULL) */
	const char *fstab_xen_source;
	struct detectcat_priv *priv;
};

struct detect_catalog *detectcat_load(const char *path, struct diags *d);
struct detect_catalog *detectcat_load_buffer(const char *buf, size_t len, const char *name,
					     struct diags *d);
void detectcat_free(struct detect_catalog *dc);
/* Checks one parsed file, as `validate` does; the tree stays the caller's. */
struct ytree;
bool detectcat_check_tree(const struct ytree *t, struct diags *d);
/* The driver entry for a device kind ("net" or "disk") and driver name, or NULL. */
const struct dc_driver *detectcat_driver(const struct detect_catalog *dc, const char *device,
					 const char *driver);

#endif
