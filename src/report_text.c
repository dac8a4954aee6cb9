/* report_text.c: the human-readable answer. */
#include "report.h"

#include "escape.h"
#include "strutil.h"

#include <stdbool.h>
#include <string.h>

static const char *sev_color(enum severity s)
{
	switch (s) {
	case SEV_ERROR: return "\033[1;31m";
	case SEV_WARNING: return "\033[1;33m";
	case SEV_INFO: return "\033[1;36m";
	}
	return "";
}

static void heading(const char *s, const struct report_opts *o, FILE *out)
{
	fputs(o->color ? "\033[1m" : "", out);
	fputs(s, out);
	fputs(o->color ? "\033[0m\n" : "\n", out);
}

enum { WIDTH = 100 };

/* Writes text escaped and word-wrapped: continuation lines start with `indent` spaces,
 * the first line starts at column `col`. */
void report_wrap(const char *text, size_t col, size_t indent, FILE *out)
{
	const char *p = text;
	bool first = true;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (len == 0)
			break;
		if (!first && col + 1 + len > WIDTH) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', out);
			col++;
		}
		char word[512];
		for (size_t off = 0; off < len;) { /* a long word (a URL) goes out in pieces */
			size_t n = len - off < sizeof(word) - 1 ? len - off : sizeof(word) - 1;
			memcpy(word, p + off, n);
			word[n] = '\0';
			escape_fputs(word, out);
			off += n;
		}
		col += len;
		p += len;
		first = false;
	}
	fputc('\n', out);
}

static void row(const char *label, const char *value, const char *note, FILE *out)
{
	if (value == NULL && note == NULL)
		return;
	fprintf(out, "  %-20s ", label);
	report_wrap(value ? value : "-", 23, 23, out);
	if (note) {
		fprintf(out, "  %-20s ", "");
		report_wrap(note, 23, 23, out);
	}
}

static void list_row(const char *label, const char *const *v, size_t n, FILE *out)
{
	fprintf(out, "  %-20s ", label);
	size_t col = 23;
	if (n == 0)
		fputs("none", out);
	for (size_t i = 0; i < n; i++) {
		size_t w = strlen(v[i]);
		if (i && col + 1 + w > WIDTH) {
			fprintf(out, "\n%23s", "");
			col = 23;
		} else if (i) {
			fputc(' ', out);
			col++;
		}
		escape_fputs(v[i], out);
		col += w;
	}
	fputc('\n', out);
}

void report_cond(const struct cond *c, const struct facts *f, char *buf, size_t size)
{
	const struct fact_def *def = &fact_defs[c->fact];
	char val[256];
	fact_format(&f->v[c->fact], def->type, val, sizeof(val));
	char want[256] = "";
	if (c->op == OP_PRESENT || (def->type == FT_BOOL && (c->op == OP_EQ || c->op == OP_NE)))
		snprintf(want, sizeof(want), "%s", c->b ? "true" : "false");
	for (size_t i = 0; i < c->nwords; i++) {
		strncat(want, i ? ", " : "", sizeof(want) - strlen(want) - 1);
		strncat(want, c->words[i], sizeof(want) - strlen(want) - 1);
	}
	snprintf(buf, size, "%s is %s; needs %s %s", def->name, val, op_names[c->op], want);
}

static void explain(const struct advice *a, FILE *out)
{
	for (size_t i = 0; i < a->ntrace; i++) {
		const struct rule_trace *t = &a->trace[i];
		fprintf(out, "  %s ", t->matched ? "applies " : "skipped ");
		escape_fputs(t->rule->id, out);
		fputs(": ", out);
		report_wrap(t->rule->title, 13 + strlen(t->rule->id), 13, out);
		char buf[600];
		if (!t->matched) {
			report_cond(&t->rule->conds[t->failed], &a->facts, buf, sizeof(buf));
			fputs("             because ", out);
			report_wrap(buf, 21, 21, out);
			continue;
		}
		for (size_t j = 0; j < t->rule->nconds; j++) {
			const struct cond *c = &t->rule->conds[j];
			if (c->fact == F_PROVIDER)
				continue;
			report_cond(c, &a->facts, buf, sizeof(buf));
			fputs("             with ", out);
			report_wrap(buf, 18, 18, out);
		}
	}
}

/* "Detected: provider ec2 (/sys/hypervisor/uuid); m4.xlarge from the instance metadata
 * service (IMDSv2, 2 round trips): ami-..., x86_64, us-east-1a, i-..." */
static void detected(const struct instance_info *i, FILE *out)
{
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_puts(&sb, "Detected: ");
	if (i->provider_file)
		strbuf_printf(&sb, "the provider from %s (%s)%s", i->provider_file,
			      i->provider_value, i->from ? "; " : ".");
	if (i->from && strcmp(i->from, "imds") == 0)
		strbuf_printf(&sb, "the instance from the metadata service (IMDSv%d, %u round "
				   "trips)",
			      i->imds_version, i->round_trips);
	else if (i->from)
		strbuf_printf(&sb, "the flavor from the config drive at %s%s%s%s", i->config_drive,
			      i->reported_type ? " (\"" : "", i->reported_type ? i->reported_type : "",
			      i->reported_type ? "\")" : "");
	const char *parts[] = {i->image_id, i->architecture, i->availability_zone ? i->availability_zone : i->region,
			       i->instance_id};
	bool first = true;
	for (size_t k = 0; i->from && k < 4; k++)
		if (parts[k]) {
			strbuf_printf(&sb, "%s%s", first ? ": " : ", ", parts[k]);
			first = false;
		}
	if (i->from)
		strbuf_puts(&sb, ".");
	if (sb.s) {
		fputs("  ", out);
		report_wrap(sb.s, 2, 2, out);
	}
	strbuf_free(&sb);
}

