/* test_datadir.c: finding the data and the user's extra files. */
#include "helpers.h"

#include <sys/stat.h>

Test(datadir, directories_add_their_yaml_files_in_order)
{
	char dir[] = "/tmp/xa-dir-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	const char *names[] = {"b.yaml", "a.yaml", "c.yml", ".hidden.yaml", "notes.txt"};
	for (size_t i = 0; i < 5; i++) {
		char p[256];
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		FILE *f = fopen(p, "w");
		cr_assert_not_null(f);
		fclose(f);
	}
	struct pathlist pl = {0};
	cr_assert(pathlist_add(&pl, dir));
	cr_assert_eq(pl.n, 2, "only *.yaml, no hidden files");
	cr_assert(strstr(pl.v[0], "/a.yaml"));
	cr_assert(strstr(pl.v[1], "/b.yaml"));
	cr_assert_not(pathlist_add(&pl, "/nonexistent/x.yaml"));
	const char *bad = NULL;
	char env[512];
	snprintf(env, sizeof(env), "%s/a.yaml:/nonexistent:%s/b.yaml", dir, dir);
	cr_assert_not(pathlist_add_env(&pl, env, &bad));
	cr_assert_eq(pl.n, 4, "the entries that exist are still added");
	cr_assert_str_eq(bad, env);
	pathlist_free(&pl);
	for (size_t i = 0; i < 5; i++) {
		char p[256];
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

Test(datadir, environment_wins)
{
	setenv("XENADVISE_DATADIR", "/some/where", 1);
	char *d = datadir_find();
	cr_assert_str_eq(d, "/some/where");
	free(d);
	unsetenv("XENADVISE_DATADIR");
	d = datadir_find();
	cr_assert_not_null(d, "the build tree's source data is found");
	char p[4096];
	snprintf(p, sizeof(p), "%s/rules", d);
	struct stat st;
	cr_assert_eq(stat(p, &st), 0);
	free(d);
}
