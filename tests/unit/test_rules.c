/* test_rules.c: the rule language: load-time validation and the one-sentence semantics
 * ("rules are tried in load order; a rule applies when all its conditions hold, where a
 * condition on an unknown fact never holds (except `present: false`); every applying rule
 * contributes its finding and kernel options, and each answer field takes the value of
 * the last applying rule that sets it"). */
#include "advise.h"
#include "helpers.h"
#include "rules.h"

static struct ruleset *load_str(const char *text, struct diags *d, char **path)
{
	*path = tmpfile_str(text);
	const char *p[] = {*path};
	return rules_load("ec2", p, 1, d);
}

#define HDR "kind: rules\nprovider: ec2\nsource: test\nrules:\n"

static const char one_entry[] = "kind: catalog\nprovider: ec2\nsource: t\n"
				"entries:\n  x1.test: {hypervisor: xen}\n";

static const char semantics[] = HDR "  - id: first\n"
				    "    title: sets mode and a finding\n"
				    "    when: {hypervisor: xen}\n"
				    "    set: {guest_mode: pvhvm, network.kind: none}\n"
				    "    kernel: [CONFIG_XEN]\n"
				    "    finding: {severity: info, message: first}\n"
				    "    rationale: r\n"
				    "  - id: second\n"
				    "    title: overrides the mode\n"
				    "    when: {hypervisor: [xen, nitro]}\n"
				    "    set: {guest_mode: hvm}\n"
				    "    kernel: [CONFIG_XEN, CONFIG_PCI]\n"
				    "    finding: {severity: warning, message: second}\n"
				    "    rationale: r\n"
				    "  - id: unknown-fact\n"
				    "    title: never applies when kernel_config is unknown\n"
				    "    when: {kernel_config: {lacks: CONFIG_XEN}}\n"
				    "    set: {guest_mode: pv}\n"
				    "    rationale: r\n"
				    "  - id: absent-fact\n"
				    "    title: applies because kernel_config is unknown\n"
				    "    when: {kernel_config: {present: false}}\n"
				    "    set: {storage.driver: x}\n"
				    "    rationale: r\n"
				    "  - id: not-matching\n"
				    "    title: does not apply\n"
				    "    when: {hypervisor: nitro}\n"
				    "    set: {network.kind: ena}\n"
				    "    finding: {severity: error, message: never}\n"
				    "    rationale: r\n";

Test(rules, semantics_last_applying_rule_wins_every_finding_counts)
{
	struct diags d;
	diags_init(&d);
	char *path;
	struct ruleset *rs = load_str(semantics, &d, &path);
	if (rs == NULL)
		diags_dump(&d);
	cr_assert_not_null(rs);
	cr_assert_eq(rs->nrules, 5);

	/* matching alone, with hypervisor=xen; the next test runs the whole pipeline */
	struct facts f = {0};
	f.v[F_PROVIDER] = (struct fact_value){.known = true, .s = "ec2"};
	f.v[F_HYPERVISOR] = (struct fact_value){.known = true, .s = "xen"};
	cr_assert(rule_matches(&rs->rules[0], &f, NULL));
	cr_assert(rule_matches(&rs->rules[1], &f, NULL));
	size_t failed = 99;
	cr_assert_not(rule_matches(&rs->rules[2], &f, &failed), "unknown fact never holds");
	cr_assert_eq(failed, 1, "the provider condition holds, the kernel_config one fails");
	cr_assert(rule_matches(&rs->rules[3], &f, NULL), "present: false holds on unknown");
	cr_assert_not(rule_matches(&rs->rules[4], &f, NULL));
	rules_free(rs);
	unlink(path);
	free(path);
	diags_free(&d);
}

