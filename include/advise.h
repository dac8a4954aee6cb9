/* advise.h: from inputs to an answer: facts -> rules -> advice.
 *
 * advise_run gathers the facts (command-line inputs, the catalog entry, the kernel
 * config), evaluates every rule once and keeps what each did, so the reports can show
 * the answer, the findings, the rationale and, with --explain, every decision. It does
 * no I/O. The struct advice owns its memory (freed by advice_free). */
#ifndef XA_ADVISE_H
#define XA_ADVISE_H

#include "catalog.h"
#include "diag.h"
#include "facts.h"
#include "kconfig.h"
#include "rules.h"

/* What was learned from the machine itself (--provider auto, --imds), for the reports. */
struct instance_info {
	const char *provider_file, *provider_value, *provider_source; /* --provider auto */
	const char *from; /* "imds" or "config-drive", NULL when nothing was asked */
	int imds_version;
	unsigned round_trips;
	const char *config_drive;
	const char *reported_type; /* the instance's own name for its type, if not the entry's */
	const char *image_id, *architecture, *region, *availability_zone, *instance_id;
};

struct advise_input {
	const char *provider, *os, *os_version, *instance_type, *xen_version, *kernel_version;
	const struct kconfig *kconfig;
	const char *kconfig_file;
	const struct instance_info *detected; /* NULL when nothing was detected */
};

struct finding {
	const struct rule *rule;
	enum severity severity;
	const char *message, *fix;
};

struct rule_trace {
	const struct rule *rule;
	bool matched;
	size_t failed; /* first failing condition when !matched */
};

struct class_group {
	const char *klass;
	const char **families; /* "c5" or "m4 (5 of 6)" */
	size_t nfamilies, ntypes;
};

struct advice {
	struct facts facts;
	const struct advise_input *in;
	const struct catalog *catalog;
	const struct cat_entry *entry; /* NULL for the provider-wide answer */
	const char *fields[AF__COUNT];
	const struct rule *field_rules[AF__COUNT];
	const char **kernel_required, **kernel_missing;
	size_t nrequired, nmissing;
	struct finding *findings;
	size_t nfindings;
	struct rule_trace *trace;
	size_t ntrace;
	struct class_group *groups;
	size_t ngroups;
	struct arena *arena;
};

/* Returns NULL and adds a diagnostic when an input names something the catalog does not
 * know (with the nearest names) or memory runs out. */
struct advice *advise_run(const struct advise_input *in, const struct catalog *cat,
			  const struct ruleset *rs, struct diags *d);
void advice_free(struct advice *a);
/* Expands {fact} placeholders in a rule's text with the advice's facts. */
const char *advice_expand(const struct advice *a, const char *tmpl);
/* Worst severity among the findings; -1 when there are none. */
int advice_worst(const struct advice *a);

#endif
