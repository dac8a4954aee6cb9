/* check.h: judging image definitions against instance types with the check rules.
 *
 * Every (image, target type) pair gets the same facts an advice would (the type's catalog
 * facts) plus the image's (image.h), and every rule of a `scope: check` file is tried on
 * it. A finding is reported once per image and rule, with the list of target types it
 * holds for. Types whose catalog facts the rules cannot tell apart form one class and are
 * evaluated once, and images with the same attributes reuse each other's results, so the
 * cost per pair is small and constant. No I/O. */
#ifndef XA_CHECK_H
#define XA_CHECK_H

#include "catalog.h"
#include "diag.h"
#include "image.h"
#include "kconfig.h"
#include "rules.h"

struct check_opts {
	const char *const *types; /* --instance-types: names and globs; NULL: all */
	size_t ntypes;
	const char *hypervisor;    /* --hypervisor xen|nitro|none, or NULL */
	bool current_generation;   /* --current-generation */
	const char *const *ignore; /* rule ids ignored everywhere */
	size_t nignore;
	bool want_types; /* findings list every type (JSON, SARIF); else families and counts */
};

struct check_finding {
	const struct rule *rule;
	const struct image *img;
	int line, col;                        /* the field at fault, else the image */
	const char *message, *fix;            /* placeholders filled in */
	const struct cat_entry *const *types; /* the target types it holds for, by name; NULL
						 unless check_opts.want_types */
	const struct cat_entry *first;        /* the first of them by name */
	size_t ntypes;
	const unsigned *family_counts;   /* by family number: how many of the types are in it */
	const char *const *family_names; /* by family number: "c5", "m4" (in name order) */
	size_t nfamilies;
	size_t ntargets;     /* how many types the image was checked against */
	const char *ignored; /* set when the image's own ignore list names the rule: its reason */
};

/* Called for each finding; everything in it lives until the call returns. */
typedef bool (*finding_fn)(const struct check_finding *f, void *arg);

struct checker;

/* NULL (and an error in d) when --instance-types names a type the catalog lacks, or when
 * memory runs out. */
struct checker *checker_new(const struct catalog *cat, const struct ruleset *rs,
			    const struct check_opts *o, struct diags *d);
void checker_free(struct checker *c);

/* Checks one image (kc: its kernel config, or NULL) and hands out its findings in rule
 * order. Unknown instance types the image names are errors in d, at the image's list.
 * Returns false when `each` asks to stop or memory runs out. */
bool checker_run(struct checker *c, const struct image *img, const struct kconfig *kc,
		 finding_fn each, void *arg, struct diags *d);

/* The same judgement without the findings, for `plan`: after checker_prepare,
 * checker_targets gives the selected catalog entries (sel[i] != 0) and checker_type_rules
 * the rules that hold for entry i, as checker_run would report them (out, and idx when not
 * NULL: their numbers in checker_rules order; room for every check rule). Only the types
 * the image was judged against (its own, else the options') have any. */
bool checker_prepare(struct checker *c, const struct image *img, const struct kconfig *kc,
		     struct diags *d);
size_t checker_targets(const struct checker *c, const unsigned char **sel);
size_t checker_type_rules(const struct checker *c, size_t entry, const struct rule **out,
			  size_t *idx);

/* The check rules, in load order. */
const struct rule *const *checker_rules(const struct checker *c, size_t *n);

#endif
