/* plan.c: verdicts per instance type for an image (see plan.h). */
#include "plan.h"
#include "advise.h"
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *const verdict_names[V__COUNT] = {"ok", "slow", "unreachable", "cannot-launch"};

/* The advisor's columns for one type, for one (OS, kernel config). */
struct advised {
	bool done;
	const char *col[PLAN_COLUMNS];
};

struct planner {
	const struct catalog *cat;
	const struct ruleset *advise_rs;
	const struct plan_opts *o;
	struct checker *checker;
	size_t nrules;
	const struct rule **reasons;
	size_t *reason_idx; /* per row reason: its number among the check rules */
	const char *cur_os; /* the image planner_prepare judged */
	const struct kconfig *cur_kc;
	const char **messages, **fixes, **rule_msg; /* per row; per check rule for this image */
	const char **rule_fix;                      /* per check rule, filled in for this image */
	struct advised *adv;
	const char *adv_os;
	const struct kconfig *adv_kc;
	struct arena *adv_arena, *run_arena;
	struct arena_mark run_start; /* run_arena empty: rewound at each image */
	const char **family_of;      /* per entry */
	const char **families;       /* distinct, in name order */
	size_t (*fam_count)[V__COUNT];
	size_t *fam_index; /* per entry */
	size_t *fam_size;  /* per family: its types in the catalog */
	size_t nfam;
	struct plan_summary sum;
	size_t *credit; /* per check rule: types it alone keeps from ok */
};

double network_gbps(const char *s)
{
	if (s == NULL)
		return 0;
	if (strncmp(s, "Up to ", 6) == 0)
		s += 6;
	char *end;
	double n = strtod(s, &end);
	if (end == s)
		return 0;
	if (*end == 'x') { /* "4x 100 Gigabit" */
		double m = strtod(end + 1, &end);
		n *= m;
	}
	return strstr(end, "Gigabit") ? n : 0;
}

static bool list_has(const struct fact_value *v, const char *s)
{
	for (unsigned i = 0; v->known && i < v->n; i++)
		if (strcmp(v->list[i], s) == 0)
			return true;
	return false;
}

struct planner *planner_new(const struct catalog *cat, const struct ruleset *check_rs,
			    const struct ruleset *advise_rs, const struct plan_opts *o,
			    struct diags *d)
{
	struct planner *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->cat = cat;
	p->advise_rs = advise_rs;
	p->o = o;
	p->checker = checker_new(cat, check_rs, &o->check, d);
	size_t n = cat->nentries + 1;
	p->adv = calloc(n, sizeof(*p->adv));
	p->family_of = calloc(n, sizeof(*p->family_of));
	p->families = calloc(n, sizeof(*p->families));
	p->fam_index = calloc(n, sizeof(*p->fam_index));
	p->fam_count = calloc(n, sizeof(*p->fam_count));
	p->fam_size = calloc(n, sizeof(*p->fam_size));
	p->adv_arena = arena_new();
	p->run_arena = arena_new();
	if (p->checker == NULL || !p->adv || !p->family_of || !p->families || !p->fam_index ||
	    !p->fam_count || !p->fam_size || !p->adv_arena || !p->run_arena) {
		planner_free(p);
		return NULL;
	}
	checker_rules(p->checker, &p->nrules);
	p->reasons = calloc(p->nrules + 1, sizeof(*p->reasons));
	p->reason_idx = calloc(p->nrules + 1, sizeof(*p->reason_idx));
	p->messages = calloc(p->nrules + 1, sizeof(*p->messages));
	p->fixes = calloc(p->nrules + 1, sizeof(*p->fixes));
	p->rule_msg = calloc(p->nrules + 1, sizeof(*p->rule_msg));
	p->rule_fix = calloc(p->nrules + 1, sizeof(*p->rule_fix));
	p->credit = calloc(p->nrules + 1, sizeof(*p->credit));
	if (!p->reasons || !p->reason_idx || !p->messages || !p->fixes || !p->rule_msg ||
	    !p->rule_fix || !p->credit) {
		planner_free(p);
		return NULL;
	}
	for (size_t i = 0; i < cat->nentries; i++) {
		/* a family: the flavor class (Rackspace), else the name before the dot (EC2) */
		const char *name =
			cat->entries[i].klass ? cat->entries[i].klass : cat->entries[i].name;
		const char *dot = cat->entries[i].klass ? NULL : strchr(name, '.');
		size_t len = dot ? (size_t)(dot - name) : strlen(name);
		const char *prev = p->nfam ? p->families[p->nfam - 1] : NULL;
		if (prev == NULL || strlen(prev) != len || strncmp(prev, name, len) != 0)
			p->families[p->nfam++] = arena_strndup(p->adv_arena, name, len);
		p->family_of[i] = p->families[p->nfam - 1];
		p->fam_index[i] = p->nfam - 1;
		p->fam_size[p->nfam - 1]++;
	}
	p->adv_kc = (const struct kconfig *)p; /* no key yet */
	p->run_start = arena_mark(p->run_arena);
	return p;
}

