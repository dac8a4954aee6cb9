/* detect.c: detect and gap rules over a probe (see detect.h). */
#include "detect.h"
#include "arena.h"
#include "strutil.h"

#include <stdlib.h>
#include <string.h>

void detection_free(struct detection *dt)
{
	if (dt == NULL)
		return;
	arena_free(dt->arena);
	free(dt);
}

static const char *expand(struct detection *dt, const char *tmpl)
{
	return facts_expand_in(dt->arena, &dt->facts, tmpl);
}

/* A conclusion becomes a fact for the rules after it. */
static void conclude(struct detection *dt, enum answer_field f, const char *v)
{
	struct facts *fx = &dt->facts;
	if (f == AF_HYPERVISOR)
		facts_set_str(fx, F_DETECTED_HYPERVISOR, v);
	else if (f == AF_GUEST_MODE)
		facts_set_str(fx, F_DETECTED_MODE, v);
	else if (f == AF_DOM0 && v && strcmp(v, "unknown") != 0)
		fx->v[F_DOM0] = (struct fact_value){.known = true, .b = strcmp(v, "yes") == 0};
	else if (f == AF_DOM0)
		fx->v[F_DOM0].known = false;
	else if (f == AF_PROVIDER && v && fact_value_allowed(F_PROVIDER, v))
		facts_set_str(fx, F_PROVIDER, v);
	else if (f == AF_INSTANCE_TYPE)
		facts_set_str(fx, F_INSTANCE_TYPE, v);
}

struct detection *detect_decide(const struct probe *p, const struct ruleset *rs)
{
	struct detection *dt = calloc(1, sizeof(*dt));
	if (dt == NULL || (dt->arena = arena_new()) == NULL) {
		free(dt);
		return NULL;
	}
	dt->facts = p->facts;
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct rule *r = &rs->rules[i];
		if (r->scope != SCOPE_DETECT || !rule_matches(r, &dt->facts, NULL))
			continue;
		for (size_t j = 0; j < r->nsets; j++) {
			enum answer_field f = r->sets[j].field;
			const char *v = expand(dt, r->sets[j].value);
			dt->fields[f] = v;
			dt->why[f] = r;
			conclude(dt, f, v);
		}
	}
	return dt;
}

static bool names_option(const char *text, const char *opt)
{
	size_t n = strlen(opt);
	for (const char *t = text; t && (t = strstr(t, opt)) != NULL; t += n) {
		char next = t[n];
		if (!(next >= 'A' && next <= 'Z') && !(next >= '0' && next <= '9') && next != '_')
			return true;
	}
	return false;
}

/* True when one of the n gaps names kernel option opt in its message or fix. */
static bool named(const struct gap *g, size_t n, const char *opt)
{
	for (size_t i = 0; i < n; i++)
		if (names_option(g[i].message, opt) || names_option(g[i].fix, opt))
			return true;
	return false;
}

/* Worst first, keeping rule order within a severity (a stable insertion sort: a few gaps). */
static void sort_gaps(struct gap *g, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct gap x = g[i];
		size_t j = i;
		for (; j > 0 && g[j - 1].severity < x.severity; j--)
			g[j] = g[j - 1];
		g[j] = x;
	}
}

bool detect_gaps(struct detection *dt, const struct ruleset *rs, const struct advice *a)
{
	if (a) {
		/* the advisor's facts (the type's catalog entry, provider) where the probe has none
		 */
		for (int i = 0; i < F__COUNT; i++)
			if (!dt->facts.v[i].known)
				dt->facts.v[i] = a->facts.v[i];
		facts_set_str(&dt->facts, F_ADVISED_MODE, a->fields[AF_GUEST_MODE]);
	}
	size_t cap = rs->nrules + (a ? a->nmissing : 0) + 1;
	dt->gaps = arena_alloc(dt->arena, cap * sizeof(*dt->gaps));
	if (dt->gaps == NULL)
		return false;
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct rule *r = &rs->rules[i];
		if (r->scope != SCOPE_GAPS || !rule_matches(r, &dt->facts, NULL))
			continue;
		dt->gaps[dt->ngaps++] = (struct gap){r->id, r->severity, expand(dt, r->message),
						     expand(dt, r->fix), r};
	}
	size_t from_rules = dt->ngaps;
	for (size_t i = 0; a && i < a->nmissing; i++) {
		const char *opt = a->kernel_missing[i];
		if (named(dt->gaps, from_rules, opt))
			continue; /* a gap rule already says what to do about it */
		dt->gaps[dt->ngaps++] = (struct gap){
			"kernel-option-missing", SEV_WARNING,
			arena_printf(dt->arena,
				     "the running kernel lacks %s, which the advisor requires for "
				     "%s",
				     opt, a->entry ? a->entry->name : "this provider"),
			arena_printf(dt->arena,
				     "build the kernel with %s=y (or =m, in the "
				     "initramfs)",
				     opt),
			NULL};
	}
	sort_gaps(dt->gaps, dt->ngaps);
	return true;
}

int detection_worst(const struct detection *dt)
{
	int w = -1;
	for (size_t i = 0; i < dt->ngaps; i++)
		if ((int)dt->gaps[i].severity > w)
			w = (int)dt->gaps[i].severity;
	return w;
}
