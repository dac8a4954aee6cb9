/* report_plan.c: `xenadvise plan` as a grouped table, CSV or JSON (see report_plan.h). */
#include "report_plan.h"
#include "report.h"
#include "escape.h"
#include "strutil.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

const char *const plan_format_names[] = {"table", "csv", "json", NULL};

enum { MAX_REASONS = 64 };

/* Consecutive rows of one family that read the same are shown as one line. */
struct group {
	size_t n;
	const struct cat_entry *first, *last;
	const char *family;
	size_t family_size;
	enum verdict verdict;
	const char *col[PLAN_COLUMNS];
	const struct rule *reasons[MAX_REASONS];
	size_t nreasons;
};

struct plan_report {
	enum plan_format f;
	FILE *out;
	struct group g;
	size_t rows, images;
	struct strbuf sb;
	const struct rule *legend[MAX_REASONS]; /* table: the reasons shown, numbered from 1 */
	size_t nlegend;
};

struct plan_report *plan_report_new(enum plan_format f, FILE *out)
{
	struct plan_report *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return NULL;
	r->f = f;
	r->out = out;
	strbuf_init(&r->sb);
	if (f == PF_JSON)
		fputs("[", out);
	else if (f == PF_CSV)
		fputs("image,instance_type,verdict,guest_mode,network,storage,reasons\n", out);
	return r;
}

static void flush_group(struct plan_report *r)
{
	struct group *g = &r->g;
	if (g->n == 0)
		return;
	char types[64];
	if (g->n == 1)
		snprintf(types, sizeof(types), "%s", g->first->name);
	else if (g->n == g->family_size)
		snprintf(types, sizeof(types), "%s%s (%zu)", g->family, g->first->klass ? "" : ".*",
			 g->n);
	else
		snprintf(types, sizeof(types), "%s..%s (%zu)", g->first->name,
			 strchr(g->last->name, '.') ? strchr(g->last->name, '.') + 1
						    : g->last->name,
			 g->n);
	struct strbuf *sb = &r->sb;
	strbuf_reset(sb);
	char cols[PLAN_COLUMNS][24];
	static const int width[PLAN_COLUMNS] = {14, 14, 16};
	for (int c = 0; c < PLAN_COLUMNS; c++) {
		/* a long value (a Windows driver's name) is cut to its column; CSV and JSON have
		 * it whole */
		snprintf(cols[c], sizeof(cols[c]), "%s", g->col[c]);
		if ((int)strlen(cols[c]) > width[c])
			strcpy(cols[c] + width[c] - 2, "..");
	}
	strbuf_printf(sb, "  %-22s %-13s %-14s %-14s %-16s ", types, verdict_names[g->verdict],
		      cols[0], cols[1], cols[2]);
	/* the reasons as numbers; the legend under the table names them */
	size_t shown = 0;
	for (size_t k = 0; k < g->nreasons; k++) {
		const struct rule *ru = g->reasons[k];
		if (ru->outcome && strcmp(ru->outcome, "advice") == 0)
			continue;
		size_t j = 0;
		while (j < r->nlegend && r->legend[j] != ru)
			j++;
		if (j == r->nlegend && r->nlegend < MAX_REASONS)
			r->legend[r->nlegend++] = ru;
		strbuf_printf(sb, "%s%zu", shown++ ? "," : "", j + 1);
	}
	if (sb->len > 100) { /* 100 columns: the rest is in CSV and JSON */
		sb->s[97] = sb->s[98] = sb->s[99] = '.';
		sb->s[100] = '\0';
	}
	escape_fputs(sb->s, r->out);
	fputc('\n', r->out);
	g->n = 0;
}

static bool same(const struct group *g, const struct plan_row *row)
{
	if (g->n == 0 || g->family != row->family || g->verdict != row->verdict ||
	    g->nreasons != row->nreasons)
		return false;
	for (int c = 0; c < PLAN_COLUMNS; c++)
		if (strcmp(g->col[c], row->col[c]) != 0)
			return false;
	for (size_t k = 0; k < row->nreasons; k++)
		if (g->reasons[k] != row->reasons[k])
			return false;
	return true;
}

