/* cmd_instance.c: what is this machine? `--provider auto` from local signals, and
 * `--imds` from the metadata service (EC2) or the config drive (Rackspace). */
#include "cmd.h"
#include "configdrive.h"
#include "exitcode.h"
#include "identify.h"
#include "imds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void warnf(const char *what, const char *msg)
{
	fprintf(stderr, "xenadvise: warning: %s", what);
	escape_fputs(msg, stderr);
	fputc('\n', stderr);
}

int cmd_detect_provider(const struct instance_opts *o, const struct data_files *df,
			struct detected *dt)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/catalogs/identify.yaml", df->dir);
	struct diags d;
	diags_init(&d);
	struct identify *id = identify_load(path, &d);
	diags_print(&d, stderr);
	diags_free(&d);
	if (id == NULL)
		return XA_EXIT_INPUT;
	if (identify_probe(id, o->root, &dt->signal)) {
		const struct id_signal *s = dt->signal.signal;
		dt->local_provider = s->provider;
		if (s->file)
			snprintf(dt->where, sizeof(dt->where), "%s", s->file);
		else
			snprintf(dt->where, sizeof(dt->where), "XenStore %s", s->xenstore);
		/* the strings live in the identify file: keep copies */
		snprintf(dt->provider, sizeof(dt->provider), "%s", s->provider);
		snprintf(dt->source, sizeof(dt->source), "%s", s->source);
		dt->local_provider = dt->provider;
	}
	identify_free(id);
	return XA_EXIT_OK;
}

void cmd_note_provider(struct detected *dt)
{
	dt->info.provider_file = dt->where;
	dt->info.provider_value = dt->signal.value;
	dt->info.provider_source = dt->source;
}

static int ask_imds(const struct instance_opts *o, struct detected *dt, struct advise_input *in)
{
	bool must = strcmp(o->imds, "on") == 0;
	if (!must && (dt->local_provider == NULL || strcmp(dt->local_provider, "ec2") != 0))
		return XA_EXIT_OK; /* --imds=auto off EC2: not a byte on the network */
	struct imds_result *r = &dt->imds;
	imds_lookup(&o->imds_config, r);
	if (r->status != IMDS_OK) {
		if (!must && r->status == IMDS_DISABLED)
			return XA_EXIT_OK;
		if (!must) {
			warnf("the metadata service did not say which instance this is, so the "
			      "answer is for all of EC2: ",
			      r->message);
			return XA_EXIT_OK;
		}
		cmd_errorf("%s", r->message);
		return XA_EXIT_UNDETECTED;
	}
	if (r->warning[0])
		warnf("", r->warning);
	in->instance_type = r->id.instance_type;
	struct instance_info *i = &dt->info;
	i->from = "imds";
	i->imds_version = r->version;
	i->round_trips = r->requests;
	i->image_id = r->id.image_id[0] ? r->id.image_id : NULL;
	i->architecture = r->id.architecture[0] ? r->id.architecture : NULL;
	i->region = r->id.region[0] ? r->id.region : NULL;
	i->availability_zone = r->id.availability_zone[0] ? r->id.availability_zone : NULL;
	i->instance_id = r->id.instance_id[0] ? r->id.instance_id : NULL;
	in->detected = i;
	return XA_EXIT_OK;
}

