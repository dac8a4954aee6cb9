/* rules.h: the rule language and its evaluation.
 *
 * A rules file (kind: rules) names a provider (or `any`) and lists rules. A rule has an
 * id, a title, `when` conditions over named facts (facts.h), and effects: `set` answer
 * fields, `kernel` options the guest needs, and a `finding` with a severity. Each rule
 * carries a rationale and a source.
 *
 * Semantics, in one sentence (README and tests/unit/test_rules.c say the same):
 *   rules are tried in load order; a rule applies when all its conditions hold, where a
 *   condition on an unknown fact never holds (except `present: false`); every applying
 *   rule contributes its finding and kernel options, and each answer field takes the
 *   value of the last applying rule that sets it.
 *
 * Matching is a pure function of the facts: no I/O, no errors. Everything returned by
 * rules_load belongs to the struct ruleset and is freed by rules_free. */
#ifndef XA_RULES_H
#define XA_RULES_H

#include "diag.h"
#include "facts.h"
#include "ytree.h"

#include <stdbool.h>
#include <stddef.h>

enum cond_op {
	OP_EQ,
	OP_NE,
	OP_IN,
	OP_NOT_IN,
	OP_HAS,
	OP_LACKS,
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
	OP_PRESENT,
	OP_MATCH,
	OP__COUNT
};

enum answer_field {
	AF_SUMMARY,
	AF_CLASS,
	AF_VIRT,
	AF_VIRT_NOTE,
	AF_GUEST_MODE,
	AF_GUEST_MODE_NOTE,
	AF_NET_KIND,
	AF_NET_DRIVER,
	AF_NET_ATTRIBUTE,
	AF_NET_MIN_DRIVER,
	AF_NET_NOTE,
	AF_STORAGE_DRIVER,
	AF_STORAGE_DEVICES,
	AF_STORAGE_NOTE,
	AF_BOOT_MODE,
	AF_BOOT_NOTE,
	AF_WIN_PV_DRIVER,
	AF_WIN_ENA_DRIVER,
	AF_WIN_NVME_DRIVER,
	AF_WIN_INTEL_DRIVER,
	/* what detect rules (scope: detect) conclude about a running guest */
	AF_HYPERVISOR,
	AF_PROVIDER,
	AF_DOM0,
	AF_INSTANCE_TYPE,
	AF__COUNT
};

enum severity { SEV_INFO, SEV_WARNING, SEV_ERROR };

struct answer_def {
	const char *name;
	const char *const *values; /* allowed values or NULL */
};

struct cond {
	enum fact_id fact;
	enum cond_op op;
	bool b;                   /* OP_EQ/OP_NE on a bool fact, OP_PRESENT */
	const char *const *words; /* the operand(s) */
	size_t nwords;
	bool has_ref;     /* the operand is another fact's value ($name) */
	enum fact_id ref;
	int line, col;
};

struct setting {
	enum answer_field field;
	const char *value; /* may hold {fact} placeholders; NULL (YAML null) clears the field */
};

/* A rules file's `scope`: advice (the default), image checks, detection of a running
 * guest's mode (sets hypervisor, provider, guest_mode, dom0, instance_type) and the gaps
 * between what detect finds and what the advisor recommends (findings only). */
enum rule_scope { SCOPE_ADVISE, SCOPE_CHECK, SCOPE_DETECT, SCOPE_GAPS };
const char *rule_scope_name(enum rule_scope s);

struct rule {
	const char *id, *title, *rationale, *source, *file;
	int line, col;
	struct cond *conds;
	size_t nconds;
	struct setting *sets;
	size_t nsets;
	const char *const *kernel;
	size_t nkernel;
	bool has_finding;
	enum severity severity;
	const char *message, *fix;
	/* check rules (a file with `scope: check`): judge an image definition */
	bool check;
	enum rule_scope scope;
	const char *field;     /* where the finding points: "image" or an attribute */
	const char *outcome;   /* cannot-launch, unreachable, slow or advice */
	const char *bad, *good; /* the documentation's examples */
	const char *gets[3]; /* what the image then gets (plan): guest_mode, network, storage */
	bool hides_others;   /* where it holds, the type's other findings are noise */
};

/* The values a check rule's `field` and `outcome` may take. Where a rule with
 * `hides_others: true` holds (the image is built for another architecture), the type gets no
 * other finding: the rest would be noise. */
extern const char *const check_fields[];
extern const char *const check_outcomes[];
/* The columns of `plan` a check rule can say something about with `gets`. */
enum { PLAN_GUEST_MODE, PLAN_NETWORK, PLAN_STORAGE, PLAN_COLUMNS };
extern const char *const plan_columns[];

struct ruleset {
	struct rule *rules;
	size_t nrules;
	struct ruleset_priv *priv;
};

extern const struct answer_def answer_defs[AF__COUNT];
extern const char *const op_names[OP__COUNT];
const char *severity_name(enum severity s);

/* Loads rules files; files for another provider are skipped (provider NULL keeps all).
 * Returns NULL when any file has an error; every error is in d. */
struct ruleset *rules_load(const char *provider, const char *const *paths, size_t npaths,
			   struct diags *d);
/* The same for one rules file held in memory (tests and fuzzing). */
struct ruleset *rules_load_buffer(const char *provider, const char *buf, size_t len,
				  const char *name, struct diags *d);
void rules_free(struct ruleset *rs);
/* Checks already parsed rules files (any provider) together, as `validate` does: every
 * problem, duplicate ids across the files included, goes to d. The trees stay the
 * caller's. */
bool rules_check_trees(const struct ytree *const *trees, size_t n, struct diags *d);
const struct rule *rules_find(const struct ruleset *rs, const char *id);

/* True when every condition of r holds for f. *failed gets the index of the first
 * condition that does not hold (nconds when all hold). */
bool rule_matches(const struct rule *r, const struct facts *f, size_t *failed);
bool cond_holds(const struct cond *c, const struct facts *f);
/* True when the rule's only effect is setting `class` (a grouping for summaries, not
 * advice, so reports leave it out of the rationale). */
bool rule_groups_only(const struct rule *r);

#endif
