/* report_plan.h: `xenadvise plan` output.
 *
 *   table  for people: one line per run of a family's types that read the same (so 1,373
 *          types fit on a screen or two), aligned in 100 columns; then the summary: types
 *          per verdict grouped by family, and the changes that open the most types
 *   csv    image,instance_type,verdict,guest_mode,network,storage,reasons (one row a type)
 *   json   an array, one object per image: image, types (each instance_type, verdict,
 *          guest_mode, network, storage, reasons [{rule, outcome, message}]), summary
 *          (types, verdicts, families, changes)
 * Rows are written as they come. Strings from inputs are escaped for the format. */
#ifndef XA_REPORT_PLAN_H
#define XA_REPORT_PLAN_H

#include "plan.h"

#include <stdio.h>

enum plan_format { PF_TABLE, PF_CSV, PF_JSON };
extern const char *const plan_format_names[]; /* by enum plan_format, NULL-terminated */

struct plan_report;
struct plan_report *plan_report_new(enum plan_format f, FILE *out);
void plan_report_image(struct plan_report *r, const struct image *img);
void plan_report_row(struct plan_report *r, const struct image *img, const struct plan_row *row);
void plan_report_summary(struct plan_report *r, const struct plan_summary *s);
void plan_report_end(struct plan_report *r);
void plan_report_free(struct plan_report *r);

#endif
