/* test_ytree.c: the YAML/JSON tree and what it refuses. */
#include "helpers.h"
#include "ytree.h"

static struct ytree *parse(const char *s, struct diags *d)
{
	return ytree_parse(s, strlen(s), "t.yaml", d);
}

Test(ytree, mapping_with_positions)
{
	struct diags d;
	diags_init(&d);
	struct ytree *t = parse("a: 1\nb:\n  - x\n  - \"y\"\n", &d);
	cr_assert_not_null(t);
	cr_assert_eq(t->root->kind, YN_MAP);
	cr_assert_eq(t->root->n, 2);
	const struct ynode *b = ymap_get(t->root, "b");
	cr_assert_eq(b->kind, YN_SEQ);
	cr_assert_eq(b->n, 2);
	cr_assert_eq(b->items[1]->line, 4);
	cr_assert_eq(b->items[1]->col, 5);
	cr_assert(b->items[0]->plain);
	cr_assert(!b->items[1]->plain);
	cr_assert_str_eq(ymap_get(t->root, "a")->str, "1");
	cr_assert_null(ymap_get(t->root, "c"));
	ytree_free(t);
	diags_free(&d);
}

Test(ytree, json_is_accepted)
{
	struct diags d;
	diags_init(&d);
	struct ytree *t = parse("{\n  \"InstanceTypes\": [ {\"BareMetal\": false} ]\n}\n", &d);
	cr_assert_not_null(t);
	const struct ynode *l = ymap_get(t->root, "InstanceTypes");
	cr_assert_eq(l->kind, YN_SEQ);
	cr_assert_str_eq(ymap_get(l->items[0], "BareMetal")->str, "false");
	ytree_free(t);
	diags_free(&d);
}

Test(ytree, alias_bomb_is_refused)
{
	struct diags d;
	diags_init(&d);
	const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
			   "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
	cr_assert_null(parse(bomb, &d));
	cr_assert(diags_find(&d, 2, 8, "aliases"), "alias error at 2:8");
	diags_free(&d);
}

Test(ytree, duplicate_keys_are_reported_with_both_lines)
{
	struct diags d;
	diags_init(&d);
	/* the tree comes back so a loader can report more problems; the errors are in d */
	struct ytree *t = parse("a: 1\nb: 2\na: 3\nb: 4\n", &d);
	cr_assert_not_null(t);
	ytree_free(t);
	cr_assert_eq(d.errors, 2);
	cr_assert(diags_find(&d, 3, 1, "duplicate key 'a' (first at line 1)"));
	cr_assert(diags_find(&d, 4, 1, "duplicate key 'b' (first at line 2)"));
	diags_free(&d);
}

Test(ytree, deep_nesting_is_refused)
{
	struct diags d;
	diags_init(&d);
	char buf[400];
	memset(buf, '[', 200);
	buf[200] = '\0';
	cr_assert_null(parse(buf, &d));
	cr_assert(diags_find(&d, 1, 0, "nested deeper than 64"));
	diags_free(&d);
}

Test(ytree, invalid_utf8_is_an_error_with_position)
{
	struct diags d;
	diags_init(&d);
	cr_assert_null(parse("a: ok\nb: \xff\xfe\n", &d));
	cr_assert_eq(d.n, 1);
	cr_assert(d.v[0].line >= 1);
	cr_assert_str_eq(d.v[0].file, "t.yaml");
	diags_free(&d);
}

Test(ytree, truncated_and_malformed_input)
{
	struct diags d;
	diags_init(&d);
	cr_assert_null(parse("a: [1, 2\n", &d));
	cr_assert_null(parse("a: b: c\n", &d));
	cr_assert_null(parse("{\"a\": \n", &d));
	cr_assert_eq(d.n, 3);
	for (size_t i = 0; i < d.n; i++)
		cr_assert(d.v[i].line >= 1 && d.v[i].col >= 1);
	diags_free(&d);
}

Test(ytree, one_document_only)
{
	struct diags d;
	diags_init(&d);
	cr_assert_null(parse("a: 1\n---\nb: 2\n", &d));
	cr_assert(diags_find(&d, 2, 1, "one YAML document"));
	diags_free(&d);
}

Test(ytree, empty_document_has_no_root)
{
	struct diags d;
	diags_init(&d);
	struct ytree *t = parse("", &d);
	cr_assert_not_null(t);
	cr_assert_null(t->root);
	ytree_free(t);
	diags_free(&d);
}

Test(ytree, embedded_nul_is_refused)
{
	struct diags d;
	diags_init(&d);
	ytree_free(ytree_parse("a: \"x\\0y\"\n", 10, "t.yaml", &d));
	cr_assert_eq(d.errors, 1);
	cr_assert(diags_find(&d, 1, 4, "NUL"));
	diags_free(&d);
}

Test(ytree, unreadable_file)
{
	struct diags d;
	diags_init(&d);
	cr_assert_null(ytree_load("/nonexistent/x.yaml", &d));
	cr_assert(diags_find(&d, 0, 0, "cannot read"));
	diags_free(&d);
}

