/* report_check.h: `xenadvise check` findings in the formats CI tools read.
 *
 *   tty     for people: colour on a terminal (NO_COLOR honoured), the types grouped, the fix
 *           and where the rule's documentation is; a summary line at the end
 *   gcc     file:line:col: severity: message [rule] (severity error, warning or note)
 *   json    an array of findings; each has file, line, column, rule, severity, message,
 *           fix, image, image_id, instance_types (all of them), families, ignored
 *   sarif   SARIF 2.1.0 with rule metadata, help and helpUri, for GitHub code scanning
 *   junit   one test case per image, failing when it has findings at or above --fail-on
 *   github  workflow commands (::error file=...,line=...::message), escaped
 *
 * Findings are written as they come (the reporter keeps one image's worth for junit), so
 * output starts at once and memory does not grow with the input. Every string from an
 * input is escaped for its format. */
#ifndef XA_REPORT_CHECK_H
#define XA_REPORT_CHECK_H

#include "check.h"

#include <stdio.h>

enum check_format { CF_TTY, CF_GCC, CF_JSON, CF_SARIF, CF_JUNIT, CF_GITHUB };

extern const char *const check_format_names[]; /* by enum check_format, NULL-terminated */

struct check_summary {
	unsigned long errors, warnings, infos, ignored, images, files;
	enum severity fail_on;
	bool failed;
};

struct check_report;

/* rules: every check rule (SARIF lists them up front); docdir: where the rule pages are
 * (shown by tty). NULL when out of memory. */
struct check_report *check_report_new(enum check_format f, FILE *out, bool color,
				      const struct rule *const *rules, size_t nrules,
				      const char *docdir, enum severity fail_on);
void check_report_finding(struct check_report *r, const struct check_finding *f);
/* After each image's findings (junit writes its test case then). */
void check_report_image_done(struct check_report *r, const struct image *img);
/* Closes the document; for tty, prints the summary. */
void check_report_end(struct check_report *r, const struct check_summary *s);
void check_report_free(struct check_report *r);

/* "c5 (9), m5 (7), t3 (5) and 3 more families" or "all 1,373 target types" into sb. */
struct strbuf;
void check_types_phrase(const struct check_finding *f, size_t max_families, struct strbuf *sb);

#endif
