/* check.c: image definitions against instance types (see check.h). */
#include "check.h"
#include "arena.h"
#include "strutil.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One remembered evaluation: for an image signature, which classes each rule matched. */
struct cached {
	char *key;
	uint64_t *bits; /* nrules rows of `words` 64-bit words */
};

struct checker {
	const struct catalog *cat;
	const struct rule **rules;
	size_t nrules;
	const struct check_opts *o;
	/* which catalog facts the rules read, so types differing only elsewhere share a class */
	bool reads[F__COUNT];
	size_t *class_of;  /* per entry */
	size_t *class_rep; /* per class: its first entry */
	size_t nclasses, words;
	unsigned char *base; /* per entry: selected by the options */
	size_t nbase;
	bool *ignore_rule; /* per check rule: --ignore names it */
	/* per image, reused */
	unsigned char *sel;
	uint64_t *classes_hit, *bits;
	const struct cat_entry **types;
	unsigned *family_of; /* per entry */
	const char **family_names;
	unsigned nfam;
	unsigned *fam_count; /* per family, for the finding being built */
	/* the options' own selection, shared by every image that names no types: which
	 * classes it hits, and per class its (family, count) pairs and first entry */
	uint64_t *base_hit;
	unsigned *cf_start, *cf_fam,
		*cf_count; /* CSR: class k's pairs are [start[k], start[k+1]) */
	size_t *base_first;
	struct arena *scratch;
	/* the image being judged (checker_prepare) */
	bool cur_base;
	const unsigned char *cur_sel;
	const uint64_t *cur_hit;
	size_t cur_targets;
	struct facts cur_facts;
	const char *unset[2];
	uint64_t *blocked, *masked; /* masked: per rule, the classes it holds for, as reported */
	struct cached *cache;
	size_t ncache, capcache;
	size_t *slots; /* open-addressing index into cache (cache number + 1) */
	struct strbuf key;
};

static void unknown_type(const struct catalog *cat, const char *name, const char *file, int line,
			 int col, struct diags *d)
{
	const char *near[3];
	size_t n = catalog_suggest(cat, name, near, 3);
	struct strbuf sb;
	strbuf_init(&sb);
	for (size_t i = 0; i < n; i++)
		strbuf_printf(&sb, "%s%s", i ? ", " : "", near[i]);
	if (n)
		diags_add(d, DIAG_ERROR, file, line, col,
			  "no instance type matches '%s' (did you mean: %s?)", name, sb.s);
	else
		diags_add(d, DIAG_ERROR, file, line, col, "no instance type matches '%s'", name);
	strbuf_free(&sb);
}

static bool passes_filters(const struct checker *c, const struct cat_entry *e)
{
	const struct check_opts *o = c->o;
	if (o->hypervisor) {
		const struct fact_value *h = &e->v[F_HYPERVISOR];
		if (!h->known || strcmp(h->s, o->hypervisor) != 0)
			return false;
	}
	if (o->current_generation) {
		const struct fact_value *g = &e->v[F_CURRENT_GENERATION];
		if (!g->known || !g->b)
			return false;
	}
	return true;
}

static void mark_reads(struct checker *c)
{
	for (size_t i = 0; i < c->nrules; i++)
		for (size_t j = 0; j < c->rules[i]->nconds; j++) {
			const struct cond *cd = &c->rules[i]->conds[j];
			c->reads[cd->fact] = true;
			if (cd->has_ref)
				c->reads[cd->ref] = true;
		}
}

