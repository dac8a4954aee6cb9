/* cmd_plan.c: `xenadvise plan`: where can this image go, and how fast? */
#include "check_settings.h"
#include "cmd.h"
#include "exitcode.h"
#include "image.h"
#include "kconfig.h"
#include "plan.h"
#include "strutil.h"
#include "report.h"
#include "report_plan.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_INPUT_FORMAT = 256,
	OPT_HYPERVISOR,
	OPT_CURRENT,
	OPT_NETWORK,
	OPT_MIN_NETWORK,
	OPT_ARCH,
	OPT_OS,
	OPT_KCONFIG,
	OPT_VIRT,
	OPT_ENA,
	OPT_SRIOV,
	OPT_BOOT,
	OPT_NAME,
	OPT_FROM,
	OPT_TO,
	OPT_CATALOG,
	OPT_RULES,
};

static const char usage[] =
	"usage: xenadvise plan [options] [FILE...]\n"
	"       xenadvise plan --from TYPE --to TYPE [options] [FILE...]\n"
	"\n"
	"Which instance types can this image run on, and how fast? For every type (or the\n"
	"filtered ones): ok, slow (what is missing), unreachable, or cannot-launch (the exact\n"
	"error), with the guest mode, network and storage it would get, then a summary and the\n"
	"changes that open the most types. The verdicts come from the same rules as `check`.\n"
	"\n"
	"The image: FILE (describe-images output, Packer, Terraform JSON or an image spec, as\n"
	"for `check`), or described here:\n"
	"      --os OS                 linux (default) or windows\n"
	"      --arch ARCH             x86_64 (default), arm64, i386; also keeps only the types\n"
	"                              that run it\n"
	"      --virtualization-type T hvm (default) or paravirtual\n"
	"      --ena-support           enaSupport is set\n"
	"      --sriov-net-support     sriovNetSupport=simple is set\n"
	"      --boot-mode M           legacy-bios, uefi or uefi-preferred\n"
	"  -k, --kernel-config FILE    the image's kernel config\n"
	"      --name NAME             what to call it\n"
	"\n"
	"Types: -t, --instance-types LIST (names, globs), --hypervisor xen|nitro|none,\n"
	"--current-generation, --network ena|intel-82599-vf|none, --min-network GBPS.\n"
	"Migration: --from and --to (a type or a glob such as 'm4.*') list what must change\n"
	"before the image moves, offline, like AWS's NitroInstanceChecks.\n"
	"\n"
	"  -p, --provider P ec2 (default) or rackspace (flavors)\n"
	"  -f, --format F   table (default), csv or json\n"
	"      --input-format F, --catalog PATH, --rules PATH, -h, --help\n"
	"\n"
	"Exit codes: 0 answer given; 2 usage error; 3 unreadable or invalid input.\n";

