/* cmd_detect.c: `xenadvise detect`: which mode is this guest really in, and what is it
 * missing? Reads the machine (probe), decides (rules/detect), compares with the advisor
 * (gaps), reports. */
#include "cmd.h"
#include "detect.h"
#include "detectcat.h"
#include "exitcode.h"
#include "probe.h"
#include "report_detect.h"

#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"Usage: xenadvise detect [options]\n"
	"\n"
	"Tells which hypervisor, provider and Xen guest mode (pv, hvm, hvm-pv-drivers, pvhvm,\n"
	"pvh) this machine runs in, with the evidence; which driver each network interface\n"
	"and disk uses; and what to change to run as fast as the advisor recommends for this\n"
	"instance type (the gaps, most payoff first). Reads files only: no child process, no\n"
	"network unless --imds is given; root is needed only for the kernel log and XenStore.\n"
	"\n"
	"Options:\n"
	"      --root DIR           read a captured tree instead of / (see --capture)\n"
	"      --capture DIR        also copy every file read into DIR (new), for a bug report;\n"
	"                           `detect --root DIR` then gives the same answer\n"
	"  -t, --instance-type TYPE the EC2 type (or Rackspace flavor) to compare with; Nitro\n"
	"                           and bare metal say it in DMI\n"
	"      --flavor FLAVOR      the same, for Rackspace\n"
	"      --imds[=WHEN]        ask the metadata service (EC2) or config drive (Rackspace)\n"
	"                           for the type: on, auto (only where local files say EC2)\n"
	"                           or off (default)\n"
	"      --imds-endpoint URL, --imds-endpoint-mode IPv4|IPv6, --imds-timeout SECONDS,\n"
	"      --imds-attempts N    as for `xenadvise --imds`\n"
	"      --config-drive DIR   read the Rackspace flavor from this config drive\n"
	"  -f, --format FORMAT      text (default) or json\n"
	"      --fail-on LEVEL      error, warning (default), info or none\n"
	"      --color WHEN         auto (default), always or never; NO_COLOR is honoured\n"
	"  -h, --help               show this help\n"
	"\n"
	"Exit codes: 0 no gap at or above --fail-on; 1 gaps at or above it; 2 usage;\n"
	"3 invalid data files or --root is not a directory; 4 --imds could not learn the type;\n"
	"70 internal error (out of memory, cannot write the output or the capture).\n";

enum {
	OPT_CAPTURE = 256,
	OPT_FLAVOR,
	OPT_FAIL_ON,
	OPT_COLOR,
};

static const struct option long_opts[] = {
	CMD_INSTANCE_LONG_OPTIONS,
	{"capture", required_argument, NULL, OPT_CAPTURE},
	{"instance-type", required_argument, NULL, 't'},
	{"flavor", required_argument, NULL, OPT_FLAVOR},
	{"format", required_argument, NULL, 'f'},
	{"fail-on", required_argument, NULL, OPT_FAIL_ON},
	{"color", required_argument, NULL, OPT_COLOR},
	{"colour", required_argument, NULL, OPT_COLOR},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

struct detect_opts {
	struct instance_opts io;
	const char *capture, *type, *format, *color;
	bool flavor;
	int fail_on; /* severity, or 3 for none */
};

static int parse(int argc, char **argv, struct detect_opts *o)
{
	struct instance_args ia = {0};
	const char *fail_on = "warning";
	*o = (struct detect_opts){.io = {.root = "/"}, .format = "text", .color = "auto"};
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":t:f:h", long_opts, NULL)) != -1) {
		if (cmd_instance_arg(c, optarg, &ia, &o->io))
			continue;
		switch (c) {
		case OPT_CAPTURE: o->capture = optarg; break;
		case 't': o->type = optarg; break;
		case OPT_FLAVOR:
			o->type = optarg;
			o->flavor = true;
			break;
		case 'f': o->format = optarg; break;
		case OPT_FAIL_ON: fail_on = optarg; break;
		case OPT_COLOR: o->color = optarg; break;
		case 'h': fputs(usage, stdout); return -1;
		case ':': cmd_errorf("option '%s' needs a value", argv[optind - 1]); return 0;
		default: cmd_errorf("unknown option '%s'", argv[optind - 1]); return 0;
		}
	}
	if (optind < argc) {
		cmd_errorf("detect takes no file arguments ('%s'); use --root DIR for a captured "
			   "tree",
			   argv[optind]);
		return 0;
	}
	static const char *const formats[] = {"text", "json", NULL};
	static const char *const levels[] = {"info", "warning", "error", "none", NULL};
	static const char *const colors[] = {"auto", "always", "never", NULL};
	int pick;
	if (!cmd_pick(o->format, formats, &pick)) {
		cmd_errorf("--format takes text or json, not '%s'", o->format);
		return 0;
	}
	if (!cmd_pick(fail_on, levels, &o->fail_on)) {
		cmd_errorf("--fail-on takes error, warning, info or none, not '%s'", fail_on);
		return 0;
	}
	if (!cmd_pick(o->color, colors, &pick)) {
		cmd_errorf("--color takes auto, always or never, not '%s'", o->color);
		return 0;
	}
	if (o->type && (o->type[0] == '\0' || strlen(o->type) > 64)) {
		cmd_errorf("--instance-type needs a type name like c4.large");
		return 0;
	}
	if (!cmd_imds_options(&ia, o->type, &o->io))
		return 0;
	return 1;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The capture is written to DIR.partial and renamed to DIR when complete, so a failed
 * run leaves no half capture under the name asked for. */