static int read_drive(const struct instance_opts *o, struct detected *dt, const struct catalog *cat,
		      struct advise_input *in)
{
	bool must = strcmp(o->imds, "on") == 0 || o->config_drive != NULL;
	bool found = o->config_drive != NULL;
	if (found)
		snprintf(dt->drive, sizeof(dt->drive), "%s", o->config_drive);
	else
		found = configdrive_find(o->root, dt->drive, sizeof(dt->drive));
	if (!found && !must)
		return XA_EXIT_OK;
	if (!found) {
		cmd_errorf("no config drive is mounted at /mnt/config or /config-drive. Mount it "
			   "(mkdir -p /mnt/config && mount -o ro /dev/disk/by-label/config-2 "
			   "/mnt/config), or pass --config-drive DIR, or --flavor");
		return XA_EXIT_UNDETECTED;
	}
	char err[600];
	struct cdrive_info *ci = &dt->drive_info;
	if (!configdrive_read(dt->drive, ci, err, sizeof(err))) {
		if (!must) {
			warnf("the config drive did not say which flavor this is, so the answer is "
			      "for all of Rackspace: ",
			      err);
			return XA_EXIT_OK;
		}
		cmd_errorf("%s", err);
		return XA_EXIT_UNDETECTED;
	}
	/* nova writes the flavor's display name; the catalog is keyed by flavor id */
	const struct cat_entry *e = catalog_find(cat, ci->instance_type);
	if (e == NULL && (e = catalog_find_api_name(cat, ci->instance_type)) != NULL)
		dt->info.reported_type = ci->instance_type;
	in->instance_type = e ? e->name : ci->instance_type;
	dt->info.from = "config-drive";
	dt->info.config_drive = dt->drive;
	dt->info.instance_id = ci->uuid[0] ? ci->uuid : NULL;
	dt->info.availability_zone = ci->availability_zone[0] ? ci->availability_zone : NULL;
	in->detected = &dt->info;
	return XA_EXIT_OK;
}

int cmd_detect_instance(const struct instance_opts *o, struct detected *dt,
			const struct catalog *cat, struct advise_input *in)
{
	if (dt->info.provider_file)
		in->detected = &dt->info;
	if (o->imds == NULL || in->instance_type != NULL)
		return XA_EXIT_OK;
	if (strcmp(in->provider, "ec2") == 0)
		return ask_imds(o, dt, in);
	if (strcmp(in->provider, "rackspace") == 0)
		return read_drive(o, dt, cat, in);
	return XA_EXIT_OK; /* a private Xen host: nothing to ask */
}

/* Checks --imds and its options, and builds the metadata client's settings: environment
 * first, then the options. Prints the error and returns false on a bad value. */
bool cmd_instance_arg(int c, const char *arg, struct instance_args *a, struct instance_opts *io)
{
	switch (c) {
	case OPT_IMDS: a->when = arg ? arg : "on"; return true;
	case OPT_IMDS_ENDPOINT: a->opt[0] = arg; return true;
	case OPT_IMDS_MODE: a->opt[1] = arg; return true;
	case OPT_IMDS_TIMEOUT: a->opt[2] = arg; return true;
	case OPT_IMDS_ATTEMPTS: a->opt[3] = arg; return true;
	case OPT_CONFIG_DRIVE: io->config_drive = arg; return true;
	case OPT_ROOT: io->root = arg; return true;
	default: return false;
	}
}

bool cmd_imds_options(const struct instance_args *a, const char *type, struct instance_opts *io)
{
	const char *when = a->when, *const *opt = a->opt;
	static const char *const whens[] = {"on", "auto", "off", NULL};
	int pick;
	if (when && !cmd_pick(when, whens, &pick)) {
		cmd_errorf("--imds takes on, auto or off, not '%s'", when);
		return false;
	}
	io->imds = when && strcmp(when, "off") != 0 ? when : NULL;
	if (io->config_drive && io->imds == NULL)
		io->imds = "on"; /* reading a named config drive is asking the instance */
	bool any = opt[0] || opt[1] || opt[2] || opt[3];
	if (any && io->imds == NULL) {
		cmd_errorf("the --imds-* options need --imds or --imds=auto");
		return false;
	}
	if (io->imds && strcmp(io->imds, "on") == 0 && type) {
		cmd_errorf("--imds asks the instance for its type, and --instance-type/--flavor "
			   "names one: drop one of them");
		return false;
	}
	if (io->imds == NULL)
		return true;
	char err[300];
	struct imds_config *c = &io->imds_config;
	if (!imds_config_from_env(c, err, sizeof(err)) ||
	    (opt[1] && !imds_set_mode(c, opt[1], err, sizeof(err))) ||
	    (opt[0] && !imds_set_endpoint(c, opt[0], err, sizeof(err))) ||
	    (opt[2] && !imds_set_timeout(c, opt[2], err, sizeof(err))) ||
	    (opt[3] && !imds_set_attempts(c, opt[3], err, sizeof(err)))) {
		cmd_errorf("%s", err);
		return false;
	}
	return true;
}
