/* detectcat.c: the detect catalog (see detectcat.h). */
#include "detectcat.h"
#include "arena.h"
#include "schema.h"
#include "ytree.h"

#include <stdlib.h>
#include <string.h>

struct detectcat_priv {
	struct ytree *tree;
	struct arena *arena;
	size_t capf, capm, capd;
};

void detectcat_free(struct detect_catalog *dc)
{
	if (dc == NULL)
		return;
	if (dc->priv) {
		ytree_free(dc->priv->tree);
		arena_free(dc->priv->arena);
		free(dc->priv);
	}
	free(dc);
}

static void load_feature(struct detect_catalog *dc, const struct schema_ctx *c,
			 const struct ynode *n)
{
	static const char *const keys[] = {"bit", "name", "source", NULL};
	if (!sch_item(c, n, keys, keys, "a feature bit"))
		return;
	struct dc_feature *f = arena_push(dc->priv->arena, (void **)&dc->features, &dc->nfeatures,
					  &dc->priv->capf, sizeof(*f));
	if (f == NULL)
		return;
	const struct ynode *b = ymap_get(n, "bit");
	const char *s = sch_str(c, b, "bit");
	char *end = NULL;
	long v = s ? strtol(s, &end, 10) : -1;
	if (s && (end == s || *end != '\0' || v < 0 || v > 31))
		sch_error(c, b, "`bit` must be a number from 0 to 31");
	f->bit = v < 0 || v > 31 ? 0 : (unsigned)v;
	f->name = sch_str(c, ymap_get(n, "name"), "name");
	f->source = sch_str(c, ymap_get(n, "source"), "source");
	for (size_t i = 0; i + 1 < dc->nfeatures && s; i++)
		if (dc->features[i].bit == f->bit)
			sch_error(c, b, "bit %u is named twice", f->bit);
}

static void load_dmesg(struct detect_catalog *dc, const struct schema_ctx *c, const struct ynode *n)
{
	static const char *const keys[] = {"id", "match", "source", NULL};
	if (!sch_item(c, n, keys, keys, "a kernel log line"))
		return;
	struct dc_dmesg *m = arena_push(dc->priv->arena, (void **)&dc->dmesg, &dc->ndmesg,
					&dc->priv->capm, sizeof(*m));
	if (m == NULL)
		return;
	m->id = sch_str(c, ymap_get(n, "id"), "id");
	size_t count = 0;
	const struct ynode *v = ymap_get(n, "match");
	if ((m->match = sch_strlist(c, v, "match", &count)) && count == 0)
		sch_error(c, v, "`match` needs at least one pattern");
	m->source = sch_str(c, ymap_get(n, "source"), "source");
}

static void load_driver(struct detect_catalog *dc, const struct schema_ctx *c,
			const struct ynode *n)
{
	static const char *const keys[] = {"driver", "device", "kind", "network", "source", NULL};
	static const char *const required[] = {"driver", "device", "kind", "source", NULL};
	static const char *const devices[] = {"net", "disk", NULL};
	static const char *const networks[] = {"ena", "intel-82599-vf", "none", NULL};
	if (!sch_item(c, n, keys, required, "a driver"))
		return;
	struct dc_driver *d = arena_push(dc->priv->arena, (void **)&dc->drivers, &dc->ndrivers,
					 &dc->priv->capd, sizeof(*d));
	if (d == NULL)
		return;
	const struct ynode *v = ymap_get(n, "device");
	d->driver = sch_str(c, ymap_get(n, "driver"), "driver");
	if ((d->device = sch_str(c, v, "device")))
		sch_enum(c, v, d->device, devices, "device");
	d->kind = sch_str(c, ymap_get(n, "kind"), "kind");
	d->source = sch_str(c, ymap_get(n, "source"), "source");
	bool net = d->device && strcmp(d->device, "net") == 0;
	if ((v = ymap_get(n, "network"))) {
		if ((d->network = sch_str(c, v, "network")))
			sch_enum(c, v, d->network, networks, "network");
		if (!net)
			sch_error(c, v, "only a net driver has `network`");
	} else if (net) {
		sch_error(c, n, "a net driver needs `network` (ena, intel-82599-vf or none)");
	}
}

