/* catalog.c: loading and merging catalog files. */
#include "catalog.h"

#include "arena.h"
#include "schema.h"
#include "suggest.h"
#include "ytree.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

struct overlay {
	const char **types, **except;
	size_t ntypes, nexcept;
	struct fact_value v[F__CATALOG];
	const char *source;
};

struct klass {
	const char *name, *source;
	struct fact_value v[F__CATALOG];
};

struct catalog_priv {
	struct arena *arena;
	struct ytree **trees;
	size_t ntrees;
	struct klass *classes;
	size_t nclasses, capclasses;
	struct overlay *overlays;
	size_t noverlays, capoverlays;
	size_t capentries, capxen, capflow;
	const char **names; /* entry names, for suggestions */
};

static const char *const file_keys[] = {"kind",      "provider",  "source",  "description",
					"defaults",  "classes",   "entries", "overlays",
					"xen_modes", "flowchart", "facts",   NULL};

/* Parses one fact's value from node n into *out. */
static bool parse_fact(const struct schema_ctx *c, enum fact_id f, const struct ynode *n,
		       struct fact_value *out)
{
	const struct fact_def *def = &fact_defs[f];
	switch (def->type) {
	case FT_BOOL:
		if (!sch_bool(c, n, def->name, &out->b))
			return false;
		break;
	case FT_STRING:
	case FT_VERSION:
		out->s = sch_str(c, n, def->name);
		if (out->s == NULL)
			return false;
		if (def->type == FT_STRING && !sch_enum(c, n, out->s, def->values, def->name))
			return false;
		break;
	case FT_LIST:
	case FT_SET: {
		size_t count = 0;
		const char **l = sch_strlist(c, n, def->name, &count);
		if (l == NULL)
			return false;
		out->n = (unsigned)count;
		bool ok = true;
		for (size_t i = 0; i < out->n; i++)
			if (def->values && !sch_enum(c, n, l[i], def->values, def->name))
				ok = false;
		out->list = l;
		if (!ok)
			return false;
		break;
	}
	}
	out->known = true;
	return true;
}

/* Parses a mapping of facts (keys are catalog fact names, plus `extra` keys which are
 * skipped here and handled by the caller). */
static void parse_facts(const struct schema_ctx *c, const struct ynode *m, const char *const *extra,
			struct fact_value *out, const char *what)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct ynode *k = m->items[2 * i], *v = m->items[2 * i + 1];
		if (k->kind != YN_SCALAR) {
			sch_error(c, k, "%s: keys must be plain names", what);
			continue;
		}
		bool is_extra = false;
		for (size_t j = 0; extra && extra[j] && !is_extra; j++)
			is_extra = strcmp(extra[j], k->str) == 0;
		if (is_extra)
			continue;
		int f = fact_lookup(k->str);
		if (f < 0 || !fact_defs[f].from_catalog) {
			const char *names[F__COUNT + 1];
			size_t nn = 0;
			for (int j = 0; j < F__COUNT; j++)
				if (fact_defs[j].from_catalog)
					names[nn++] = fact_defs[j].name;
			const char *near[1];
			if (f >= 0)
				sch_error(c, k, "fact '%s' cannot be set by a catalog", k->str);
			else if (suggest_nearest(k->str, names, nn, near, 1))
				sch_error(c, k, "unknown fact '%s' in %s (did you mean '%s'?)",
					  k->str, what, near[0]);
			else
				sch_error(c, k, "unknown fact '%s' in %s", k->str, what);
			continue;
		}
		parse_fact(c, (enum fact_id)f, v, &out[f]);
	}
}

static void load_classes(struct catalog *cat, const struct schema_ctx *c, const struct ynode *m,
			 const char *file_source)
{
	struct catalog_priv *p = cat->priv;
	if (!sch_map(c, m, "classes"))
		return;
	static const char *const extra[] = {"source", "description", NULL};
	for (size_t i = 0; i < m->n; i++) {
		const struct ynode *k = m->items[2 * i], *v = m->items[2 * i + 1];
		if (!sch_map(c, v, "a class") || k->kind != YN_SCALAR)
			continue;
		struct klass *cl = arena_push(p->arena, (void **)&p->classes, &p->nclasses,
					      &p->capclasses, sizeof(*p->classes));
		if (cl == NULL)
			return;
		cl->name = k->str;
		const struct ynode *src = ymap_get(v, "source");
		cl->source = src ? sch_str(c, src, "source") : file_source;
		parse_facts(c, v, extra, cl->v, "a class");
	}
}