/* Types the rules cannot tell apart share a class. */
static bool make_classes(struct checker *c)
{
	const struct catalog *cat = c->cat;
	bool by_name = c->reads[F_INSTANCE_TYPE] || c->reads[F_FAMILY];
	c->class_of = calloc(cat->nentries + 1, sizeof(*c->class_of));
	c->class_rep = calloc(cat->nentries + 1, sizeof(*c->class_rep));
	char **sigs = calloc(cat->nentries + 1, sizeof(*sigs));
	if (c->class_of == NULL || c->class_rep == NULL || sigs == NULL) {
		free(sigs);
		return false;
	}
	bool ok = true;
	for (size_t i = 0; i < cat->nentries && ok; i++) {
		const struct cat_entry *e = &cat->entries[i];
		struct strbuf sb;
		strbuf_init(&sb);
		for (int f = 0; f < F__CATALOG; f++) {
			char buf[512];
			if (c->reads[f])
				strbuf_printf(&sb, "%s\x1f",
					      e->v[f].known
						      ? fact_format(&e->v[f], fact_defs[f].type,
								    buf, sizeof(buf))
						      : "\x1e");
		}
		if (by_name)
			strbuf_puts(&sb, e->name);
		const char *sig = sb.s ? sb.s : "";
		size_t k = 0;
		while (k < c->nclasses && strcmp(sigs[k], sig) != 0)
			k++;
		if (k == c->nclasses) {
			sigs[k] = strdup(sig);
			ok = sigs[k] != NULL;
			c->class_rep[k] = i;
			c->nclasses++;
		}
		c->class_of[i] = k;
		strbuf_free(&sb);
	}
	for (size_t k = 0; k < c->nclasses; k++)
		free(sigs[k]);
	free(sigs);
	c->words = (c->nclasses + 63) / 64;
	return ok;
}

/* For the options' own selection: the classes it hits and, per class, how many selected
 * types each family has, so images that name no types need no pass over every type. */
static bool base_classes(struct checker *c)
{
	const struct catalog *cat = c->cat;
	size_t nk = c->nclasses;
	c->fam_count = calloc(c->nfam + 1, sizeof(*c->fam_count));
	c->base_hit = calloc(c->words + 1, sizeof(uint64_t));
	c->cf_start = calloc(nk + 1, sizeof(*c->cf_start));
	c->base_first = calloc(nk + 1, sizeof(*c->base_first));
	/* a class has at most one pair per family, and each entry is in one class */
	c->cf_fam = calloc(cat->nentries + 1, sizeof(*c->cf_fam));
	c->cf_count = calloc(cat->nentries + 1, sizeof(*c->cf_count));
	if (!c->fam_count || !c->base_hit || !c->cf_start || !c->base_first || !c->cf_fam ||
	    !c->cf_count)
		return false;
	unsigned at = 0;
	for (size_t k = 0; k < nk; k++) {
		c->cf_start[k] = at;
		c->base_first[k] = SIZE_MAX;
		for (size_t i = 0; i < cat->nentries; i++) {
			if (!c->base[i] || c->class_of[i] != k)
				continue;
			if (c->base_first[k] == SIZE_MAX)
				c->base_first[k] = i;
			c->base_hit[k / 64] |= 1ULL << (k % 64);
			if (at > c->cf_start[k] && c->cf_fam[at - 1] == c->family_of[i]) {
				c->cf_count[at - 1]++;
			} else {
				c->cf_fam[at] = c->family_of[i];
				c->cf_count[at++] = 1;
			}
		}
	}
	c->cf_start[nk] = at;
	return true;
}