Test(ytree, huge_file_is_refused_without_reading_it_all)
{
	char *path = tmpfile_sparse((off_t)YTREE_MAX_BYTES + 1);
	struct diags d;
	diags_init(&d);
	cr_assert_null(ytree_load(path, &d));
	cr_assert(diags_find(&d, 0, 0, "file too large"));
	unlink(path);
	free(path);
	diags_free(&d);
}

Test(ytree, a_directory_is_not_a_file)
{
	struct diags d;
	diags_init(&d);
	cr_assert_null(ytree_load("/tmp", &d));
	cr_assert(diags_find(&d, 0, 0, "cannot read"));
	diags_free(&d);
}

struct seen {
	int n, lines[8];
	char names[8][32];
};

static bool collect(const struct ytree *t, const struct ynode *item, void *arg)
{
	(void)t;
	struct seen *s = arg;
	if (s->n < 8) {
		s->lines[s->n] = item->line;
		const struct ynode *name = ymap_get(item, "Name");
		snprintf(s->names[s->n], sizeof(s->names[0]), "%s",
			 name && name->kind == YN_SCALAR ? name->str : item->kind == YN_SCALAR ? item->str : "?");
	}
	s->n++;
	return true;
}

Test(ytree, stream_hands_out_items_one_by_one)
{
	const char *json = "{\"Before\": 1,\n"
			   " \"Images\": [\n"
			   "  {\"Name\": \"a\", \"Deep\": {\"x\": [1, 2]}},\n"
			   "  {\"Name\": \"b\"},\n"
			   "  \"plain\"\n"
			   " ],\n"
			   " \"After\": {\"Images\": [\"not streamed\"]}}\n";
	char *path = tmpfile_str(json);
	struct diags d;
	diags_init(&d);
	struct seen s = {0};
	struct ytree *t = ytree_stream(path, "Images", collect, &s, &d);
	cr_assert_not_null(t);
	cr_assert_eq(d.n, 0);
	cr_assert_eq(s.n, 3);
	cr_assert_str_eq(s.names[0], "a");
	cr_assert_str_eq(s.names[1], "b");
	cr_assert_str_eq(s.names[2], "plain");
	cr_assert_eq(s.lines[0], 3);
	cr_assert_eq(s.lines[1], 4);
	const struct ynode *imgs = ymap_get(t->root, "Images");
	cr_assert(imgs && imgs->kind == YN_SEQ && imgs->n == 0, "the streamed list is left empty");
	const struct ynode *after = ymap_get(t->root, "After");
	cr_assert(after && ymap_get(after, "Images")->n == 1, "only the top-level key streams");
	ytree_free(t);
	unlink(path);
	free(path);
}

Test(ytree, stream_reports_errors_with_positions)
{
	const char *json = "{\"Images\": [\n  {\"Name\": \"a\", \"Name\": \"b\"},\n  {\"Name\": \"c\"\n";
	char *path = tmpfile_str(json);
	struct diags d;
	diags_init(&d);
	struct seen s = {0};
	cr_assert_null(ytree_stream(path, "Images", collect, &s, &d));
	cr_assert(diags_find(&d, 2, 0, "duplicate key 'Name'"));
	cr_assert_eq(s.n, 1, "items before the error were handed out");
	cr_assert(d.n >= 2);
	diags_free(&d);
	unlink(path);
	free(path);
	diags_init(&d);
	cr_assert_null(ytree_stream("/nonexistent/x.json", "Images", collect, &s, &d));
	cr_assert(diags_find(&d, 0, 0, "cannot read"));
	diags_free(&d);
}

Test(ytree, stream_caps_what_is_kept_outside_the_list)
{
	/* a 65 MiB document with no "Images" list: refused before it is all held */
	char *path = tmpfile_str("");
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("{\"builders\": [", f);
	for (int i = 0; i < 65 * 1024; i++)
		fprintf(f, "%s\"%01020d\"", i ? "," : "", 0);
	fputs("]}\n", f);
	fclose(f);
	struct diags d;
	diags_init(&d);
	struct seen s = {0};
	cr_assert_null(ytree_stream(path, "Images", collect, &s, &d));
	cr_assert(diags_find(&d, 0, 0, "MiB outside the \"Images\" list"));
	diags_free(&d);
	unlink(path);
	free(path);
}

Test(ytree, stream_list_may_be_bigger_than_the_cap)
{
	char *path = tmpfile_str("");
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("{\"Images\": [", f);
	for (int i = 0; i < 65 * 1024; i++)
		fprintf(f, "%s{\"Name\": \"%01020d\"}", i ? "," : "", i);
	fputs("], \"NextToken\": null}\n", f);
	fclose(f);
	struct diags d;
	diags_init(&d);
	struct seen s = {0};
	struct ytree *t = ytree_stream(path, "Images", collect, &s, &d);
	cr_assert_not_null(t, "only what is kept counts against the cap");
	cr_assert_eq(s.n, 65 * 1024);
	cr_assert_not_null(ymap_get(t->root, "NextToken"));
	ytree_free(t);
	diags_free(&d);
	unlink(path);
	free(path);
}
