/* cmd_check.c: `xenadvise check [options] FILE...`: CI checks on image definitions. */
#include "check.h"
#include "check_settings.h"
#include "cmd.h"
#include "exitcode.h"
#include "image.h"
#include "kconfig.h"
#include "report_check.h"
#include "schema.h"
#include "suggest.h"
#include "ytree.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_INPUT_FORMAT = 256,
	OPT_TYPES,
	OPT_HYPERVISOR,
	OPT_CURRENT,
	OPT_FAIL_ON,
	OPT_IGNORE,
	OPT_CONFIG,
	OPT_NO_CONFIG,
	OPT_COLOR,
	OPT_CATALOG,
	OPT_RULES,
};

static const char usage[] =
	"usage: xenadvise check [options] FILE...\n"
	"\n"
	"Fails the build when an image cannot launch, would launch unreachable, or would\n"
	"launch slower than it should on the instance types it is meant for.\n"
	"\n"
	"FILE: `aws ec2 describe-images` output, a Packer template (JSON or HCL2 JSON),\n"
	"Terraform JSON (*.tf.json or `terraform show -json`), or an image spec (kind: images).\n"
	"\n"
	"  -f, --format F           tty (default), gcc, json, sarif, junit, github\n"
	"  -p, --provider P         ec2 (default) or rackspace (flavors and image vm_mode)\n"
	"      --input-format F     describe-images, packer, terraform or spec (default: from\n"
	"                           the content)\n"
	"  -t, --instance-types L   target types, comma-separated names or globs "
	"('c5.*,m4.large');\n"
	"                           added to the types a definition names; default: all\n"
	"      --hypervisor H       only types on xen, nitro or none (bare metal)\n"
	"      --current-generation only current-generation types\n"
	"      --fail-on LEVEL      error, warning (default), info or none\n"
	"      --ignore ID[,ID]     skip rules (repeatable)\n"
	"      --config FILE        settings (default: the first .xenadvise.yaml found in the\n"
	"                           current directory and its parents, then\n"
	"                           $XDG_CONFIG_HOME/xenadvise.yaml, then ~/.xenadvise.yaml)\n"
	"      --no-config          read no settings file\n"
	"      --color WHEN         auto (default), always or never; NO_COLOR is honoured\n"
	"      --catalog PATH, --rules PATH   extra catalog or rules files\n"
	"  -h, --help\n"
	"\n"
	"Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage\n"
	"error; 3 an input file is unreadable or invalid (the other files are still checked).\n"
	"`xenadvise rules list` shows the rules; `xenadvise rules show ID` explains one.\n";