void planner_free(struct planner *p)
{
	if (p == NULL)
		return;
	checker_free(p->checker);
	free(p->reasons);
	free(p->reason_idx);
	free(p->messages);
	free(p->fixes);
	free(p->rule_msg);
	free(p->rule_fix);
	free(p->credit);
	free(p->adv);
	free(p->family_of);
	free(p->families);
	free(p->fam_index);
	free(p->fam_count);
	free(p->fam_size);
	arena_free(p->adv_arena);
	arena_free(p->run_arena);
	free(p);
}

/* The advisor's answer for entry i with the image's OS and kernel, remembered until either
 * changes. */
static const struct advised *advised(struct planner *p, size_t i, const char *os,
				     const struct kconfig *kc)
{
	if (kc != p->adv_kc || p->adv_os == NULL || strcmp(os, p->adv_os) != 0) {
		for (size_t k = 0; k < p->cat->nentries; k++)
			p->adv[k].done = false;
		p->adv_os = os;
		p->adv_kc = kc;
	}
	struct advised *a = &p->adv[i];
	if (a->done)
		return a;
	struct advise_input in = {.provider = p->cat->provider,
				  .os = os,
				  .instance_type = p->cat->entries[i].name,
				  .kconfig = kc};
	struct diags d;
	diags_init(&d);
	struct advice *ad = advise_run(&in, p->cat, p->advise_rs, &d);
	static const enum answer_field fields[PLAN_COLUMNS] = {AF_GUEST_MODE, AF_NET_KIND,
							       AF_STORAGE_DRIVER};
	for (int c = 0; c < PLAN_COLUMNS; c++) {
		const char *v = ad ? ad->fields[fields[c]] : NULL;
		a->col[c] = v ? arena_strdup(p->adv_arena, v) : "-";
	}
	a->done = true;
	advice_free(ad);
	diags_free(&d);
	return a;
}

static enum verdict verdict_of(const struct rule *r)
{
	if (r->outcome == NULL || strcmp(r->outcome, "advice") == 0)
		return V_OK;
	if (strcmp(r->outcome, "slow") == 0)
		return V_SLOW;
	if (strcmp(r->outcome, "unreachable") == 0)
		return V_UNREACHABLE;
	return V_CANNOT_LAUNCH;
}

static bool passes(const struct planner *p, size_t i, const struct advised *a)
{
	const struct cat_entry *e = &p->cat->entries[i];
	if (p->o->arch && !list_has(&e->v[F_ARCHITECTURES], p->o->arch))
		return false;
	if (p->o->min_network > 0 &&
	    network_gbps(e->v[F_NETWORK_PERFORMANCE].known ? e->v[F_NETWORK_PERFORMANCE].s : NULL) <
		    p->o->min_network)
		return false;
	if (p->o->network && strcmp(a->col[PLAN_NETWORK], p->o->network) != 0)
		return false;
	return true;
}

/* Fills row r for entry i (after checker_prepare). */
static void make_row(struct planner *p, size_t i, const struct advised *a, struct plan_row *r)
{
	memset(r, 0, sizeof(*r));
	r->type = &p->cat->entries[i];
	r->family = p->family_of[i];
	r->family_size = p->fam_size[p->fam_index[i]];
	size_t n = checker_type_rules(p->checker, i, p->reasons, p->reason_idx);
	for (int c = 0; c < PLAN_COLUMNS; c++)
		r->col[c] = r->advised[c] = a->col[c];
	for (size_t k = 0; k < n; k++) {
		const struct rule *ru = p->reasons[k];
		enum verdict v = verdict_of(ru);
		if (v > r->verdict)
			r->verdict = v;
		for (int c = 0; c < PLAN_COLUMNS; c++)
			if (ru->gets[c])
				r->col[c] = ru->gets[c];
		p->messages[k] = p->rule_msg[p->reason_idx[k]];
		p->fixes[k] = p->rule_fix[p->reason_idx[k]];
	}
	if (r->verdict == V_CANNOT_LAUNCH)
		for (int c = 0; c < PLAN_COLUMNS; c++)
			r->col[c] = "-";
	r->reasons = p->reasons;
	r->messages = p->messages;
	r->fixes = p->fixes;
	r->nreasons = n;
}

