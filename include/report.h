/* report.h: turning an advice into text or JSON. Reports escape every string. */
#ifndef XA_REPORT_H
#define XA_REPORT_H

#include "advise.h"

#include <stdbool.h>
#include <stdio.h>

struct report_opts {
	bool explain;
	bool color;
};

void report_text(const struct advice *a, const struct report_opts *o, FILE *out);
/* Returns false when out of memory. */
bool report_json(const struct advice *a, const struct report_opts *o, FILE *out);
struct cJSON;
/* Prints a JSON document (tab-indented, then a newline) and deletes it; false when out of
 * memory. */
bool report_json_write(struct cJSON *root, FILE *out);
/* Writes text escaped and word-wrapped at 100 columns: the first line starts at column
 * `col`, the others are indented by `indent` spaces; ends with a newline. */
void report_wrap(const char *text, size_t col, size_t indent, FILE *out);
/* One condition in words, e.g. "hypervisor is xen; rule needs eq nitro" (for --explain). */
void report_cond(const struct cond *c, const struct facts *f, char *buf, size_t size);

#endif
