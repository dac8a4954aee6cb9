/* images.c: the image definition readers (see image.h). */
#include "image.h"
#include "arena.h"
#include "facts.h"
#include "schema.h"
#include "strutil.h"
#include "ytree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const img_attr_fields[IA__COUNT] = {
	[IA_VIRT] = "virtualization_type", [IA_ENA] = "ena_support",
	[IA_SRIOV] = "sriov_net_support",  [IA_ARCH] = "architecture",
	[IA_BOOT] = "boot_mode",           [IA_ROOT] = "root_device_type",
	[IA_IMDS] = "imds_support",        [IA_TPM] = "tpm_support",
};

/* the fact whose allowed values an attribute must take (F__COUNT: any) */
static const enum fact_id attr_fact[IA__COUNT] = {
	[IA_VIRT] = F_IMAGE_VIRT, [IA_ENA] = F__COUNT,      [IA_SRIOV] = F__COUNT,
	[IA_ARCH] = F_IMAGE_ARCH, [IA_BOOT] = F_IMAGE_BOOT, [IA_ROOT] = F_IMAGE_ROOT,
	[IA_IMDS] = F__COUNT,     [IA_TPM] = F__COUNT,
};

const char *const image_formats[] = {"describe-images", "packer", "terraform", "spec", NULL};

/* One file being read. */
struct reader {
	const char *file;
	struct diags *d;
	struct arena *arena; /* strings and lists of the current image; rewound per image */
	image_fn each;
	void *arg;
	bool stop;
	bool api;             /* items under "Images" are describe-images images */
	struct schema_ctx sc; /* for reporting problems as file:line:col */
	size_t images;
};

static struct img_pos pos_of(const struct ynode *n)
{
	return n ? (struct img_pos){n->line, n->col} : (struct img_pos){0, 0};
}

static const char *scalar(struct reader *r, const struct ynode *n, const char *what, bool *ok)
{
	if (n->kind == YN_SCALAR)
		return n->str;
	sch_error(&r->sc, n, "%s must be a string, not %s", what, ynode_kind_name(n->kind));
	*ok = false;
	return NULL;
}

static bool is_bool(const struct ynode *n, bool *v)
{
	if (n->kind != YN_SCALAR)
		return false;
	if (strcmp(n->str, "true") == 0 || strcmp(n->str, "True") == 0) {
		*v = true;
		return true;
	}
	if (strcmp(n->str, "false") == 0 || strcmp(n->str, "False") == 0) {
		*v = false;
		return true;
	}
	return false;
}

/* Sets attribute a from node n (key `what` in the input), checking its value. */
static void set_attr(struct reader *r, struct image *img, enum img_attr a, const struct ynode *n,
		     const char *what, bool *ok)
{
	if (n == NULL)
		return;
	if (n->kind == YN_SCALAR && n->plain && strcmp(n->str, "null") == 0)
		return; /* JSON null: not set */
	img->pos[a] = pos_of(n);
	if (a == IA_ENA) {
		bool b;
		if (!is_bool(n, &b)) {
			sch_error(&r->sc, n, "%s must be true or false", what);
			*ok = false;
			return;
		}
		img->attr[a] = b ? "true" : "false";
		return;
	}
	const char *s = scalar(r, n, what, ok);
	if (s == NULL)
		return;
	enum fact_id f = attr_fact[a];
	if (f != F__COUNT && !fact_value_allowed(f, s)) {
		struct strbuf sb;
		strbuf_init(&sb);
		for (const char *const *v = fact_defs[f].values; *v; v++)
			strbuf_printf(&sb, "%s%s", v == fact_defs[f].values ? "" : ", ", *v);
		sch_error(&r->sc, n, "%s '%s' is not one of: %s", what, s, sb.s ? sb.s : "");
		strbuf_free(&sb);
		*ok = false;
		return;
	}
	img->attr[a] = s;
}

