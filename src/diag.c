/* diag.c: the list of load-time diagnostics. */
#include "diag.h"

#include "escape.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diags_init(struct diags *d)
{
	memset(d, 0, sizeof(*d));
}

void diags_free(struct diags *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

void diags_add(struct diags *d, enum diag_level level, const char *file, int line, int col,
	       const char *fmt, ...)
{
	if (level == DIAG_ERROR)
		d->errors++;
	if (d->n >= DIAGS_MAX) {
		d->dropped++;
		return;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		struct diag *v = realloc(d->v, cap * sizeof(*v));
		if (v == NULL) {
			d->dropped++;
			return;
		}
		d->v = v;
		d->cap = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	struct diag *g = &d->v[d->n++];
	g->file = file ? strdup(file) : NULL;
	g->line = line;
	g->col = col;
	g->level = level;
	g->msg = msg;
}

bool diags_has_errors(const struct diags *d)
{
	return d->errors > 0;
}

static const char *level_name(enum diag_level l)
{
	switch (l) {
	case DIAG_ERROR: return "error";
	case DIAG_WARNING: return "warning";
	case DIAG_NOTE: return "note";
	}
	return "error";
}

/* Diagnostics print grouped by file (in the order files first appear), then by position;
 * the sort is stable so equal positions keep the order they were found in. */
static size_t file_rank(const struct diags *d, const char *file)
{
	for (size_t i = 0; file && i < d->nfile_order; i++)
		if (strcmp(d->file_order[i], file) == 0)
			return i;
	for (size_t i = 0; i < d->n; i++) {
		const char *f = d->v[i].file;
		if ((f == NULL && file == NULL) || (f && file && strcmp(f, file) == 0))
			return d->nfile_order + i;
	}
	return d->nfile_order;
}

static int cmp_diag(const void *a, const void *b, void *ctx)
{
	const struct diags *d = ctx;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const struct diag *x = &d->v[i], *y = &d->v[j];
	size_t fx = file_rank(d, x->file), fy = file_rank(d, y->file);
	if (fx != fy)
		return fx < fy ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return i < j ? -1 : i > j;
}

void diags_print(const struct diags *d, FILE *out)
{
	size_t *order = malloc((d->n ? d->n : 1) * sizeof(*order));
	for (size_t i = 0; order && i < d->n; i++)
		order[i] = i;
	if (order)
		qsort_r(order, d->n, sizeof(*order), cmp_diag, (void *)d);
	for (size_t k = 0; k < d->n; k++) {
		const struct diag *g = &d->v[order ? order[k] : k];
		if (g->file) {
			escape_fputs(g->file, out);
			if (g->line > 0)
				fprintf(out, ":%d:%d", g->line, g->col);
			fputs(": ", out);
		} else {
			fputs("xenadvise: ", out);
		}
		fprintf(out, "%s: ", level_name(g->level));
		escape_fputs(g->msg ? g->msg : "out of memory", out);
		fputc('\n', out);
	}
	if (d->dropped)
		fprintf(out, "xenadvise: note: %zu more diagnostics not shown\n", d->dropped);
	free(order);
}
