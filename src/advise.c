/* advise.c: gather facts, run the rules, keep the result. */
#include "advise.h"

#include "arena.h"
#include "strutil.h"

#include <stdlib.h>
#include <string.h>


/* An entry's family: its class (Rackspace), else the part of its name before the first
 * dot (EC2: "c5n.large" -> "c5n"). `prev`, the previous entry's family, is reused when it
 * is the same, so the summary of 1,373 types does not copy a string per type. */
static const char *family_of(struct arena *a, const struct cat_entry *e, const char *prev)
{
	if (e->klass)
		return e->klass;
	const char *dot = strchr(e->name, '.');
	size_t len = dot ? (size_t)(dot - e->name) : strlen(e->name);
	if (prev && strlen(prev) == len && strncmp(prev, e->name, len) == 0)
		return prev;
	return dot ? arena_strndup(a, e->name, len) : e->name;
}

/* Adds what the catalog says of entry e to f. */
static void entry_facts(struct facts *f, const struct cat_entry *e, const char *family)
{
	for (int i = 0; i < F__CATALOG; i++)
		if (e->v[i].known)
			f->v[i] = e->v[i];
	facts_set_str(f, F_INSTANCE_TYPE, e->name);
	facts_set_str(f, F_FAMILY, family);
	if (e->klass && !f->v[F_FLAVOR_CLASS].known)
		facts_set_str(f, F_FLAVOR_CLASS, e->klass);
}

const char *advice_expand(const struct advice *a, const char *tmpl)
{
	return facts_expand_in(a->arena, &a->facts, tmpl);
}

