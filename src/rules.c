/* rules.c: loading, validating and matching rules. */
#include "rules.h"

#include "arena.h"
#include "schema.h"
#include "suggest.h"
#include "ytree.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

struct ruleset_priv {
	struct arena *arena;
	struct ytree **trees;
	size_t ntrees;
	size_t cap;
};

const char *const op_names[OP__COUNT] = {
	[OP_EQ] = "eq",   [OP_NE] = "ne",       [OP_IN] = "in",           [OP_NOT_IN] = "not_in",
	[OP_HAS] = "has", [OP_LACKS] = "lacks", [OP_LT] = "lt",           [OP_LE] = "le",
	[OP_GT] = "gt",   [OP_GE] = "ge",       [OP_PRESENT] = "present", [OP_MATCH] = "match",
};

static const char *const virt_values[] = {"hvm", "paravirtual", "xen", "metal", "pv", "pvh", NULL};
static const char *const mode_values[] = {"pv",  "hvm",  "hvm-pv-drivers", "pvhvm",
					  "pvh", "none", "unknown",        NULL};
static const char *const hyp_values[] = {"xen",        "nitro", "kvm",  "vmware",  "hyperv",
					 "virtualbox", "other", "none", "unknown", NULL};
static const char *const provider_values[] = {"ec2", "rackspace", "other", "none", "unknown", NULL};
static const char *const yes_no[] = {"yes", "no", "unknown", NULL};
static const char *const net_values[] = {"ena", "intel-82599-vf", "none", NULL};
static const char *const boot_values[] = {"legacy-bios", "uefi", "uefi-preferred", NULL};

const struct answer_def answer_defs[AF__COUNT] = {
	[AF_SUMMARY] = {"summary", NULL},
	[AF_CLASS] = {"class", NULL},
	[AF_VIRT] = {"virtualization_type", virt_values},
	[AF_VIRT_NOTE] = {"virtualization_type.note", NULL},
	[AF_GUEST_MODE] = {"guest_mode", mode_values},
	[AF_GUEST_MODE_NOTE] = {"guest_mode.note", NULL},
	[AF_NET_KIND] = {"network.kind", net_values},
	[AF_NET_DRIVER] = {"network.driver", NULL},
	[AF_NET_ATTRIBUTE] = {"network.image_attribute", NULL},
	[AF_NET_MIN_DRIVER] = {"network.min_driver_version", NULL},
	[AF_NET_NOTE] = {"network.note", NULL},
	[AF_STORAGE_DRIVER] = {"storage.driver", NULL},
	[AF_STORAGE_DEVICES] = {"storage.device_names", NULL},
	[AF_STORAGE_NOTE] = {"storage.note", NULL},
	[AF_BOOT_MODE] = {"boot_mode", boot_values},
	[AF_BOOT_NOTE] = {"boot_mode.note", NULL},
	[AF_WIN_PV_DRIVER] = {"windows.pv_driver", NULL},
	[AF_WIN_ENA_DRIVER] = {"windows.ena_driver", NULL},
	[AF_WIN_NVME_DRIVER] = {"windows.nvme_driver", NULL},
	[AF_WIN_INTEL_DRIVER] = {"windows.intel_vf_driver", NULL},
	[AF_HYPERVISOR] = {"hypervisor", hyp_values},
	[AF_PROVIDER] = {"provider", provider_values},
	[AF_DOM0] = {"dom0", yes_no},
	[AF_INSTANCE_TYPE] = {"instance_type", NULL},
};

const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_INFO: return "info";
	case SEV_WARNING: return "warning";
	case SEV_ERROR: return "error";
	}
	return "error";
}

static const char *const severities[] = {"info", "warning", "error", NULL};
static const char *const file_keys[] = {"kind",  "provider", "source", "description",
					"scope", "rules",    NULL};
static const char *const scopes[] = {"advise", "check", "detect", "gaps", NULL};
const char *const check_outcomes[] = {"cannot-launch", "unreachable", "slow", "advice", NULL};
const char *const plan_columns[] = {"guest_mode", "network", "storage", NULL};
/* where a check rule's finding points (check.c maps each to the definition's field) */
const char *const check_fields[] = {"image",
				    "virtualization_type",
				    "ena_support",
				    "sriov_net_support",
				    "architecture",
				    "boot_mode",
				    "root_device_type",
				    "imds_support",
				    "tpm_support",
				    "kernel_config",
				    "fstab",
				    "kernel_cmdline",
				    "initramfs_modules",
				    "instance_types",
				    NULL};
