/* diag.h: diagnostics collected while loading input, shown together afterwards.
 *
 * A loader never stops at the first problem: it adds every error it finds to a
 * struct diags and keeps going where it safely can. The caller prints them as
 * "file:line:col: error: message" and picks the exit code. */
#ifndef XA_DIAG_H
#define XA_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag {
	char *file;    /* may be NULL for errors not tied to a file */
	int line, col; /* 1-based; 0 when unknown */
	enum diag_level level;
	char *msg;
};

struct diags {
	struct diag *v;
	size_t n, cap;
	size_t dropped; /* errors past DIAGS_MAX, counted but not kept */
	size_t errors;
	/* optional: print files in this order (say, as given on the command line); files not
	 * in it follow, in the order their first diagnostic came */
	char *const *file_order;
	size_t nfile_order;
};

enum { DIAGS_MAX = 200 };

void diags_init(struct diags *d);
void diags_free(struct diags *d);
void diags_add(struct diags *d, enum diag_level level, const char *file, int line, int col,
	       const char *fmt, ...) __attribute__((format(printf, 6, 7)));
bool diags_has_errors(const struct diags *d);
/* Prints every diagnostic, escaping control characters, and a count of dropped ones. */
void diags_print(const struct diags *d, FILE *out);

#endif
