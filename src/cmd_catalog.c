/* cmd_catalog.c: `xenadvise catalog list|show|import`. */
#include "cmd.h"
#include "escape.h"
#include "exitcode.h"
#include "import_ec2.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int load(const struct data_files *df, const char *provider, struct catalog **cat)
{
	struct pathlist cp = {0};
	cmd_catalog_paths(df, provider, &cp);
	struct diags d;
	diags_init(&d);
	*cat = catalog_load(provider, (const char *const *)cp.v, cp.n, &d);
	pathlist_free(&cp);
	int rc = XA_EXIT_OK;
	if (*cat == NULL) {
		diags_print(&d, stderr);
		rc = diags_has_errors(&d) ? XA_EXIT_INPUT : XA_EXIT_INTERNAL;
	}
	diags_free(&d);
	return rc;
}

static void show_entry(const struct catalog *cat, const struct cat_entry *e)
{
	fputs("name:      ", stdout);
	escape_fputs(e->name, stdout);
	printf("\nprovider:  %s\ndefined:   ", cat->provider);
	escape_fputs(e->file, stdout);
	printf(":%d:%d\n", e->line, e->col);
	if (e->klass) {
		fputs("class:     ", stdout);
		escape_fputs(e->klass, stdout);
		putchar('\n');
	}
	for (int f = 0; f < F__CATALOG; f++) {
		if (!e->v[f].known)
			continue;
		char buf[512];
		printf("  %-20s ", fact_defs[f].name);
		escape_fputs(fact_format(&e->v[f], fact_defs[f].type, buf, sizeof(buf)), stdout);
		const char *src = catalog_fact_source(cat, e, (enum fact_id)f);
		if (src && src != e->source) {
			fputs("   (source: ", stdout);
			escape_fputs(src, stdout);
			putchar(')');
		}
		putchar('\n');
	}
	fputs("source:    ", stdout);
	escape_fputs(e->source ? e->source : "(none)", stdout);
	putchar('\n');
}

/* `catalog import FILE -o OUT [--source TEXT] [--provider ec2]`; argv[0] is "import". */
static int do_import(int argc, char **argv)
{
	const char *in = NULL, *out = NULL, *source = NULL, *provider = "ec2";
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"source", required_argument, NULL, 's'},
		{"provider", required_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 's': source = optarg; break;
		case 'p': provider = optarg; break;
		case ':':
			cmd_errorf("option '%s' needs a value", argv[optind - 1]);
			return XA_EXIT_USAGE;
		default: cmd_errorf("unknown option '%s'", argv[optind - 1]); return XA_EXIT_USAGE;
		}
	}
	if (optind < argc)
		in = argv[optind++];
	if (optind < argc) {
		cmd_errorf("unexpected argument '%s'", argv[optind]);
		return XA_EXIT_USAGE;
	}
	if (strcmp(provider, "ec2") != 0) {
		cmd_errorf(
			"only the ec2 catalog is imported from an API; edit the %s catalog by hand",
			provider);
		return XA_EXIT_USAGE;
	}
	if (in == NULL || out == NULL) {
		cmd_errorf(
			"usage: xenadvise catalog import DESCRIBE-INSTANCE-TYPES.json -o OUT.yaml "
			"[--source TEXT]");
		return XA_EXIT_USAGE;
	}
	char defsrc[512];
	if (source == NULL) {
		const char *base = strrchr(in, '/');
		snprintf(defsrc, sizeof(defsrc), "aws ec2 describe-instance-types output (%s)",
			 base ? base + 1 : in);
		source = defsrc;
	}
	/* write to a temporary file beside the output, rename only on success */
	char *tmp = NULL;
	if (asprintf(&tmp, "%s.tmpXXXXXX", out) < 0)
		return XA_EXIT_INTERNAL;
	int fd = mkstemp(tmp);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL) {
		cmd_errorf("cannot write %s", out);
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return XA_EXIT_INPUT;
	}
	struct diags d;
	diags_init(&d);
	bool ok = import_ec2(in, source, f, &d);
	ok = (fclose(f) == 0) && ok;
	int rc = XA_EXIT_OK;
	if (!ok || rename(tmp, out) != 0) {
		diags_print(&d, stderr);
		if (!diags_has_errors(&d))
			cmd_errorf("cannot write %s", out);
		unlink(tmp);
		rc = XA_EXIT_INPUT;
	}
	diags_free(&d);
	free(tmp);
	return rc;
}