static const char *const rule_keys[] = {"id",      "title",     "when",         "set",   "kernel",
					"finding", "rationale", "source",       "field", "example",
					"outcome", "gets",      "hides_others", NULL};
static const char *const rule_required[] = {"id", "title", "rationale", NULL};
static const char *const finding_keys[] = {"severity", "message", "fix", NULL};

/* Which operators make sense for each fact type. */
static bool op_fits(enum cond_op op, enum fact_type t)
{
	switch (op) {
	case OP_EQ:
	case OP_NE: return t == FT_STRING || t == FT_BOOL || t == FT_VERSION;
	case OP_IN:
	case OP_NOT_IN: return t == FT_STRING;
	case OP_MATCH: return t == FT_STRING || t == FT_LIST || t == FT_SET;
	case OP_HAS:
	case OP_LACKS: return t == FT_LIST || t == FT_SET;
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE: return t == FT_VERSION;
	case OP_PRESENT: return true;
	case OP__COUNT: break;
	}
	return false;
}

static const char *type_name(enum fact_type t)
{
	switch (t) {
	case FT_STRING: return "string";
	case FT_BOOL: return "boolean";
	case FT_LIST: return "list";
	case FT_SET: return "set";
	case FT_VERSION: return "version";
	}
	return "?";
}

/* Checks {placeholders} in a template: each must name a fact. */
static void check_template(const struct schema_ctx *c, const struct ynode *at, const char *s)
{
	for (const char *p = s; (p = strchr(p, '{')) != NULL; p++) {
		const char *q = p + 1;
		while (*q == '_' || isalnum((unsigned char)*q))
			q++;
		if (*q != '}' || q == p + 1)
			continue;
		char name[64];
		size_t len = (size_t)(q - p - 1);
		if (len >= sizeof(name)) {
			sch_error(c, at, "placeholder too long");
			continue;
		}
		memcpy(name, p + 1, len);
		name[len] = '\0';
		if (fact_lookup(name) < 0)
			sch_error(c, at, "unknown fact '{%s}' in text", name);
	}
}

/* Operand words for a condition; checks enums. */
static bool cond_words(const struct schema_ctx *c, struct cond *cd, const struct ynode *v)
{
	const struct fact_def *def = &fact_defs[cd->fact];
	if (cd->op == OP_PRESENT || ((cd->op == OP_EQ || cd->op == OP_NE) && def->type == FT_BOOL))
		return sch_bool(c, v, cd->op == OP_PRESENT ? "present" : def->name, &cd->b);
	bool many = cd->op == OP_IN || cd->op == OP_NOT_IN || cd->op == OP_HAS ||
		    cd->op == OP_LACKS || cd->op == OP_MATCH;
	if (!many && v->kind != YN_SCALAR) {
		sch_error(c, v, "operator '%s' takes one value, not %s", op_names[cd->op],
			  ynode_kind_name(v->kind));
		return false;
	}
	const char **w = sch_strlist(c, v, op_names[cd->op], &cd->nwords);
	if (w == NULL)
		return false;
	cd->words = w;
	if (w[0][0] == '$') {
		/* another fact's value: `architectures: {lacks: $image_architecture}` */
		int ref = fact_lookup(w[0] + 1);
		bool one = cd->nwords == 1 && cd->op != OP_IN && cd->op != OP_NOT_IN &&
			   cd->op != OP_MATCH;
		if (ref < 0 || !one || fact_defs[ref].type == FT_LIST ||
		    fact_defs[ref].type == FT_SET || fact_defs[ref].type == FT_BOOL) {
			sch_error(c, v,
				  "'%s' must name one string or version fact, alone, with eq, ne, "
				  "has, lacks or a comparison",
				  w[0]);
			return false;
		}
		cd->has_ref = true;
		cd->ref = (enum fact_id)ref;
		return true;
	}
	bool ok = true;
	if (def->values && cd->op != OP_MATCH)
		for (size_t i = 0; i < cd->nwords; i++)
			if (!fact_value_allowed(cd->fact, w[i])) {
				sch_enum(c, v, w[i], def->values, def->name);
				ok = false;
			}
	return ok;
}