/* A list of strings from a sequence (or one string); NULL-terminated in the arena. */
static const char **str_list(struct reader *r, const struct ynode *n, const char *what,
			     size_t *count, bool *ok)
{
	size_t k = n->kind == YN_SEQ ? n->n : 1;
	const char **v = arena_alloc(r->arena, (k + 1) * sizeof(*v));
	*count = 0;
	if (v == NULL) {
		r->stop = true;
		return NULL;
	}
	for (size_t i = 0; i < k; i++) {
		const struct ynode *it = n->kind == YN_SEQ ? n->items[i] : n;
		const char *s = scalar(r, it, what, ok);
		if (s)
			v[(*count)++] = s;
	}
	return v;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void emit(struct reader *r, const struct image *img, bool ok)
{
	r->images++;
	if (ok && !r->stop && !r->each(img, r->arg))
		r->stop = true;
}

/* ---- describe-images ------------------------------------------------------------------ */

static const struct {
	const char *key;
	enum img_attr a;
} api_keys[] = {
	{"VirtualizationType", IA_VIRT}, {"EnaSupport", IA_ENA}, {"SriovNetSupport", IA_SRIOV},
	{"Architecture", IA_ARCH},       {"BootMode", IA_BOOT},  {"RootDeviceType", IA_ROOT},
	{"ImdsSupport", IA_IMDS},        {"TpmSupport", IA_TPM},
};

static void api_image(struct reader *r, const struct ynode *m)
{
	struct image img = {.file = r->file, .format = "describe-images", .at = pos_of(m)};
	bool ok = true;
	if (m->kind != YN_MAP) {
		sch_error(&r->sc, m, "an image must be a mapping, not %s",
			  ynode_kind_name(m->kind));
		return;
	}
	const struct ynode *n;
	if ((n = ymap_get(m, "ImageId")))
		img.id = scalar(r, n, "ImageId", &ok);
	if ((n = ymap_get(m, "Name")))
		img.name = scalar(r, n, "Name", &ok);
	for (size_t i = 0; i < sizeof(api_keys) / sizeof(api_keys[0]); i++)
		set_attr(r, &img, api_keys[i].a, ymap_get(m, api_keys[i].key), api_keys[i].key,
			 &ok);
	if (img.attr[IA_ENA] == NULL)
		img.attr[IA_ENA] = "false"; /* the API leaves EnaSupport out when it is not set */
	if ((n = ymap_get(m, "Platform"))) {
		const char *p = scalar(r, n, "Platform", &ok);
		img.os = p && strcmp(p, "windows") == 0 ? "windows" : "linux";
	}
	if (img.name == NULL)
		img.name = img.id;
	emit(r, &img, ok);
}

static bool on_api_item(const struct ytree *t, const struct ynode *item, void *arg)
{
	(void)t;
	struct reader *r = arg;
	if (!r->api)
		return true;
	struct arena_mark mk = arena_mark(r->arena);
	api_image(r, item);
	arena_rewind(r->arena, mk);
	return !r->stop;
}

/* ---- Packer --------------------------------------------------------------------------- */

/* Packer builders that register the image themselves (RegisterImage fills gaps); the
 * others (amazon-ebs) copy the source AMI's attributes, which the template does not show.
 * Source: Packer's Amazon builder docs, https://developer.hashicorp.com/packer/plugins/
 * builders/amazon/ebssurrogate ("creating the AMI from that volume"; ami_virtualization_type
 * "required to register HVM images"), .../amazon/chroot and .../amazon/instance. */
static bool packer_registers(const char *type)
{
	return strcmp(type, "amazon-ebssurrogate") == 0 || strcmp(type, "amazon-chroot") == 0 ||
	       strcmp(type, "amazon-instance") == 0;
}

static void packer_image(struct reader *r, const struct ynode *m, const char *type,
			 const char *label)
{
	struct image img = {.file = r->file, .format = "packer", .at = pos_of(m)};
	bool ok = true;
	const struct ynode *n;
	img.registers = packer_registers(type);
	set_attr(r, &img, IA_VIRT, ymap_get(m, "ami_virtualization_type"),
		 "ami_virtualization_type", &ok);
	set_attr(r, &img, IA_ENA, ymap_get(m, "ena_support"), "ena_support", &ok);
	if ((n = ymap_get(m, "sriov_support"))) {
		bool b;
		if (!is_bool(n, &b)) {
			sch_error(&r->sc, n, "sriov_support must be true or false");
			ok = false;
		} else if (b) {
			img.attr[IA_SRIOV] = "simple";
			img.pos[IA_SRIOV] = pos_of(n);
		}
	}
	set_attr(r, &img, IA_ARCH, ymap_get(m, "ami_architecture"), "ami_architecture", &ok);
	set_attr(r, &img, IA_BOOT, ymap_get(m, "boot_mode"), "boot_mode", &ok);
	set_attr(r, &img, IA_IMDS, ymap_get(m, "imds_support"), "imds_support", &ok);
	set_attr(r, &img, IA_TPM, ymap_get(m, "tpm_support"), "tpm_support", &ok);
	if ((n = ymap_get(m, "ami_name")))
		img.name = scalar(r, n, "ami_name", &ok);
	if (img.name == NULL)
		img.name = label;
	if ((n = ymap_get(m, "instance_type"))) {
		img.targets = str_list(r, n, "instance_type", &img.ntargets, &ok);
		img.targets_at = pos_of(n);
	}
	emit(r, &img, ok);
}

static void read_packer_legacy(struct reader *r, const struct ynode *builders)
{
	if (builders->kind != YN_SEQ) {
		sch_error(&r->sc, builders, "builders must be a list");
		return;
	}
	for (size_t i = 0; i < builders->n && !r->stop; i++) {
		const struct ynode *b = builders->items[i], *t = ymap_get(b, "type");
		if (b->kind != YN_MAP || t == NULL || t->kind != YN_SCALAR) {
			sch_error(&r->sc, b, "a builder must be a mapping with a type");
			continue;
		}
		if (strncmp(t->str, "amazon-", 7) != 0)
			continue;
		const struct ynode *nm = ymap_get(b, "name");
		char label[64];
		snprintf(label, sizeof(label), "builders[%zu]", i);
		struct arena_mark mk = arena_mark(r->arena);
		packer_image(r, b, t->str,
			     nm && nm->kind == YN_SCALAR ? nm->str : arena_strdup(r->arena, label));
		arena_rewind(r->arena, mk);
	}
}

static void read_packer_hcl(struct reader *r, const struct ynode *source)
{
	if (source->kind != YN_MAP) {
		sch_error(&r->sc, source, "source must be a mapping");
		return;
	}
	for (size_t i = 0; i < source->n && !r->stop; i++) {
		const struct ynode *type = source->items[2 * i], *named = source->items[2 * i + 1];
		if (type->kind != YN_SCALAR || strncmp(type->str, "amazon-", 7) != 0)
			continue;
		if (named->kind != YN_MAP) {
			sch_error(&r->sc, named, "source.%s must map names to sources", type->str);
			continue;
		}
		for (size_t j = 0; j < named->n && !r->stop; j++) {
			const struct ynode *k = named->items[2 * j], *b = named->items[2 * j + 1];
			if (k->kind != YN_SCALAR || b->kind != YN_MAP) {
				sch_error(&r->sc, b, "a source must be a mapping");
				continue;
			}
			struct arena_mark mk = arena_mark(r->arena);
			packer_image(r, b, type->str,
				     arena_printf(r->arena, "source.%s.%s", type->str, k->str));
			arena_rewind(r->arena, mk);
		}
	}
}

/* ---- Terraform ------------------------------------------------------------------------ */

/* One resource of interest, before the instances are linked to the images. */
struct tf_res {
	const char *type, *name;
	const struct ynode *values; /* attributes */
	const struct ynode *at;
	const char *ref; /* for instances and launch templates: the aws_ami(_copy) they use */
	const struct ynode *itype;
};

/* "aws_ami.web.id", "${aws_ami.web.id}" -> "aws_ami.web" (into buf); false otherwise. */
static bool tf_image_ref(const char *s, char *buf, size_t size)
{
	if (strncmp(s, "${", 2) == 0)
		s += 2;
	const char *types[] = {"aws_ami.", "aws_ami_copy."};
	for (size_t i = 0; i < 2; i++) {
		size_t tl = strlen(types[i]);
		if (strncmp(s, types[i], tl) != 0)
			continue;
		size_t n = tl + strcspn(s + tl, ".}");
		if (n >= size)
			return false;
		memcpy(buf, s, n);
		buf[n] = '\0';
		return true;
	}
	return false;
}

static void tf_add(struct reader *r, struct tf_res **v, size_t *n, size_t *cap, const char *type,
		   const char *name, const struct ynode *values, const struct ynode *at)
{
	static const char *const wanted[] = {"aws_ami", "aws_ami_copy", "aws_launch_template",
					     "aws_instance", NULL};
	bool want = false;
	for (const char *const *w = wanted; *w; w++)
		want = want || strcmp(*w, type) == 0;
	if (!want)
		return;
	if (values->kind != YN_MAP) {
		sch_error(&r->sc, values, "resource %s.%s must be a mapping", type, name);
		return;
	}
	struct tf_res *t = arena_push(r->arena, (void **)v, n, cap, sizeof(**v));
	if (t == NULL) {
		r->stop = true;
		return;
	}
	*t = (struct tf_res){.type = type, .name = name, .values = values, .at = at};
	const struct ynode *ami =
		ymap_get(values, strcmp(type, "aws_instance") == 0 ? "ami" : "image_id");
	char ref[256];
	if (ami && ami->kind == YN_SCALAR && tf_image_ref(ami->str, ref, sizeof(ref)))
		t->ref = arena_strdup(r->arena, ref);
	t->itype = ymap_get(values, "instance_type");
}

/* Emits each aws_ami / aws_ami_copy with the instance types of the instances and launch
 * templates that use it. */
static void tf_emit(struct reader *r, struct tf_res *v, size_t n)
{
	for (size_t i = 0; i < n && !r->stop; i++) {
		bool copy = strcmp(v[i].type, "aws_ami_copy") == 0;
		if (!copy && strcmp(v[i].type, "aws_ami") != 0)
			continue;
		struct arena_mark mk = arena_mark(r->arena);
		const struct ynode *m = v[i].values;
		struct image img = {.file = r->file, .format = "terraform", .at = pos_of(v[i].at)};
		bool ok = true;
		img.name = arena_printf(r->arena, "%s.%s", v[i].type, v[i].name);
		/* aws_ami registers: the provider's defaults are paravirtual, x86_64, no ENA
		 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ami;
		 * the same text in Pulumi's bridged docs: "architecture ... Defaults to x86_64") */
		img.registers = !copy;
		for (int a = 0; a < IA__COUNT; a++) {
			const char *key = a == IA_SRIOV ? "sriov_net_support" : img_attr_fields[a];
			set_attr(r, &img, (enum img_attr)a, ymap_get(m, key), key, &ok);
		}
		if (!copy) {
			if (img.attr[IA_ENA] == NULL)
				img.attr[IA_ENA] = "false";
			if (img.attr[IA_ARCH] == NULL)
				img.attr[IA_ARCH] = "x86_64"; /* the provider's default */
		}
		const char **targets = arena_alloc(r->arena, (n + 1) * sizeof(*targets));
		size_t nt = 0;
		for (size_t j = 0; targets && j < n; j++) {
			if (v[j].ref == NULL || strcmp(v[j].ref, img.name) != 0 ||
			    v[j].itype == NULL)
				continue;
			if (v[j].itype->kind == YN_SCALAR) {
				targets[nt++] = v[j].itype->str;
				if (img.targets_at.line == 0)
					img.targets_at = pos_of(v[j].itype);
			}
		}
		img.targets = targets;
		img.ntargets = nt;
		emit(r, &img, ok);
		arena_rewind(r->arena, mk);
	}
}

static void read_tf_json(struct reader *r, const struct ynode *resource)
{
	struct tf_res *v = NULL;
	size_t n = 0, cap = 0;
	/* {"resource": {TYPE: {NAME: {...}}}} or a list of such mappings */
	size_t blocks = resource->kind == YN_SEQ ? resource->n : 1;
	for (size_t b = 0; b < blocks; b++) {
		const struct ynode *res = resource->kind == YN_SEQ ? resource->items[b] : resource;
		if (res->kind != YN_MAP) {
			sch_error(&r->sc, res, "resource must be a mapping");
			continue;
		}
		for (size_t i = 0; i < res->n; i++) {
			const struct ynode *type = res->items[2 * i],
					   *named = res->items[2 * i + 1];
			if (type->kind != YN_SCALAR || named->kind != YN_MAP)
				continue;
			for (size_t j = 0; j < named->n; j++) {
				const struct ynode *k = named->items[2 * j];
				if (k->kind == YN_SCALAR)
					tf_add(r, &v, &n, &cap, type->str, k->str,
					       named->items[2 * j + 1], k);
			}
		}
	}
	tf_emit(r, v, n);
}

/* `terraform show -json`: planned_values.root_module.resources and child_modules. */
static void tf_plan_module(struct reader *r, const struct ynode *mod, struct tf_res **v, size_t *n,
			   size_t *cap, int depth)
{
	if (mod == NULL || mod->kind != YN_MAP || depth > 16)
		return;
	const struct ynode *res = ymap_get(mod, "resources");
	for (size_t i = 0; res && res->kind == YN_SEQ && i < res->n; i++) {
		const struct ynode *e = res->items[i];
		const struct ynode *type = ymap_get(e, "type"), *name = ymap_get(e, "name"),
				   *vals = ymap_get(e, "values");
		if (type && name && vals && type->kind == YN_SCALAR && name->kind == YN_SCALAR)
			tf_add(r, v, n, cap, type->str, name->str, vals, e);
	}
	const struct ynode *kids = ymap_get(mod, "child_modules");
	for (size_t i = 0; kids && kids->kind == YN_SEQ && i < kids->n; i++)
		tf_plan_module(r, kids->items[i], v, n, cap, depth + 1);
}

/* In a plan, an instance's `ami` is unknown until apply; the configuration says which
 * resource it refers to. */
static void tf_plan_refs(const struct ynode *conf, struct reader *r, struct tf_res *v, size_t n)
{
	const struct ynode *res = ymap_get(ymap_get(conf, "root_module"), "resources");
	for (size_t i = 0; res && res->kind == YN_SEQ && i < res->n; i++) {
		const struct ynode *e = res->items[i];
		const struct ynode *addr = ymap_get(e, "address"), *ex = ymap_get(e, "expressions");
		if (addr == NULL || addr->kind != YN_SCALAR || ex == NULL)
			continue;
		const struct ynode *ami = ymap_get(ex, "ami");
		if (ami == NULL)
			ami = ymap_get(ex, "image_id");
		const struct ynode *refs = ymap_get(ami, "references");
		for (size_t k = 0; refs && refs->kind == YN_SEQ && k < refs->n; k++) {
			char ref[256];
			if (refs->items[k]->kind != YN_SCALAR ||
			    !tf_image_ref(refs->items[k]->str, ref, sizeof(ref)))
				continue;
			for (size_t j = 0; j < n; j++) {
				char full[512];
				snprintf(full, sizeof(full), "%s.%s", v[j].type, v[j].name);
				if (strcmp(full, addr->str) == 0 && v[j].ref == NULL)
					v[j].ref = arena_strdup(r->arena, ref);
			}
		}
	}
}

static void read_tf_plan(struct reader *r, const struct ynode *root)
{
	struct tf_res *v = NULL;
	size_t n = 0, cap = 0;
	tf_plan_module(r, ymap_get(ymap_get(root, "planned_values"), "root_module"), &v, &n, &cap,
		       0);
	tf_plan_refs(ymap_get(root, "configuration"), r, v, n);
	tf_emit(r, v, n);
}

/* ---- our image spec ------------------------------------------------------------------- */

static void spec_list(struct reader *r, const struct ynode *n, const char *what,
		      const char *const **out, size_t *count, bool sort, bool *ok)
{
	const char **v = str_list(r, n, what, count, ok);
	if (v && sort)
		qsort(v, *count, sizeof(*v), cmp_str);
	*out = v;
}

/* "a b  c" -> sorted words */
static const char **split_words(struct reader *r, const char *s, size_t *count)
{
	size_t cap = 1;
	for (const char *p = s; *p; p++)
		cap += *p == ' ' || *p == '\t' || *p == '\n';
	const char **v = arena_alloc(r->arena, (cap + 1) * sizeof(*v));
	*count = 0;
	if (v == NULL)
		return NULL;
	for (const char *p = s; *p;) {
		p += strspn(p, " \t\n");
		size_t len = strcspn(p, " \t\n");
		if (len)
			v[(*count)++] = arena_strndup(r->arena, p, len);
		p += len;
	}
	qsort(v, *count, sizeof(*v), cmp_str);
	return v;
}

/* First field of each fstab line that is not blank or a comment. */
static const char **fstab_sources(struct reader *r, const char *text, size_t *count)
{
	size_t lines = 1;
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	const char **v = arena_alloc(r->arena, (lines + 1) * sizeof(*v));
	*count = 0;
	if (v == NULL)
		return NULL;
	for (const char *p = text; *p;) {
		size_t linelen = strcspn(p, "\n");
		const char *q = p + strspn(p, " \t");
		size_t len = strcspn(q, " \t\n");
		if (len && *q != '#' && q < p + linelen)
			v[(*count)++] = arena_strndup(r->arena, q, len);
		p += linelen + (p[linelen] == '\n');
	}
	return v;
}

static void spec_image(struct reader *r, const struct ynode *m, const char *dir)
{
	/* the attributes (img_attr_fields), and what only the builder knows */
	static const char *const keys[] = {"name",
					   "id",
					   "os",
					   "kernel_config",
					   "fstab",
					   "kernel_cmdline",
					   "initramfs_modules",
					   "instance_types",
					   "ignore",
					   NULL};
	struct image img = {.file = r->file, .format = "spec", .at = pos_of(m), .registers = true};
	bool ok = true;
	if (m->kind != YN_MAP) {
		sch_error(&r->sc, m, "an image must be a mapping, not %s",
			  ynode_kind_name(m->kind));
		return;
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct ynode *k = m->items[2 * i];
		bool known = false;
		for (const char *const *w = keys; *w && k->kind == YN_SCALAR; w++)
			known = known || strcmp(*w, k->str) == 0;
		for (int a = 0; a < IA__COUNT && k->kind == YN_SCALAR; a++)
			known = known || strcmp(img_attr_fields[a], k->str) == 0;
		if (!known) {
			sch_error(&r->sc, k, "unknown key '%s' in an image",
				  k->kind == YN_SCALAR ? k->str : "?");
			ok = false;
		}
	}
	const struct ynode *n;
	if ((n = ymap_get(m, "name")))
		img.name = scalar(r, n, "name", &ok);
	if ((n = ymap_get(m, "id")))
		img.id = scalar(r, n, "id", &ok);
	for (int a = 0; a < IA__COUNT; a++)
		set_attr(r, &img, (enum img_attr)a, ymap_get(m, img_attr_fields[a]),
			 img_attr_fields[a], &ok);
	if (img.attr[IA_ENA] == NULL)
		img.attr[IA_ENA] = "false"; /* RegisterImage: ENA is off unless asked for */
	if ((n = ymap_get(m, "os"))) {
		img.os = scalar(r, n, "os", &ok);
		if (img.os && strcmp(img.os, "linux") != 0 && strcmp(img.os, "windows") != 0) {
			sch_error(&r->sc, n, "os must be linux or windows");
			ok = false;
		}
	}
	if ((n = ymap_get(m, "kernel_config"))) {
		const char *p = scalar(r, n, "kernel_config", &ok);
		img.kernel_config_at = pos_of(n);
		if (p)
			img.kernel_config = p[0] == '/' || dir == NULL
						    ? p
						    : arena_printf(r->arena, "%s/%s", dir, p);
	}
	if ((n = ymap_get(m, "fstab"))) {
		const char *t = scalar(r, n, "fstab", &ok);
		img.fstab_at = pos_of(n);
		if (t) {
			img.fstab_sources = fstab_sources(r, t, &img.nfstab);
			img.has_fstab = true;
		}
	}
	if ((n = ymap_get(m, "kernel_cmdline"))) {
		const char *t = scalar(r, n, "kernel_cmdline", &ok);
		img.cmdline_at = pos_of(n);
		if (t) {
			img.cmdline = split_words(r, t, &img.ncmdline);
			img.has_cmdline = true;
		}
	}
	if ((n = ymap_get(m, "initramfs_modules"))) {
		spec_list(r, n, "initramfs_modules", &img.initramfs, &img.ninitramfs, true, &ok);
		img.initramfs_at = pos_of(n);
		img.has_initramfs = true;
	}
	if ((n = ymap_get(m, "instance_types"))) {
		spec_list(r, n, "instance_types", &img.targets, &img.ntargets, false, &ok);
		img.targets_at = pos_of(n);
	}
	if ((n = ymap_get(m, "ignore"))) {
		size_t k = n->kind == YN_SEQ ? n->n : 1;
		struct img_ignore *ig = arena_alloc(r->arena, (k + 1) * sizeof(*ig));
		for (size_t i = 0; ig && i < k; i++) {
			const struct ynode *it = n->kind == YN_SEQ ? n->items[i] : n;
			const struct ynode *id = it->kind == YN_MAP ? ymap_get(it, "id") : it;
			const struct ynode *why =
				it->kind == YN_MAP ? ymap_get(it, "reason") : NULL;
			if (id == NULL || id->kind != YN_SCALAR) {
				sch_error(&r->sc, it,
					  "an ignore is a rule id or {id: ID, reason: TEXT}");
				ok = false;
				continue;
			}
			ig[img.nignores++] = (struct img_ignore){
				id->str, why && why->kind == YN_SCALAR ? why->str : NULL};
		}
		img.ignores = ig;
	}
	if (img.name == NULL)
		img.name = img.id;
	emit(r, &img, ok);
}

static void read_spec(struct reader *r, const struct ynode *root, const char *dir)
{
	const struct ynode *k = ymap_get(root, "kind"), *list = ymap_get(root, "images");
	if (k == NULL || k->kind != YN_SCALAR || strcmp(k->str, "images") != 0)
		sch_error(&r->sc, k ? k : root, "an image spec starts with `kind: images`");
	if (list == NULL || list->kind != YN_SEQ) {
		sch_error(&r->sc, list ? list : root, "an image spec needs `images:`, a list");
		return;
	}
	for (size_t i = 0; i < list->n && !r->stop; i++) {
		struct arena_mark mk = arena_mark(r->arena);
		spec_image(r, list->items[i], dir);
		arena_rewind(r->arena, mk);
	}
}

/* ---- format detection ----------------------------------------------------------------- */

static const char *detect(const struct ynode *root)
{
	if (root == NULL || root->kind != YN_MAP)
		return NULL;
	if (ymap_get(root, "Images"))
		return "describe-images";
	if (ymap_get(root, "builders") || ymap_get(root, "source"))
		return "packer";
	if (ymap_get(root, "resource") || ymap_get(root, "planned_values"))
		return "terraform";
	if (ymap_get(root, "images") || ymap_get(root, "kind"))
		return "spec";
	return NULL;
}

/* Reads the tree (describe-images items were already streamed). */
static bool dispatch(struct reader *r, const struct ytree *t, const char *format, const char *dir)
{
	const char *found = detect(t->root);
	if (format == NULL)
		format = found;
	if (format == NULL) {
		sch_error(&r->sc, t->root,
			  "not an image definition: expected describe-images output ({\"Images\": "
			  "[...]}), a Packer template, Terraform JSON or an image spec (kind: "
			  "images); --input-format names one");
		return false;
	}
	const struct ynode *root = t->root;
	if (strcmp(format, "describe-images") == 0) {
		if (found == NULL || strcmp(found, "describe-images") != 0) {
			sch_error(&r->sc, root,
				  "describe-images output needs a top-level \"Images\" list");
			return false;
		}
		const struct ynode *imgs = ymap_get(root, "Images");
		if (imgs->kind != YN_SEQ)
			sch_error(&r->sc, imgs, "\"Images\" must be a list");
		for (size_t i = 0; imgs->kind == YN_SEQ && i < imgs->n && !r->stop; i++)
			on_api_item(t, imgs->items[i], r); /* in-memory reads keep the items */
		return true;
	}
	if (root == NULL || root->kind != YN_MAP) {
		sch_error(&r->sc, root, "expected a mapping at the top");
		return false;
	}
	if (strcmp(format, "packer") == 0) {
		const struct ynode *b = ymap_get(root, "builders"), *s = ymap_get(root, "source");
		if (b)
			read_packer_legacy(r, b);
		if (s)
			read_packer_hcl(r, s);
		if (!b && !s)
			sch_error(&r->sc, root,
				  "a Packer template needs builders (JSON) or source (HCL2 JSON)");
		return b || s;
	}
	if (strcmp(format, "terraform") == 0) {
		const struct ynode *res = ymap_get(root, "resource");
		if (res)
			read_tf_json(r, res);
		else if (ymap_get(root, "planned_values"))
			read_tf_plan(r, root);
		else
			sch_error(&r->sc, root,
				  "Terraform JSON needs resource (*.tf.json) or planned_values "
				  "(terraform show -json)");
		return true;
	}
	read_spec(r, root, dir);
	return true;
}

static bool valid_format(const char *format, struct diags *d, const char *file)
{
	if (format == NULL)
		return true;
	for (const char *const *f = image_formats; *f; f++)
		if (strcmp(*f, format) == 0)
			return true;
	diags_add(d, DIAG_ERROR, file, 0, 0, "unknown input format '%s'", format);
	return false;
}

bool images_read(const char *path, const char *format, image_fn each, void *arg, struct diags *d)
{
	if (!valid_format(format, d, path))
		return false;
	struct reader r = {.file = path,
			   .d = d,
			   .arena = arena_new(),
			   .each = each,
			   .arg = arg,
			   .api = format == NULL || strcmp(format, "describe-images") == 0,
			   .sc = {path, d, NULL}};
	if (r.arena == NULL)
		return false;
	size_t errors = d->errors;
	/* describe-images items are handed out as they are parsed */
	struct ytree *t = ytree_stream(path, "Images", on_api_item, &r, d);
	bool ok = false;
	if (t != NULL) {
		char *dir = NULL;
		const char *slash = strrchr(path, '/');
		if (slash)
			dir = arena_strndup(r.arena, path, (size_t)(slash - path));
		const char *found = detect(t->root);
		if (found && strcmp(found, "describe-images") == 0 &&
		    (format == NULL || strcmp(format, "describe-images") == 0))
			ok = true; /* already streamed */
		else
			ok = dispatch(&r, t, format, dir);
		ytree_free(t);
	}
	arena_free(r.arena);
	return ok && d->errors == errors;
}

bool images_read_buffer(const char *buf, size_t len, const char *name, const char *format,
			image_fn each, void *arg, struct diags *d)
{
	if (!valid_format(format, d, name))
		return false;
	struct reader r = {.file = name,
			   .d = d,
			   .arena = arena_new(),
			   .each = each,
			   .arg = arg,
			   .api = true,
			   .sc = {name, d, NULL}};
	if (r.arena == NULL)
		return false;
	size_t errors = d->errors;
	struct ytree *t = ytree_parse(buf, len, name, d);
	bool ok = t != NULL && dispatch(&r, t, format, NULL);
	ytree_free(t);
	arena_free(r.arena);
	return ok && d->errors == errors;
}
