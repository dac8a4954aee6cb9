/* report_check.c: `xenadvise check` output formats (see report_check.h). */
#include "report_check.h"
#include "escape.h"
#include "strutil.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

const char *const check_format_names[] = {"tty", "gcc", "json", "sarif", "junit", "github", NULL};

struct check_report {
	enum check_format f;
	FILE *out;
	bool color;
	const struct rule *const *rules;
	size_t nrules;
	const char *docdir;
	enum severity fail_on;
	unsigned long written; /* findings written (json, sarif: for the commas) */
	struct strbuf line;    /* reused for each finding */
	struct strbuf junit;   /* the current image's failures */
	unsigned long junit_failures, junit_findings;
};

static const char *level_gcc(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

static const char *level_sarif(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

static const char *level_github(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "notice";
}

void check_types_phrase(const struct check_finding *f, size_t max_families, struct strbuf *sb)
{
	if (f->ntypes == f->ntargets && f->ntargets > 1) {
		strbuf_printf(sb, "all %zu target types", f->ntargets);
		return;
	}
	if (f->ntypes == 1) {
		strbuf_puts(sb, f->first->name);
		return;
	}
	strbuf_printf(sb, "%zu of %zu target types: ", f->ntypes, f->ntargets);
	size_t fams = 0, shown = 0;
	for (size_t i = 0; i < f->nfamilies; i++) {
		if (f->family_counts[i] == 0)
			continue;
		if (shown < max_families) {
			strbuf_printf(sb, "%s%s (%u)", shown ? ", " : "", f->family_names[i],
				      f->family_counts[i]);
			shown++;
		}
		fams++;
	}
	if (fams > shown)
		strbuf_printf(sb, " and %zu more famil%s", fams - shown,
			      fams - shown == 1 ? "y" : "ies");
}

struct check_report *check_report_new(enum check_format f, FILE *out, bool color,
				      const struct rule *const *rules, size_t nrules,
				      const char *docdir, enum severity fail_on)
{
	struct check_report *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return NULL;
	*r = (struct check_report){.f = f,
				   .out = out,
				   .color = color && f == CF_TTY,
				   .rules = rules,
				   .nrules = nrules,
				   .docdir = docdir,
				   .fail_on = fail_on};
	strbuf_init(&r->junit);
	strbuf_init(&r->line);
	if (f == CF_JSON) {
		fputs("[", out);
	} else if (f == CF_SARIF) {
		/* the tool and its rules first; then the results, as they come */
		cJSON *driver = cJSON_CreateObject();
		cJSON_AddStringToObject(driver, "name", "xenadvise");
		cJSON_AddStringToObject(driver, "version", XA_VERSION);
		cJSON *rl = cJSON_AddArrayToObject(driver, "rules");
		for (size_t i = 0; i < nrules; i++) {
			const struct rule *ru = rules[i];
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "id", ru->id);
			cJSON_AddStringToObject(o, "name", ru->id);
			cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "shortDescription"),
						"text", ru->title);
			cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "fullDescription"),
						"text", ru->rationale);
			struct strbuf h;
			strbuf_init(&h);
			strbuf_printf(&h, "%s\n\nFix: %s\n\nBad:\n%s\n\nGood:\n%s\n\nSource: %s",
				      ru->title, ru->fix ? ru->fix : "-", ru->bad ? ru->bad : "-",
				      ru->good ? ru->good : "-", ru->source);
			cJSON *help = cJSON_AddObjectToObject(o, "help");
			cJSON_AddStringToObject(help, "text", h.s ? h.s : "");
			strbuf_free(&h);
			strbuf_init(&h);
			strbuf_printf(&h,
				      "**%s**\n\n%s\n\n**Fix:** %s\n\n**Bad:**\n```\n%s\n```\n\n"
				      "**Good:**\n```\n%s\n```\n\nSource: %s",
				      ru->title, ru->rationale, ru->fix ? ru->fix : "-",
				      ru->bad ? ru->bad : "-", ru->good ? ru->good : "-",
				      ru->source);
			cJSON_AddStringToObject(help, "markdown", h.s ? h.s : "");
			strbuf_free(&h);
			if (strncmp(ru->source, "https://", 8) == 0)
				cJSON_AddStringToObject(o, "helpUri", ru->source);
			cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "defaultConfiguration"),
						"level", level_sarif(ru->severity));
			cJSON *props = cJSON_AddObjectToObject(o, "properties");
			cJSON *tags = cJSON_AddArrayToObject(props, "tags");
			cJSON_AddItemToArray(tags, cJSON_CreateString("ec2"));
			cJSON_AddItemToArray(rl, o);
		}
		char *d = cJSON_PrintUnformatted(driver);
		fprintf(out,
			"{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
			"\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":%s},\"results\":[",
			d ? d : "{}");
		free(d);
		cJSON_Delete(driver);
	} else if (f == CF_JUNIT) {
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "
		      "name=\"xenadvise\">\n"
		      "<testsuite name=\"xenadvise check\">\n",
		      out);
	}
	return r;
}