struct checker *checker_new(const struct catalog *cat, const struct ruleset *rs,
			    const struct check_opts *o, struct diags *d)
{
	struct checker *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->cat = cat;
	c->o = o;
	c->rules = calloc(rs->nrules + 1, sizeof(*c->rules));
	c->base = calloc(cat->nentries + 1, 1);
	c->sel = calloc(cat->nentries + 1, 1);
	c->types = calloc(cat->nentries + 1, sizeof(*c->types));
	c->family_of = calloc(cat->nentries + 1, sizeof(*c->family_of));
	c->family_names = calloc(cat->nentries + 1, sizeof(*c->family_names));
	c->scratch = arena_new();
	c->ignore_rule = calloc(rs->nrules + 1, sizeof(*c->ignore_rule));
	if (c->rules == NULL || c->ignore_rule == NULL || c->family_of == NULL ||
	    c->family_names == NULL || c->base == NULL || c->sel == NULL || c->types == NULL ||
	    c->scratch == NULL) {
		checker_free(c);
		return NULL;
	}
	for (size_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i].check)
			c->rules[c->nrules++] = &rs->rules[i];
	for (size_t i = 0; i < c->nrules; i++)
		for (size_t k = 0; k < o->nignore; k++)
			if (strcmp(o->ignore[k], c->rules[i]->id) == 0)
				c->ignore_rule[i] = true;
	/* families: the name before the dot; entries are sorted, so a family is one run */
	unsigned nf = 0;
	for (size_t i = 0; i < cat->nentries; i++) {
		/* a family: the flavor class (Rackspace), else the name before the dot (EC2) */
		const char *name =
			cat->entries[i].klass ? cat->entries[i].klass : cat->entries[i].name;
		const char *dot = cat->entries[i].klass ? NULL : strchr(name, '.');
		size_t len = dot ? (size_t)(dot - name) : strlen(name);
		const char *prev = nf ? c->family_names[nf - 1] : NULL;
		if (prev == NULL || strlen(prev) != len || strncmp(prev, name, len) != 0)
			c->family_names[nf++] = arena_strndup(c->scratch, name, len);
		c->family_of[i] = nf - 1;
	}
	c->nfam = nf;
	mark_reads(c);
	if (!make_classes(c)) {
		checker_free(c);
		return NULL;
	}
	c->classes_hit = calloc(c->words + 1, sizeof(uint64_t));
	c->bits = calloc(c->nrules * c->words + 1, sizeof(uint64_t));
	c->masked = calloc(c->nrules * c->words + 1, sizeof(uint64_t));
	c->blocked = calloc(c->words + 1, sizeof(uint64_t));
	if (c->classes_hit == NULL || c->bits == NULL || c->masked == NULL || c->blocked == NULL) {
		checker_free(c);
		return NULL;
	}
	bool bad = false;
	for (size_t k = 0; k < o->ntypes; k++)
		if (!catalog_select(cat, o->types[k], c->base)) {
			unknown_type(cat, o->types[k], NULL, 0, 0, d);
			bad = true;
		}
	for (size_t i = 0; i < cat->nentries; i++) {
		if (o->ntypes == 0)
			c->base[i] = 1;
		if (c->base[i] && !passes_filters(c, &cat->entries[i]))
			c->base[i] = 0;
		c->nbase += c->base[i];
	}
	if (bad || !base_classes(c)) {
		checker_free(c);
		return NULL;
	}
	return c;
}

void checker_free(struct checker *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->ncache; i++) {
		free(c->cache[i].key);
		free(c->cache[i].bits);
	}
	free(c->cache);
	free(c->slots);
	strbuf_free(&c->key);
	free(c->rules);
	free(c->ignore_rule);
	free(c->class_of);
	free(c->class_rep);
	free(c->base);
	free(c->sel);
	free(c->classes_hit);
	free(c->bits);
	free(c->masked);
	free(c->blocked);
	free(c->types);
	free(c->fam_count);
	free(c->base_hit);
	free(c->cf_start);
	free(c->cf_fam);
	free(c->cf_count);
	free(c->base_first);
	free(c->family_of);
	free(c->family_names);
	arena_free(c->scratch);
	free(c);
}

const struct rule *const *checker_rules(const struct checker *c, size_t *n)
{
	*n = c->nrules;
	return c->rules;
}

