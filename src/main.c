/* main.c: the command line: picks the subcommand; everything else is in cmd_*.c. */
#include "cmd.h"
#include "escape.h"
#include "exitcode.h"

#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"usage: xenadvise [advise] --provider PROVIDER [--os OS] [options]\n"
	"       xenadvise rules list | rules show ID\n"
	"       xenadvise catalog list [--provider P] | catalog show NAME | catalog import FILE -o "
	"OUT\n"
	"       xenadvise validate [FILE...]\n"
	"       xenadvise check [options] FILE...   (see xenadvise check --help)\n"
	"       xenadvise plan [options] [FILE...]   (see xenadvise plan --help)\n"
	"       xenadvise detect [options]           (see xenadvise detect --help)\n"
	"\n"
	"How should this image run on this cloud to be as fast as it can?\n"
	"\n"
	"advise options:\n"
	"  -p, --provider P        ec2, rackspace, xen, or auto: tell from this machine\n"
	"                          (local files only; see catalogs/identify.yaml)\n"
	"  -o, --os OS             linux (default) or windows\n"
	"      --os-version V      e.g. 2008r2, 2012r2, 2016, 2019, 2022 for Windows\n"
	"  -t, --instance-type T   EC2 instance type, e.g. c4.large\n"
	"      --flavor F          Rackspace flavor, e.g. compute1-15\n"
	"      --xen-version V     Xen host version for --provider xen, e.g. 4.17\n"
	"  -k, --kernel-config F   kernel .config, /boot/config-*, or gzip'd /proc/config.gz\n"
	"      --kernel-version V  guest kernel version, e.g. 3.10\n"
	"  -f, --format FMT        text (default) or json\n"
	"  -e, --explain           show every rule considered and the facts that decided it\n"
	"      --color WHEN        auto (default), always or never; NO_COLOR is honoured\n"
	"\n"
	"asking the running instance:\n"
	"      --imds[=WHEN]       learn the instance type from the instance itself: the EC2\n"
	"                          metadata service (IMDSv2 first), or Rackspace's config drive.\n"
	"                          WHEN: on (default), auto (only where local signals say it\n"
	"                          can answer; failures are warnings), off\n"
	"      --imds-endpoint URL     default http://169.254.169.254, or\n"
	"                              AWS_EC2_METADATA_SERVICE_ENDPOINT\n"
	"      --imds-endpoint-mode M  ipv4 or ipv6 (AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE)\n"
	"      --imds-timeout SEC      per attempt, default 1 (AWS_METADATA_SERVICE_TIMEOUT)\n"
	"      --imds-attempts N       default 1 (AWS_METADATA_SERVICE_NUM_ATTEMPTS)\n"
	"      --config-drive DIR  a mounted or copied Rackspace config drive (implies --imds)\n"
	"      --root DIR          read local signals under DIR instead of / (a captured tree)\n"
	"      AWS_EC2_METADATA_DISABLED=true and AWS_EC2_METADATA_V1_DISABLED=true are honoured\n"
	"\n"
	"common options:\n"
	"      --catalog PATH      extra catalog file or directory (repeatable;\n"
	"                          also XENADVISE_CATALOG_PATH, colon-separated)\n"
	"      --rules PATH        extra rules file or directory (repeatable;\n"
	"                          also XENADVISE_RULES_PATH)\n"
	"  -h, --help              this help\n"
	"  -V, --version           version\n"
	"\n"
	"Exit codes: 0 answer given; 1 answer has an error-severity finding; 2 usage error or\n"
	"unknown instance type/flavor; 3 invalid or unreadable input file; 4 could not learn\n"
	"what this machine is (--provider auto, --imds); 70 internal error.\n"
	"See `man xenadvise` and README.md.\n";

void cmd_errorf(const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fputs("xenadvise: error: ", stderr);
	escape_fputs(buf, stderr);
	fputc('\n', stderr);
}

bool cmd_pick(const char *s, const char *const *names, int *out)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0) {
			*out = i;
			return true;
		}
	return false;
}

bool cmd_use_color(const char *when)
{
	if (when && strcmp(when, "always") == 0)
		return true;
	if (when && strcmp(when, "never") == 0)
		return false;
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return false;
	const char *term = getenv("TERM");
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(STDOUT_FILENO);
}

bool cmd_list_or_show(int argc, char **argv, int first, const char *what, bool *show)
{
	const char *verb = first < argc ? argv[first] : NULL;
	if (verb == NULL || (strcmp(verb, "list") != 0 && strcmp(verb, "show") != 0)) {
		cmd_errorf("expected `%s list` or `%s show NAME`; see `xenadvise %s --help`", what,
			   what, what);
		return false;
	}
	*show = strcmp(verb, "show") == 0;
	if (first + (*show ? 2 : 1) != argc) {
		cmd_errorf(*show ? "`%s show` takes one name" : "`%s list` takes no arguments",
			   what);
		return false;
	}
	return true;
}

bool cmd_add_user_path(struct user_paths *u, bool rules, const char *path)
{
	int *n = rules ? &u->nrules : &u->ncatalogs;
	const char **v = rules ? u->rules : u->catalogs;
	if (*n >= 32) {
		cmd_errorf("too many --%s options (at most 32)", rules ? "rules" : "catalog");
		return false;
	}
	v[(*n)++] = path;
	return true;
}

