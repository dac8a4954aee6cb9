/* report_detect.h: `xenadvise detect` as text or JSON. Every string read from the machine
 * is escaped (text) or JSON-encoded. */
#ifndef XA_REPORT_DETECT_H
#define XA_REPORT_DETECT_H

#include "advise.h"
#include "detect.h"
#include "probe.h"

#include <stdbool.h>
#include <stdio.h>

struct detect_report {
	const struct probe *probe;
	const struct detection *dt;
	const struct advice *advice; /* NULL when there is none */
	const char *instance_type;   /* the type the gaps are for, or NULL */
	const char *type_from;       /* "dmi", "option", "imds", "config-drive" */
	const char *root;            /* where the files were read */
	bool color;
};

void report_detect_text(const struct detect_report *r, FILE *out);
/* False when memory runs out. */
bool report_detect_json(const struct detect_report *r, FILE *out);

#endif