static const struct klass *find_class(const struct catalog_priv *p, const char *name)
{
	for (size_t i = p->nclasses; i-- > 0;)
		if (strcmp(p->classes[i].name, name) == 0)
			return &p->classes[i];
	return NULL;
}

static void load_entries(struct catalog *cat, const struct schema_ctx *c, const struct ynode *m,
			 const char *file_source, const struct fact_value *defaults)
{
	struct catalog_priv *p = cat->priv;
	if (!sch_map(c, m, "entries"))
		return;
	static const char *const extra[] = {"source", "class", "note", "api_name", NULL};
	/* room for all of this file's entries at once: no doubling garbage in the arena */
	if (cat->nentries + m->n > p->capentries) {
		size_t cap = cat->nentries + m->n;
		struct cat_entry *v = arena_alloc(p->arena, cap * sizeof(*v));
		if (v == NULL)
			return;
		if (cat->nentries)
			memcpy(v, cat->entries, cat->nentries * sizeof(*v));
		cat->entries = v;
		p->capentries = cap;
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct ynode *k = m->items[2 * i], *v = m->items[2 * i + 1];
		if (k->kind != YN_SCALAR) {
			sch_error(c, k, "entry names must be plain strings");
			continue;
		}
		if (!sch_map(c, v, "an entry"))
			continue;
		struct cat_entry *e = &cat->entries[cat->nentries++];
		e->name = k->str;
		e->seq = (unsigned)cat->nentries;
		e->file = c->file;
		e->line = k->line;
		e->col = k->col;
		const struct ynode *src = ymap_get(v, "source");
		e->source = src ? sch_str(c, src, "source") : file_source;
		const struct ynode *kl = ymap_get(v, "class");
		const struct klass *cl = NULL;
		if (kl) {
			e->klass = sch_str(c, kl, "class");
			if (e->klass && (cl = find_class(p, e->klass)) == NULL)
				sch_error(c, kl,
					  "unknown class '%s' (classes must come before entries)",
					  e->klass);
		}
		const struct ynode *note = ymap_get(v, "note"), *an = ymap_get(v, "api_name");
		if (note)
			sch_str(c, note, "note");
		if (an)
			e->api_name = sch_str(c, an, "api_name");
		parse_facts(c, v, extra, e->v, "an entry");
		e->node = v;
		/* the entry's own facts, else its class's, else the file's defaults */
		for (int f = 0; f < F__CATALOG; f++) {
			if (e->v[f].known)
				continue;
			if (cl && cl->v[f].known)
				e->v[f] = cl->v[f];
			else if (defaults[f].known)
				e->v[f] = defaults[f];
		}
	}
}

static void load_overlays(struct catalog *cat, const struct schema_ctx *c, const struct ynode *s,
			  const char *file_source)
{
	struct catalog_priv *p = cat->priv;
	if (!sch_seq(c, s, "overlays"))
		return;
	static const char *const keys[] = {"types", "except", "set", "source", "note", NULL};
	static const char *const req[] = {"types", "set", "source", NULL};
	for (size_t i = 0; i < s->n; i++) {
		const struct ynode *o = s->items[i];
		if (!sch_item(c, o, keys, req, "an overlay"))
			continue;
		struct overlay *ov = arena_push(p->arena, (void **)&p->overlays, &p->noverlays,
						&p->capoverlays, sizeof(*p->overlays));
		if (ov == NULL)
			return;
		const struct ynode *n;
		if ((n = ymap_get(o, "types")))
			ov->types = sch_strlist(c, n, "types", &ov->ntypes);
		if ((n = ymap_get(o, "except")))
			ov->except = sch_strlist(c, n, "except", &ov->nexcept);
		ov->source = (n = ymap_get(o, "source")) ? sch_str(c, n, "source") : file_source;
		if ((n = ymap_get(o, "note")))
			sch_str(c, n, "note");
		if ((n = ymap_get(o, "set")) && sch_map(c, n, "set"))
			parse_facts(c, n, NULL, ov->v, "an overlay's set");
	}
}