void report_text(const struct advice *a, const struct report_opts *o, FILE *out)
{
	const struct facts *f = &a->facts;
	const char *const *af = a->fields;
	fputs("xenadvise: ", out);
	escape_fputs(f->v[F_OS].s, out);
	fputs(" on ", out);
	escape_fputs(f->v[F_PROVIDER].s, out);
	if (a->entry) {
		fputs(" ", out);
		escape_fputs(a->entry->name, out);
	}
	fputc('\n', out);
	if (a->in->detected)
		detected(a->in->detected, out);
	if (af[AF_SUMMARY]) {
		fputs("  ", out);
		report_wrap(af[AF_SUMMARY], 2, 2, out);
	}
	fputc('\n', out);
	heading("Answer", o, out);
	row("Virtualization type", af[AF_VIRT], af[AF_VIRT_NOTE], out);
	row("Guest mode", af[AF_GUEST_MODE], af[AF_GUEST_MODE_NOTE], out);
	if (af[AF_NET_KIND]) {
		char buf[512];
		snprintf(buf, sizeof(buf), "%s%s%s%s%s%s%s", af[AF_NET_KIND],
			 af[AF_NET_DRIVER] ? ", driver " : "",
			 af[AF_NET_DRIVER] ? af[AF_NET_DRIVER] : "",
			 af[AF_NET_MIN_DRIVER] ? " " : "",
			 af[AF_NET_MIN_DRIVER] ? af[AF_NET_MIN_DRIVER] : "",
			 af[AF_NET_ATTRIBUTE] ? ", image attribute " : "",
			 af[AF_NET_ATTRIBUTE] ? af[AF_NET_ATTRIBUTE] : "");
		row("Network", buf, af[AF_NET_NOTE], out);
	}
	if (af[AF_STORAGE_DRIVER]) {
		char buf[512];
		snprintf(buf, sizeof(buf), "%s%s%s%s", af[AF_STORAGE_DRIVER],
			 af[AF_STORAGE_DEVICES] ? " (" : "",
			 af[AF_STORAGE_DEVICES] ? af[AF_STORAGE_DEVICES] : "",
			 af[AF_STORAGE_DEVICES] ? ")" : "");
		row("Storage", buf, af[AF_STORAGE_NOTE], out);
	}
	row("Boot mode", af[AF_BOOT_MODE], af[AF_BOOT_NOTE], out);
	if (f->v[F_ARCHITECTURES].known)
		list_row("Architectures", f->v[F_ARCHITECTURES].list, f->v[F_ARCHITECTURES].n, out);
	row("Windows PV driver", af[AF_WIN_PV_DRIVER], NULL, out);
	row("Windows ENA driver", af[AF_WIN_ENA_DRIVER], NULL, out);
	row("Windows NVMe driver", af[AF_WIN_NVME_DRIVER], NULL, out);
	row("Windows Intel VF", af[AF_WIN_INTEL_DRIVER], NULL, out);
	if (a->nrequired)
		list_row("Kernel needs", a->kernel_required, a->nrequired, out);
	if (a->in->kconfig)
		list_row("Kernel lacks", a->kernel_missing, a->nmissing, out);

	if (a->catalog->nflowchart && a->entry == NULL) {
		fputc('\n', out);
		heading("Decision", o, out);
		for (size_t i = 0; i < a->catalog->nflowchart; i++) {
			fprintf(out, "  %zu. ", i + 1);
			report_wrap(a->catalog->flowchart[i].text, 5, 5, out);
		}
	}
	if (a->ngroups) {
		fputc('\n', out);
		heading("Where the types fall", o, out);
		for (size_t g = 0; g < a->ngroups; g++) {
			const struct class_group *cg = &a->groups[g];
			fputs("  ", out);
			escape_fputs(cg->klass, out);
			fprintf(out, " (%zu types):\n   ", cg->ntypes);
			size_t col = 3;
			for (size_t i = 0; i < cg->nfamilies; i++) {
				size_t w = strlen(cg->families[i]) + 1;
				if (col + w > 98) {
					fputs("\n   ", out);
					col = 3;
				}
				fputc(' ', out);
				escape_fputs(cg->families[i], out);
				col += w;
			}
			fputc('\n', out);
		}
	}
	if (a->nfindings) {
		fputc('\n', out);
		heading("Findings", o, out);
		for (size_t i = 0; i < a->nfindings; i++) {
			const struct finding *fi = &a->findings[i];
			fprintf(out, "  %s%-7s%s ", o->color ? sev_color(fi->severity) : "",
				severity_name(fi->severity), o->color ? "\033[0m" : "");
			char buf[2048];
			snprintf(buf, sizeof(buf), "%s [%s]", fi->message, fi->rule->id);
			report_wrap(buf, 10, 10, out);
			if (fi->fix) {
				snprintf(buf, sizeof(buf), "fix: %s", fi->fix);
				fputs("          ", out);
				report_wrap(buf, 10, 15, out);
			}
		}
	}
	fputc('\n', out);
	heading("Why", o, out);
	for (size_t i = 0; i < a->ntrace; i++) {
		const struct rule_trace *t = &a->trace[i];
		if (!t->matched || rule_groups_only(t->rule))
			continue;
		char buf[2048];
		snprintf(buf, sizeof(buf), "%s: %s", t->rule->id,
			 advice_expand(a, t->rule->rationale));
		fputs("  ", out);
		report_wrap(buf, 2, 4, out);
		fputs("    ", out);
		report_wrap(t->rule->source, 4, 4, out);
	}
	if (o->explain) {
		fputc('\n', out);
		heading("Rules considered", o, out);
		explain(a, out);
	}
}