static struct cond *add_cond(struct arena *a, struct cond **v, size_t *n, size_t *cap)
{
	return arena_push(a, (void **)v, n, cap, sizeof(**v));
}

static void parse_when(const struct schema_ctx *c, struct rule *r, const struct ynode *m,
		       size_t *cap)
{
	if (!sch_map(c, m, "when"))
		return;
	const char *names[F__COUNT];
	for (int i = 0; i < F__COUNT; i++)
		names[i] = fact_defs[i].name;
	for (size_t i = 0; i < m->n; i++) {
		const struct ynode *k = m->items[2 * i], *v = m->items[2 * i + 1];
		if (k->kind != YN_SCALAR) {
			sch_error(c, k, "condition keys must be fact names");
			continue;
		}
		int f = fact_lookup(k->str);
		if (f < 0) {
			const char *near[1];
			if (suggest_nearest(k->str, names, F__COUNT, near, 1))
				sch_error(c, k, "unknown fact '%s' (did you mean '%s'?)", k->str,
					  near[0]);
			else
				sch_error(c, k, "unknown fact '%s'", k->str);
			continue;
		}
		enum fact_type t = fact_defs[f].type;
		if (v->kind == YN_MAP) {
			/* explicit operators: {op: value, ...}, all must hold */
			for (size_t j = 0; j < v->n; j++) {
				const struct ynode *ok = v->items[2 * j], *ov = v->items[2 * j + 1];
				int op = -1;
				for (int o = 0; o < OP__COUNT && ok->kind == YN_SCALAR; o++)
					if (strcmp(op_names[o], ok->str) == 0)
						op = o;
				if (op < 0) {
					const char *near[1];
					const char *s = ok->kind == YN_SCALAR ? ok->str : "?";
					if (suggest_nearest(s, op_names, OP__COUNT, near, 1))
						sch_error(c, ok,
							  "unknown operator '%s' (did you mean "
							  "'%s'?)",
							  s, near[0]);
					else
						sch_error(c, ok, "unknown operator '%s'", s);
					continue;
				}
				if (!op_fits((enum cond_op)op, t)) {
					sch_error(c, ok,
						  "operator '%s' does not apply to %s fact '%s'",
						  op_names[op], type_name(t), fact_defs[f].name);
					continue;
				}
				struct cond *cd = add_cond(c->arena, &r->conds, &r->nconds, cap);
				if (cd == NULL)
					return;
				cd->fact = (enum fact_id)f;
				cd->op = (enum cond_op)op;
				cd->line = ok->line;
				cd->col = ok->col;
				if (!cond_words(c, cd, ov))
					r->nconds--;
			}
			continue;
		}
		/* shorthand: scalar = eq (has for lists), list = in */
		enum cond_op op;
		if (v->kind == YN_SEQ)
			op = OP_IN;
		else
			op = (t == FT_LIST || t == FT_SET) ? OP_HAS : OP_EQ;
		if (!op_fits(op, t)) {
			sch_error(
				c, v,
				"a list of values does not apply to %s fact '%s'; use an operator",
				type_name(t), fact_defs[f].name);
			continue;
		}
		struct cond *cd = add_cond(c->arena, &r->conds, &r->nconds, cap);
		if (cd == NULL)
			return;
		cd->fact = (enum fact_id)f;
		cd->op = op;
		cd->line = v->line;
		cd->col = v->col;
		if (!cond_words(c, cd, v))
			r->nconds--;
	}
}

static void parse_set(const struct schema_ctx *c, struct rule *r, const struct ynode *m)
{
	if (!sch_map(c, m, "set"))
		return;
	r->sets = arena_alloc(c->arena, (m->n ? m->n : 1) * sizeof(*r->sets));
	if (r->sets == NULL)
		return;
	const char *names[AF__COUNT];
	for (int i = 0; i < AF__COUNT; i++)
		names[i] = answer_defs[i].name;
	for (size_t i = 0; i < m->n; i++) {
		const struct ynode *k = m->items[2 * i], *v = m->items[2 * i + 1];
		int f = -1;
		for (int j = 0; j < AF__COUNT && k->kind == YN_SCALAR; j++)
			if (strcmp(answer_defs[j].name, k->str) == 0)
				f = j;
		if (f < 0) {
			const char *near[1];
			const char *s = k->kind == YN_SCALAR ? k->str : "?";
			if (suggest_nearest(s, names, AF__COUNT, near, 1))
				sch_error(c, k, "unknown answer field '%s' (did you mean '%s'?)", s,
					  near[0]);
			else
				sch_error(c, k, "unknown answer field '%s'", s);
			continue;
		}
		if (v->kind == YN_SCALAR && v->plain &&
		    (strcmp(v->str, "null") == 0 || strcmp(v->str, "~") == 0)) {
			/* null clears what an earlier rule set */
			r->sets[r->nsets++] = (struct setting){(enum answer_field)f, NULL};
			continue;
		}
		const char *val = sch_str(c, v, answer_defs[f].name);
		if (val == NULL)
			continue;
		if (answer_defs[f].values &&
		    !sch_enum(c, v, val, answer_defs[f].values, answer_defs[f].name))
			continue;
		check_template(c, v, val);
		r->sets[r->nsets++] = (struct setting){(enum answer_field)f, val};
	}
}

