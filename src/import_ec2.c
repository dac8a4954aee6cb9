/* import_ec2.c: converting DescribeInstanceTypes output into a catalog. */
#include "import_ec2.h"

#include "facts.h"
#include "schema.h"
#include "strutil.h"
#include "ytree.h"

#include <stdlib.h>
#include <string.h>

/* The catalog fields in the order they are written. */
enum {
	C_BARE_METAL,
	C_HYPERVISOR,
	C_VIRT,
	C_ENA,
	C_NVME,
	C_ARCH,
	C_BOOT,
	C_ROOT,
	C_CURRENT,
	C_NETWORK,
	C__COUNT
};
static const enum fact_id col_fact[C__COUNT] = {
	F_BARE_METAL,         F_HYPERVISOR,         F_VIRT_TYPES, F_ENA,
	F_NVME_EBS,           F_ARCHITECTURES,      F_BOOT_MODES, F_ROOT_DEVICES,
	F_CURRENT_GENERATION, F_NETWORK_PERFORMANCE};

struct row {
	const char *name;
	char *val[C__COUNT]; /* rendered YAML value, or NULL when the API has no such field */
};

static void put_quoted(struct strbuf *sb, const char *s)
{
	strbuf_putc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_printf(sb, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			strbuf_printf(sb, "\\x%02x", *p);
		else
			strbuf_putc(sb, (char)*p);
	}
	strbuf_putc(sb, '"');
}

static const struct ynode *path(const struct ynode *n, const char *a, const char *b)
{
	n = ymap_get(n, a);
	return b ? ymap_get(n, b) : n;
}

static char *word(const struct schema_ctx *c, const struct ynode *n, enum fact_id f,
		  const char *api)
{
	const char *s = sch_str(c, n, api);
	if (s == NULL || !sch_enum(c, n, s, fact_defs[f].values, api))
		return NULL;
	return strdup(s);
}

static char *boolean(const struct schema_ctx *c, const struct ynode *n, const char *api)
{
	bool b;
	return sch_bool(c, n, api, &b) ? strdup(b ? "true" : "false") : NULL;
}

static char *render_list(const struct schema_ctx *c, const struct ynode *n, enum fact_id f,
			 const char *api)
{
	if (n->kind != YN_SEQ) {
		sch_error(c, n, "%s must be a list", api);
		return NULL;
	}
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_putc(&sb, '[');
	for (size_t i = 0; i < n->n; i++) {
		const char *s = sch_str(c, n->items[i], api);
		if (s == NULL || !sch_enum(c, n->items[i], s, fact_defs[f].values, api))
			continue;
		strbuf_printf(&sb, "%s%s", i ? ", " : "", s);
	}
	strbuf_putc(&sb, ']');
	return sb.s;
}

static char *quoted(const struct schema_ctx *c, const struct ynode *n, const char *api)
{
	const char *s = sch_str(c, n, api);
	if (s == NULL)
		return NULL;
	struct strbuf sb;
	strbuf_init(&sb);
	put_quoted(&sb, s);
	return sb.s;
}

/* The most common value of column k (NULL when no row has one). */
static const char *mode_of(const struct row *rows, size_t n, int k)
{
	const char *best = NULL;
	size_t best_count = 0;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].val[k] == NULL)
			continue;
		size_t count = 0;
		for (size_t j = 0; j < n; j++)
			count += rows[j].val[k] && strcmp(rows[j].val[k], rows[i].val[k]) == 0;
		if (count > best_count) {
			best = rows[i].val[k];
			best_count = count;
		}
		if (best_count > n / 2)
			break;
	}
	return best;
}

static int cmp_row(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->name, ((const struct row *)b)->name);
}

static bool valid_name(const char *s)
{
	if (*s == '\0' || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' ||
		      *s == '-'))
			return false;
	return true;
}

static bool import_tree(struct ytree *t, const char *source, FILE *out, struct diags *d,
			size_t errors);

bool import_ec2(const char *in, const char *source, FILE *out, struct diags *d)
{
	size_t errors = d->errors;
	struct ytree *t = ytree_load(in, d);
	return t != NULL && import_tree(t, source, out, d, errors);
}

bool import_ec2_buffer(const char *buf, size_t len, const char *name, const char *source, FILE *out,
		       struct diags *d)
{
	size_t errors = d->errors;
	struct ytree *t = ytree_parse(buf, len, name, d);
	return t != NULL && import_tree(t, source, out, d, errors);
}