static void load_xen_modes(struct catalog *cat, const struct schema_ctx *c, const struct ynode *s,
			   const char *file_source)
{
	struct catalog_priv *p = cat->priv;
	if (!sch_seq(c, s, "xen_modes"))
		return;
	static const char *const keys[] = {"mode", "since", "until", "title", "source", NULL};
	static const char *const req[] = {"mode", "since", "title", NULL};
	for (size_t i = 0; i < s->n; i++) {
		const struct ynode *o = s->items[i], *n;
		if (!sch_item(c, o, keys, req, "a xen mode"))
			continue;
		struct cat_xenmode *x =
			arena_push(p->arena, (void **)&cat->xenmodes, &cat->nxenmodes, &p->capxen,
				   sizeof(*cat->xenmodes));
		if (x == NULL)
			return;
		if ((n = ymap_get(o, "mode")) && (x->mode = sch_str(c, n, "mode")))
			sch_enum(c, n, x->mode, fact_defs[F_XEN_MODES].values, "mode");
		if ((n = ymap_get(o, "since")))
			x->since = sch_str(c, n, "since");
		if ((n = ymap_get(o, "until")))
			x->until = sch_str(c, n, "until");
		if ((n = ymap_get(o, "title")))
			x->title = sch_str(c, n, "title");
		x->source = (n = ymap_get(o, "source")) ? sch_str(c, n, "source") : file_source;
	}
}

static void load_flowchart(struct catalog *cat, const struct schema_ctx *c, const struct ynode *s,
			   const char *file_source)
{
	struct catalog_priv *p = cat->priv;
	if (!sch_seq(c, s, "flowchart"))
		return;
	static const char *const keys[] = {"step", "source", NULL};
	static const char *const req[] = {"step", NULL};
	for (size_t i = 0; i < s->n; i++) {
		const struct ynode *o = s->items[i], *n;
		if (!sch_item(c, o, keys, req, "a flowchart step"))
			continue;
		struct cat_step *st =
			arena_push(p->arena, (void **)&cat->flowchart, &cat->nflowchart,
				   &p->capflow, sizeof(*cat->flowchart));
		if (st == NULL)
			return;
		st->text = (n = ymap_get(o, "step")) ? sch_str(c, n, "step") : NULL;
		st->source = (n = ymap_get(o, "source")) ? sch_str(c, n, "source") : file_source;
	}
}

/* Parses one file's tree into cat. `provider` NULL = accept any (validation). */
static void load_tree(struct catalog *cat, const struct ytree *t, const char *provider,
		      struct diags *d)
{
	struct catalog_priv *p = cat->priv;
	struct schema_ctx c = {t->file, d, p->arena};
	const struct ynode *root = t->root;
	if (!sch_map(&c, root, "a catalog file"))
		return;
	sch_keys(&c, root, file_keys, "a catalog file");
	static const char *const req[] = {"kind", "provider", "source", NULL};
	sch_required(&c, root, req, "a catalog file");
	const struct ynode *n = ymap_get(root, "kind");
	const char *kind = n ? sch_str(&c, n, "kind") : NULL;
	if (kind && strcmp(kind, "catalog") != 0) {
		sch_error(&c, n, "kind is '%s', expected 'catalog'", kind);
		return;
	}
	n = ymap_get(root, "provider");
	const char *prov = n ? sch_str(&c, n, "provider") : NULL;
	if (prov && !sch_enum(&c, n, prov, fact_defs[F_PROVIDER].values, "provider"))
		return;
	if (provider && prov && strcmp(prov, provider) != 0)
		return;
	n = ymap_get(root, "source");
	const char *source = n ? sch_str(&c, n, "source") : NULL;
	if ((n = ymap_get(root, "description")))
		sch_str(&c, n, "description");
	struct fact_value defaults[F__CATALOG] = {0};
	if ((n = ymap_get(root, "defaults")) && sch_map(&c, n, "defaults"))
		parse_facts(&c, n, NULL, defaults, "defaults");
	if ((n = ymap_get(root, "facts")) && sch_map(&c, n, "facts"))
		parse_facts(&c, n, NULL, cat->facts, "facts");
	if ((n = ymap_get(root, "classes")))
		load_classes(cat, &c, n, source);
	if ((n = ymap_get(root, "entries")))
		load_entries(cat, &c, n, source, defaults);
	if ((n = ymap_get(root, "overlays")))
		load_overlays(cat, &c, n, source);
	if ((n = ymap_get(root, "xen_modes")))
		load_xen_modes(cat, &c, n, source);
	if ((n = ymap_get(root, "flowchart")))
		load_flowchart(cat, &c, n, source);
	cat->nfiles++;
}