static void csv_field(FILE *out, const char *s)
{
	/* nearly every field is plain: a name, a verdict, a driver */
	const unsigned char *u = (const unsigned char *)(s ? s : "");
	while (*u >= 0x20 && *u < 0x7f && *u != ',' && *u != '"')
		u++;
	if (*u == '\0') {
		fputs(s ? s : "", out);
		return;
	}
	struct strbuf safe;
	strbuf_init(&safe);
	escape_append(&safe, s ? s : "");
	const char *t = safe.s ? safe.s : "";
	if (strpbrk(t, ",\"") == NULL) {
		fputs(t, out);
	} else {
		fputc('"', out);
		for (; *t; t++) {
			if (*t == '"')
				fputc('"', out);
			fputc(*t, out);
		}
		fputc('"', out);
	}
	strbuf_free(&safe);
}

static const char *image_label(const struct image *img)
{
	return img->name ? img->name : img->id ? img->id : "image";
}

void plan_report_image(struct plan_report *r, const struct image *img)
{
	r->rows = 0;
	if (r->f == PF_TABLE) {
		fputs(r->images ? "\n" : "", r->out);
		fputs("xenadvise plan: image ", r->out);
		escape_fputs(image_label(img), r->out);
		fprintf(r->out, " (%s, %s%s%s)\n", img->attr[IA_VIRT] ? img->attr[IA_VIRT] : "hvm?",
			img->attr[IA_ARCH] ? img->attr[IA_ARCH] : "arch?",
			img->os && strcmp(img->os, "windows") == 0 ? ", windows" : "",
			img->attr[IA_ENA] && strcmp(img->attr[IA_ENA], "true") == 0 ? ", ENA" : "");
		fprintf(r->out, "  %-22s %-13s %-14s %-14s %-16s %s\n", "TYPES", "VERDICT",
			"GUEST MODE", "NETWORK", "STORAGE", "WHY");
	} else if (r->f == PF_JSON) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", image_label(img));
		cJSON_AddItemToObject(o, "image_id",
				      img->id ? cJSON_CreateString(img->id) : cJSON_CreateNull());
		cJSON_AddStringToObject(o, "file", img->file ? img->file : "");
		char *s = cJSON_PrintUnformatted(o);
		fprintf(r->out, "%s\n{\"image\": %s,\n \"types\": [", r->images ? "," : "",
			s ? s : "{}");
		free(s);
		cJSON_Delete(o);
	}
	r->images++;
}

void plan_report_row(struct plan_report *r, const struct image *img, const struct plan_row *row)
{
	switch (r->f) {
	case PF_TABLE:
		if (!same(&r->g, row)) {
			flush_group(r);
			struct group *g = &r->g;
			g->first = row->type;
			g->family = row->family;
			g->family_size = row->family_size;
			g->verdict = row->verdict;
			memcpy(g->col, row->col, sizeof(g->col));
			g->nreasons = row->nreasons < MAX_REASONS ? row->nreasons : MAX_REASONS;
			memcpy(g->reasons, row->reasons, g->nreasons * sizeof(*g->reasons));
		}
		r->g.last = row->type;
		r->g.n++;
		break;
	case PF_CSV:
		csv_field(r->out, image_label(img));
		fputc(',', r->out);
		fputs(row->type->name, r->out);
		fputc(',', r->out);
		fputs(verdict_names[row->verdict], r->out);
		fputc(',', r->out);
		for (int c = 0; c < PLAN_COLUMNS; c++) {
			csv_field(r->out, row->col[c]);
			fputc(',', r->out);
		}
		for (size_t k = 0; k < row->nreasons; k++) {
			if (k)
				fputc(';', r->out);
			fputs(row->reasons[k]->id, r->out);
		}
		fputc('\n', r->out);
		break;
	case PF_JSON: {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "instance_type", row->type->name);
		cJSON_AddStringToObject(o, "verdict", verdict_names[row->verdict]);
		cJSON_AddStringToObject(o, "guest_mode", row->col[PLAN_GUEST_MODE]);
		cJSON_AddStringToObject(o, "network", row->col[PLAN_NETWORK]);
		cJSON_AddStringToObject(o, "storage", row->col[PLAN_STORAGE]);
		cJSON *rs = cJSON_AddArrayToObject(o, "reasons");
		for (size_t k = 0; k < row->nreasons; k++) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "rule", row->reasons[k]->id);
			cJSON_AddStringToObject(x, "outcome",
						row->reasons[k]->outcome ? row->reasons[k]->outcome
									 : "advice");
			cJSON_AddStringToObject(x, "message",
						row->messages[k] ? row->messages[k] : "");
			cJSON_AddItemToArray(rs, x);
		}
		char *s = cJSON_PrintUnformatted(o);
		fprintf(r->out, "%s\n  %s", r->rows ? "," : "", s ? s : "{}");
		free(s);
		cJSON_Delete(o);
		break;
	}
	}
	r->rows++;
}

