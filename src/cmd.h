/* cmd.h: what the subcommand files share (command-line side only). */
#ifndef XA_CMD_H
#define XA_CMD_H

#include "advise.h"
#include "catalog.h"
#include "configdrive.h"
#include "datadir.h"
#include "escape.h"
#include "identify.h"
#include "imds.h"
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
/* Which installed rules: rules/ (advice), rules/check/ and rules/detect/ (kept apart so
 * that advice runs do not parse them), or all. */
enum rules_set { RULES_ADVISE, RULES_CHECK, RULES_DETECT, RULES_ADVISE_CHECK, RULES_ALL };
/* Appends the installed rules files of that set, then the user's rules. */
void cmd_rules_paths(const struct data_files *df, enum rules_set which, struct pathlist *out);
/* Loads a provider's catalog and all rules; prints diagnostics and returns an exit code
 * (0 when loaded). */
int cmd_load(const struct data_files *df, const char *provider, enum rules_set which,
	     struct catalog **cat, struct ruleset **rs);
bool cmd_add_user_path(struct user_paths *u, bool rules, const char *path);
bool cmd_use_color(const char *when);
/* The index of s in the NULL-terminated names, in *out; false when it is none of them. */
bool cmd_pick(const char *s, const char *const *names, int *out);
/* The text of `xenadvise --help`. */
const char *cmd_usage(void);
void cmd_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parses the `list` / `show NAME` verb after the options of `xenadvise WHAT`; sets *show.
 * Prints the error and returns false when the words do not fit. */
bool cmd_list_or_show(int argc, char **argv, int optind_, const char *what, bool *show);

/* How to learn what this machine is (advise's --provider auto, --imds, --root ...). */
struct instance_opts {
	const char *imds; /* NULL (do not ask), "on" or "auto" */
	const char *root; /* where local signals are read: "/" or a captured tree */
	const char *config_drive;
	struct imds_config imds_config;
};

/* The options that say how to learn what this machine is, shared by advise and detect:
 * their getopt values (above any command's own), rows for a long-option table, and what
 * they were given. */
enum {
	OPT_IMDS = 512,
	OPT_IMDS_ENDPOINT,
	OPT_IMDS_MODE,
	OPT_IMDS_TIMEOUT,
	OPT_IMDS_ATTEMPTS,
	OPT_CONFIG_DRIVE,
	OPT_ROOT
};
/* clang-format off */
#define CMD_INSTANCE_LONG_OPTIONS \
	{"imds", optional_argument, NULL, OPT_IMDS}, \
	{"imds-endpoint", required_argument, NULL, OPT_IMDS_ENDPOINT}, \
	{"imds-endpoint-mode", required_argument, NULL, OPT_IMDS_MODE}, \
	{"imds-timeout", required_argument, NULL, OPT_IMDS_TIMEOUT}, \
	{"imds-attempts", required_argument, NULL, OPT_IMDS_ATTEMPTS}, \
	{"config-drive", required_argument, NULL, OPT_CONFIG_DRIVE}, \
	{"root", required_argument, NULL, OPT_ROOT}
/* clang-format on */
struct instance_args {
	const char *when;   /* --imds[=WHEN] */
	const char *opt[4]; /* --imds-endpoint, -endpoint-mode, -timeout, -attempts */
};
/* Takes getopt's value c and its argument; true when c is one of the options above. */
bool cmd_instance_arg(int c, const char *arg, struct instance_args *a, struct instance_opts *io);

/* What was learned, and the storage behind the strings of `info`. */
struct detected {
	struct instance_info info;
	const char *local_provider; /* what local signals say, or NULL */
	struct id_result signal;
	char where[300], provider[16], source[1024];
	struct imds_result imds;
	struct cdrive_info drive_info;
	char drive[4096];
};

/* Evaluates catalogs/identify.yaml under o->root; sets dt->local_provider when a signal
 * matches. Returns an exit code (XA_EXIT_INPUT when the identify file is invalid). */
int cmd_detect_provider(const struct instance_opts *o, const struct data_files *df,
			struct detected *dt);
/* Records that the provider came from the local signal (--provider auto). */
void cmd_note_provider(struct detected *dt);
/* Checks --imds (on, auto, off) and its --imds-endpoint, -endpoint-mode, -timeout and
 * -attempts values against an --instance-type (type), and builds io's metadata
 * client settings: environment first, then the options. Prints the error and returns
 * false on a bad value. */
bool cmd_imds_options(const struct instance_args *a, const char *type, struct instance_opts *io);
/* With --imds: asks the metadata service (EC2) or reads the config drive (Rackspace) and
 * sets in->instance_type and in->detected. --imds=auto asks only where the local signals
 * say it can answer, and a failure there is a warning, not an error. */
int cmd_detect_instance(const struct instance_opts *o, struct detected *dt,
			const struct catalog *cat, struct advise_input *in);

int cmd_advise(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_detect(int argc, char **argv);

#endif