static const struct option long_opts[] = {
	{"format", required_argument, NULL, 'f'},
	{"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
	{"instance-types", required_argument, NULL, 't'},
	{"hypervisor", required_argument, NULL, OPT_HYPERVISOR},
	{"current-generation", no_argument, NULL, OPT_CURRENT},
	{"fail-on", required_argument, NULL, OPT_FAIL_ON},
	{"ignore", required_argument, NULL, OPT_IGNORE},
	{"config", required_argument, NULL, OPT_CONFIG},
	{"no-config", no_argument, NULL, OPT_NO_CONFIG},
	{"color", required_argument, NULL, OPT_COLOR},
	{"colour", required_argument, NULL, OPT_COLOR},
	{"provider", required_argument, NULL, 'p'},
	{"catalog", required_argument, NULL, OPT_CATALOG},
	{"rules", required_argument, NULL, OPT_RULES},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

struct run {
	struct checker *checker;
	struct check_report *report;
	struct check_summary sum;
	struct diags *d;
	struct kconfig_set kcs;
};

static bool on_finding(const struct check_finding *f, void *arg)
{
	struct run *r = arg;
	if (f->ignored) {
		r->sum.ignored++;
	} else {
		enum severity s = f->rule->severity;
		r->sum.errors += s == SEV_ERROR;
		r->sum.warnings += s == SEV_WARNING;
		r->sum.infos += s == SEV_INFO;
		if (s >= r->sum.fail_on)
			r->sum.failed = true;
	}
	check_report_finding(r->report, f);
	return true;
}

static bool on_image(const struct image *img, void *arg)
{
	struct run *r = arg;
	r->sum.images++;
	const struct kconfig *kc = img->kernel_config ? kconfig_set_get(&r->kcs, img->kernel_config, r->d) : NULL;
	bool go = checker_run(r->checker, img, kc, on_finding, r, r->d);
	check_report_image_done(r->report, img);
	return go;
}

int cmd_check(int argc, char **argv)
{
	struct user_paths up = {0};
	struct settings set = {0};
	const char *format = NULL, *input_format = NULL, *color = "auto", *config = NULL;
	const char *provider = "ec2";
	bool no_config = false;
	int c, rc = XA_EXIT_OK;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:t:p:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'p': provider = optarg; break;
		case 'f': format = optarg; break;
		case OPT_INPUT_FORMAT: input_format = optarg; break;
		case 't': words_split(&set.types, optarg); break;
		case OPT_HYPERVISOR: set.hypervisor = optarg; break;
		case OPT_CURRENT: set.current = true; break;
		case OPT_FAIL_ON: set.fail_on = optarg; break;
		case OPT_IGNORE: words_split(&set.ignore, optarg); break;
		case OPT_CONFIG: config = optarg; break;
		case OPT_NO_CONFIG: no_config = true; break;
		case OPT_COLOR: color = optarg; break;
		case OPT_CATALOG:
		case OPT_RULES:
			if (!cmd_add_user_path(&up, c == OPT_RULES, optarg))
				rc = XA_EXIT_USAGE;
			break;
		case 'h': fputs(usage, stdout); goto out;
		case ':':
			cmd_errorf("option '%s' needs a value", argv[optind - 1]);
			rc = XA_EXIT_USAGE;
			break;
		default:
			cmd_errorf("unknown option '%s'", argv[optind - 1]);
			rc = XA_EXIT_USAGE;
			break;
		}
		if (rc != XA_EXIT_OK)
			goto usage;
	}
	if (optind >= argc) {
		cmd_errorf("no files to check; for example: xenadvise check images.json");
		goto usage;
	}
	int fmt = CF_TTY;
	if (format && !cmd_pick(format, check_format_names, &fmt)) {
		cmd_errorf("unknown format '%s' (expected tty, gcc, json, sarif, junit or github)",
			   format);
		goto usage;
	}
	int ifmt;
	if (input_format && !cmd_pick(input_format, image_formats, &ifmt)) {
		cmd_errorf("unknown input format '%s' (expected describe-images, packer, terraform "
			   "or spec)",
			   input_format);
		goto usage;
	}
	static const char *const provs[] = {"ec2", "rackspace", NULL};
	int pi;
	if (!cmd_pick(provider, provs, &pi)) {
		cmd_errorf("check knows --provider ec2 and rackspace, not '%s' (a private Xen host "
			   "has no instance types: use xenadvise --provider xen --xen-version V)",
			   provider);
		goto usage;
	}
	static const char *const colors[] = {"auto", "always", "never", NULL};
	int ci;
	if (!cmd_pick(color, colors, &ci)) {
		cmd_errorf("--color takes auto, always or never, not '%s'", color);
		goto usage;
	}

	struct diags d;
	diags_init(&d);
	struct ytree *config_tree = NULL;
	char *found = no_config || config ? NULL : settings_find();
	const char *cfg = config ? config : found;
	if (cfg && !settings_read(cfg, &set, &config_tree, &d)) {
		diags_print(&d, stderr);
		diags_free(&d);
		ytree_free(config_tree);
		free(found);
		rc = XA_EXIT_INPUT;
		goto out;
	}
	enum severity fail_on = SEV_WARNING;
	bool fail_none = false;
	if (set.fail_on && !settings_level(set.fail_on, &fail_on, &fail_none)) {
		cmd_errorf("--fail-on takes error, warning, info or none, not '%s'", set.fail_on);
		rc = XA_EXIT_USAGE;
	}
	static const char *const hvs[] = {"xen", "nitro", "none", NULL};
	int hv;
	if (rc == XA_EXIT_OK && set.hypervisor && !cmd_pick(set.hypervisor, hvs, &hv)) {
		cmd_errorf("--hypervisor takes xen, nitro or none, not '%s'", set.hypervisor);
		rc = XA_EXIT_USAGE;
	}
	struct catalog *cat = NULL;
	struct ruleset *rs = NULL;
	struct checker *chk = NULL;
	struct check_report *rep = NULL;
	struct data_files df = {0};
	struct run run = {.d = &d};
	char *docdir = NULL;
	if (rc == XA_EXIT_OK && !cmd_data_find(&up, &df))
		rc = XA_EXIT_USAGE;
	if (rc == XA_EXIT_OK)
		rc = cmd_load(&df, provider, RULES_CHECK, &cat, &rs);
	if (rc == XA_EXIT_OK) {
		/* every ignored id must be a check rule: a typo would silently ignore nothing */
		for (size_t i = 0; i < set.ignore.n; i++) {
			const struct rule *r = rules_find(rs, set.ignore.v[i]);
			if (r == NULL || !r->check) {
				cmd_errorf("--ignore: no check rule '%s'; `xenadvise rules list` "
					   "shows them",
					   set.ignore.v[i]);
				rc = XA_EXIT_USAGE;
			}
		}
	}
	struct check_opts o = {
		.types = (const char *const *)set.types.v,
		.ntypes = set.types.n,
		.hypervisor = set.hypervisor,
		.current_generation = set.current,
		.ignore = (const char *const *)set.ignore.v,
		.nignore = set.ignore.n,
		.want_types = fmt == CF_JSON || fmt == CF_SARIF,
	};
	if (rc == XA_EXIT_OK && (chk = checker_new(cat, rs, &o, &d)) == NULL) {
		diags_print(&d, stderr);
		rc = diags_has_errors(&d) ? XA_EXIT_USAGE : XA_EXIT_INTERNAL;
	}
	if (rc == XA_EXIT_OK) {
		size_t nrules;
		const struct rule *const *rules = checker_rules(chk, &nrules);
		if (asprintf(&docdir, "%s/docs/checks", df.dir) < 0)
			docdir = NULL;
		bool use_color = fmt == CF_TTY && cmd_use_color(color);
		rep = check_report_new((enum check_format)fmt, stdout, use_color, rules, nrules,
				       docdir, fail_on);
		if (rep == NULL)
			rc = XA_EXIT_INTERNAL;
	}
	if (rc == XA_EXIT_OK) {
		run.checker = chk;
		run.report = rep;
		run.sum.fail_on = fail_on;
		for (int i = optind; i < argc; i++) {
			const char *path = strcmp(argv[i], "-") == 0 ? "/dev/stdin" : argv[i];
			size_t before = d.n;
			run.sum.files++;
			images_read(path, input_format, on_image, &run, &d);
			/* this file's problems now, so they sit next to its findings in a CI log */
			struct diags mine = {.v = d.v + before, .n = d.n - before};
			diags_print(&mine, stderr);
		}
		if (fail_none)
			run.sum.failed = false;
		check_report_end(rep, &run.sum);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			cmd_errorf("cannot write the report");
			rc = XA_EXIT_INTERNAL;
		} else if (diags_has_errors(&d)) {
			rc = XA_EXIT_INPUT;
		} else if (run.sum.failed) {
			rc = XA_EXIT_FINDINGS;
		}
	}
	kconfig_set_free(&run.kcs);
	free(docdir);
	check_report_free(rep);
	checker_free(chk);
	catalog_free(cat);
	rules_free(rs);
	cmd_data_free(&df);
	ytree_free(config_tree);
	free(found);
	diags_free(&d);
out:
	words_free(&set.types);
	words_free(&set.ignore);
	return rc;
usage:
	fputs("Try `xenadvise check --help` for more.\n", stderr);
	words_free(&set.types);
	words_free(&set.ignore);
	return XA_EXIT_USAGE;
}