static void parse_finding(const struct schema_ctx *c, struct rule *r, const struct ynode *m)
{
	if (!sch_map(c, m, "finding"))
		return;
	sch_keys(c, m, finding_keys, "a finding");
	static const char *const req[] = {"severity", "message", NULL};
	sch_required(c, m, req, "a finding");
	const struct ynode *n;
	if ((n = ymap_get(m, "severity"))) {
		const char *s = sch_str(c, n, "severity");
		if (s && sch_enum(c, n, s, severities, "severity"))
			r->severity = strcmp(s, "error") == 0     ? SEV_ERROR
				      : strcmp(s, "warning") == 0 ? SEV_WARNING
								  : SEV_INFO;
	}
	if ((n = ymap_get(m, "message")) && (r->message = sch_str(c, n, "message")))
		check_template(c, n, r->message);
	if ((n = ymap_get(m, "fix")) && (r->fix = sch_str(c, n, "fix")))
		check_template(c, n, r->fix);
	r->has_finding = true;
}

/* A check rule judges an image definition: it needs a finding, says which field is at
 * fault, and documents itself with a bad and a good example. Advice rules have none. */
static void parse_check_parts(const struct schema_ctx *c, struct rule *r, const struct ynode *m)
{
	const struct ynode *f = ymap_get(m, "field"), *ex = ymap_get(m, "example"),
			   *oc = ymap_get(m, "outcome");
	if (!r->check) {
		const struct ynode *gt = ymap_get(m, "gets"), *ho = ymap_get(m, "hides_others");
		if (f || ex || oc || gt || ho)
			sch_error(c,
				  f    ? f
				  : ex ? ex
				  : oc ? oc
				  : gt ? gt
				       : ho,
				  "`field`, `example`, `outcome`, `gets` and `hides_others` belong "
				  "to "
				  "rules files with `scope: check`");
		return;
	}
	if (oc == NULL)
		sch_error(c, m,
			  "check rule '%s' needs an outcome (cannot-launch, unreachable, "
			  "slow or advice)",
			  r->id ? r->id : "?");
	else if ((r->outcome = sch_str(c, oc, "outcome")))
		sch_enum(c, oc, r->outcome, check_outcomes, "outcome");
	if (!ymap_get(m, "finding"))
		sch_error(c, m, "check rule '%s' needs a finding", r->id ? r->id : "?");
	if (ymap_get(m, "set") || ymap_get(m, "kernel"))
		sch_error(c, m, "check rule '%s' cannot set answer fields or kernel options",
			  r->id ? r->id : "?");
	r->field = "image";
	if (f && (r->field = sch_str(c, f, "field")))
		sch_enum(c, f, r->field, check_fields, "field");
	const struct ynode *h = ymap_get(m, "hides_others");
	if (h)
		sch_bool(c, h, "hides_others", &r->hides_others);
	const struct ynode *g = ymap_get(m, "gets");
	if (g && sch_map(c, g, "gets")) {
		sch_keys(c, g, plan_columns, "gets");
		for (int i = 0; i < PLAN_COLUMNS; i++) {
			const struct ynode *v = ymap_get(g, plan_columns[i]);
			if (v)
				r->gets[i] = sch_str(c, v, plan_columns[i]);
		}
	}
	static const char *const ex_keys[] = {"bad", "good", NULL};
	if (ex == NULL) {
		sch_error(c, m, "check rule '%s' needs an example: {bad: ..., good: ...}",
			  r->id ? r->id : "?");
	} else if (sch_map(c, ex, "example")) {
		sch_keys(c, ex, ex_keys, "an example");
		sch_required(c, ex, ex_keys, "an example");
		const struct ynode *b = ymap_get(ex, "bad"), *gd = ymap_get(ex, "good");
		r->bad = b ? sch_str(c, b, "bad") : NULL;
		r->good = gd ? sch_str(c, gd, "good") : NULL;
	}
}