/* The image's own facts (everything but the type's). */
static void image_facts(struct facts *f, const struct image *img, const struct kconfig *kc,
			const char **unset, const char *provider)
{
	memset(f, 0, sizeof(*f));
	facts_set_str(f, F_PROVIDER, provider);
	facts_set_str(f, F_OS, img->os ? img->os : "linux");
	static const enum fact_id fid[IA__COUNT] = {
		[IA_VIRT] = F_IMAGE_VIRT, [IA_ENA] = F_IMAGE_ENA,   [IA_SRIOV] = F_IMAGE_SRIOV,
		[IA_ARCH] = F_IMAGE_ARCH, [IA_BOOT] = F_IMAGE_BOOT, [IA_ROOT] = F_IMAGE_ROOT,
		[IA_IMDS] = F_IMAGE_IMDS, [IA_TPM] = F_IMAGE_TPM,
	};
	for (int a = 0; a < IA__COUNT; a++) {
		if (img->attr[a] == NULL)
			continue;
		if (a == IA_ENA) {
			f->v[fid[a]].known = true;
			f->v[fid[a]].b = strcmp(img->attr[a], "true") == 0;
		} else {
			facts_set_str(f, fid[a], img->attr[a]);
		}
	}
	if (img->registers) {
		size_t n = 0;
		if (img->attr[IA_VIRT] == NULL)
			unset[n++] = "virtualization_type";
		if (img->attr[IA_ARCH] == NULL)
			unset[n++] = "architecture";
		facts_set_list(f, F_IMAGE_UNSET, unset, n);
	}
	if (kc) {
		facts_set_list(f, F_KERNEL_CONFIG, kc->on, kc->non);
		facts_set_list(f, F_KERNEL_CONFIG_OFF, kc->off, kc->noff);
		facts_set_list(f, F_KERNEL_MODULES, kc->mod, kc->nmod);
		facts_set_str(f, F_KERNEL_VERSION, kc->version);
	}
	if (img->has_fstab)
		facts_set_list(f, F_FSTAB_SOURCES, img->fstab_sources, img->nfstab);
	if (img->has_cmdline)
		facts_set_list(f, F_KERNEL_CMDLINE, img->cmdline, img->ncmdline);
	if (img->has_initramfs)
		facts_set_list(f, F_INITRAMFS_MODULES, img->initramfs, img->ninitramfs);
}

/* The type's facts on top of the image's. */
static void type_facts(struct facts *f, const struct cat_entry *e)
{
	for (int i = 0; i < F__CATALOG; i++)
		f->v[i] = e->v[i];
	f->v[F_INSTANCE_TYPE] = (struct fact_value){.known = true, .s = e->name};
}

/* Selects the image's targets into c->sel; reports names that match nothing. */
static void select_targets(struct checker *c, const struct image *img, struct diags *d)
{
	const struct catalog *cat = c->cat;
	if (img->ntargets == 0) {
		memcpy(c->sel, c->base, cat->nentries);
		return;
	}
	/* the definition's own types, and those of --instance-types */
	if (c->o->ntypes)
		memcpy(c->sel, c->base, cat->nentries);
	else
		memset(c->sel, 0, cat->nentries);
	for (size_t k = 0; k < img->ntargets; k++)
		if (!catalog_select(cat, img->targets[k], c->sel))
			unknown_type(cat, img->targets[k], img->file, img->targets_at.line,
				     img->targets_at.col, d);
}

/* A key for images whose results can be shared: attributes only, no per-image files. */
static bool cache_key(const struct image *img, bool cli_targets_only, struct strbuf *sb)
{
	if (img->kernel_config || img->has_fstab || img->has_cmdline || img->has_initramfs ||
	    !cli_targets_only)
		return false;
	strbuf_reset(sb);
	for (int a = 0; a < IA__COUNT; a++) {
		strbuf_puts(sb, img->attr[a] ? img->attr[a] : "\x1e");
		strbuf_putc(sb, '\x1f');
	}
	strbuf_puts(sb, img->os ? img->os : "linux");
	strbuf_putc(sb, img->registers ? '1' : '0');
	return !sb->failed && sb->s != NULL;
}

enum { SLOTS = 8192 }; /* twice the most cached entries */

static size_t key_hash(const char *s)
{
	size_t h = 5381;
	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h & (SLOTS - 1);
}

static struct cached *cache_find(struct checker *c, const char *key)
{
	if (c->slots == NULL)
		return NULL;
	for (size_t h = key_hash(key); c->slots[h]; h = (h + 1) & (SLOTS - 1))
		if (strcmp(c->cache[c->slots[h] - 1].key, key) == 0)
			return &c->cache[c->slots[h] - 1];
	return NULL;
}

