/* plan.h: which instance types an image can run on, and how fast.
 *
 * The verdict for each (image, type) comes from the check rules (check.h), so `plan` and
 * `check` cannot disagree: the worst outcome among the findings that hold for the type
 * (cannot-launch > unreachable > slow > ok; advice findings do not count). The guest mode,
 * network and storage are the advisor's answer for the type with the image's kernel and OS,
 * overridden by what the holding check rules say the image then gets (`gets:`). */
#ifndef XA_PLAN_H
#define XA_PLAN_H

#include "check.h"

enum verdict { V_OK, V_SLOW, V_UNREACHABLE, V_CANNOT_LAUNCH, V__COUNT };
extern const char *const verdict_names[V__COUNT]; /* ok, slow, unreachable, cannot-launch */

struct plan_opts {
	struct check_opts check; /* the type selection and ignores */
	const char *network;     /* only types whose enhanced networking is ena, intel-vf, none */
	double min_network;      /* only types with at least this many Gbps (0: any) */
	const char *arch;        /* only types that run this architecture */
};

struct plan_row {
	const struct cat_entry *type;
	const char *family;
	size_t family_size; /* how many types the catalog has in that family */
	enum verdict verdict;
	const char *col[PLAN_COLUMNS];     /* guest mode, network, storage ("-" when unknown) */
	const char *advised[PLAN_COLUMNS]; /* what the advisor recommends for the type */
	const struct rule *const *reasons; /* every check rule that holds, in rule order */
	const char *const *messages;       /* their messages, filled in for this image */
	const char *const *fixes;          /* their fixes, filled in likewise */
	size_t nreasons;
};

struct plan_change {
	const struct rule *rule;
	const char *fix;
	size_t types; /* types that would run at full speed if only this were fixed */
};

struct plan_summary {
	size_t total, count[V__COUNT];
	/* per family (in name order) and verdict, how many types */
	const char *const *families;
	const size_t (*family_count)[V__COUNT];
	size_t nfamilies;
	struct plan_change changes[6]; /* the fixes that open the most types, most first */
	size_t nchanges;
};

typedef bool (*plan_row_fn)(const struct plan_row *r, void *arg);

struct planner;

/* check_rs holds the check rules, advise_rs the advice rules (the same ruleset may serve
 * both). NULL with an error in d for unknown types in the options. */
struct planner *planner_new(const struct catalog *cat, const struct ruleset *check_rs,
			    const struct ruleset *advise_rs, const struct plan_opts *o,
			    struct diags *d);
void planner_free(struct planner *p);

/* One row per selected type, in name order, then the summary (valid until the next run). */
bool planner_run(struct planner *p, const struct image *img, const struct kconfig *kc,
		 plan_row_fn each, void *arg, const struct plan_summary **sum, struct diags *d);

/* For --from/--to: judge the image once (planner_prepare), then ask for the row of any
 * type it was judged against (planner_row; false for an unknown type). A row lives until
 * the next call. */
bool planner_prepare(struct planner *p, const struct image *img, const struct kconfig *kc,
		     struct diags *d);
bool planner_row(struct planner *p, const char *type, struct plan_row *out);
/* The advisor's kernel options for a type, with the image's OS (NULL-terminated, valid
 * until the next call). */
const char *const *planner_kernel_needs(struct planner *p, const struct image *img,
					const struct kconfig *kc, const char *type);

/* "25 Gigabit", "Up to 10 Gigabit", "4x 100 Gigabit" -> Gbps; words ("High") -> 0. */
double network_gbps(const char *s);

#endif