Test(rules, semantics_through_advise)
{
	/* a one-entry catalog gives the facts, the rules above decide */
	struct catalog *cat;
	struct ruleset *rs;
	load_texts(one_entry, semantics, &cat, &rs);
	struct diags d;
	diags_init(&d);
	struct advise_input in = {.provider = "ec2", .os = "linux", .instance_type = "x1.test"};
	struct advice *a = advise_run(&in, cat, rs, &d);
	cr_assert_not_null(a);
	cr_assert_str_eq(a->fields[AF_GUEST_MODE], "hvm", "the later rule wins");
	cr_assert_str_eq(a->field_rules[AF_GUEST_MODE]->id, "second");
	cr_assert_str_eq(a->fields[AF_NET_KIND], "none", "a field only the first sets stays");
	cr_assert_str_eq(a->fields[AF_STORAGE_DRIVER], "x");
	cr_assert_eq(a->nfindings, 2, "both applying rules' findings are reported");
	cr_assert_str_eq(a->findings[0].message, "first");
	cr_assert_str_eq(a->findings[1].message, "second");
	cr_assert_eq(a->nrequired, 2, "kernel options are a union");
	cr_assert_eq(advice_worst(a), SEV_WARNING);
	advice_free(a);
	catalog_free(cat);
	rules_free(rs);
	diags_free(&d);
}

Test(rules, validation_reports_everything_at_once)
{
	const char *bad =
		HDR "  - id: a-rule\n" /* 5 */
		    "    title: t\n"
		    "    when: {hypervisr: xen}\n" /* 7: unknown fact */
		    "    set: {guest_mode: pvhvm}\n"
		    "    rationale: r\n"
		    "  - id: a-rule\n" /* 10: duplicate id */
		    "    title: t\n"
		    "    when: {hypervisor: {eqq: xen}}\n" /* 12: unknown operator */
		    "    set: {guest_mode: turbo}\n"       /* 13: bad value */
		    "    rationale: r\n"
		    "    colour: red\n" /* 15: unknown key */
		    "  - id: typed\n"
		    "    title: t\n"
		    "    when: {bare_metal: yes, kernel_version: {has: x}}\n" /* 18: type errors */
		    "    set: {guest_mod: pv}\n" /* 19: unknown field */
		    "    rationale: r\n"
		    "  - id: no-source-no-effect\n" /* 21 */
		    "    title: t\n"
		    "    rationale: r\n"
		    "  - id: enum\n"
		    "    title: t\n"
		    "    when: {hypervisor: kvm, ena: [maybe]}\n"               /* 26 */
		    "    finding: {severity: fatal, message: '{nosuchfact}'}\n" /* 27 */
		    "    rationale: r\n";
	struct diags d;
	diags_init(&d);
	char *path;
	cr_assert_null(load_str(bad, &d, &path));
	cr_assert(diags_find(&d, 7, 12, "unknown fact 'hypervisr' (did you mean 'hypervisor'?)"));
	cr_assert(diags_find(&d, 10, 9, "duplicate rule id 'a-rule'"));
	cr_assert(diags_find(&d, 12, 25, "unknown operator 'eqq' (did you mean 'eq'?)"));
	cr_assert(diags_find(&d, 13, 23, "'turbo' is not one of"));
	cr_assert(diags_find(&d, 15, 5, "unknown key 'colour'"));
	cr_assert(diags_find(&d, 18, 24, "bare_metal must be true or false"));
	cr_assert(diags_find(&d, 18, 46, "operator 'has' does not apply to version fact"));
	cr_assert(diags_find(&d, 19, 11, "unknown answer field 'guest_mod'"));
	cr_assert(diags_find(&d, 21, 5, "has no effect"));
	cr_assert(diags_find(&d, 26, 24, "'kvm' is not one of"));
	cr_assert(diags_find(&d, 26, 34, "'maybe' is not one of"));
	cr_assert(diags_find(&d, 27, 25, "'fatal' is not one of"));
	cr_assert(diags_find(&d, 27, 41, "unknown fact '{nosuchfact}'"));
	for (size_t i = 0; i < d.n; i++)
		cr_assert_str_eq(d.v[i].file, path);
	unlink(path);
	free(path);
	diags_free(&d);
}

Test(rules, file_level_checks)
{
	struct diags d;
	diags_init(&d);
	char *path;
	cr_assert_null(load_str("kind: catalog\nprovider: ec2\nrules: []\n", &d, &path));
	cr_assert(diags_find(&d, 1, 7, "expected 'rules'"));
	unlink(path);
	free(path);
	cr_assert_null(load_str("- just\n- a list\n", &d, &path));
	cr_assert(diags_find(&d, 1, 1, "must be a mapping"));
	unlink(path);
	free(path);
	cr_assert_null(load_str("kind: rules\nprovider: gcp\nrules: []\n", &d, &path));
	cr_assert(diags_find(&d, 2, 11, "'gcp' is not one of"));
	unlink(path);
	free(path);
	diags_free(&d);
}