int cmd_catalog(int argc, char **argv)
{
	struct user_paths up = {0};
	const char *provider = NULL;
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return do_import(argc - 1, argv + 1);
	static const struct option opts[] = {
		{"provider", required_argument, NULL, 'p'},
		{"catalog", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:h", opts, NULL)) != -1) {
		if (c == 'p')
			provider = optarg;
		else if (c == 'c') {
			if (!cmd_add_user_path(&up, false, optarg))
				return XA_EXIT_USAGE;
		} else if (c == 'h') {
			puts("usage: xenadvise catalog list [--provider P] [--catalog PATH]\n"
			     "       xenadvise catalog show NAME [--provider P]\n"
			     "       xenadvise catalog import DESCRIBE-INSTANCE-TYPES.json -o "
			     "OUT.yaml [--source TEXT]");
			return XA_EXIT_OK;
		} else {
			cmd_errorf("unknown option '%s'", argv[optind - 1]);
			return XA_EXIT_USAGE;
		}
	}
	bool show;
	if (!cmd_list_or_show(argc, argv, optind, "catalog", &show))
		return XA_EXIT_USAGE;
	if (provider) {
		bool known = false;
		for (int i = 0; fact_defs[F_PROVIDER].values[i]; i++)
			known = known || strcmp(fact_defs[F_PROVIDER].values[i], provider) == 0;
		if (!known) {
			cmd_errorf("unknown provider '%s' (expected ec2, rackspace or xen)",
				   provider);
			return XA_EXIT_USAGE;
		}
	}
	struct data_files df;
	if (!cmd_data_find(&up, &df)) {
		cmd_data_free(&df);
		return XA_EXIT_USAGE;
	}
	int rc = XA_EXIT_OK;
	bool found = false;
	char near_buf[256] = "";
	for (int i = 0; fact_defs[F_PROVIDER].values[i] && rc == XA_EXIT_OK; i++) {
		if (provider && strcmp(provider, fact_defs[F_PROVIDER].values[i]) != 0)
			continue;
		struct catalog *cat;
		rc = load(&df, fact_defs[F_PROVIDER].values[i], &cat);
		if (rc != XA_EXIT_OK)
			break;
		if (show) {
			const struct cat_entry *e = catalog_find(cat, argv[optind + 1]);
			if (e && !found) {
				show_entry(cat, e);
				found = true;
			}
			const char *near[3];
			size_t nn = e ? 0 : catalog_suggest(cat, argv[optind + 1], near, 3);
			for (size_t k = 0; k < nn; k++) {
				if (strlen(near_buf) + strlen(near[k]) + 3 >= sizeof(near_buf))
					break;
				strcat(near_buf, *near_buf ? ", " : "");
				strcat(near_buf, near[k]);
			}
		} else {
			for (size_t j = 0; j < cat->nentries; j++) {
				const struct cat_entry *e = &cat->entries[j];
				char buf[128];
				printf("%-10s ", cat->provider);
				escape_fputs(e->name, stdout);
				printf("%*s",
				       (int)(e->name && strlen(e->name) < 24 ? 24 - strlen(e->name)
									     : 1),
				       "");
				printf("%-6s",
				       e->v[F_HYPERVISOR].known ? e->v[F_HYPERVISOR].s : "?");
				if (e->v[F_ENA].known)
					printf(" ena:%s", e->v[F_ENA].s);
				if (e->v[F_INTEL_VF].known && e->v[F_INTEL_VF].b)
					printf(" intel-vf");
				if (e->v[F_VIRT_TYPES].known)
					printf(" virt:%s", fact_format(&e->v[F_VIRT_TYPES], FT_LIST,
								       buf, sizeof(buf)));
				if (e->v[F_IMAGE_MODES].known)
					printf(" vm_mode:%s",
					       fact_format(&e->v[F_IMAGE_MODES], FT_LIST, buf,
							   sizeof(buf)));
				putchar('\n');
			}
		}
		catalog_free(cat);
	}
	cmd_data_free(&df);
	if (rc == XA_EXIT_OK && show && !found) {
		if (*near_buf)
			cmd_errorf("'%s' is in no catalog (did you mean: %s?)", argv[optind + 1],
				   near_buf);
		else
			cmd_errorf(
				"'%s' is in no catalog; `xenadvise catalog list` shows every name",
				argv[optind + 1]);
		rc = XA_EXIT_USAGE;
	}
	return rc;
}
