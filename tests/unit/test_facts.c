/* test_facts.c: the fact table, values and the schema helpers loaders share. */
#include "arena.h"
#include "facts.h"
#include "helpers.h"
#include "schema.h"
#include "ytree.h"

Test(facts, table_is_complete_and_lookup_works)
{
	for (int i = 0; i < F__COUNT; i++) {
		cr_assert_not_null(fact_defs[i].name, "fact %d has a name", i);
		cr_assert_eq(fact_lookup(fact_defs[i].name), i);
		cr_assert_not_null(fact_defs[i].doc);
		cr_assert_eq(fact_defs[i].from_catalog, i < F__CATALOG,
			     "catalog facts come first in the table: %s", fact_defs[i].name);
	}
	cr_assert_eq(fact_lookup("hypervisr"), -1);
	cr_assert_eq(fact_lookup(""), -1);
	cr_assert(fact_value_allowed(F_HYPERVISOR, "nitro"));
	cr_assert_not(fact_value_allowed(F_HYPERVISOR, "kvm"));
	cr_assert(fact_value_allowed(F_INSTANCE_TYPE, "anything"));
}

Test(facts, sets_use_binary_search)
{
	const char *opts[40];
	char names[40][16];
	for (int i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "CONFIG_%02d", i);
		opts[i] = names[i];
	}
	struct fact_value v = {.list = opts, .n = 40, .known = true};
	cr_assert(fact_has(&v, "CONFIG_00"));
	cr_assert(fact_has(&v, "CONFIG_39"));
	cr_assert_not(fact_has(&v, "CONFIG_40"));
	v.known = false;
	cr_assert_not(fact_has(&v, "CONFIG_00"), "an unknown set has nothing");
	char buf[64];
	v.known = true;
	cr_assert_str_eq(fact_format(&v, FT_SET, buf, sizeof(buf)), "40 options");
	struct fact_value l = {.list = opts, .n = 2, .known = true};
	cr_assert_str_eq(fact_format(&l, FT_LIST, buf, sizeof(buf)), "CONFIG_00, CONFIG_01");
	struct fact_value b = {.b = true, .known = true};
	cr_assert_str_eq(fact_format(&b, FT_BOOL, buf, sizeof(buf)), "true");
	struct fact_value u = {0};
	cr_assert_str_eq(fact_format(&u, FT_STRING, buf, sizeof(buf)), "(unknown)");
}

Test(schema, helpers_report_with_positions)
{
	const char *text = "a: [x, y]\nb: yes\nc: {k: v}\nd: ''\ne: z\n";
	struct diags d;
	diags_init(&d);
	struct ytree *t = ytree_parse(text, strlen(text), "s.yaml", &d);
	cr_assert_not_null(t);
	struct arena *ar = arena_new();
	struct schema_ctx c = {"s.yaml", &d, ar};
	size_t n;
	const char **l = sch_strlist(&c, ymap_get(t->root, "a"), "a", &n);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(l[1], "y");
	l = sch_strlist(&c, ymap_get(t->root, "e"), "e", &n);
	cr_assert_eq(n, 1, "a scalar is a one-item list");
	bool b;
	cr_assert_not(sch_bool(&c, ymap_get(t->root, "b"), "b", &b), "yes is not a boolean here");
	cr_assert_null(sch_str(&c, ymap_get(t->root, "c"), "c"));
	cr_assert_str_eq(sch_str(&c, ymap_get(t->root, "d"), "d"), "",
			 "a quoted empty string is fine");
	static const char *const keys[] = {"a", "b", "c", "d", NULL};
	sch_keys(&c, t->root, keys, "the file");
	static const char *const vals[] = {"p", "q", NULL};
	cr_assert_not(sch_enum(&c, ymap_get(t->root, "e"), "z", vals, "e"));
	cr_assert(diags_find(&d, 2, 4, "b must be true or false"));
	cr_assert(diags_find(&d, 3, 4, "c must be a string, not a mapping"));
	cr_assert(diags_find(&d, 5, 1, "unknown key 'e' in the file"));
	cr_assert(diags_find(&d, 5, 4, "e: 'z' is not one of: p, q"));
	arena_free(ar);
	ytree_free(t);
	diags_free(&d);
}