static size_t rule_index(const struct check_report *r, const struct rule *ru)
{
	for (size_t i = 0; i < r->nrules; i++)
		if (r->rules[i] == ru)
			return i;
	return 0;
}

static cJSON *types_json(const struct check_finding *f)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; f->types && i < f->ntypes; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(f->types[i]->name));
	return a;
}

static cJSON *families_json(const struct check_finding *f)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < f->nfamilies; i++) {
		if (f->family_counts[i] == 0)
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "family", f->family_names[i]);
		cJSON_AddNumberToObject(o, "count", f->family_counts[i]);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static void json_finding(struct check_report *r, const struct check_finding *f)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "file", f->img->file);
	cJSON_AddNumberToObject(o, "line", f->line);
	cJSON_AddNumberToObject(o, "column", f->col);
	cJSON_AddStringToObject(o, "rule", f->rule->id);
	cJSON_AddStringToObject(o, "severity", severity_name(f->rule->severity));
	cJSON_AddStringToObject(o, "message", f->message);
	cJSON_AddItemToObject(o, "fix", f->fix ? cJSON_CreateString(f->fix) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "image",
			      f->img->name ? cJSON_CreateString(f->img->name) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "image_id",
			      f->img->id ? cJSON_CreateString(f->img->id) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "instance_types", types_json(f));
	cJSON_AddItemToObject(o, "families", families_json(f));
	cJSON_AddNumberToObject(o, "targets", (double)f->ntargets);
	cJSON_AddItemToObject(o, "ignored",
			      f->ignored ? cJSON_CreateString(f->ignored) : cJSON_CreateNull());
	char *s = cJSON_Print(o);
	fprintf(r->out, "%s\n%s", r->written ? "," : "", s ? s : "{}");
	free(s);
	cJSON_Delete(o);
}

static void sarif_finding(struct check_report *r, const struct check_finding *f)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "ruleId", f->rule->id);
	cJSON_AddNumberToObject(o, "ruleIndex", (double)rule_index(r, f->rule));
	cJSON_AddStringToObject(o, "level", level_sarif(f->rule->severity));
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_printf(&sb, "%s (image %s, on ", f->message, f->img->name ? f->img->name : "?");
	check_types_phrase(f, 8, &sb);
	strbuf_puts(&sb, ")");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "message"), "text", sb.s ? sb.s : "");
	strbuf_free(&sb);
	cJSON *locs = cJSON_AddArrayToObject(o, "locations");
	cJSON *loc = cJSON_CreateObject();
	cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(phys, "artifactLocation"), "uri",
				f->img->file);
	cJSON *reg = cJSON_AddObjectToObject(phys, "region");
	int line = f->line > 0 ? f->line : 1, col = f->col > 0 ? f->col : 1;
	cJSON_AddNumberToObject(reg, "startLine", line);
	cJSON_AddNumberToObject(reg, "startColumn", col);
	cJSON_AddNumberToObject(reg, "endLine", line);
	cJSON_AddNumberToObject(reg, "endColumn", col + 1);
	cJSON_AddItemToArray(locs, loc);
	/* the same finding on the same image keeps its identity across runs */
	unsigned long h = 5381;
	for (const char *p = f->rule->id; *p; p++)
		h = h * 33 + (unsigned char)*p;
	for (const char *p = f->img->name ? f->img->name : ""; *p; p++)
		h = h * 33 + (unsigned char)*p;
	char fp[32];
	snprintf(fp, sizeof(fp), "%016lx", h);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "partialFingerprints"), "xenadvise/v1",
				fp);
	cJSON *props = cJSON_AddObjectToObject(o, "properties");
	cJSON_AddItemToObject(props, "image",
			      f->img->name ? cJSON_CreateString(f->img->name) : cJSON_CreateNull());
	cJSON_AddItemToObject(props, "instance_types", types_json(f));
	char *s = cJSON_PrintUnformatted(o);
	fprintf(r->out, "%s%s", r->written ? "," : "", s ? s : "{}");
	free(s);
	cJSON_Delete(o);
}