static bool capture_start(const char *dir, char *tmp, size_t size)
{
	struct stat st;
	if (lstat(dir, &st) == 0) {
		cmd_errorf("--capture %s: it exists already; name a new directory", dir);
		return false;
	}
	if (snprintf(tmp, size, "%s.partial", dir) >= (int)size) {
		cmd_errorf("--capture %s: the name is too long", dir);
		return false;
	}
	if (lstat(tmp, &st) == 0)
		nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (mkdir(tmp, 0755) != 0) {
		cmd_errorf("--capture: cannot create %s: %s", tmp, strerror(errno));
		return false;
	}
	return true;
}

/* The advisor's answer for this machine, or NULL where there is none to compare with. */
static struct advice *advise_for(const struct detect_opts *o, const struct data_files *df,
				 const struct detection *dt, const struct probe *p,
				 struct detected *det, const char **type, const char **from,
				 struct catalog **cat, struct ruleset **rs, int *rc)
{
	const char *prov = dt->fields[AF_PROVIDER], *hyp = dt->fields[AF_HYPERVISOR];
	const char *provider = NULL;
	if (prov && (strcmp(prov, "ec2") == 0 || strcmp(prov, "rackspace") == 0))
		provider = prov;
	else if (hyp && strcmp(hyp, "xen") == 0)
		provider = "xen"; /* a Xen guest elsewhere: advised as a private Xen host */
	if (o->type && provider == NULL) {
		cmd_errorf("--instance-type: this machine is on no provider detect knows (EC2, "
			   "Rackspace or Xen), so there is nothing to compare the type with");
		*rc = XA_EXIT_USAGE;
		return NULL;
	}
	bool must_ask = o->io.imds && strcmp(o->io.imds, "on") == 0;
	if (must_ask && (provider == NULL || strcmp(provider, "xen") == 0)) {
		cmd_errorf("--imds: this machine is on %s, which has no metadata service to ask; "
			   "use --imds=auto, or name the type with --instance-type",
			   provider ? "a private Xen host" : "no provider detect knows");
		*rc = XA_EXIT_UNDETECTED;
		return NULL;
	}
	if (dt->fields[AF_DOM0] && strcmp(dt->fields[AF_DOM0], "yes") == 0 && !o->type)
		return NULL; /* the control domain runs as its host is set up, not as advised */
	if (provider == NULL)
		return NULL;
	if (o->type && strcmp(provider, "xen") == 0) {
		cmd_errorf("--instance-type: a private Xen host has no instance types");
		*rc = XA_EXIT_USAGE;
		return NULL;
	}
	bool xen = strcmp(provider, "xen") == 0;
	if (!o->type && !dt->fields[AF_INSTANCE_TYPE] && !xen && o->io.imds == NULL &&
	    o->io.config_drive == NULL)
		return NULL; /* no type to compare with: the catalog is not even read */
	if ((*rc = cmd_load(df, provider, RULES_ADVISE, cat, rs)) != XA_EXIT_OK)
		return NULL;
	struct advise_input in = {.provider = provider,
				  .os = "linux",
				  .kconfig = p->kconfig,
				  .kconfig_file = p->kconfig_file};
	if (xen && p->facts.v[F_XEN_VERSION].known)
		in.xen_version = p->facts.v[F_XEN_VERSION].s;
	*type = NULL;
	if (o->type) {
		in.instance_type = o->type;
		*from = o->flavor ? "--flavor" : "--instance-type";
	} else if (dt->fields[AF_INSTANCE_TYPE]) {
		in.instance_type = dt->fields[AF_INSTANCE_TYPE];
		*from = "DMI product_name";
	} else if (!xen) {
		struct instance_opts io = o->io;
		det->local_provider = provider; /* --imds=auto asks only on EC2 */
		if ((*rc = cmd_detect_instance(&io, det, *cat, &in)) != XA_EXIT_OK)
			return NULL;
		if (in.instance_type)
			*from = in.detected && in.detected->from &&
						strcmp(in.detected->from, "imds") == 0
					? "the metadata service"
					: "the config drive";
	}
	if (in.instance_type == NULL && !xen)
		return NULL; /* nothing type-specific to compare with */
	struct diags d;
	diags_init(&d);
	struct advice *a = advise_run(&in, *cat, *rs, &d);
	if (a == NULL && o->type) {
		diags_print(&d, stderr);
		*rc = diags_has_errors(&d) ? XA_EXIT_USAGE : XA_EXIT_INTERNAL;
	} else if (a == NULL && in.instance_type) {
		fprintf(stderr,
			"xenadvise: warning: %s names '%s', which the catalog does not know; the "
			"gaps that depend on the type are left out (see `xenadvise catalog "
			"import`)\n",
			*from, in.instance_type);
	}
	diags_free(&d);
	if (a && in.instance_type)
		*type = a->entry ? a->entry->name : in.instance_type;
	return a;
}

