/* test_report.c: the JSON report parses back and has the documented keys; the text report
 * escapes what it prints. */
#include "advise.h"
#include "helpers.h"
#include "report.h"

#include <cjson/cJSON.h>

static char *render(const struct advice *a, bool json, bool explain)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct report_opts o = {.explain = explain};
	if (json)
		cr_assert(report_json(a, &o, f));
	else
		report_text(a, &o, f);
	fclose(f);
	return buf;
}

Test(report, json_has_the_documented_keys)
{
	struct catalog *cat;
	struct ruleset *rs;
	load_installed("ec2", &cat, &rs);
	/* with the check rules loaded too: advice must leave them out */
	rules_free(rs);
	struct pathlist rp = {0};
	cr_assert(pathlist_add(&rp, XA_SRC "/rules") && pathlist_add(&rp, XA_SRC "/rules/check"));
	struct diags d;
	diags_init(&d);
	rs = rules_load("ec2", (const char *const *)rp.v, rp.n, &d);
	pathlist_free(&rp);
	cr_assert_not_null(rs);
	struct advise_input in = {.provider = "ec2", .os = "linux", .instance_type = "m5.large"};
	struct advice *a = advise_run(&in, cat, rs, &d);
	char *s = render(a, true, true);
	cJSON *j = cJSON_Parse(s);
	cr_assert_not_null(j, "valid JSON");
	static const char *const keys[] = {
		"provider",   "os",       "instance_type", "hypervisor", "virtualization_type",
		"guest_mode", "network",  "storage",       "boot_mode",  "architectures",
		"kernel",     "findings", "rationale",     "explain"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		cr_assert(cJSON_HasObjectItem(j, keys[i]), "key %s", keys[i]);
	cJSON *net = cJSON_GetObjectItem(j, "network");
	cr_assert_str_eq(cJSON_GetObjectItem(net, "kind")->valuestring, "ena");
	cr_assert_str_eq(cJSON_GetObjectItem(net, "image_attribute")->valuestring,
			 "enaSupport=true");
	cr_assert(cJSON_HasObjectItem(net, "driver"));
	cr_assert(cJSON_HasObjectItem(cJSON_GetObjectItem(j, "storage"), "driver"));
	cJSON *k = cJSON_GetObjectItem(j, "kernel");
	cr_assert(cJSON_IsArray(cJSON_GetObjectItem(k, "required")));
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(k, "missing")), "no config, so unknown");
	cJSON *f;
	cJSON_ArrayForEach(f, cJSON_GetObjectItem(j, "findings"))
	{
		cr_assert(cJSON_IsString(cJSON_GetObjectItem(f, "id")));
		cr_assert(cJSON_IsString(cJSON_GetObjectItem(f, "severity")));
		cr_assert(cJSON_IsString(cJSON_GetObjectItem(f, "message")));
	}
	cJSON *r;
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(j, "rationale"))
	{
		cr_assert(cJSON_IsString(cJSON_GetObjectItem(r, "rule")));
		cr_assert(cJSON_IsString(cJSON_GetObjectItem(r, "text")));
		cr_assert(cJSON_IsString(cJSON_GetObjectItem(r, "source")));
	}
	int advice_rules = 0;
	for (size_t i = 0; i < rs->nrules; i++)
		advice_rules += !rs->rules[i].check;
	cr_assert_lt(advice_rules, (int)rs->nrules, "the check rules are loaded too");
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "explain")), advice_rules,
		     "every advice rule is explained, and no check rule");
	cJSON_Delete(j);
	free(s);
	advice_free(a);
	catalog_free(cat);
	rules_free(rs);
	diags_free(&d);
}

Test(report, text_escapes_catalog_strings)
{
	const char *cat_text = "kind: catalog\nprovider: ec2\nsource: s\nentries:\n"
			       "  \"x\\e]0;owned\\a.large\": {hypervisor: nitro, ena: required}\n";
	const char *rules_text = "kind: rules\nprovider: ec2\nsource: s\nrules:\n"
				 "  - {id: r, title: t, rationale: 'on {instance_type}',\n"
				 "     set: {summary: 'type {instance_type}'}}\n";
	struct diags d;
	diags_init(&d);
	struct catalog *cat = catalog_load_buffer("ec2", cat_text, strlen(cat_text), "c", &d);
	struct ruleset *rs = rules_load_buffer("ec2", rules_text, strlen(rules_text), "r", &d);
	cr_assert(cat && rs);
	struct advise_input in = {
		.provider = "ec2", .os = "linux", .instance_type = "x\033]0;owned\007.large"};
	struct advice *a = advise_run(&in, cat, rs, &d);
	cr_assert_not_null(a);
	char *s = render(a, false, true);
	cr_assert_null(strchr(s, '\033'), "no raw escape reaches the terminal");
	cr_assert_null(strchr(s, '\007'));
	cr_assert(strstr(s, "type x\\x1b]0;owned\\x07.large"));
	free(s);
	s = render(a, true, false);
	cr_assert_null(strchr(s, '\033'), "JSON escapes control characters too");
	cr_assert(strstr(s, "\\u001b]0;owned\\u0007.large"));
	free(s);
	advice_free(a);
	catalog_free(cat);
	rules_free(rs);
	diags_free(&d);
}