Test(rules, other_provider_files_are_skipped)
{
	struct diags d;
	diags_init(&d);
	char *path = tmpfile_str(
		"kind: rules\nprovider: rackspace\nrules:\n"
		"  - {id: r, title: t, rationale: r, source: s, set: {guest_mode: pv}}\n");
	const char *p[] = {path};
	struct ruleset *rs = rules_load("ec2", p, 1, &d);
	cr_assert_not_null(rs);
	cr_assert_eq(rs->nrules, 0);
	rules_free(rs);
	rs = rules_load(NULL, p, 1, &d);
	cr_assert_eq(rs->nrules, 1);
	cr_assert_eq(rs->rules[0].conds[0].fact, F_PROVIDER, "the file's provider is a condition");
	rules_free(rs);
	unlink(path);
	free(path);
	diags_free(&d);
}

Test(rules, operators)
{
	const char *words1[] = {"4.11", NULL};
	struct facts f = {0};
	f.v[F_KERNEL_VERSION] = (struct fact_value){.known = true, .s = "4.9.0"};
	struct cond c = {.fact = F_KERNEL_VERSION, .op = OP_LT, .words = words1, .nwords = 1};
	cr_assert(cond_holds(&c, &f), "4.9.0 < 4.11 (numeric, not string order)");
	c.op = OP_GE;
	cr_assert_not(cond_holds(&c, &f));
	f.v[F_KERNEL_VERSION].s = "6.1.0-13-amd64";
	cr_assert(cond_holds(&c, &f));

	const char *glob[] = {"m4.*", NULL};
	f.v[F_INSTANCE_TYPE] = (struct fact_value){.known = true, .s = "m4.16xlarge"};
	struct cond m = {.fact = F_INSTANCE_TYPE, .op = OP_MATCH, .words = glob, .nwords = 1};
	cr_assert(cond_holds(&m, &f));

	const char *opts[] = {"CONFIG_A", "CONFIG_B", NULL};
	const char *set[] = {"CONFIG_A", "CONFIG_C"};
	f.v[F_KERNEL_CONFIG] = (struct fact_value){.known = true, .list = set, .n = 2};
	struct cond h = {.fact = F_KERNEL_CONFIG, .op = OP_HAS, .words = opts, .nwords = 2};
	cr_assert_not(cond_holds(&h, &f), "has needs every word");
	h.op = OP_LACKS;
	cr_assert_not(cond_holds(&h, &f), "lacks needs every word absent");
	h.nwords = 1;
	h.words = opts + 1;
	cr_assert(cond_holds(&h, &f));

	const char *devs[] = {"/dev/xvd*", "/dev/sd*", NULL};
	const char *fstab[] = {"UUID=abc", "/dev/sdb1"};
	f.v[F_KERNEL_MODULES] = (struct fact_value){.known = true, .list = fstab, .n = 2};
	struct cond lm = {.fact = F_KERNEL_MODULES, .op = OP_MATCH, .words = devs, .nwords = 2};
	cr_assert(cond_holds(&lm, &f), "match on a list: some item matches some pattern");
	lm.nwords = 1;
	cr_assert_not(cond_holds(&lm, &f));

	/* $fact: the other fact's value stands in for the operand */
	const char *archs[] = {"x86_64"};
	f.v[F_ARCHITECTURES] = (struct fact_value){.known = true, .list = archs, .n = 1};
	struct cond r = {.fact = F_ARCHITECTURES, .op = OP_LACKS, .has_ref = true, .ref = F_OS};
	cr_assert_not(cond_holds(&r, &f), "an unknown referenced fact never holds");
	f.v[F_OS] = (struct fact_value){.known = true, .s = "arm64"};
	cr_assert(cond_holds(&r, &f));
	f.v[F_OS].s = "x86_64";
	cr_assert_not(cond_holds(&r, &f));

	struct cond b = {.fact = F_BARE_METAL, .op = OP_EQ, .b = false};
	cr_assert_not(cond_holds(&b, &f), "unknown bool never equals");
	b.op = OP_NE;
	cr_assert_not(cond_holds(&b, &f), "unknown bool never differs either");
	b.op = OP_PRESENT;
	cr_assert(cond_holds(&b, &f));
}