/* Converts the parsed output; frees t. */
static bool import_tree(struct ytree *t, const char *source, FILE *out, struct diags *d,
			size_t errors)
{
	struct schema_ctx c = {t->file, d, t->arena};
	const struct ynode *list = ymap_get(t->root, "InstanceTypes");
	if (list == NULL || list->kind != YN_SEQ) {
		sch_error(&c, list ? list : t->root,
			  "expected the output of `aws ec2 describe-instance-types` "
			  "(an object with an \"InstanceTypes\" list)");
		ytree_free(t);
		return false;
	}
	struct row *rows = calloc(list->n ? list->n : 1, sizeof(*rows));
	size_t nrows = 0;
	for (size_t i = 0; rows && i < list->n; i++) {
		const struct ynode *it = list->items[i], *n;
		if (!sch_map(&c, it, "an instance type"))
			continue;
		const char *name =
			(n = ymap_get(it, "InstanceType")) ? sch_str(&c, n, "InstanceType") : NULL;
		if (n == NULL)
			sch_error(&c, it, "instance type without InstanceType");
		if (name == NULL)
			continue;
		if (!valid_name(name)) {
			sch_error(&c, n, "unexpected instance type name '%s'", name);
			continue;
		}
		struct row *r = &rows[nrows++];
		r->name = name;
		bool metal = false;
		const struct ynode *bm = ymap_get(it, "BareMetal");
		if (bm && (r->val[C_BARE_METAL] = boolean(&c, bm, "BareMetal")))
			metal = strcmp(r->val[C_BARE_METAL], "true") == 0;
		else if (bm == NULL)
			sch_error(&c, it, "%s lacks BareMetal", name);
		/* the API leaves Hypervisor out on bare metal: that is "none" */
		if ((n = ymap_get(it, "Hypervisor")))
			r->val[C_HYPERVISOR] = word(&c, n, F_HYPERVISOR, "Hypervisor");
		else if (metal)
			r->val[C_HYPERVISOR] = strdup("none");
		if ((n = ymap_get(it, "SupportedVirtualizationTypes")))
			r->val[C_VIRT] =
				render_list(&c, n, F_VIRT_TYPES, "SupportedVirtualizationTypes");
		if ((n = path(it, "NetworkInfo", "EnaSupport")))
			r->val[C_ENA] = word(&c, n, F_ENA, "EnaSupport");
		if ((n = path(it, "EbsInfo", "NvmeSupport")))
			r->val[C_NVME] = word(&c, n, F_NVME_EBS, "EbsInfo.NvmeSupport");
		if ((n = path(it, "ProcessorInfo", "SupportedArchitectures")))
			r->val[C_ARCH] =
				render_list(&c, n, F_ARCHITECTURES, "SupportedArchitectures");
		if ((n = ymap_get(it, "SupportedBootModes")))
			r->val[C_BOOT] = render_list(&c, n, F_BOOT_MODES, "SupportedBootModes");
		if ((n = ymap_get(it, "SupportedRootDeviceTypes")))
			r->val[C_ROOT] =
				render_list(&c, n, F_ROOT_DEVICES, "SupportedRootDeviceTypes");
		if ((n = ymap_get(it, "CurrentGeneration")))
			r->val[C_CURRENT] = boolean(&c, n, "CurrentGeneration");
		if ((n = path(it, "NetworkInfo", "NetworkPerformance")))
			r->val[C_NETWORK] = quoted(&c, n, "NetworkPerformance");
	}
	bool ok = rows != NULL && d->errors == errors;
	if (ok) {
		qsort(rows, nrows, sizeof(*rows), cmp_row);
		for (size_t i = 0; i + 1 < nrows; i++)
			if (strcmp(rows[i].name, rows[i + 1].name) == 0) {
				diags_add(d, DIAG_ERROR, t->file, 0, 0,
					  "instance type '%s' appears twice", rows[i].name);
				ok = false;
			}
	}
	if (ok) {
		struct strbuf hdr;
		strbuf_init(&hdr);
		strbuf_puts(
			&hdr,
			"# Generated by `xenadvise catalog import` from `aws ec2 "
			"describe-instance-types` output.\n"
			"# Do not edit: re-run the import. Hand-kept facts live in overlay.yaml.\n"
			"kind: catalog\nprovider: ec2\nsource: ");
		put_quoted(&hdr, source);
		/* the most common value of each field is written once, as a default */
		const char *def[C__COUNT];
		strbuf_puts(&hdr, "\ndefaults: {");
		for (int k = 0, first = 1; k < C__COUNT; k++) {
			def[k] = k == C_NETWORK ? NULL : mode_of(rows, nrows, k);
			if (def[k]) {
				strbuf_printf(&hdr, "%s%s: %s", first ? "" : ", ",
					      fact_defs[col_fact[k]].name, def[k]);
				first = 0;
			}
		}
		strbuf_puts(&hdr, "}\nentries:\n");
		fputs(hdr.s ? hdr.s : "", out);
		strbuf_free(&hdr);
		for (size_t i = 0; i < nrows; i++) {
			fprintf(out, "  %s: {", rows[i].name);
			for (int k = 0, first = 1; k < C__COUNT; k++) {
				if (rows[i].val[k] == NULL ||
				    (def[k] && strcmp(def[k], rows[i].val[k]) == 0))
					continue;
				fprintf(out, "%s%s: %s", first ? "" : ", ",
					fact_defs[col_fact[k]].name, rows[i].val[k]);
				first = 0;
			}
			fputs("}\n", out);
		}
	}
	for (size_t i = 0; rows && i < nrows; i++)
		for (int k = 0; k < C__COUNT; k++)
			free(rows[i].val[k]);
	free(rows);
	ytree_free(t);
	return ok;
}
