/* cmd_rules.c: `xenadvise rules list` and `xenadvise rules show ID`. */
#include "cmd.h"
#include "escape.h"
#include "exitcode.h"
#include "suggest.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void block(const char *label, const char *text);

static void show_rule(const struct rule *r)
{
	fputs("id:        ", stdout);
	escape_fputs(r->id, stdout);
	fputs("\ntitle:     ", stdout);
	escape_fputs(r->title, stdout);
	printf("\ndefined:   ");
	escape_fputs(r->file, stdout);
	printf(":%d:%d\n", r->line, r->col);
	puts("when:");
	if (r->nconds == 0)
		puts("  (always)");
	for (size_t i = 0; i < r->nconds; i++) {
		const struct cond *c = &r->conds[i];
		printf("  %s %s ", fact_defs[c->fact].name, op_names[c->op]);
		if (c->nwords == 0)
			fputs(c->b ? "true" : "false", stdout);
		for (size_t j = 0; j < c->nwords; j++) {
			fputs(j ? ", " : "", stdout);
			escape_fputs(c->words[j], stdout);
		}
		putchar('\n');
	}
	if (r->nsets)
		puts("sets:");
	for (size_t i = 0; i < r->nsets; i++) {
		printf("  %s: ", answer_defs[r->sets[i].field].name);
		escape_fputs(r->sets[i].value ? r->sets[i].value : "(cleared)", stdout);
		putchar('\n');
	}
	if (r->nkernel) {
		fputs("kernel:   ", stdout);
		for (size_t i = 0; i < r->nkernel; i++) {
			putchar(' ');
			escape_fputs(r->kernel[i], stdout);
		}
		putchar('\n');
	}
	if (r->has_finding) {
		printf("finding:   %s: ", severity_name(r->severity));
		escape_fputs(r->message, stdout);
		putchar('\n');
		if (r->fix) {
			fputs("fix:       ", stdout);
			escape_fputs(r->fix, stdout);
			putchar('\n');
		}
	}
	if (r->check) {
		printf("outcome:   %s\nfield:     %s\n", r->outcome ? r->outcome : "?",
		       r->field ? r->field : "image");
		block("bad:", r->bad);
		block("good:", r->good);
	}
	fputs("rationale: ", stdout);
	escape_fputs(r->rationale, stdout);
	fputs("\nsource:    ", stdout);
	escape_fputs(r->source, stdout);
	putchar('\n');
}

/* A multi-line example, indented under its label. */
static void block(const char *label, const char *text)
{
	printf("%s\n", label);
	for (const char *p = text ? text : ""; *p;) {
		size_t n = strcspn(p, "\n");
		char line[1024];
		snprintf(line, sizeof(line), "%.*s", (int)(n < 1023 ? n : 1023), p);
		fputs("    ", stdout);
		escape_fputs(line, stdout);
		putchar('\n');
		p += n + (p[n] == '\n');
	}
}

/* The rule's documentation page (docs/checks/ID.md is this output). */
static void markdown_rule(const struct rule *r)
{
	printf("# %s\n\n", r->id);
	escape_fputs(r->title, stdout);
	printf("\n\n- Severity: %s\n- Outcome: %s\n- Points at: `%s`\n\n",
	       severity_name(r->severity), r->outcome ? r->outcome : "?",
	       r->field ? r->field : "image");
	fputs("## What it says\n\n", stdout);
	escape_fputs(r->message, stdout);
	fputs("\n\n## Why\n\n", stdout);
	escape_fputs(r->rationale, stdout);
	fputs("\n\n## Bad\n\n```yaml\n", stdout);
	escape_fputs_ml(r->bad ? r->bad : "", stdout);
	fputs("\n```\n\n## Good\n\n```yaml\n", stdout);
	escape_fputs_ml(r->good ? r->good : "", stdout);
	fputs("\n```\n\n## Fix\n\n", stdout);
	escape_fputs(r->fix ? r->fix : "-", stdout);
	fputs("\n\n## Source\n\n", stdout);
	escape_fputs(r->source, stdout);
	printf("\n\nIgnore it with `--ignore %s`, or in `.xenadvise.yaml`:\n\n"
	       "```yaml\nignore:\n  - id: %s\n    reason: why it does not apply here\n```\n",
	       r->id, r->id);
}

int cmd_rules(int argc, char **argv)
{
	struct user_paths up = {0};
	static const struct option opts[] = {
		{"rules", required_argument, NULL, 'r'},
		{"markdown", no_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	bool markdown = false;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'm') {
			markdown = true;
		} else if (c == 'r') {
			if (!cmd_add_user_path(&up, true, optarg))
				return XA_EXIT_USAGE;
		} else if (c == 'h') {
			puts("usage: xenadvise rules list [--rules PATH]\n"
			     "       xenadvise rules show ID [--markdown] [--rules PATH]\n"
			     "--markdown prints a check rule's documentation page (docs/checks/ID.md)");
			return XA_EXIT_OK;
		} else {
			cmd_errorf("unknown option '%s'", argv[optind - 1]);
			return XA_EXIT_USAGE;
		}
	}
	bool show;
	if (!cmd_list_or_show(argc, argv, optind, "rules", &show))
		return XA_EXIT_USAGE;
	struct data_files df;
	struct pathlist rp = {0};
	bool found = cmd_data_find(&up, &df);
	if (found)
		cmd_rules_paths(&df, RULES_ALL, &rp);
	cmd_data_free(&df);
	if (!found)
		return XA_EXIT_USAGE;
	struct diags d;
	diags_init(&d);
	struct ruleset *rs = rules_load(NULL, (const char *const *)rp.v, rp.n, &d);
	pathlist_free(&rp);
	int rc = XA_EXIT_OK;
	if (rs == NULL) {
		diags_print(&d, stderr);
		rc = diags_has_errors(&d) ? XA_EXIT_INPUT : XA_EXIT_INTERNAL;
		diags_free(&d);
		return rc;
	}
	if (show) {
		const struct rule *r = rules_find(rs, argv[optind + 1]);
		if (r == NULL) {
			const char **ids = calloc(rs->nrules + 1, sizeof(*ids));
			const char *near[3];
			size_t n = 0;
			for (size_t i = 0; ids && i < rs->nrules; i++)
				ids[i] = rs->rules[i].id;
			if (ids)
				n = suggest_nearest(argv[optind + 1], ids, rs->nrules, near, 3);
			if (n)
				cmd_errorf("no rule '%s' (did you mean '%s'?); `xenadvise rules "
					   "list` shows all",
					   argv[optind + 1], near[0]);
			else
				cmd_errorf("no rule '%s'; `xenadvise rules list` shows all",
					   argv[optind + 1]);
			free(ids);
			rc = XA_EXIT_USAGE;
		} else if (markdown && r->check) {
			markdown_rule(r);
		} else {
			show_rule(r);
		}
	} else {
		for (size_t i = 0; i < rs->nrules; i++) {
			const struct rule *r = &rs->rules[i];
			printf("%-32s %-8s %-6s ", r->id,
			       r->has_finding ? severity_name(r->severity)
			       : r->scope == SCOPE_DETECT ? "detect"
							  : "advice",
			       rule_scope_name(r->scope));
			escape_fputs(r->title, stdout);
			putchar('\n');
		}
	}
	rules_free(rs);
	diags_free(&d);
	return rc;
}