static struct detect_catalog *load(struct ytree *t, bool own, struct diags *d)
{
	struct detect_catalog *dc = calloc(1, sizeof(*dc));
	if (dc == NULL || (dc->priv = calloc(1, sizeof(*dc->priv))) == NULL ||
	    (dc->priv->arena = arena_new()) == NULL) {
		if (own)
			ytree_free(t);
		detectcat_free(dc);
		return NULL;
	}
	dc->priv->tree = own ? t : NULL;
	size_t errors = d->errors;
	struct schema_ctx c = {.file = t->file, .d = d, .arena = dc->priv->arena};
	static const char *const keys[] = {"kind",  "source",  "description",       "xen_features",
					   "dmesg", "drivers", "fstab_xen_devices", NULL};
	static const char *const required[] = {"kind", "source", NULL};
	if (t->root == NULL || !sch_map(&c, t->root, "a detect file")) {
		if (t->root == NULL)
			diags_add(d, DIAG_ERROR, t->file, 1, 1, "the detect file is empty");
		detectcat_free(dc);
		return NULL;
	}
	sch_keys(&c, t->root, keys, "a detect file");
	sch_required(&c, t->root, required, "a detect file");
	const struct ynode *k = ymap_get(t->root, "kind"), *v;
	const char *kind = k ? sch_str(&c, k, "kind") : NULL;
	if (kind && strcmp(kind, "detect") != 0)
		sch_error(&c, k, "expected `kind: detect`");
	if ((v = ymap_get(t->root, "source")))
		sch_str(&c, v, "source");
	if ((v = ymap_get(t->root, "description")))
		sch_str(&c, v, "description");
	if ((v = ymap_get(t->root, "xen_features")) && sch_seq(&c, v, "xen_features"))
		for (size_t i = 0; i < v->n; i++)
			load_feature(dc, &c, v->items[i]);
	if ((v = ymap_get(t->root, "dmesg")) && sch_seq(&c, v, "dmesg"))
		for (size_t i = 0; i < v->n; i++)
			load_dmesg(dc, &c, v->items[i]);
	if ((v = ymap_get(t->root, "drivers")) && sch_seq(&c, v, "drivers"))
		for (size_t i = 0; i < v->n; i++)
			load_driver(dc, &c, v->items[i]);
	static const char *const fx_keys[] = {"match", "source", NULL};
	if ((v = ymap_get(t->root, "fstab_xen_devices")) && sch_map(&c, v, "fstab_xen_devices")) {
		sch_keys(&c, v, fx_keys, "fstab_xen_devices");
		sch_required(&c, v, fx_keys, "fstab_xen_devices");
		size_t count = 0;
		const struct ynode *m = ymap_get(v, "match"), *src = ymap_get(v, "source");
		if (m && (dc->fstab_xen = sch_strlist(&c, m, "match", &count)) && count == 0)
			sch_error(&c, m, "`match` needs at least one pattern");
		if (src)
			dc->fstab_xen_source = sch_str(&c, src, "source");
	}
	if (d->errors > errors) {
		detectcat_free(dc);
		return NULL;
	}
	return dc;
}

struct detect_catalog *detectcat_load(const char *path, struct diags *d)
{
	struct ytree *t = ytree_load(path, d);
	return t ? load(t, true, d) : NULL;
}

struct detect_catalog *detectcat_load_buffer(const char *buf, size_t len, const char *name,
					     struct diags *d)
{
	struct ytree *t = ytree_parse(buf, len, name, d);
	return t ? load(t, true, d) : NULL;
}

bool detectcat_check_tree(const struct ytree *t, struct diags *d)
{
	size_t errors = d->errors;
	detectcat_free(load((struct ytree *)t, false, d));
	return d->errors == errors;
}

const struct dc_driver *detectcat_driver(const struct detect_catalog *dc, const char *device,
					 const char *driver)
{
	for (size_t i = 0; i < dc->ndrivers; i++)
		if (strcmp(dc->drivers[i].device, device) == 0 &&
		    strcmp(dc->drivers[i].driver, driver) == 0)
			return &dc->drivers[i];
	return NULL;
}