const char *rule_scope_name(enum rule_scope s)
{
	return scopes[s];
}

static void pick_scope(const char *s, int *out)
{
	for (int i = 0; scopes[i]; i++)
		if (strcmp(scopes[i], s) == 0)
			*out = i;
}

/* The answer fields a rule may set depend on its scope: detect rules describe the guest
 * (hypervisor, provider, dom0, instance_type, and the guest_mode and summary both kinds
 * set), advice rules recommend; gap rules only report. */
static bool detect_only(enum answer_field f)
{
	return f == AF_HYPERVISOR || f == AF_PROVIDER || f == AF_DOM0 || f == AF_INSTANCE_TYPE;
}

static bool field_fits(enum rule_scope scope, enum answer_field f)
{
	if (scope == SCOPE_DETECT)
		return detect_only(f) || f == AF_SUMMARY || f == AF_GUEST_MODE ||
		       f == AF_GUEST_MODE_NOTE;
	return !detect_only(f);
}

static void check_scope(const struct schema_ctx *c, struct rule *r, const struct ynode *m)
{
	const char *id = r->id ? r->id : "?";
	if (r->scope == SCOPE_GAPS && (r->nsets || r->nkernel || !r->has_finding))
		sch_error(c, m, "gap rule '%s' needs a finding and nothing else", id);
	if (r->scope == SCOPE_DETECT && (r->nkernel || r->has_finding))
		sch_error(c, m, "detect rule '%s' can only set answer fields", id);
	for (size_t i = 0; i < r->nsets; i++)
		if (!field_fits(r->scope, r->sets[i].field))
			sch_error(c, m,
				  "rule '%s' cannot set '%s' in a rules file with `scope: %s`", id,
				  answer_defs[r->sets[i].field].name, scopes[r->scope]);
}

