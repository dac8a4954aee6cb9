/* cmd.h: what the subcommand files share (command-line side only). */
#ifndef XA_CMD_H
#define XA_CMD_H

#include "catalog.h"
#include "datadir.h"
#include "rules.h"

#include <stdbool.h>

/* Files given with --catalog/--rules on the command line. */
struct user_paths {
	const char *catalogs[32];
	const char *rules[32];
	int ncatalogs, nrules;
};

/* The installed data directory and the user's own files (environment first, then
 * options), found once per command. */
struct data_files {
	char *dir;
	struct pathlist catalogs, rules;
};

/* Fills *df; prints an error and returns false when the data directory or a named path
 * cannot be found. cmd_data_free accepts a zeroed or filled struct. */
bool cmd_data_find(const struct user_paths *u, struct data_files *df);
void cmd_data_free(struct data_files *df);
/* Appends the installed catalog files of `provider`, then the user's catalogs. */
void cmd_catalog_paths(const struct data_files *df, const char *provider, struct pathlist *out);
/* Appends the installed rules files, then the user's rules. */
void cmd_rules_paths(const struct data_files *df, struct pathlist *out);
/* Loads a provider's catalog and all rules; prints diagnostics and returns an exit code
 * (0 when loaded). */
int cmd_load(const struct data_files *df, const char *provider, struct catalog **cat,
	     struct ruleset **rs);
bool cmd_add_user_path(struct user_paths *u, bool rules, const char *path);
bool cmd_use_color(const char *when);
/* The text of `xenadvise --help`. */
const char *cmd_usage(void);
void cmd_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parses the `list` / `show NAME` verb after the options of `xenadvise WHAT`; sets *show.
 * Prints the error and returns false when the words do not fit. */
bool cmd_list_or_show(int argc, char **argv, int optind_, const char *what, bool *show);

int cmd_advise(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_validate(int argc, char **argv);

#endif