static void cache_put(struct checker *c, const char *key)
{
	if (c->ncache >= 4096)
		return; /* enough: past this, images are too varied for a cache to pay */
	if (c->ncache == c->capcache) {
		size_t cap = c->capcache ? c->capcache * 2 : 64;
		struct cached *v = realloc(c->cache, cap * sizeof(*v));
		if (v == NULL)
			return;
		c->cache = v;
		c->capcache = cap;
	}
	size_t n = c->nrules * c->words;
	struct cached e = {.key = strdup(key), .bits = malloc((n + 1) * sizeof(uint64_t))};
	if (e.key == NULL || e.bits == NULL) {
		free(e.key);
		free(e.bits);
		return;
	}
	if (c->slots == NULL && (c->slots = calloc(SLOTS, sizeof(*c->slots))) == NULL) {
		free(e.key);
		free(e.bits);
		return;
	}
	memcpy(e.bits, c->bits, n * sizeof(uint64_t));
	c->cache[c->ncache++] = e;
	size_t h = key_hash(key);
	while (c->slots[h])
		h = (h + 1) & (SLOTS - 1);
	c->slots[h] = c->ncache;
}

static struct img_pos field_pos(const struct image *img, const char *field)
{
	struct img_pos p = {0, 0};
	for (int a = 0; a < IA__COUNT; a++)
		if (strcmp(field, img_attr_fields[a]) == 0)
			p = img->pos[a];
	if (strcmp(field, "kernel_config") == 0)
		p = img->kernel_config_at;
	else if (strcmp(field, "fstab") == 0)
		p = img->fstab_at;
	else if (strcmp(field, "kernel_cmdline") == 0)
		p = img->cmdline_at;
	else if (strcmp(field, "initramfs_modules") == 0)
		p = img->initramfs_at;
	else if (strcmp(field, "instance_types") == 0)
		p = img->targets_at;
	return p.line ? p : img->at;
}

/* Where a rule that hides the others holds (the image is built for another architecture),
 * nothing else about the type is worth saying (rules.h). */
static bool blocks_launch(const struct rule *r)
{
	return r->hides_others;
}

bool checker_prepare(struct checker *c, const struct image *img, const struct kconfig *kc,
		     struct diags *d)
{
	const struct catalog *cat = c->cat;
	/* an image that names no types is checked against the options' selection */
	c->cur_base = img->ntargets == 0;
	c->cur_sel = c->base;
	c->cur_hit = c->base_hit;
	c->cur_targets = c->nbase;
	if (!c->cur_base) {
		select_targets(c, img, d);
		c->cur_sel = c->sel;
		c->cur_hit = c->classes_hit;
		memset(c->classes_hit, 0, c->words * sizeof(uint64_t));
		c->cur_targets = 0;
		for (size_t i = 0; i < cat->nentries; i++)
			if (c->sel[i]) {
				c->cur_targets++;
				size_t k = c->class_of[i];
				c->classes_hit[k / 64] |= 1ULL << (k % 64);
			}
	}
	const uint64_t *hitset = c->cur_hit;

	struct facts *f = &c->cur_facts;
	image_facts(f, img, kc, c->unset, c->cat->provider);
	struct cached *hit = NULL;
	bool cacheable = cache_key(img, c->cur_base, &c->key);
	if (cacheable)
		hit = cache_find(c, c->key.s);
	size_t nbits = c->nrules * c->words;
	if (hit) {
		memcpy(c->bits, hit->bits, nbits * sizeof(uint64_t));
	} else {
		/* cacheable images all have the same targets, so the hit classes suffice */
		memset(c->bits, 0, nbits * sizeof(uint64_t));
		for (size_t k = 0; k < c->nclasses; k++) {
			if (!(hitset[k / 64] >> (k % 64) & 1))
				continue;
			type_facts(f, &cat->entries[c->class_rep[k]]);
			for (size_t r = 0; r < c->nrules; r++) {
				size_t failed;
				if (rule_matches(c->rules[r], f, &failed))
					c->bits[r * c->words + k / 64] |= 1ULL << (k % 64);
			}
		}
		if (cacheable)
			cache_put(c, c->key.s);
	}
	/* where the image cannot even launch, nothing else is worth saying */
	uint64_t *blocked = c->blocked;
	memset(blocked, 0, c->words * sizeof(uint64_t));
	for (size_t r = 0; r < c->nrules; r++)
		if (blocks_launch(c->rules[r]) && !c->ignore_rule[r])
			for (size_t w = 0; w < c->words; w++)
				blocked[w] |= c->bits[r * c->words + w];
	for (size_t r = 0; r < c->nrules; r++) {
		bool blocker = blocks_launch(c->rules[r]);
		for (size_t w = 0; w < c->words; w++)
			c->masked[r * c->words + w] =
				c->ignore_rule[r]
					? 0
					: c->bits[r * c->words + w] &
						  (blocker ? ~0ULL : ~blocked[w]) & hitset[w];
	}
	return true;
}