/* fnmatch, with a fast path for the common "prefix*" and "*" patterns. */
static bool glob_match(const char *glob, const char *name)
{
	size_t len = strcspn(glob, "*?[\\");
	if (glob[len] == '*' && glob[len + 1] == '\0')
		return strncmp(glob, name, len) == 0;
	if (glob[len] == '\0')
		return strcmp(glob, name) == 0;
	return fnmatch(glob, name, 0) == 0;
}

static bool glob_any(const char *const *globs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (glob_match(globs[i], name))
			return true;
	return false;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct cat_entry *x = a, *y = b;
	int r = strcmp(x->name, y->name);
	if (r)
		return r;
	/* same name: keep load order so the later one can win */
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorts, drops replaced entries and applies the overlays. */
static void finish(struct catalog *cat)
{
	struct catalog_priv *p = cat->priv;
	/* the generated catalog is already in order; sorting 1 KiB entries is not free */
	bool sorted = true;
	for (size_t i = 1; i < cat->nentries && sorted; i++)
		sorted = strcmp(cat->entries[i - 1].name, cat->entries[i].name) < 0;
	if (!sorted)
		qsort(cat->entries, cat->nentries, sizeof(*cat->entries), cmp_entry);
	size_t out = 0;
	for (size_t i = 0; i < cat->nentries; i++) {
		if (i + 1 < cat->nentries &&
		    strcmp(cat->entries[i].name, cat->entries[i + 1].name) == 0)
			continue; /* a later file replaces this one */
		cat->entries[out++] = cat->entries[i];
	}
	cat->nentries = out;
	p->names = arena_alloc(p->arena, (out + 1) * sizeof(*p->names));
	for (size_t i = 0; i < out; i++) {
		struct cat_entry *e = &cat->entries[i];
		if (p->names)
			p->names[i] = e->name;
		for (size_t o = 0; o < p->noverlays; o++) {
			const struct overlay *ov = &p->overlays[o];
			if (!glob_any(ov->types, ov->ntypes, e->name) ||
			    glob_any(ov->except, ov->nexcept, e->name))
				continue;
			for (int f = 0; f < F__CATALOG; f++)
				if (ov->v[f].known)
					e->v[f] = ov->v[f];
		}
	}
}

static struct catalog *catalog_new(const char *provider)
{
	struct catalog *cat = calloc(1, sizeof(*cat));
	if (cat == NULL)
		return NULL;
	cat->priv = calloc(1, sizeof(*cat->priv));
	if (cat->priv == NULL || (cat->priv->arena = arena_new()) == NULL) {
		catalog_free(cat);
		return NULL;
	}
	cat->provider = provider ? arena_strdup(cat->priv->arena, provider) : NULL;
	return cat;
}

/* Loads npaths files, or (paths == NULL) the one buffer buf. */
static struct catalog *load(const char *provider, const char *const *paths, size_t npaths,
			    const char *buf, size_t len, const char *name, struct diags *d)
{
	struct catalog *cat = catalog_new(provider);
	if (cat == NULL)
		return NULL;
	struct catalog_priv *p = cat->priv;
	p->trees = calloc(npaths ? npaths : 1, sizeof(*p->trees));
	size_t errors = d->errors;
	for (size_t i = 0; i < npaths && p->trees; i++) {
		struct ytree *t = paths ? ytree_load(paths[i], d) : ytree_parse(buf, len, name, d);
		if (t == NULL)
			continue;
		p->trees[p->ntrees++] = t;
		load_tree(cat, t, provider, d);
	}
	if (p->trees == NULL || d->errors > errors) {
		catalog_free(cat);
		return NULL;
	}
	finish(cat);
	return cat;
}

struct catalog *catalog_load(const char *provider, const char *const *paths, size_t npaths,
			     struct diags *d)
{
	return load(provider, paths, npaths, NULL, 0, NULL, d);
}

struct catalog *catalog_load_buffer(const char *provider, const char *buf, size_t len,
				    const char *name, struct diags *d)
{
	return load(provider, NULL, 1, buf, len, name, d);
}

bool catalog_check_tree(const struct ytree *t, struct diags *d)
{
	struct catalog *cat = catalog_new(NULL);
	if (cat == NULL)
		return false;
	size_t errors = d->errors;
	load_tree(cat, t, NULL, d);
	catalog_free(cat);
	return d->errors == errors;
}

void catalog_free(struct catalog *c)
{
	if (c == NULL)
		return;
	if (c->priv) {
		for (size_t i = 0; i < c->priv->ntrees; i++)
			ytree_free(c->priv->trees[i]);
		free(c->priv->trees);
		arena_free(c->priv->arena);
		free(c->priv);
	}
	free(c);
}

const char *catalog_fact_source(const struct catalog *c, const struct cat_entry *e, enum fact_id f)
{
	const struct catalog_priv *p = c->priv;
	if (f >= F__CATALOG)
		return NULL; /* not a catalog fact */
	for (size_t o = p->noverlays; o-- > 0;) {
		const struct overlay *ov = &p->overlays[o];
		if (ov->v[f].known && glob_any(ov->types, ov->ntypes, e->name) &&
		    !glob_any(ov->except, ov->nexcept, e->name))
			return ov->source;
	}
	const struct klass *cl = e->klass ? find_class(p, e->klass) : NULL;
	if (cl && cl->v[f].known && ymap_get(e->node, fact_defs[f].name) == NULL)
		return cl->source;
	return e->source;
}

const struct cat_entry *catalog_find(const struct catalog *c, const char *name)
{
	size_t lo = 0, hi = c->nentries;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = strcmp(c->entries[mid].name, name);
		if (r == 0)
			return &c->entries[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t catalog_select(const struct catalog *c, const char *pattern, unsigned char *mark)
{
	if (strpbrk(pattern, "*?[") == NULL) { /* a name: no need to try every entry */
		const struct cat_entry *e = catalog_find(c, pattern);
		if (e)
			mark[e - c->entries] = 1;
		return e != NULL;
	}
	size_t n = 0;
	for (size_t i = 0; i < c->nentries; i++)
		if (fnmatch(pattern, c->entries[i].name, 0) == 0) {
			mark[i] = 1;
			n++;
		}
	return n;
}

const struct cat_entry *catalog_find_api_name(const struct catalog *c, const char *name)
{
	for (size_t i = 0; i < c->nentries; i++)
		if (c->entries[i].api_name && strcmp(c->entries[i].api_name, name) == 0)
			return &c->entries[i];
	return NULL;
}

size_t catalog_suggest(const struct catalog *c, const char *name, const char **out, size_t max)
{
	if (c->priv->names == NULL)
		return 0;
	return suggest_nearest(name, c->priv->names, c->nentries, out, max);
}

const char *const *catalog_xen_modes(const struct catalog *c, const char *version, size_t *n)
{
	struct catalog_priv *p = c->priv;
	const char **v = arena_alloc(p->arena, (c->nxenmodes + 1) * sizeof(*v));
	*n = 0;
	if (v == NULL)
		return NULL;
	for (size_t i = 0; i < c->nxenmodes; i++) {
		const struct cat_xenmode *x = &c->xenmodes[i];
		if (x->since && strverscmp(version, x->since) < 0)
			continue;
		if (x->until && strverscmp(version, x->until) >= 0)
			continue;
		bool dup = false;
		for (size_t j = 0; j < *n; j++)
			dup = dup || strcmp(v[j], x->mode) == 0;
		if (!dup)
			v[(*n)++] = x->mode;
	}
	return v;
}
