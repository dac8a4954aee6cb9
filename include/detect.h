/* detect.h: from a probe to what the guest is, and what it is missing.
 *
 * detect_decide runs the detect rules (rules/detect/mode.yaml, `scope: detect`) over the
 * probe's facts: each rule that holds sets answer fields (hypervisor, provider, dom0,
 * instance_type, guest_mode and its note), and what it concludes becomes a fact for the
 * rules after it (detected_hypervisor, detected_guest_mode, dom0). detect_gaps then runs
 * the gap rules (`scope: gaps`) over the same facts plus the advisor's answer for this
 * instance type, and adds the kernel options the advisor requires that the running
 * kernel lacks. Gaps come out by severity, then in rule order. No I/O. */
#ifndef XA_DETECT_H
#define XA_DETECT_H

#include "advise.h"
#include "probe.h"
#include "rules.h"

struct gap {
	const char *id;
	enum severity severity;
	const char *message, *fix;
	const struct rule *rule; /* NULL for a kernel option the advisor requires */
};

struct detection {
	struct facts facts;
	const char *fields[AF__COUNT];
	const struct rule *why[AF__COUNT]; /* the rule that set each field */
	struct gap *gaps;
	size_t ngaps;
	struct arena *arena;
};

/* NULL when memory runs out. */
struct detection *detect_decide(const struct probe *p, const struct ruleset *rs);
/* a may be NULL (no advice: unknown provider or not a cloud guest). */
bool detect_gaps(struct detection *dt, const struct ruleset *rs, const struct advice *a);
void detection_free(struct detection *dt);
/* Worst gap severity, or -1. */
int detection_worst(const struct detection *dt);

#endif
