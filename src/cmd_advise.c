/* cmd_advise.c: `xenadvise [advise]`: the answer for one provider, OS and type. */
#include "advise.h"
#include "cmd.h"
#include "exitcode.h"
#include "kconfig.h"
#include "report.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_OS_VERSION = 256,
	OPT_FLAVOR,
	OPT_XEN_VERSION,
	OPT_KERNEL_VERSION,
	OPT_COLOR,
	OPT_CATALOG,
	OPT_RULES,
};

static const struct option long_opts[] = {
	{"provider", required_argument, NULL, 'p'},
	{"os", required_argument, NULL, 'o'},
	{"os-version", required_argument, NULL, OPT_OS_VERSION},
	{"instance-type", required_argument, NULL, 't'},
	{"flavor", required_argument, NULL, OPT_FLAVOR},
	{"xen-version", required_argument, NULL, OPT_XEN_VERSION},
	{"kernel-config", required_argument, NULL, 'k'},
	{"kernel-version", required_argument, NULL, OPT_KERNEL_VERSION},
	{"format", required_argument, NULL, 'f'},
	{"explain", no_argument, NULL, 'e'},
	{"color", required_argument, NULL, OPT_COLOR},
	{"colour", required_argument, NULL, OPT_COLOR},
	{"catalog", required_argument, NULL, OPT_CATALOG},
	{"rules", required_argument, NULL, OPT_RULES},
	CMD_INSTANCE_LONG_OPTIONS,
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

static bool one_of(const char *s, const char *const *v)
{
	for (; *v; v++)
		if (strcmp(*v, s) == 0)
			return true;
	return false;
}

/* A version: digits, then digits, dots, letters, '-', '_' or '+'; at most 64 bytes. */
static bool valid_version(const char *s)
{
	if (!isdigit((unsigned char)*s) || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(".-_+", *s))
			return false;
	return true;
}

/* "Windows Server 2012 R2" -> "2012r2": lower case, no spaces, without the words
 * "windows" and "server" in front. */
static char *normalize_os_version(const char *s)
{
	char *r = malloc(strlen(s) + 1), *q = r;
	if (r == NULL)
		return NULL;
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			*q++ = (char)tolower((unsigned char)*s);
	*q = '\0';
	static const char *const prefixes[] = {"windows", "server", "-", "_"};
	for (bool again = true; again;) {
		again = false;
		for (size_t i = 0; i < 4; i++) {
			size_t n = strlen(prefixes[i]);
			if (strncmp(r, prefixes[i], n) == 0 && r[n] != '\0') {
				memmove(r, r + n, strlen(r + n) + 1);
				again = true;
			}
		}
	}
	return r;
}

/* The checks that depend on the provider, once it is known. */
static bool provider_options_fit(const struct advise_input *in, bool flavor_given,
				 const struct instance_opts *io)
{
	bool xen = strcmp(in->provider, "xen") == 0;
	if (in->xen_version && !xen) {
		cmd_errorf("--xen-version applies to --provider xen only");
		return false;
	}
	if (flavor_given && strcmp(in->provider, "rackspace") != 0) {
		cmd_errorf("--flavor is for --provider rackspace; EC2 takes --instance-type");
		return false;
	}
	if (in->instance_type && xen) {
		cmd_errorf("a private Xen host has no instance types; use --xen-version");
		return false;
	}
	if (io->imds && strcmp(io->imds, "on") == 0 && xen) {
		cmd_errorf("a private Xen host has no metadata service; use --xen-version");
		return false;
	}
	if (io->config_drive && strcmp(in->provider, "rackspace") != 0) {
		cmd_errorf("--config-drive is for --provider rackspace");
		return false;
	}
	return true;
}

int cmd_advise(int argc, char **argv)
{
	struct advise_input in = {0};
	struct user_paths up = {0};
	const char *format = "text", *color = "auto", *kconfig_path = NULL;
	char *os_version = NULL;
	struct report_opts ro = {0};
	bool flavor_given = false;
	struct instance_opts io = {.root = "/"};
	struct instance_args ia = {0};
	struct detected *dt = NULL;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:o:t:k:f:ehV", long_opts, NULL)) != -1) {
		if (cmd_instance_arg(c, optarg, &ia, &io))
			continue;
		switch (c) {
		case 'p': in.provider = optarg; break;
		case 'o': in.os = optarg; break;
		case OPT_OS_VERSION:
			free(os_version);
			os_version = normalize_os_version(optarg);
			break;
		case 't': in.instance_type = optarg; break;
		case OPT_FLAVOR:
			in.instance_type = optarg;
			flavor_given = true;
			break;
		case OPT_XEN_VERSION: in.xen_version = optarg; break;
		case 'k': kconfig_path = optarg; break;
		case OPT_KERNEL_VERSION: in.kernel_version = optarg; break;
		case 'f': format = optarg; break;
		case 'e': ro.explain = true; break;
		case OPT_COLOR: color = optarg; break;
		case OPT_CATALOG:
			if (!cmd_add_user_path(&up, false, optarg))
				goto usage;
			break;
		case OPT_RULES:
			if (!cmd_add_user_path(&up, true, optarg))
				goto usage;
			break;
		case 'h':
			fputs(cmd_usage(), stdout);
			free(os_version);
			return XA_EXIT_OK;
		case 'V':
			printf("xenadvise %s\n", XA_VERSION);
			free(os_version);
			return XA_EXIT_OK;
		case ':': cmd_errorf("option '%s' needs a value", argv[optind - 1]); goto usage;
		default: cmd_errorf("unknown option '%s'", argv[optind - 1]); goto usage;
		}
	}
	if (optind < argc) {
		cmd_errorf("unexpected argument '%s'", argv[optind]);
		goto usage;
	}
	const char *const *providers = fact_defs[F_PROVIDER].values;
	const char *const *oses = fact_defs[F_OS].values;
	static const char *const formats[] = {"text", "json", NULL};
	static const char *const colors[] = {"auto", "always", "never", NULL};
	if (in.provider == NULL) {
		cmd_errorf("missing --provider (ec2, rackspace, xen or auto); for example: "
			   "xenadvise --provider ec2 --os linux");
		goto usage;
	}
	bool auto_provider = strcmp(in.provider, "auto") == 0;
	if (!auto_provider && !one_of(in.provider, providers)) {
		cmd_errorf("unknown provider '%s' (expected ec2, rackspace, xen or auto)",
			   in.provider);
		goto usage;
	}
	if (in.os == NULL)
		in.os = "linux";
	if (!one_of(in.os, oses)) {
		cmd_errorf("unknown OS '%s' (expected linux or windows)", in.os);
		goto usage;
	}
	if (!one_of(format, formats)) {
		cmd_errorf("unknown format '%s' (expected text or json)", format);
		goto usage;
	}
	if (!one_of(color, colors)) {
		cmd_errorf("--color takes auto, always or never, not '%s'", color);
		goto usage;
	}
	if (in.xen_version && !valid_version(in.xen_version)) {
		cmd_errorf("--xen-version '%s' is not a version like 4.17", in.xen_version);
		goto usage;
	}
	if (in.kernel_version && !valid_version(in.kernel_version)) {
		cmd_errorf("--kernel-version '%s' is not a version like 6.1.0", in.kernel_version);
		goto usage;
	}
	if (os_version && (*os_version == '\0' || strlen(os_version) > 32)) {
		cmd_errorf("--os-version must be a short word like 2012r2");
		goto usage;
	}
	if (!cmd_imds_options(&ia, in.instance_type, &io))
		goto usage;
	in.os_version = os_version;
	ro.color = strcmp(format, "text") == 0 && cmd_use_color(color);

	struct data_files df;
	if (!cmd_data_find(&up, &df)) {
		cmd_data_free(&df);
		free(os_version);
		return XA_EXIT_USAGE;
	}
	int rc = XA_EXIT_OK;
	if ((dt = calloc(1, sizeof(*dt))) == NULL) {
		cmd_data_free(&df);
		free(os_version);
		return XA_EXIT_INTERNAL;
	}
	if (auto_provider || (io.imds && strcmp(io.imds, "auto") == 0))
		rc = cmd_detect_provider(&io, &df, dt);
	if (rc == XA_EXIT_OK && auto_provider) {
		if (dt->local_provider == NULL) {
			cmd_errorf(
				"cannot tell the provider: no EC2, Rackspace or Xen signal under "
				"%s (see catalogs/identify.yaml); pass --provider ec2, rackspace "
				"or xen",
				io.root);
			rc = XA_EXIT_UNDETECTED;
		} else {
			in.provider = dt->local_provider;
			cmd_note_provider(dt);
		}
	}
	if (rc == XA_EXIT_OK && !provider_options_fit(&in, flavor_given, &io))
		rc = XA_EXIT_USAGE;
	if (rc != XA_EXIT_OK) {
		if (rc == XA_EXIT_USAGE)
			fputs("Try `xenadvise --help` for more.\n", stderr);
		cmd_data_free(&df);
		free(dt);
		free(os_version);
		return rc;
	}

	struct diags d;
	diags_init(&d);
	struct kconfig *kc = NULL;
	struct catalog *cat = NULL;
	struct ruleset *rs = NULL;
	struct advice *a = NULL;
	if (kconfig_path) {
		kc = kconfig_load(kconfig_path, &d);
		if (kc == NULL) {
			diags_print(&d, stderr);
			rc = XA_EXIT_INPUT;
			goto out;
		}
		in.kconfig = kc;
		in.kconfig_file = kconfig_path;
	}
	if ((rc = cmd_load(&df, in.provider, RULES_ADVISE, &cat, &rs)) != XA_EXIT_OK)
		goto out;
	if ((rc = cmd_detect_instance(&io, dt, cat, &in)) != XA_EXIT_OK)
		goto out;
	a = advise_run(&in, cat, rs, &d);
	if (a == NULL) {
		diags_print(&d, stderr);
		rc = diags_has_errors(&d) ? XA_EXIT_USAGE : XA_EXIT_INTERNAL;
		if (in.detected && in.detected->from)
			fprintf(stderr,
				"xenadvise: note: the %s named this type; if it is new, "
				"the catalog may be older than it: see `xenadvise catalog "
				"import`\n",
				strcmp(in.detected->from, "imds") == 0 ? "metadata service"
								       : "config drive");
	} else {
		if (strcmp(format, "json") == 0) {
			if (!report_json(a, &ro, stdout))
				rc = XA_EXIT_INTERNAL;
		} else {
			report_text(a, &ro, stdout);
		}
		if (rc == XA_EXIT_OK && advice_worst(a) == SEV_ERROR)
			rc = XA_EXIT_FINDINGS;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cmd_errorf("cannot write the answer");
		rc = XA_EXIT_INTERNAL;
	}
out:
	advice_free(a);
	catalog_free(cat);
	rules_free(rs);
	kconfig_free(kc);
	diags_free(&d);
	cmd_data_free(&df);
	free(dt);
	free(os_version);
	return rc;
usage:
	fputs("Try `xenadvise --help` for more.\n", stderr);
	free(os_version);
	return XA_EXIT_USAGE;
}