/* GitHub workflow commands: data escapes %, CR, LF; properties also : and , */
static void gh_escape(struct strbuf *sb, const char *s, bool property)
{
	struct strbuf safe;
	strbuf_init(&safe);
	escape_append(&safe, s ? s : "");
	for (const char *p = safe.s ? safe.s : ""; *p; p++) {
		if (*p == '%')
			strbuf_puts(sb, "%25");
		else if (*p == '\r')
			strbuf_puts(sb, "%0D");
		else if (*p == '\n')
			strbuf_puts(sb, "%0A");
		else if (property && *p == ':')
			strbuf_puts(sb, "%3A");
		else if (property && *p == ',')
			strbuf_puts(sb, "%2C");
		else
			strbuf_putc(sb, *p);
	}
	strbuf_free(&safe);
}

static void github_finding(struct check_report *r, const struct check_finding *f)
{
	struct strbuf sb, msg;
	strbuf_init(&sb);
	strbuf_init(&msg);
	strbuf_printf(&sb, "::%s file=", level_github(f->rule->severity));
	gh_escape(&sb, f->img->file, true);
	strbuf_printf(&sb, ",line=%d,col=%d,title=", f->line > 0 ? f->line : 1,
		      f->col > 0 ? f->col : 1);
	gh_escape(&sb, f->rule->id, true);
	strbuf_puts(&sb, "::");
	strbuf_printf(&msg, "%s (image %s, on ", f->message, f->img->name ? f->img->name : "?");
	check_types_phrase(f, 8, &msg);
	strbuf_printf(&msg, ")%s%s", f->fix ? ". Fix: " : "", f->fix ? f->fix : "");
	gh_escape(&sb, msg.s, false);
	fprintf(r->out, "%s\n", sb.s);
	strbuf_free(&sb);
	strbuf_free(&msg);
}

static void xml_escape(struct strbuf *sb, const char *s)
{
	struct strbuf safe;
	strbuf_init(&safe);
	escape_append(&safe, s ? s : ""); /* no control characters: XML 1.0 forbids them */
	for (const char *p = safe.s ? safe.s : ""; *p; p++) {
		switch (*p) {
		case '&': strbuf_puts(sb, "&amp;"); break;
		case '<': strbuf_puts(sb, "&lt;"); break;
		case '>': strbuf_puts(sb, "&gt;"); break;
		case '"': strbuf_puts(sb, "&quot;"); break;
		case '\'': strbuf_puts(sb, "&apos;"); break;
		default: strbuf_putc(sb, *p);
		}
	}
	strbuf_free(&safe);
}

static void location(FILE *out, const struct check_finding *f)
{
	escape_fputs(f->img->file, out);
	fprintf(out, ":%d:%d: ", f->line, f->col);
}

static void gcc_finding(struct check_report *r, const struct check_finding *f)
{
	location(r->out, f);
	fputs(level_gcc(f->rule->severity), r->out);
	fputs(": ", r->out);
	struct strbuf *sb = &r->line;
	strbuf_reset(sb);
	strbuf_puts(sb, f->message);
	strbuf_puts(sb, " (image ");
	strbuf_puts(sb, f->img->name ? f->img->name : "?");
	strbuf_puts(sb, ", on ");
	check_types_phrase(f, 6, sb);
	strbuf_puts(sb, ") [");
	strbuf_puts(sb, f->rule->id);
	strbuf_putc(sb, ']');
	escape_fputs(sb->s, r->out);
	fputc('\n', r->out);
}