/* Each rule's message filled in with the image's facts. */
static void image_messages(struct planner *p, const struct image *img)
{
	const struct rule *const *all;
	size_t nall;
	all = checker_rules(p->checker, &nall);
	struct facts f = {0};
	facts_set_str(&f, F_IMAGE_ARCH, img->attr[IA_ARCH]);
	facts_set_str(&f, F_IMAGE_BOOT, img->attr[IA_BOOT]);
	facts_set_str(&f, F_IMAGE_VIRT, img->attr[IA_VIRT]);
	for (size_t j = 0; j < nall; j++) {
		const char *t[2] = {all[j]->message, all[j]->fix};
		for (int k = 0; k < 2; k++)
			t[k] = facts_expand_in(p->run_arena, &f, t[k]);
		p->rule_msg[j] = t[0];
		p->rule_fix[j] = t[1];
	}
}

bool planner_run(struct planner *p, const struct image *img, const struct kconfig *kc,
		 plan_row_fn each, void *arg, const struct plan_summary **sum, struct diags *d)
{
	const struct catalog *cat = p->cat;
	arena_rewind(p->run_arena, p->run_start);
	if (!checker_prepare(p->checker, img, kc, d))
		return false;
	image_messages(p, img);
	const unsigned char *sel;
	checker_targets(p->checker, &sel);
	memset(&p->sum, 0, sizeof(p->sum));
	memset(p->fam_count, 0, p->nfam * sizeof(*p->fam_count));
	memset(p->credit, 0, p->nrules * sizeof(*p->credit));
	const char *os = img->os ? img->os : "linux";
	bool go = true;
	const struct rule *const *all;
	size_t nall;
	all = checker_rules(p->checker, &nall);
	for (size_t i = 0; i < cat->nentries && go; i++) {
		if (!sel[i])
			continue;
		const struct advised *a = advised(p, i, os, kc);
		if (!passes(p, i, a))
			continue;
		struct plan_row r;
		make_row(p, i, a, &r);
		p->sum.total++;
		p->sum.count[r.verdict]++;
		p->fam_count[p->fam_index[i]][r.verdict]++;
		/* a type held back by one rule alone opens when that rule is fixed */
		size_t only = 0, blockers = 0;
		for (size_t k = 0; k < r.nreasons; k++)
			if (verdict_of(r.reasons[k]) != V_OK) {
				only = p->reason_idx[k];
				blockers++;
			}
		if (blockers == 1)
			p->credit[only]++;
		if (each)
			go = each(&r, arg);
	}
	/* the changes that open the most types */
	for (size_t n = 0; n < sizeof(p->sum.changes) / sizeof(p->sum.changes[0]); n++) {
		size_t best = SIZE_MAX;
		for (size_t j = 0; j < nall; j++)
			if (p->credit[j] && (best == SIZE_MAX || p->credit[j] > p->credit[best]))
				best = j;
		if (best == SIZE_MAX)
			break;
		p->sum.changes[p->sum.nchanges++] =
			(struct plan_change){all[best], p->rule_fix[best], p->credit[best]};
		p->credit[best] = 0;
	}
	p->sum.families = p->families;
	p->sum.family_count = (const size_t(*)[V__COUNT])p->fam_count;
	p->sum.nfamilies = p->nfam;
	if (sum)
		*sum = &p->sum;
	return go;
}

bool planner_prepare(struct planner *p, const struct image *img, const struct kconfig *kc,
		     struct diags *d)
{
	arena_rewind(p->run_arena, p->run_start);
	if (!checker_prepare(p->checker, img, kc, d))
		return false;
	image_messages(p, img);
	p->cur_os = img->os ? img->os : "linux";
	p->cur_kc = kc;
	return true;
}

bool planner_row(struct planner *p, const char *type, struct plan_row *out)
{
	const struct cat_entry *e = catalog_find(p->cat, type);
	if (e == NULL || p->cur_os == NULL)
		return false;
	size_t i = (size_t)(e - p->cat->entries);
	make_row(p, i, advised(p, i, p->cur_os, p->cur_kc), out);
	return true;
}

const char *const *planner_kernel_needs(struct planner *p, const struct image *img,
					const struct kconfig *kc, const char *type)
{
	struct advise_input in = {.provider = p->cat->provider,
				  .os = img->os ? img->os : "linux",
				  .instance_type = type,
				  .kconfig = kc};
	struct diags d;
	diags_init(&d);
	struct advice *ad = advise_run(&in, p->cat, p->advise_rs, &d);
	const char **v = arena_alloc(p->run_arena, ((ad ? ad->nrequired : 0) + 1) * sizeof(*v));
	for (size_t k = 0; ad && v && k < ad->nrequired; k++)
		v[k] = arena_strdup(p->run_arena, ad->kernel_required[k]);
	advice_free(ad);
	diags_free(&d);
	return v;
}