Test(rules, installed_rules_load_and_have_sources)
{
	struct catalog *cat;
	struct ruleset *rs;
	load_installed("ec2", &cat, &rs);
	cr_assert_gt(rs->nrules, 20);
	for (size_t i = 0; i < rs->nrules; i++) {
		cr_assert(rs->rules[i].source && strlen(rs->rules[i].source) > 8,
			  "rule %s needs a source", rs->rules[i].id);
		cr_assert(rs->rules[i].rationale && *rs->rules[i].rationale);
	}
	catalog_free(cat);
	rules_free(rs);
}

Test(rules, null_clears_a_field_an_earlier_rule_set)
{
	struct catalog *cat;
	struct ruleset *rs;
	load_texts(
		one_entry,
		HDR
		"  - {id: a, title: t, rationale: r, set: {network.min_driver_version: '>= 2'}}\n"
		"  - {id: b, title: t, rationale: r, set: {network.min_driver_version: null}}\n",
		&cat, &rs);
	struct diags d;
	diags_init(&d);
	struct advise_input in = {.provider = "ec2", .os = "linux", .instance_type = "x1.test"};
	struct advice *a = advise_run(&in, cat, rs, &d);
	cr_assert_null(a->fields[AF_NET_MIN_DRIVER]);
	cr_assert_str_eq(a->field_rules[AF_NET_MIN_DRIVER]->id, "b");
	advice_free(a);
	catalog_free(cat);
	rules_free(rs);
	diags_free(&d);
}

Test(rules, fact_references_are_checked_at_load)
{
	const char *y = "kind: rules\nprovider: ec2\nsource: s\nrules:\n"
			"  - id: a\n    title: t\n    rationale: r\n"
			"    when: {architectures: {lacks: $nope}}\n    set: {summary: x}\n"
			"  - id: b\n    title: t\n    rationale: r\n"
			"    when: {architectures: {lacks: $kernel_config}}\n    set: {summary: x}\n"
			"  - id: c\n    title: t\n    rationale: r\n"
			"    when: {architectures: {lacks: $os}, instance_type: {match: [\"c*\", \"m*\"]}}\n"
			"    set: {summary: x}\n";
	struct diags d;
	diags_init(&d);
	cr_assert_null(rules_load_buffer("ec2", y, strlen(y), "r.yaml", &d));
	cr_assert(diags_find(&d, 8, 0, "'$nope' must name one string or version fact"));
	cr_assert(diags_find(&d, 13, 0, "'$kernel_config' must name"));
	cr_assert_eq(d.errors, 2, "rule c is valid");
	diags_free(&d);
}

Test(rules, check_rules_need_a_finding_a_field_and_examples)
{
	const char *y = "kind: rules\nprovider: ec2\nscope: check\nsource: s\nrules:\n"
			"  - id: a\n    title: t\n    rationale: r\n"
			"    when: {image_ena_support: false}\n    set: {summary: x}\n"
			"  - id: b\n    title: t\n    rationale: r\n    field: colour\n"
			"    finding: {severity: error, message: m}\n"
			"  - id: c\n    title: t\n    rationale: r\n    field: ena_support\n"
			"    finding: {severity: error, message: m}\n"
			"    example: {bad: x, good: y}\n    outcome: slow\n";
	struct diags d;
	diags_init(&d);
	cr_assert_null(rules_load_buffer("ec2", y, strlen(y), "c.yaml", &d));
	cr_assert(diags_find(&d, 6, 0, "check rule 'a' needs a finding"));
	cr_assert(diags_find(&d, 6, 0, "cannot set answer fields"));
	cr_assert(diags_find(&d, 6, 0, "needs an example"));
	cr_assert(diags_find(&d, 14, 0, "colour"));
	cr_assert(diags_find(&d, 11, 0, "check rule 'b' needs an example"));
	cr_assert(diags_find(&d, 11, 0, "check rule 'b' needs an outcome"));
	cr_assert_eq(d.errors, 7, "rule c is valid");
	diags_free(&d);
	const char *adv = "kind: rules\nprovider: ec2\nsource: s\nrules:\n"
			  "  - id: a\n    title: t\n    rationale: r\n    field: image\n"
			  "    set: {summary: x}\n";
	diags_init(&d);
	cr_assert_null(rules_load_buffer("ec2", adv, strlen(adv), "a.yaml", &d));
	cr_assert(diags_find(&d, 8, 0, "belong to rules files with `scope: check`"));
	diags_free(&d);
}