static bool list_has(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* The last rule setting AF_CLASS that matches f, or NULL. */
static const char *class_of(const struct ruleset *rs, const size_t *class_rules, size_t n,
			    const struct facts *f)
{
	for (size_t i = n; i-- > 0;) {
		const struct rule *r = &rs->rules[class_rules[i]];
		if (!rule_matches(r, f, NULL))
			continue;
		for (size_t j = 0; j < r->nsets; j++)
			if (r->sets[j].field == AF_CLASS)
				return r->sets[j].value;
	}
	return NULL;
}

/* The provider-wide summary: each catalog entry classified by the same rules. */
static void summarize(struct advice *a, const struct catalog *cat, const struct ruleset *rs)
{
	size_t *class_rules = calloc(rs->nrules ? rs->nrules : 1, sizeof(*class_rules));
	const char **klass = calloc(cat->nentries ? cat->nentries : 1, sizeof(*klass));
	const char **fams = calloc(cat->nentries ? cat->nentries : 1, sizeof(*fams));
	size_t ncr = 0;
	if (class_rules == NULL || klass == NULL || fams == NULL)
		goto out;
	for (size_t i = 0; i < rs->nrules; i++)
		for (size_t j = 0; j < rs->rules[i].nsets; j++)
			if (rs->rules[i].sets[j].field == AF_CLASS) {
				class_rules[ncr++] = i;
				break;
			}
	for (size_t i = 0; i < cat->nentries; i++) {
		const struct cat_entry *e = &cat->entries[i];
		struct facts f = a->facts;
		fams[i] = family_of(a->arena, e, i ? fams[i - 1] : NULL);
		entry_facts(&f, e, fams[i]);
		klass[i] = class_of(rs, class_rules, ncr, &f);
	}
	/* groups in the order their class rules come */
	a->groups = arena_alloc(a->arena, (ncr + 1) * sizeof(*a->groups));
	if (a->groups == NULL)
		goto out;
	for (size_t c = 0; c < ncr; c++) {
		const struct rule *r = &rs->rules[class_rules[c]];
		const char *name = NULL;
		for (size_t j = 0; j < r->nsets; j++)
			if (r->sets[j].field == AF_CLASS)
				name = r->sets[j].value;
		bool seen = false;
		for (size_t g = 0; g < a->ngroups; g++)
			seen = seen || strcmp(a->groups[g].klass, name) == 0;
		if (seen)
			continue;
		struct class_group *g = &a->groups[a->ngroups];
		g->klass = name;
		g->families = arena_alloc(a->arena, (cat->nentries + 1) * sizeof(*g->families));
		if (g->families == NULL)
			goto out;
		/* entries are sorted by name, so a family's types are adjacent */
		for (size_t i = 0; i < cat->nentries;) {
			size_t j = i, in = 0;
			while (j < cat->nentries &&
			       (fams[j] == fams[i] || strcmp(fams[j], fams[i]) == 0)) {
				in += klass[j] == name || (klass[j] && strcmp(klass[j], name) == 0);
				j++;
			}
			/* entries are sorted, so each family comes up once per group */
			if (in > 0)
				g->families[g->nfamilies++] =
					in == j - i ? fams[i]
						    : arena_printf(a->arena, "%s (%zu of %zu)",
								   fams[i], in, j - i);
			g->ntypes += in;
			i = j;
		}
		if (g->ntypes > 0)
			a->ngroups++;
	}
out:
	free(class_rules);
	free(klass);
	free(fams);
}

static void add_unique(struct arena *ar, const char ***v, size_t *n, size_t *cap, const char *s)
{
	if (list_has(*v, *n, s))
		return;
	const char **slot = arena_push(ar, (void **)v, n, cap, sizeof(**v));
	if (slot)
		*slot = s;
}

struct advice *advise_run(const struct advise_input *in, const struct catalog *cat,
			  const struct ruleset *rs, struct diags *d)
{
	struct advice *a = calloc(1, sizeof(*a));
	if (a == NULL || (a->arena = arena_new()) == NULL) {
		free(a);
		return NULL;
	}
	a->in = in;
	a->catalog = cat;
	struct facts *f = &a->facts;
	for (int i = 0; i < F__CATALOG; i++)
		if (cat->facts[i].known)
			f->v[i] = cat->facts[i];
	facts_set_str(f, F_PROVIDER, in->provider);
	facts_set_str(f, F_OS, in->os);
	facts_set_str(f, F_OS_VERSION, in->os_version);
	if (in->instance_type) {
		a->entry = catalog_find(cat, in->instance_type);
		if (a->entry == NULL) {
			const char *near[4];
			size_t n = catalog_suggest(cat, in->instance_type, near, 4);
			struct strbuf sb;
			strbuf_init(&sb);
			for (size_t i = 0; i < n; i++) {
				strbuf_puts(&sb, i ? ", " : "");
				strbuf_puts(&sb, near[i]);
			}
			const char *what =
				strcmp(in->provider, "rackspace") == 0 ? "flavor" : "instance type";
			if (n)
				diags_add(d, DIAG_ERROR, NULL, 0, 0,
					  "unknown %s '%s' for provider %s (did you mean: %s?)",
					  what, in->instance_type, in->provider, sb.s);
			else
				diags_add(d, DIAG_ERROR, NULL, 0, 0,
					  "unknown %s '%s' for provider %s; `xenadvise catalog "
					  "list --provider %s` shows them all",
					  what, in->instance_type, in->provider, in->provider);
			strbuf_free(&sb);
			advice_free(a);
			return NULL;
		}
		entry_facts(f, a->entry, family_of(a->arena, a->entry, NULL));
	}
	if (in->xen_version) {
		facts_set_str(f, F_XEN_VERSION, in->xen_version);
		size_t n = 0;
		const char *const *modes = catalog_xen_modes(cat, in->xen_version, &n);
		if (modes)
			facts_set_list(f, F_XEN_MODES, modes, n);
	}
	facts_set_str(f, F_KERNEL_VERSION, in->kernel_version);
	if (in->kconfig) {
		facts_set_list(f, F_KERNEL_CONFIG, in->kconfig->on, in->kconfig->non);
		facts_set_list(f, F_KERNEL_CONFIG_OFF, in->kconfig->off, in->kconfig->noff);
		facts_set_list(f, F_KERNEL_MODULES, in->kconfig->mod, in->kconfig->nmod);
		if (in->kernel_version == NULL)
			facts_set_str(f, F_KERNEL_VERSION, in->kconfig->version);
	}

	a->trace = arena_alloc(a->arena, (rs->nrules + 1) * sizeof(*a->trace));
	a->findings = arena_alloc(a->arena, (rs->nrules + 1) * sizeof(*a->findings));
	if (a->trace == NULL || a->findings == NULL) {
		advice_free(a);
		return NULL;
	}
	size_t capreq = 0;
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct rule *r = &rs->rules[i];
		if (r->scope != SCOPE_ADVISE)
			continue; /* check rules judge image definitions (`xenadvise check`) */
		struct rule_trace *t = &a->trace[a->ntrace++];
		t->rule = r;
		t->matched = rule_matches(r, f, &t->failed);
		if (!t->matched)
			continue;
		for (size_t j = 0; j < r->nsets; j++) {
			a->fields[r->sets[j].field] = r->sets[j].value;
			a->field_rules[r->sets[j].field] = r;
		}
		for (size_t j = 0; j < r->nkernel; j++)
			add_unique(a->arena, &a->kernel_required, &a->nrequired, &capreq,
				   r->kernel[j]);
		if (r->has_finding)
			a->findings[a->nfindings++] =
				(struct finding){r, r->severity, advice_expand(a, r->message),
						 advice_expand(a, r->fix)};
	}
	for (int i = 0; i < AF__COUNT; i++)
		a->fields[i] = advice_expand(a, a->fields[i]);
	if (in->kconfig) {
		a->kernel_missing = arena_alloc(a->arena, (a->nrequired + 1) * sizeof(char *));
		for (size_t i = 0; a->kernel_missing && i < a->nrequired; i++)
			if (kconfig_get(in->kconfig, a->kernel_required[i]) == 0 ||
			    kconfig_get(in->kconfig, a->kernel_required[i]) == 'n')
				a->kernel_missing[a->nmissing++] = a->kernel_required[i];
	}
	if (a->entry == NULL && cat->nentries > 0)
		summarize(a, cat, rs);
	return a;
}

void advice_free(struct advice *a)
{
	if (a == NULL)
		return;
	arena_free(a->arena);
	free(a);
}

int advice_worst(const struct advice *a)
{
	int w = -1;
	for (size_t i = 0; i < a->nfindings; i++)
		if ((int)a->findings[i].severity > w)
			w = (int)a->findings[i].severity;
	return w;
}