static const struct option long_opts[] = {
	{"format", required_argument, NULL, 'f'},
	{"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
	{"instance-types", required_argument, NULL, 't'},
	{"hypervisor", required_argument, NULL, OPT_HYPERVISOR},
	{"current-generation", no_argument, NULL, OPT_CURRENT},
	{"network", required_argument, NULL, OPT_NETWORK},
	{"min-network", required_argument, NULL, OPT_MIN_NETWORK},
	{"arch", required_argument, NULL, OPT_ARCH},
	{"os", required_argument, NULL, OPT_OS},
	{"kernel-config", required_argument, NULL, 'k'},
	{"virtualization-type", required_argument, NULL, OPT_VIRT},
	{"ena-support", no_argument, NULL, OPT_ENA},
	{"sriov-net-support", no_argument, NULL, OPT_SRIOV},
	{"boot-mode", required_argument, NULL, OPT_BOOT},
	{"name", required_argument, NULL, OPT_NAME},
	{"from", required_argument, NULL, OPT_FROM},
	{"to", required_argument, NULL, OPT_TO},
	{"provider", required_argument, NULL, 'p'},
	{"catalog", required_argument, NULL, OPT_CATALOG},
	{"rules", required_argument, NULL, OPT_RULES},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

struct run {
	struct planner *planner;
	struct plan_report *report;
	const struct catalog *cat;
	struct diags *d;
	const char *from, *to;
	FILE *out;
	/* kept to the end: the planner remembers its answers by config, so a config's
	 * address must not be reused for another */
	struct kconfig_set kcs;
	bool json;
};

/* Rows for one image, through the report. */
struct rows_ctx {
	struct run *r;
	const struct image *img;
};

static bool on_row(const struct plan_row *row, void *arg)
{
	struct rows_ctx *x = arg;
	plan_report_row(x->r->report, x->img, row);
	return true;
}

/* The entries a type name or glob names, in name order. */
static size_t matching(const struct catalog *cat, const char *pat, const struct cat_entry **out)
{
	unsigned char *mark = calloc(cat->nentries + 1, 1);
	size_t n = 0;
	if (mark && catalog_select(cat, pat, mark))
		for (size_t i = 0; i < cat->nentries; i++)
			if (mark[i])
				out[n++] = &cat->entries[i];
	free(mark);
	return n;
}

/* What one side of a move looks like: the worst verdict, the first type's columns, the
 * rules that hold (with how many of the side's types), the kernel options it needs. */
struct side {
	const char *pattern;
	size_t ntypes;
	enum verdict verdict;
	const char *col[PLAN_COLUMNS], *advised[PLAN_COLUMNS];
	const struct rule *rules[64];
	char *messages[64], *fixes[64];
	size_t counts[64], nrules;
	char *kernel[64];
	size_t nkernel;
};

static void side_free(struct side *s)
{
	for (size_t j = 0; j < s->nrules; j++) {
		free(s->messages[j]);
		free(s->fixes[j]);
	}
	for (size_t k = 0; k < s->nkernel; k++)
		free(s->kernel[k]);
}

static bool side_needs(const struct side *s, const char *opt)
{
	for (size_t k = 0; k < s->nkernel; k++)
		if (strcmp(s->kernel[k], opt) == 0)
			return true;
	return false;
}

static void fill_side(struct run *r, const struct image *img, const struct kconfig *kc,
		      const struct cat_entry *const *types, size_t n, struct side *s)
{
	s->ntypes = n;
	for (size_t i = 0; i < n; i++) {
		struct plan_row row;
		if (!planner_row(r->planner, types[i]->name, &row))
			continue;
		if (row.verdict > s->verdict)
			s->verdict = row.verdict;
		if (i == 0) {
			memcpy(s->col, row.col, sizeof(s->col));
			memcpy(s->advised, row.advised, sizeof(s->advised));
		}
		for (size_t k = 0; k < row.nreasons; k++) {
			const struct rule *ru = row.reasons[k];
			if (ru->outcome && strcmp(ru->outcome, "advice") == 0)
				continue;
			size_t j = 0;
			while (j < s->nrules && s->rules[j] != ru)
				j++;
			if (j == s->nrules && s->nrules < 64) {
				s->rules[j] = ru;
				s->messages[j] = strdup(row.messages[k] ? row.messages[k] : "");
				s->fixes[j] = strdup(row.fixes[k] ? row.fixes[k] : "-");
				s->nrules++;
			}
			if (j < 64)
				s->counts[j]++;
		}
	}
	const char *const *need = planner_kernel_needs(r->planner, img, kc, types[0]->name);
	for (size_t k = 0; need && need[k] && s->nkernel < 64; k++)
		s->kernel[s->nkernel++] = strdup(need[k]);
}

/* --from/--to: what must change in the image before it moves. */
static bool migrate(struct run *r, const struct image *img, const struct kconfig *kc)
{
	const struct catalog *cat = r->cat;
	const struct cat_entry **ft = calloc(cat->nentries + 1, sizeof(*ft));
	const struct cat_entry **tt = calloc(cat->nentries + 1, sizeof(*tt));
	struct side *from = calloc(1, sizeof(*from)), *to = calloc(1, sizeof(*to));
	bool ok = ft && tt && from && to;
	size_t nf = ok ? matching(cat, r->from, ft) : 0, nt = ok ? matching(cat, r->to, tt) : 0;
	if (ok && !nf)
		cmd_errorf("--from '%s' matches no instance type", r->from);
	if (ok && !nt)
		cmd_errorf("--to '%s' matches no instance type", r->to);
	ok = ok && nf && nt;
	if (ok) {
		from->pattern = r->from;
		to->pattern = r->to;
		for (int c = 0; c < PLAN_COLUMNS; c++)
			from->col[c] = to->col[c] = from->advised[c] = to->advised[c] = "-";
		/* judged against every type (a definition's own types do not limit a move),
		 * once for both sides */
		struct image all = *img;
		all.targets = NULL;
		all.ntargets = 0;
		ok = planner_prepare(r->planner, &all, kc, r->d);
		if (ok) {
			fill_side(r, img, kc, ft, nf, from);
			fill_side(r, img, kc, tt, nt, to);
		}
	}
	if (ok && r->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "image", img->name ? img->name : "image");
		cJSON_AddStringToObject(o, "from", r->from);
		cJSON_AddStringToObject(o, "to", r->to);
		cJSON_AddStringToObject(o, "from_verdict", verdict_names[from->verdict]);
		cJSON_AddStringToObject(o, "to_verdict", verdict_names[to->verdict]);
		cJSON *ch = cJSON_AddObjectToObject(o, "changes");
		for (int c = 0; c < PLAN_COLUMNS; c++) {
			cJSON *pair = cJSON_CreateArray();
			cJSON_AddItemToArray(pair, cJSON_CreateString(from->col[c]));
			cJSON_AddItemToArray(pair, cJSON_CreateString(to->advised[c]));
			cJSON_AddItemToObject(ch, plan_columns[c], pair);
		}
		cJSON *mc = cJSON_AddArrayToObject(o, "must_change");
		for (size_t j = 0; j < to->nrules; j++) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "rule", to->rules[j]->id);
			cJSON_AddStringToObject(x, "outcome", to->rules[j]->outcome);
			cJSON_AddStringToObject(x, "message", to->messages[j]);
			cJSON_AddStringToObject(x, "fix", to->fixes[j]);
			cJSON_AddNumberToObject(x, "types", (double)to->counts[j]);
			cJSON_AddItemToArray(mc, x);
		}
		cJSON *kn = cJSON_AddArrayToObject(o, "kernel_needs");
		for (size_t k = 0; k < to->nkernel; k++)
			if (!side_needs(from, to->kernel[k]))
				cJSON_AddItemToArray(kn, cJSON_CreateString(to->kernel[k]));
		char *str = cJSON_Print(o);
		fprintf(r->out, "%s\n", str ? str : "{}");
		free(str);
		cJSON_Delete(o);
	} else if (ok) {
		FILE *out = r->out;
		fputs("xenadvise plan: moving image ", out);
		escape_fputs(img->name ? img->name : "image", out);
		fputs(" from ", out);
		escape_fputs(r->from, out);
		fprintf(out, " (%zu type%s) to ", nf, nf == 1 ? "" : "s");
		escape_fputs(r->to, out);
		fprintf(out, " (%zu type%s)\n", nt, nt == 1 ? "" : "s");
		fprintf(out, "  %-6s %-13s %-14s %-14s %s\n", "", "VERDICT", "GUEST MODE",
			"NETWORK", "STORAGE");
		struct side *sides[2] = {from, to};
		for (int k = 0; k < 2; k++)
			fprintf(out, "  %-6s %-13s %-14s %-14s %s\n", k ? "to" : "from",
				verdict_names[sides[k]->verdict], sides[k]->col[0],
				sides[k]->col[1], sides[k]->col[2]);
		if (to->verdict != V_OK)
			fprintf(out, "  %-6s %-13s %-14s %-14s %s\n", "fixed", "(advised)",
				to->advised[0], to->advised[1], to->advised[2]);
		size_t shown = 0;
		for (size_t j = 0; j < to->nrules; j++) {
			if (shown++ == 0)
				fputs("Must change before the move:\n", out);
			int col = fprintf(out, "  - [%s] ", to->rules[j]->id);
			char on[64] = "";
			if (nt > 1)
				snprintf(on, sizeof(on), " (on %zu of %zu types)", to->counts[j],
					 nt);
			struct strbuf line;
			strbuf_init(&line);
			strbuf_puts(&line, to->messages[j]);
			strbuf_puts(&line, on);
			report_wrap(line.s ? line.s : "", (size_t)col, 4, out);
			strbuf_free(&line);
			fputs("    fix: ", out);
			report_wrap(to->fixes[j], 9, 9, out);
		}
		if (shown == 0)
			fputs("Nothing in the image stands in the way of the move.\n", out);
		shown = 0;
		for (int c = 0; c < PLAN_COLUMNS; c++)
			if (strcmp(from->col[c], to->advised[c]) != 0 &&
			    strcmp(to->advised[c], "-") != 0) {
				if (shown++ == 0)
					fputs("What changes for the guest:\n", out);
				fprintf(out, "  %-10s %s -> %s\n", plan_columns[c], from->col[c],
					to->advised[c]);
			}
		shown = 0;
		for (size_t k = 0; k < to->nkernel; k++) {
			if (side_needs(from, to->kernel[k]))
				continue;
			fputs(shown++ ? " "
				      : "Kernel options the target needs and the source did not:\n "
					" ",
			      out);
			escape_fputs(to->kernel[k], out);
		}
		if (shown)
			fputc('\n', out);
	}
	if (from)
		side_free(from);
	if (to)
		side_free(to);
	free(from);
	free(to);
	free(ft);
	free(tt);
	return ok;
}

