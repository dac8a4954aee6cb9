/* fuzz_check.c: libFuzzer target for the whole `check` and `plan` path on fuzzed image
 * definitions: every image a reader hands out is judged against the installed EC2 catalog
 * and rules, and every finding goes through every report format (to /dev/null), so names
 * and values of any shape meet the escaping code; then `plan` gives its rows. */
#include "check.h"
#include "plan.h"
#include "report_check.h"
#include "report_plan.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static struct catalog *cat;
static struct ruleset *rs;
static struct checker *chk;
static struct planner *pl;
static struct check_report *reps[6];
static struct plan_report *preps[3];
static FILE *sink;
static struct check_opts co = {.want_types = true};
static struct plan_opts po;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	struct diags d;
	diags_init(&d);
	const char *cpaths[] = {XA_SRC "/catalogs/ec2/instance-types.yaml",
				XA_SRC "/catalogs/ec2/overlay.yaml"};
	const char *rpaths[] = {XA_SRC "/rules/ec2.yaml", XA_SRC "/rules/check/ec2.yaml"};
	cat = catalog_load("ec2", cpaths, 2, &d);
	rs = rules_load("ec2", rpaths, 2, &d);
	sink = fopen("/dev/null", "w");
	if (cat == NULL || rs == NULL || sink == NULL)
		abort();
	chk = checker_new(cat, rs, &co, &d);
	pl = planner_new(cat, rs, rs, &po, &d);
	size_t n;
	const struct rule *const *rules = checker_rules(chk, &n);
	for (int f = 0; f < 6; f++)
		reps[f] = check_report_new((enum check_format)f, sink, true, rules, n, "/docs", SEV_INFO);
	for (int f = 0; f < 3; f++)
		preps[f] = plan_report_new((enum plan_format)f, sink);
	diags_free(&d);
	return 0;
}

static bool on_finding(const struct check_finding *f, void *arg)
{
	(void)arg;
	for (int k = 0; k < 6; k++)
		check_report_finding(reps[k], f);
	return true;
}

static const struct image *cur;

static bool on_row(const struct plan_row *r, void *arg)
{
	(void)arg;
	for (int k = 0; k < 3; k++)
		plan_report_row(preps[k], cur, r);
	return true;
}

static bool on_image(const struct image *img, void *arg)
{
	struct diags *d = arg;
	checker_run(chk, img, NULL, on_finding, NULL, d);
	for (int k = 0; k < 6; k++)
		check_report_image_done(reps[k], img);
	cur = img;
	const struct plan_summary *s = NULL;
	for (int k = 0; k < 3; k++)
		plan_report_image(preps[k], img);
	planner_run(pl, img, NULL, on_row, NULL, &s, d);
	for (int k = 0; s && k < 3; k++)
		plan_report_summary(preps[k], s);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d;
	diags_init(&d);
	images_read_buffer((const char *)data, size, "fuzz", NULL, on_image, &d, &d);
	diags_free(&d);
	return 0;
}