static int run(const struct detect_opts *o, const struct data_files *df, const char *capture_tmp)
{
	struct diags d;
	diags_init(&d);
	char *path = NULL;
	struct detect_catalog *dc = NULL;
	struct identify *id = NULL;
	struct ruleset *drs = NULL, *ars = NULL;
	struct catalog *cat = NULL;
	struct probe *p = NULL;
	struct detection *dt = NULL;
	struct advice *a = NULL;
	struct detected *det = calloc(1, sizeof(*det));
	int rc = XA_EXIT_OK;
	if (det == NULL)
		return XA_EXIT_INTERNAL;
	if (asprintf(&path, "%s/catalogs/detect.yaml", df->dir) >= 0)
		dc = detectcat_load(path, &d);
	free(path);
	if (asprintf(&path, "%s/catalogs/identify.yaml", df->dir) >= 0)
		id = identify_load(path, &d);
	free(path);
	struct pathlist rp = {0};
	cmd_rules_paths(df, RULES_DETECT, &rp);
	drs = rules_load(NULL, (const char *const *)rp.v, rp.n, &d);
	pathlist_free(&rp);
	if (dc == NULL || id == NULL || drs == NULL) {
		diags_print(&d, stderr);
		rc = diags_has_errors(&d) ? XA_EXIT_INPUT : XA_EXIT_INTERNAL;
		goto out;
	}
	struct probe_opts po = {.root = o->io.root, .capture = capture_tmp};
	if ((p = probe_run(dc, id, &po)) == NULL || (dt = detect_decide(p, drs)) == NULL) {
		rc = XA_EXIT_INTERNAL;
		goto out;
	}
	if (p->capture_error) {
		cmd_errorf("--capture: cannot write %s", p->capture_error);
		rc = XA_EXIT_INTERNAL;
		goto out;
	}
	const char *type = NULL, *from = NULL;
	a = advise_for(o, df, dt, p, det, &type, &from, &cat, &ars, &rc);
	if (rc != XA_EXIT_OK)
		goto out;
	if (!detect_gaps(dt, drs, a)) {
		rc = XA_EXIT_INTERNAL;
		goto out;
	}
	struct detect_report r = {.probe = p,
				  .dt = dt,
				  .advice = a,
				  .instance_type = type,
				  .type_from = from,
				  .root = o->io.root,
				  .color = strcmp(o->format, "text") == 0 &&
					   cmd_use_color(o->color)};
	if (strcmp(o->format, "json") == 0) {
		if (!report_detect_json(&r, stdout))
			rc = XA_EXIT_INTERNAL;
	} else {
		report_detect_text(&r, stdout);
	}
	if (rc == XA_EXIT_OK && o->fail_on <= SEV_ERROR && detection_worst(dt) >= o->fail_on)
		rc = XA_EXIT_FINDINGS;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cmd_errorf("cannot write the answer");
		rc = XA_EXIT_INTERNAL;
	}
out:
	advice_free(a);
	catalog_free(cat);
	rules_free(ars);
	detection_free(dt);
	probe_free(p);
	rules_free(drs);
	identify_free(id);
	detectcat_free(dc);
	diags_free(&d);
	free(det);
	return rc;
}

int cmd_detect(int argc, char **argv)
{
	struct detect_opts o;
	int ok = parse(argc, argv, &o);
	if (ok < 0)
		return XA_EXIT_OK;
	if (ok == 0) {
		fputs("Try `xenadvise detect --help` for more.\n", stderr);
		return XA_EXIT_USAGE;
	}
	struct stat st;
	if (stat(o.io.root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		cmd_errorf("--root %s: not a directory", o.io.root);
		return XA_EXIT_INPUT;
	}
	struct data_files df;
	struct user_paths up = {0};
	if (!cmd_data_find(&up, &df)) {
		cmd_data_free(&df);
		return XA_EXIT_USAGE;
	}
	char tmp[4096];
	if (o.capture && !capture_start(o.capture, tmp, sizeof(tmp))) {
		cmd_data_free(&df);
		return XA_EXIT_USAGE;
	}
	int rc = run(&o, &df, o.capture ? tmp : NULL);
	if (o.capture) {
		bool keep = rc == XA_EXIT_OK || rc == XA_EXIT_FINDINGS;
		if (keep && rename(tmp, o.capture) != 0) {
			cmd_errorf("--capture: cannot rename %s to %s: %s", tmp, o.capture,
				   strerror(errno));
			rc = XA_EXIT_INTERNAL;
			keep = false;
		}
		if (!keep)
			nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		else
			fprintf(stderr,
				"xenadvise: the files read are in %s; attach `tar czf "
				"capture.tgz -C %s .` to a bug report\n",
				o.capture, o.capture);
	}
	cmd_data_free(&df);
	return rc;
}