size_t checker_targets(const struct checker *c, const unsigned char **sel)
{
	*sel = c->cur_sel;
	return c->cur_targets;
}

size_t checker_type_rules(const struct checker *c, size_t entry, const struct rule **out,
			  size_t *idx)
{
	size_t k = c->class_of[entry], n = 0;
	for (size_t r = 0; r < c->nrules; r++)
		if (c->masked[r * c->words + k / 64] >> (k % 64) & 1) {
			if (idx)
				idx[n] = r;
			out[n++] = c->rules[r];
		}
	return n;
}

bool checker_run(struct checker *c, const struct image *img, const struct kconfig *kc,
		 finding_fn each, void *arg, struct diags *d)
{
	const struct catalog *cat = c->cat;
	struct arena_mark mk = arena_mark(c->scratch);
	if (!checker_prepare(c, img, kc, d))
		return false;
	struct facts *f = &c->cur_facts;
	bool base = c->cur_base;
	const unsigned char *sel = c->cur_sel;
	bool go = true;
	for (size_t r = 0; r < c->nrules && go; r++) {
		const struct rule *rule = c->rules[r];
		const uint64_t *row = &c->masked[r * c->words];
		bool any = false;
		for (size_t w = 0; w < c->words && !any; w++)
			any = row[w] != 0;
		if (!any)
			continue;
		size_t n = 0, first = SIZE_MAX;
		memset(c->fam_count, 0, c->nfam * sizeof(*c->fam_count));
		if (base && !c->o->want_types) {
			/* families and counts straight from the classes */
			for (size_t k = 0; k < c->nclasses; k++) {
				if (!(row[k / 64] >> (k % 64) & 1))
					continue;
				for (unsigned j = c->cf_start[k]; j < c->cf_start[k + 1]; j++) {
					c->fam_count[c->cf_fam[j]] += c->cf_count[j];
					n += c->cf_count[j];
				}
				if (c->base_first[k] < first)
					first = c->base_first[k];
			}
		} else {
			for (size_t i = 0; i < cat->nentries; i++) {
				size_t k = c->class_of[i];
				if (sel[i] && (row[k / 64] >> (k % 64) & 1)) {
					if (n == 0)
						first = i;
					c->fam_count[c->family_of[i]]++;
					c->types[n++] = &cat->entries[i];
				}
			}
		}
		if (n == 0)
			continue;
		type_facts(f, &cat->entries[first]);
		struct img_pos p = field_pos(img, rule->field ? rule->field : "image");
		struct check_finding fd = {
			.rule = rule,
			.img = img,
			.line = p.line,
			.col = p.col,
			.message = facts_expand_in(c->scratch, f, rule->message),
			.fix = facts_expand_in(c->scratch, f, rule->fix),
			.types = base && !c->o->want_types ? NULL : c->types,
			.first = &cat->entries[first],
			.ntypes = n,
			.ntargets = c->cur_targets,
			.family_counts = c->fam_count,
			.family_names = c->family_names,
			.nfamilies = c->nfam,
		};
		for (size_t k = 0; k < img->nignores; k++)
			if (strcmp(img->ignores[k].id, rule->id) == 0)
				fd.ignored = img->ignores[k].reason ? img->ignores[k].reason : "";
		go = each(&fd, arg);
	}
	arena_rewind(c->scratch, mk);
	return go;
}