/* "c5 (9), m5 (7), ..." wrapped at 100 columns under a label. */
static void family_line(struct plan_report *r, const struct plan_summary *s, enum verdict v)
{
	if (s->count[v] == 0)
		return;
	size_t col = (size_t)fprintf(r->out, "  %-14s %5zu  ", verdict_names[v], s->count[v]);
	size_t start = col;
	bool first = true;
	for (size_t i = 0; i < s->nfamilies; i++) {
		size_t n = s->family_count[i][v];
		if (n == 0)
			continue;
		char item[96];
		int len = snprintf(item, sizeof(item), "%s%s (%zu)", first ? "" : ", ",
				   s->families[i], n);
		if (!first && col + (size_t)len > 100) {
			fprintf(r->out, ",\n%*s", (int)start, "");
			col = start;
			len = snprintf(item, sizeof(item), "%s (%zu)", s->families[i], n);
		}
		escape_fputs(item, r->out);
		col += (size_t)len;
		first = false;
	}
	fputc('\n', r->out);
}

void plan_report_summary(struct plan_report *r, const struct plan_summary *s)
{
	switch (r->f) {
	case PF_TABLE:
		flush_group(r);
		for (size_t j = 0; j < r->nlegend; j++) {
			int col = fprintf(r->out, "  %2zu %s: ", j + 1, r->legend[j]->id);
			report_wrap(r->legend[j]->title, (size_t)col, 7, r->out);
		}
		r->nlegend = 0;
		fprintf(r->out, "Summary: %zu types\n", s->total);
		for (int v = 0; v < V__COUNT; v++)
			family_line(r, s, (enum verdict)v);
		if (s->nchanges) {
			fputs("Changes that open the most types:\n", r->out);
			for (size_t k = 0; k < s->nchanges; k++) {
				fprintf(r->out, "  +%-5zu %s\n          ", s->changes[k].types,
					s->changes[k].rule->id);
				report_wrap(s->changes[k].fix ? s->changes[k].fix
							      : s->changes[k].rule->title,
					    10, 10, r->out);
			}
		}
		break;
	case PF_JSON: {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "types", (double)s->total);
		cJSON *counts = cJSON_AddObjectToObject(o, "verdicts");
		cJSON *fams = cJSON_AddObjectToObject(o, "families");
		for (int v = 0; v < V__COUNT; v++) {
			cJSON_AddNumberToObject(counts, verdict_names[v], (double)s->count[v]);
			cJSON *a = cJSON_AddArrayToObject(fams, verdict_names[v]);
			for (size_t i = 0; i < s->nfamilies; i++)
				if (s->family_count[i][v]) {
					cJSON *x = cJSON_CreateObject();
					cJSON_AddStringToObject(x, "family", s->families[i]);
					cJSON_AddNumberToObject(x, "count",
								(double)s->family_count[i][v]);
					cJSON_AddItemToArray(a, x);
				}
		}
		cJSON *ch = cJSON_AddArrayToObject(o, "changes");
		for (size_t k = 0; k < s->nchanges; k++) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "rule", s->changes[k].rule->id);
			cJSON_AddStringToObject(x, "fix",
						s->changes[k].fix ? s->changes[k].fix : "");
			cJSON_AddNumberToObject(x, "opens", (double)s->changes[k].types);
			cJSON_AddItemToArray(ch, x);
		}
		char *str = cJSON_Print(o);
		fprintf(r->out, "\n ],\n \"summary\": %s}", str ? str : "{}");
		free(str);
		cJSON_Delete(o);
		break;
	}
	case PF_CSV: break;
	}
}

void plan_report_end(struct plan_report *r)
{
	if (r->f == PF_JSON)
		fputs(r->images ? "\n]\n" : "]\n", r->out);
}

void plan_report_free(struct plan_report *r)
{
	if (r == NULL)
		return;
	strbuf_free(&r->sb);
	free(r);
}