static bool plan_image(struct run *r, const struct image *img)
{
	const struct kconfig *kc =
		img->kernel_config ? kconfig_set_get(&r->kcs, img->kernel_config, r->d) : NULL;
	if (img->kernel_config && kc == NULL)
		return true; /* reported; the next image may be fine */
	if (r->from || r->to)
		return migrate(r, img, kc);
	plan_report_image(r->report, img);
	struct rows_ctx x = {r, img};
	const struct plan_summary *sum = NULL;
	bool go = planner_run(r->planner, img, kc, on_row, &x, &sum, r->d);
	if (sum)
		plan_report_summary(r->report, sum);
	return go;
}

static bool on_image(const struct image *img, void *arg)
{
	return plan_image(arg, img);
}

int cmd_plan(int argc, char **argv)
{
	struct user_paths up = {0};
	struct words types = {0};
	const char *format = "table", *input_format = NULL, *network = NULL, *min_net = NULL;
	struct plan_opts po = {0};
	struct image img = {.file = "(command line)", .format = "options", .name = "the image"};
	const char *from = NULL, *to = NULL, *provider = "ec2";
	int c, rc = XA_EXIT_OK, fi;
	img.attr[IA_VIRT] = "hvm";
	img.attr[IA_ENA] = "false";
	img.attr[IA_ARCH] = "x86_64";
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:t:k:p:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'p': provider = optarg; break;
		case 'f': format = optarg; break;
		case OPT_INPUT_FORMAT: input_format = optarg; break;
		case 't': words_split(&types, optarg); break;
		case OPT_HYPERVISOR: po.check.hypervisor = optarg; break;
		case OPT_CURRENT: po.check.current_generation = true; break;
		case OPT_NETWORK: network = optarg; break;
		case OPT_MIN_NETWORK: min_net = optarg; break;
		case OPT_ARCH: po.arch = img.attr[IA_ARCH] = optarg; break;
		case OPT_OS: img.os = optarg; break;
		case 'k': img.kernel_config = optarg; break;
		case OPT_VIRT: img.attr[IA_VIRT] = optarg; break;
		case OPT_ENA: img.attr[IA_ENA] = "true"; break;
		case OPT_SRIOV: img.attr[IA_SRIOV] = "simple"; break;
		case OPT_BOOT: img.attr[IA_BOOT] = optarg; break;
		case OPT_NAME: img.name = optarg; break;
		case OPT_FROM: from = optarg; break;
		case OPT_TO: to = optarg; break;
		case OPT_CATALOG:
		case OPT_RULES:
			if (!cmd_add_user_path(&up, c == OPT_RULES, optarg))
				goto usage;
			break;
		case 'h':
			fputs(usage, stdout);
			words_free(&types);
			return XA_EXIT_OK;
		case ':': cmd_errorf("option '%s' needs a value", argv[optind - 1]); goto usage;
		default: cmd_errorf("unknown option '%s'", argv[optind - 1]); goto usage;
		}
	}
	if (!cmd_pick(format, plan_format_names, &fi)) {
		cmd_errorf("unknown format '%s' (expected table, csv or json)", format);
		goto usage;
	}
	if (strcmp(provider, "ec2") != 0 && strcmp(provider, "rackspace") != 0) {
		cmd_errorf(
			"plan knows --provider ec2 and rackspace, not '%s' (a private Xen host has "
			"no instance types: use xenadvise --provider xen --xen-version V)",
			provider);
		goto usage;
	}
	if ((from == NULL) != (to == NULL)) {
		cmd_errorf("--from and --to go together");
		goto usage;
	}
	if (from && types.n) {
		cmd_errorf("--from and --to name the types; drop -t/--instance-types");
		goto usage;
	}
	if (from && fi == PF_CSV) {
		cmd_errorf("--from/--to print a table or JSON, not CSV");
		goto usage;
	}
	if (img.os && strcmp(img.os, "linux") != 0 && strcmp(img.os, "windows") != 0) {
		cmd_errorf("--os takes linux or windows, not '%s'", img.os);
		goto usage;
	}
	static const char *const virts[] = {"hvm", "paravirtual", NULL};
	static const char *const archs[] = {"x86_64", "arm64", "i386", NULL};
	static const char *const boots[] = {"legacy-bios", "uefi", "uefi-preferred", NULL};
	static const char *const nets[] = {"ena", "intel-82599-vf", "none", NULL};
	static const char *const hvs[] = {"xen", "nitro", "none", NULL};
	int dummy;
	if (!cmd_pick(img.attr[IA_VIRT], virts, &dummy) ||
	    !cmd_pick(img.attr[IA_ARCH], archs, &dummy) ||
	    (img.attr[IA_BOOT] && !cmd_pick(img.attr[IA_BOOT], boots, &dummy))) {
		cmd_errorf(
			"--virtualization-type takes hvm or paravirtual, --arch x86_64, arm64 or "
			"i386, --boot-mode legacy-bios, uefi or uefi-preferred");
		goto usage;
	}
	if (network && !cmd_pick(network, nets, &dummy)) {
		cmd_errorf("--network takes ena, intel-82599-vf or none, not '%s'", network);
		goto usage;
	}
	if (po.check.hypervisor && !cmd_pick(po.check.hypervisor, hvs, &dummy)) {
		cmd_errorf("--hypervisor takes xen, nitro or none, not '%s'", po.check.hypervisor);
		goto usage;
	}
	if (min_net) {
		char *end;
		po.min_network = strtod(min_net, &end);
		if (end == min_net || *end || po.min_network <= 0) {
			cmd_errorf("--min-network takes a number of Gbps, such as 25");
			goto usage;
		}
	}
	if (input_format && !cmd_pick(input_format, image_formats, &dummy)) {
		cmd_errorf("unknown input format '%s'", input_format);
		goto usage;
	}
	po.network = network;
	po.check.types = (const char *const *)types.v;
	po.check.ntypes = types.n;

	struct diags d;
	diags_init(&d);
	struct data_files df;
	struct catalog *cat = NULL;
	struct ruleset *rs = NULL;
	struct planner *pl = NULL;
	struct run run = {.d = &d, .out = stdout, .from = from, .to = to, .json = fi == PF_JSON};
	if (!cmd_data_find(&up, &df))
		rc = XA_EXIT_USAGE;
	else
		rc = cmd_load(&df, provider, RULES_ADVISE_CHECK, &cat, &rs);
	if (rc == XA_EXIT_OK && (pl = planner_new(cat, rs, rs, &po, &d)) == NULL) {
		diags_print(&d, stderr);
		rc = diags_has_errors(&d) ? XA_EXIT_USAGE : XA_EXIT_INTERNAL;
	}
	if (rc == XA_EXIT_OK) {
		run.planner = pl;
		run.cat = cat;
		if (!from)
			run.report = plan_report_new((enum plan_format)fi, stdout);
		if (optind >= argc) {
			if (!plan_image(&run, &img) && from)
				rc = XA_EXIT_USAGE;
		} else {
			for (int i = optind; i < argc; i++)
				if (!images_read(strcmp(argv[i], "-") ? argv[i] : "/dev/stdin",
						 input_format, on_image, &run, &d))
					rc = XA_EXIT_INPUT;
		}
		if (run.report)
			plan_report_end(run.report);
		diags_print(&d, stderr);
		if (diags_has_errors(&d))
			rc = XA_EXIT_INPUT;
		if (fflush(stdout) != 0 || ferror(stdout)) {
			cmd_errorf("cannot write the plan");
			rc = XA_EXIT_INTERNAL;
		}
	}
	plan_report_free(run.report);
	kconfig_set_free(&run.kcs);
	planner_free(pl);
	catalog_free(cat);
	rules_free(rs);
	cmd_data_free(&df);
	diags_free(&d);
	words_free(&types);
	return rc;
usage:
	fputs("Try `xenadvise plan --help` for more.\n", stderr);
	words_free(&types);
	return XA_EXIT_USAGE;
}