/* Adds the env list, then the option paths; false (with a message) when one is missing. */
static bool add_user(struct pathlist *out, const char *env, const char *const *user, int nuser)
{
	const char *bad = NULL;
	if (!pathlist_add_env(out, getenv(env), &bad)) {
		cmd_errorf("%s names a path that does not exist: %s", env, bad ? bad : "?");
		return false;
	}
	for (int i = 0; i < nuser; i++)
		if (!pathlist_add(out, user[i])) {
			cmd_errorf("cannot use %s: %s", user[i], strerror(errno));
			return false;
		}
	return true;
}

bool cmd_data_find(const struct user_paths *u, struct data_files *df)
{
	memset(df, 0, sizeof(*df));
	df->dir = datadir_find();
	if (df->dir == NULL) {
		cmd_errorf("cannot find the installed catalogs and rules; set XENADVISE_DATADIR");
		return false;
	}
	return add_user(&df->catalogs, "XENADVISE_CATALOG_PATH", u->catalogs, u->ncatalogs) &&
	       add_user(&df->rules, "XENADVISE_RULES_PATH", u->rules, u->nrules);
}

void cmd_data_free(struct data_files *df)
{
	free(df->dir);
	pathlist_free(&df->catalogs);
	pathlist_free(&df->rules);
	memset(df, 0, sizeof(*df));
}

static void add_installed(struct pathlist *out, const char *dir, const char *sub)
{
	char *path = NULL;
	if (asprintf(&path, "%s/%s", dir, sub) >= 0) {
		pathlist_add(out, path);
		free(path);
	}
}

static void add_copies(struct pathlist *out, const struct pathlist *from)
{
	for (size_t i = 0; i < from->n; i++)
		pathlist_add(out, from->v[i]);
}

void cmd_catalog_paths(const struct data_files *df, const char *provider, struct pathlist *out)
{
	char sub[64];
	snprintf(sub, sizeof(sub), "catalogs/%s", provider);
	add_installed(out, df->dir, sub);
	add_copies(out, &df->catalogs);
}

void cmd_rules_paths(const struct data_files *df, enum rules_set which, struct pathlist *out)
{
	bool both = which == RULES_ADVISE_CHECK || which == RULES_ALL;
	if (which == RULES_ADVISE || both)
		add_installed(out, df->dir, "rules");
	if (which == RULES_CHECK || both)
		add_installed(out, df->dir, "rules/check");
	if (which == RULES_DETECT || which == RULES_ALL)
		add_installed(out, df->dir, "rules/detect");
	add_copies(out, &df->rules);
}

int cmd_load(const struct data_files *df, const char *provider, enum rules_set which,
	     struct catalog **cat, struct ruleset **rs)
{
	struct pathlist cp = {0}, rp = {0};
	cmd_catalog_paths(df, provider, &cp);
	cmd_rules_paths(df, which, &rp);
	struct diags d;
	diags_init(&d);
	*cat = catalog_load(provider, (const char *const *)cp.v, cp.n, &d);
	*rs = rules_load(provider, (const char *const *)rp.v, rp.n, &d);
	pathlist_free(&cp);
	pathlist_free(&rp);
	int rc = XA_EXIT_OK;
	if (diags_has_errors(&d) || *cat == NULL || *rs == NULL) {
		diags_print(&d, stderr);
		if (!diags_has_errors(&d))
			cmd_errorf("out of memory");
		rc = diags_has_errors(&d) ? XA_EXIT_INPUT : XA_EXIT_INTERNAL;
		catalog_free(*cat);
		rules_free(*rs);
		*cat = NULL;
		*rs = NULL;
	}
	diags_free(&d);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 2) {
		const char *c = argv[1];
		if (strcmp(c, "-h") == 0 || strcmp(c, "--help") == 0 || strcmp(c, "help") == 0) {
			fputs(usage, stdout);
			return XA_EXIT_OK;
		}
		if (strcmp(c, "-V") == 0 || strcmp(c, "--version") == 0) {
			printf("xenadvise %s\n", XA_VERSION);
			return XA_EXIT_OK;
		}
		if (strcmp(c, "advise") == 0)
			return cmd_advise(argc - 1, argv + 1);
		if (strcmp(c, "rules") == 0)
			return cmd_rules(argc - 1, argv + 1);
		if (strcmp(c, "catalog") == 0)
			return cmd_catalog(argc - 1, argv + 1);
		if (strcmp(c, "validate") == 0)
			return cmd_validate(argc - 1, argv + 1);
		if (strcmp(c, "check") == 0)
			return cmd_check(argc - 1, argv + 1);
		if (strcmp(c, "plan") == 0)
			return cmd_plan(argc - 1, argv + 1);
		if (strcmp(c, "detect") == 0)
			return cmd_detect(argc - 1, argv + 1);
		if (c[0] != '-') {
			cmd_errorf("unknown command '%s'; try `xenadvise --help`", c);
			return XA_EXIT_USAGE;
		}
	}
	return cmd_advise(argc, argv);
}

const char *cmd_usage(void)
{
	return usage;
}
