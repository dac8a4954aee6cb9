/* cmd_validate.c: `xenadvise validate [FILE...]`: check catalogs and rules without advising.
 * With no files it checks the installed data plus the user's (--catalog, --rules, env). */
#include "catalog.h"
#include "cmd.h"
#include "exitcode.h"
#include "detectcat.h"
#include "identify.h"
#include "rules.h"
#include "ytree.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_validate(int argc, char **argv)
{
	struct user_paths up = {0};
	struct pathlist files = {0};
	static const struct option opts[] = {
		{"catalog", required_argument, NULL, 'c'},
		{"rules", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
		case 'r':
			if (!cmd_add_user_path(&up, c == 'r', optarg))
				return XA_EXIT_USAGE;
			break;
		case 'h':
			puts("usage: xenadvise validate [--catalog PATH] [--rules PATH] "
			     "[FILE|DIR...]\n"
			     "Checks catalog, rules, identify and detect files; with no files, "
			     "the\n"
			     "installed ones and the user's.");
			return XA_EXIT_OK;
		case ':':
			cmd_errorf("option '%s' needs a value", argv[optind - 1]);
			return XA_EXIT_USAGE;
		default: cmd_errorf("unknown option '%s'", argv[optind - 1]); return XA_EXIT_USAGE;
		}
	}
	bool named = optind < argc;
	for (int i = optind; i < argc; i++)
		if (!pathlist_add(&files, argv[i])) {
			cmd_errorf("cannot use %s: %s", argv[i], strerror(errno));
			pathlist_free(&files);
			return XA_EXIT_INPUT;
		}
	if (!named) {
		/* the installed files of every provider, then the user's, each once */
		struct data_files df;
		if (!cmd_data_find(&up, &df)) {
			cmd_data_free(&df);
			pathlist_free(&files);
			return XA_EXIT_USAGE;
		}
		struct data_files installed = {.dir = df.dir};
		const char *const *providers = fact_defs[F_PROVIDER].values;
		for (size_t i = 0; providers[i]; i++)
			cmd_catalog_paths(&installed, providers[i], &files);
		static const char *const more[] = {"identify", "detect"};
		for (size_t i = 0; i < 2; i++) {
			char *f = NULL;
			if (asprintf(&f, "%s/catalogs/%s.yaml", df.dir, more[i]) >= 0) {
				pathlist_add(&files, f);
				free(f);
			}
		}
		cmd_rules_paths(&installed, RULES_ALL, &files);
		for (size_t i = 0; i < df.catalogs.n; i++)
			pathlist_add(&files, df.catalogs.v[i]);
		for (size_t i = 0; i < df.rules.n; i++)
			pathlist_add(&files, df.rules.v[i]);
		cmd_data_free(&df);
	}
	/* each file is parsed once; its `kind` decides how it is checked, and the rules
	 * files are checked together so ids must be unique across them */
	struct diags d;
	diags_init(&d);
	d.file_order = files.v;
	d.nfile_order = files.n;
	struct ytree **trees = calloc(files.n ? files.n : 1, sizeof(*trees));
	const struct ytree **rules = calloc(files.n ? files.n : 1, sizeof(*rules));
	size_t ntrees = 0, nrules = 0;
	for (size_t i = 0; trees && rules && i < files.n; i++) {
		struct ytree *t = ytree_load(files.v[i], &d);
		if (t == NULL)
			continue;
		trees[ntrees++] = t;
		const struct ynode *k = ymap_get(t->root, "kind");
		const char *kind = k && k->kind == YN_SCALAR ? k->str : NULL;
		if (kind && strcmp(kind, "rules") == 0)
			rules[nrules++] = t;
		else if (kind && strcmp(kind, "catalog") == 0)
			catalog_check_tree(t, &d);
		else if (kind && strcmp(kind, "identify") == 0)
			identify_check_tree(t, &d);
		else if (kind && strcmp(kind, "detect") == 0)
			detectcat_check_tree(t, &d);
		else
			diags_add(&d, DIAG_ERROR, files.v[i], k ? k->line : 1, k ? k->col : 1,
				  "expected `kind: catalog`, `kind: rules`, `kind: identify` or "
				  "`kind: detect` at the top");
	}
	rules_check_trees(rules, nrules, &d);
	for (size_t i = 0; i < ntrees; i++)
		ytree_free(trees[i]);
	free(trees);
	free(rules);
	int rc = diags_has_errors(&d) ? XA_EXIT_INPUT : XA_EXIT_OK;
	diags_print(&d, stderr);
	if (rc == XA_EXIT_OK)
		printf("%zu files valid\n", files.n);
	diags_free(&d);
	pathlist_free(&files);
	return rc;
}