static void tty_finding(struct check_report *r, const struct check_finding *f)
{
	static const char *const colors[] = {"\033[36m", "\033[33m", "\033[31m"};
	const char *on = r->color ? colors[f->rule->severity] : "",
		   *bold = r->color ? "\033[1m" : "", *off = r->color ? "\033[0m" : "";
	fputs(bold, r->out);
	location(r->out, f);
	fprintf(r->out, "%s%s%s:%s ", off, on, level_gcc(f->rule->severity), off);
	escape_fputs(f->message, r->out);
	fprintf(r->out, " [%s]\n  image ", f->rule->id);
	escape_fputs(f->img->name ? f->img->name : "?", r->out);
	if (f->img->id && (f->img->name == NULL || strcmp(f->img->id, f->img->name) != 0)) {
		fputs(" (", r->out);
		escape_fputs(f->img->id, r->out);
		fputc(')', r->out);
	}
	struct strbuf sb;
	strbuf_init(&sb);
	check_types_phrase(f, 8, &sb);
	fputs(", on ", r->out);
	escape_fputs(sb.s, r->out);
	fputc('\n', r->out);
	strbuf_free(&sb);
	if (f->fix) {
		fputs("  fix: ", r->out);
		escape_fputs(f->fix, r->out);
		fputc('\n', r->out);
	}
	fprintf(r->out, "  more: xenadvise rules show %s", f->rule->id);
	if (r->docdir) {
		fputs(" (", r->out);
		escape_fputs(r->docdir, r->out);
		fprintf(r->out, "/%s.md)", f->rule->id);
	}
	fputc('\n', r->out);
}

void check_report_finding(struct check_report *r, const struct check_finding *f)
{
	if (f->ignored && r->f != CF_JSON)
		return; /* ignored with a reason: only JSON keeps it, marked */
	switch (r->f) {
	case CF_TTY: tty_finding(r, f); break;
	case CF_GCC: gcc_finding(r, f); break;
	case CF_JSON: json_finding(r, f); break;
	case CF_SARIF: sarif_finding(r, f); break;
	case CF_GITHUB: github_finding(r, f); break;
	case CF_JUNIT: {
		r->junit_findings++;
		if (f->rule->severity < r->fail_on)
			break;
		r->junit_failures++;
		struct strbuf line;
		strbuf_init(&line);
		strbuf_printf(&line, "%s:%d:%d: %s: %s (on ", f->img->file, f->line, f->col,
			      severity_name(f->rule->severity), f->message);
		check_types_phrase(f, 8, &line);
		strbuf_printf(&line, ") [%s]", f->rule->id);
		xml_escape(&r->junit, line.s);
		strbuf_putc(&r->junit, '\n');
		strbuf_free(&line);
		break;
	}
	}
	r->written++;
}

void check_report_image_done(struct check_report *r, const struct image *img)
{
	if (r->f != CF_JUNIT)
		return;
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_puts(&sb, "<testcase classname=\"");
	xml_escape(&sb, img->file);
	strbuf_puts(&sb, "\" name=\"");
	xml_escape(&sb, img->name ? img->name : "image");
	strbuf_puts(&sb, "\"");
	if (r->junit_failures) {
		strbuf_printf(&sb, ">\n<failure message=\"%lu finding%s\" type=\"xenadvise\">",
			      r->junit_failures, r->junit_failures == 1 ? "" : "s");
		strbuf_puts(&sb, r->junit.s ? r->junit.s : "");
		strbuf_puts(&sb, "</failure>\n</testcase>\n");
	} else {
		strbuf_puts(&sb, "/>\n");
	}
	fputs(sb.s, r->out);
	strbuf_free(&sb);
	strbuf_free(&r->junit);
	strbuf_init(&r->junit);
	r->junit_failures = r->junit_findings = 0;
}

void check_report_end(struct check_report *r, const struct check_summary *s)
{
	switch (r->f) {
	case CF_JSON: fputs(r->written ? "\n]\n" : "]\n", r->out); break;
	case CF_SARIF: fputs("]}]}\n", r->out); break;
	case CF_JUNIT: fputs("</testsuite>\n</testsuites>\n", r->out); break;
	case CF_TTY: {
		const char *on = r->color ? (s->failed ? "\033[31m" : "\033[32m") : "",
			   *off = r->color ? "\033[0m" : "";
		fprintf(r->out,
			"%s%lu error%s, %lu warning%s, %lu note%s in %lu image%s (%lu file%s)", on,
			s->errors, s->errors == 1 ? "" : "s", s->warnings,
			s->warnings == 1 ? "" : "s", s->infos, s->infos == 1 ? "" : "s", s->images,
			s->images == 1 ? "" : "s", s->files, s->files == 1 ? "" : "s");
		if (s->ignored)
			fprintf(r->out, ", %lu ignored", s->ignored);
		fprintf(r->out, "; %s (--fail-on %s)%s\n", s->failed ? "failing" : "passing",
			severity_name(s->fail_on), off);
		break;
	}
	default: break;
	}
}

void check_report_free(struct check_report *r)
{
	if (r == NULL)
		return;
	strbuf_free(&r->junit);
	strbuf_free(&r->line);
	free(r);
}