static bool valid_id(const char *s)
{
	if (!islower((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-')
			return false;
	return true;
}

static void load_tree(struct ruleset *rs, const struct ytree *t, const char *provider,
		      struct diags *d)
{
	struct ruleset_priv *p = rs->priv;
	struct schema_ctx c = {t->file, d, p->arena};
	const struct ynode *root = t->root, *n;
	if (!sch_map(&c, root, "a rules file"))
		return;
	sch_keys(&c, root, file_keys, "a rules file");
	static const char *const req[] = {"kind", "provider", "rules", NULL};
	sch_required(&c, root, req, "a rules file");
	const char *kind = (n = ymap_get(root, "kind")) ? sch_str(&c, n, "kind") : NULL;
	if (kind && strcmp(kind, "rules") != 0) {
		sch_error(&c, n, "kind is '%s', expected 'rules'", kind);
		return;
	}
	static const char *const provs[] = {"ec2", "rackspace", "xen", "any", NULL};
	const char *prov = (n = ymap_get(root, "provider")) ? sch_str(&c, n, "provider") : NULL;
	if (prov && !sch_enum(&c, n, prov, provs, "provider"))
		return;
	if (provider && prov && strcmp(prov, "any") != 0 && strcmp(prov, provider) != 0)
		return;
	const char *file_source = (n = ymap_get(root, "source")) ? sch_str(&c, n, "source") : NULL;
	if ((n = ymap_get(root, "description")))
		sch_str(&c, n, "description");
	int scope = SCOPE_ADVISE;
	if ((n = ymap_get(root, "scope"))) {
		const char *sc = sch_str(&c, n, "scope");
		if (sc && sch_enum(&c, n, sc, scopes, "scope"))
			pick_scope(sc, &scope);
	}
	bool check = scope == SCOPE_CHECK;
	const struct ynode *list = ymap_get(root, "rules");
	if (list == NULL)
		return;
	if (!sch_seq(&c, list, "rules"))
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct ynode *m = list->items[i];
		if (!sch_item(&c, m, rule_keys, rule_required, "a rule"))
			continue;
		struct rule *r = arena_push(p->arena, (void **)&rs->rules, &rs->nrules, &p->cap,
					    sizeof(*rs->rules));
		if (r == NULL)
			return;
		r->file = t->file;
		r->line = m->line;
		r->col = m->col;
		size_t cap = 0;
		if (prov && strcmp(prov, "any") != 0) {
			/* the file's provider is the rule's first condition */
			struct cond *cd = add_cond(p->arena, &r->conds, &r->nconds, &cap);
			if (cd == NULL)
				return;
			const char **w = arena_alloc(p->arena, 2 * sizeof(*w));
			if (w == NULL)
				return;
			w[0] = prov;
			*cd = (struct cond){.fact = F_PROVIDER,
					    .op = OP_EQ,
					    .words = w,
					    .nwords = 1,
					    .line = m->line,
					    .col = m->col};
		}
		if ((n = ymap_get(m, "id")) && (r->id = sch_str(&c, n, "id"))) {
			if (!valid_id(r->id))
				sch_error(&c, n,
					  "rule id '%s' must be lower-case letters, digits and "
					  "dashes",
					  r->id);
			for (size_t j = 0; j + 1 < rs->nrules; j++)
				if (rs->rules[j].id && strcmp(rs->rules[j].id, r->id) == 0)
					sch_error(&c, n, "duplicate rule id '%s' (first at %s:%d)",
						  r->id, rs->rules[j].file, rs->rules[j].line);
		}
		if ((n = ymap_get(m, "title")))
			r->title = sch_str(&c, n, "title");
		if ((n = ymap_get(m, "rationale")) && (r->rationale = sch_str(&c, n, "rationale")))
			check_template(&c, n, r->rationale);
		r->source = (n = ymap_get(m, "source")) ? sch_str(&c, n, "source") : file_source;
		if (r->source == NULL && ymap_get(m, "source") == NULL)
			sch_error(&c, m, "rule '%s' has no source, and the file names none",
				  r->id ? r->id : "?");
		if ((n = ymap_get(m, "when")))
			parse_when(&c, r, n, &cap);
		if ((n = ymap_get(m, "set")))
			parse_set(&c, r, n);
		if ((n = ymap_get(m, "kernel"))) {
			const char **k = sch_strlist(&c, n, "kernel", &r->nkernel);
			r->kernel = k;
			for (size_t j = 0; k && j < r->nkernel; j++)
				if (strncmp(k[j], "CONFIG_", 7) != 0)
					sch_error(&c, n,
						  "kernel option '%s' must start with CONFIG_",
						  k[j]);
		}
		if ((n = ymap_get(m, "finding")))
			parse_finding(&c, r, n);
		if (!ymap_get(m, "set") && !ymap_get(m, "kernel") && !ymap_get(m, "finding"))
			sch_error(&c, m, "rule '%s' has no effect (set, kernel or finding)",
				  r->id ? r->id : "?");
		r->check = check;
		r->scope = (enum rule_scope)scope;
		parse_check_parts(&c, r, m);
		check_scope(&c, r, m);
	}
}

/* Loads npaths files, or (paths == NULL) the one buffer buf. */
static struct ruleset *ruleset_new(size_t ntrees)
{
	struct ruleset *rs = calloc(1, sizeof(*rs));
	if (rs == NULL)
		return NULL;
	rs->priv = calloc(1, sizeof(*rs->priv));
	if (rs->priv == NULL || (rs->priv->arena = arena_new()) == NULL ||
	    (rs->priv->trees = calloc(ntrees ? ntrees : 1, sizeof(struct ytree *))) == NULL) {
		rules_free(rs);
		return NULL;
	}
	return rs;
}

static struct ruleset *load(const char *provider, const char *const *paths, size_t npaths,
			    const char *buf, size_t len, const char *name, struct diags *d)
{
	struct ruleset *rs = ruleset_new(npaths);
	if (rs == NULL)
		return NULL;
	size_t errors = d->errors;
	for (size_t i = 0; i < npaths; i++) {
		struct ytree *t = paths ? ytree_load(paths[i], d) : ytree_parse(buf, len, name, d);
		if (t == NULL)
			continue;
		rs->priv->trees[rs->priv->ntrees++] = t;
		load_tree(rs, t, provider, d);
	}
	if (d->errors > errors) {
		rules_free(rs);
		return NULL;
	}
	return rs;
}

struct ruleset *rules_load(const char *provider, const char *const *paths, size_t npaths,
			   struct diags *d)
{
	return load(provider, paths, npaths, NULL, 0, NULL, d);
}

struct ruleset *rules_load_buffer(const char *provider, const char *buf, size_t len,
				  const char *name, struct diags *d)
{
	return load(provider, NULL, 1, buf, len, name, d);
}

bool rules_check_trees(const struct ytree *const *trees, size_t n, struct diags *d)
{
	struct ruleset *rs = ruleset_new(0); /* borrows the trees: never adds them to priv */
	if (rs == NULL)
		return false;
	size_t errors = d->errors;
	for (size_t i = 0; i < n; i++)
		load_tree(rs, trees[i], NULL, d);
	rules_free(rs);
	return d->errors == errors;
}

void rules_free(struct ruleset *rs)
{
	if (rs == NULL)
		return;
	if (rs->priv) {
		for (size_t i = 0; i < rs->priv->ntrees; i++)
			ytree_free(rs->priv->trees[i]);
		free(rs->priv->trees);
		arena_free(rs->priv->arena);
		free(rs->priv);
	}
	free(rs);
}

const struct rule *rules_find(const struct ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (strcmp(rs->rules[i].id, id) == 0)
			return &rs->rules[i];
	return NULL;
}

static bool in_words(const struct cond *c, const char *s)
{
	for (size_t i = 0; i < c->nwords; i++)
		if (strcmp(c->words[i], s) == 0)
			return true;
	return false;
}

/* match: some pattern matches the string, or some item of the list */
static bool any_matches(const struct cond *c, const struct fact_value *v)
{
	if (fact_defs[c->fact].type == FT_STRING) {
		for (size_t j = 0; j < c->nwords; j++)
			if (fnmatch(c->words[j], v->s, 0) == 0)
				return true;
		return false;
	}
	for (unsigned i = 0; i < v->n; i++)
		for (size_t j = 0; j < c->nwords; j++)
			if (fnmatch(c->words[j], v->list[i], 0) == 0)
				return true;
	return false;
}

bool cond_holds(const struct cond *c, const struct facts *f)
{
	const struct fact_value *v = &f->v[c->fact];
	if (c->op == OP_PRESENT)
		return v->known == c->b;
	if (!v->known)
		return false;
	if (c->has_ref) {
		/* compare with the other fact's value, as if it were written in the rule */
		const struct fact_value *r = &f->v[c->ref];
		if (!r->known)
			return false;
		struct cond copy = *c;
		copy.has_ref = false;
		copy.words = &r->s;
		copy.nwords = 1;
		return cond_holds(&copy, f);
	}
	bool is_bool = fact_defs[c->fact].type == FT_BOOL;
	switch (c->op) {
	case OP_EQ: return is_bool ? v->b == c->b : strcmp(v->s, c->words[0]) == 0;
	case OP_NE: return is_bool ? v->b != c->b : strcmp(v->s, c->words[0]) != 0;
	case OP_IN: return in_words(c, v->s);
	case OP_NOT_IN: return !in_words(c, v->s);
	case OP_HAS:
		for (size_t i = 0; i < c->nwords; i++)
			if (!fact_has(v, c->words[i]))
				return false;
		return true;
	case OP_LACKS:
		for (size_t i = 0; i < c->nwords; i++)
			if (fact_has(v, c->words[i]))
				return false;
		return true;
	case OP_LT: return strverscmp(v->s, c->words[0]) < 0;
	case OP_LE: return strverscmp(v->s, c->words[0]) <= 0;
	case OP_GT: return strverscmp(v->s, c->words[0]) > 0;
	case OP_GE: return strverscmp(v->s, c->words[0]) >= 0;
	case OP_MATCH: return any_matches(c, v);
	case OP_PRESENT:
	case OP__COUNT: break;
	}
	return false;
}

bool rule_matches(const struct rule *r, const struct facts *f, size_t *failed)
{
	for (size_t i = 0; i < r->nconds; i++)
		if (!cond_holds(&r->conds[i], f)) {
			if (failed)
				*failed = i;
			return false;
		}
	if (failed)
		*failed = r->nconds;
	return true;
}

bool rule_groups_only(const struct rule *r)
{
	if (r->has_finding || r->nkernel)
		return false;
	for (size_t i = 0; i < r->nsets; i++)
		if (r->sets[i].field != AF_CLASS)
			return false;
	return true;
}
