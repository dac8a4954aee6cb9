/* report_detect.c: `xenadvise detect` as text or JSON (see report_detect.h). */
#include "report_detect.h"
#include "escape.h"
#include "report.h"

#include <cjson/cJSON.h>
#include <string.h>

static const char *field(const struct detect_report *r, enum answer_field f)
{
	return r->dt->fields[f] ? r->dt->fields[f] : "unknown";
}

static void row(const char *label, FILE *out)
{
	fprintf(out, "%-15s", label);
}

static void put(const char *s, FILE *out)
{
	escape_fputs(s ? s : "", out);
}

static const char *sev_color(enum severity s, bool color)
{
	if (!color)
		return "";
	return s == SEV_ERROR ? "\033[31m" : s == SEV_WARNING ? "\033[33m" : "\033[36m";
}

void report_detect_text(const struct detect_report *r, FILE *out)
{
	const struct probe *p = r->probe;
	const struct detection *dt = r->dt;
	row("Hypervisor", out);
	put(field(r, AF_HYPERVISOR), out);
	if (p->xen_version) {
		fputs(" ", out);
		put(p->xen_version, out);
	}
	const char *dom0 = dt->fields[AF_DOM0];
	if (dom0 && strcmp(field(r, AF_HYPERVISOR), "xen") == 0)
		fputs(strcmp(dom0, "yes") == 0  ? " (dom0, the control domain)"
		      : strcmp(dom0, "no") == 0 ? " (domU, a guest)"
						: " (dom0 or domU: unknown)",
		      out);
	fputs("\n", out);
	row("Provider", out);
	put(field(r, AF_PROVIDER), out);
	fputs("\n", out);
	row("Instance type", out);
	if (r->instance_type) {
		put(r->instance_type, out);
		fprintf(out, " (from %s)\n", r->type_from ? r->type_from : "?");
	} else {
		fputs("unknown", out);
		fputs(strcmp(field(r, AF_PROVIDER), "ec2") == 0
			      ? " (add --instance-type TYPE or --imds for the gaps that depend on "
				"it)\n"
			      : "\n",
		      out);
	}
	row("Guest mode", out);
	put(field(r, AF_GUEST_MODE), out);
	if (dt->fields[AF_GUEST_MODE_NOTE]) {
		fputs(": ", out);
		report_wrap(dt->fields[AF_GUEST_MODE_NOTE], 17 + strlen(field(r, AF_GUEST_MODE)),
			    15, out);
	} else {
		fputs("\n", out);
	}
	if (dt->why[AF_GUEST_MODE])
		fprintf(out, "%15s(rule %s)\n", "", dt->why[AF_GUEST_MODE]->id);
	row("Kernel", out);
	put(p->kernel_release ? p->kernel_release : "unknown", out);
	if (p->kconfig_file) {
		fputs(", config ", out);
		put(p->kconfig_file, out);
	}
	fputs("\n", out);
	row("Interfaces", out);
	if (p->nifaces == 0)
		fputs("none found\n", out);
	for (size_t i = 0; i < p->nifaces; i++) {
		const struct probe_iface *f = &p->ifaces[i];
		if (i)
			row("", out);
		put(f->name, out);
		fputs("  driver ", out);
		put(f->driver, out);
		if (f->known)
			fprintf(out, " (%s)", f->known->kind);
		fprintf(out, ", enhanced networking: %s\n",
			f->known && strcmp(f->known->network, "none") != 0 ? f->known->network
									   : "no");
	}
	row("Disks", out);
	if (p->ndisks == 0)
		fputs("none found\n", out);
	for (size_t i = 0; i < p->ndisks; i++) {
		const struct probe_disk *k = &p->disks[i];
		if (i)
			row("", out);
		put(k->name, out);
		fputs("  driver ", out);
		put(k->driver, out);
		if (k->known)
			fprintf(out, " (%s)", k->known->kind);
		fputs("\n", out);
	}
	if (r->advice) {
		const struct advice *a = r->advice;
		row("Advised", out);
		fprintf(out, "guest mode %s, network %s, storage %s\n",
			a->fields[AF_GUEST_MODE] ? a->fields[AF_GUEST_MODE] : "?",
			a->fields[AF_NET_KIND] ? a->fields[AF_NET_KIND] : "?",
			a->fields[AF_STORAGE_DRIVER] ? a->fields[AF_STORAGE_DRIVER] : "?");
	}

	fputs("\nEvidence\n", out);
	for (size_t i = 0; i < p->nevidence; i++) {
		const struct probe_evidence *e = &p->evidence[i];
		fputs("  ", out);
		fprintf(out, "%-20s ", e->fact);
		put(e->value, out);
		fputs("  [", out);
		put(e->file, out);
		fputs("]\n", out);
	}
	if (p->nevidence == 0)
		fputs("  nothing: no file that tells a hypervisor could be read\n", out);
	if (p->nnotes) {
		fputs("\nNot read\n", out);
		for (size_t i = 0; i < p->nnotes; i++) {
			fputs("  ", out);
			put(p->notes[i], out);
			fputs("\n", out);
		}
	}
	fputs("\nGaps", out);
	if (dt->ngaps == 0) {
		fputs(": none found\n", out);
		return;
	}
	fputs(", most payoff first\n", out);
	for (size_t i = 0; i < dt->ngaps; i++) {
		const struct gap *g = &dt->gaps[i];
		fprintf(out, "  %s%-7s%s %s: ", sev_color(g->severity, r->color),
			severity_name(g->severity), r->color ? "\033[0m" : "", g->id);
		report_wrap(g->message, 13 + strlen(g->id), 4, out);
		if (g->fix) {
			fputs("    fix: ", out);
			report_wrap(g->fix, 9, 9, out);
		}
	}
}

static cJSON *str_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *rule_ref(const struct rule *ru)
{
	if (ru == NULL)
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "rule", ru->id);
	cJSON_AddStringToObject(o, "source", ru->source ? ru->source : "");
	return o;
}

bool report_detect_json(const struct detect_report *r, FILE *out)
{
	const struct probe *p = r->probe;
	const struct detection *dt = r->dt;
	cJSON *root = cJSON_CreateObject();
	if (root == NULL)
		return false;
	cJSON_AddItemToObject(root, "hypervisor", cJSON_CreateString(field(r, AF_HYPERVISOR)));
	cJSON_AddItemToObject(root, "provider", cJSON_CreateString(field(r, AF_PROVIDER)));
	cJSON_AddItemToObject(root, "guest_mode", cJSON_CreateString(field(r, AF_GUEST_MODE)));
	cJSON_AddItemToObject(root, "guest_mode_note", str_or_null(dt->fields[AF_GUEST_MODE_NOTE]));
	const char *dom0 = dt->fields[AF_DOM0];
	cJSON_AddItemToObject(root, "dom0",
			      dom0 && strcmp(dom0, "yes") == 0  ? cJSON_CreateTrue()
			      : dom0 && strcmp(dom0, "no") == 0 ? cJSON_CreateFalse()
								: cJSON_CreateNull());
	cJSON_AddItemToObject(root, "instance_type", str_or_null(r->instance_type));
	cJSON_AddItemToObject(root, "instance_type_from",
			      str_or_null(r->instance_type ? r->type_from : NULL));
	cJSON_AddItemToObject(root, "xen_version", str_or_null(p->xen_version));
	cJSON *k = cJSON_AddObjectToObject(root, "kernel");
	cJSON_AddItemToObject(k, "release", str_or_null(p->kernel_release));
	cJSON_AddItemToObject(k, "config", str_or_null(p->kconfig_file));
	cJSON *ifs = cJSON_AddArrayToObject(root, "interfaces");
	for (size_t i = 0; i < p->nifaces; i++) {
		const struct probe_iface *f = &p->ifaces[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", f->name);
		cJSON_AddStringToObject(o, "driver", f->driver);
		cJSON_AddItemToObject(o, "kind", str_or_null(f->known ? f->known->kind : NULL));
		bool en = f->known && strcmp(f->known->network, "none") != 0;
		cJSON_AddBoolToObject(o, "enhanced_networking", en);
		cJSON_AddItemToObject(o, "enhanced_networking_kind",
				      str_or_null(en ? f->known->network : NULL));
		cJSON_AddItemToArray(ifs, o);
	}
	cJSON *ds = cJSON_AddArrayToObject(root, "disks");
	for (size_t i = 0; i < p->ndisks; i++) {
		const struct probe_disk *dk = &p->disks[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", dk->name);
		cJSON_AddStringToObject(o, "driver", dk->driver);
		cJSON_AddItemToObject(o, "kind", str_or_null(dk->known ? dk->known->kind : NULL));
		cJSON_AddItemToArray(ds, o);
	}
	cJSON *ev = cJSON_AddArrayToObject(root, "evidence");
	for (size_t i = 0; i < p->nevidence; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "fact", p->evidence[i].fact);
		cJSON_AddStringToObject(o, "value", p->evidence[i].value);
		cJSON_AddStringToObject(o, "file", p->evidence[i].file);
		cJSON_AddItemToArray(ev, o);
	}
	cJSON *why = cJSON_AddObjectToObject(root, "decided_by");
	static const enum answer_field decided[] = {AF_HYPERVISOR, AF_PROVIDER, AF_GUEST_MODE,
						    AF_DOM0};
	for (size_t i = 0; i < sizeof(decided) / sizeof(decided[0]); i++)
		cJSON_AddItemToObject(why, answer_defs[decided[i]].name,
				      rule_ref(dt->why[decided[i]]));
	cJSON *nt = cJSON_AddArrayToObject(root, "not_read");
	for (size_t i = 0; i < p->nnotes; i++)
		cJSON_AddItemToArray(nt, cJSON_CreateString(p->notes[i]));
	if (r->advice) {
		const struct advice *a = r->advice;
		cJSON *ad = cJSON_AddObjectToObject(root, "advised");
		cJSON_AddItemToObject(ad, "guest_mode", str_or_null(a->fields[AF_GUEST_MODE]));
		cJSON_AddItemToObject(ad, "network", str_or_null(a->fields[AF_NET_KIND]));
		cJSON_AddItemToObject(ad, "network_driver", str_or_null(a->fields[AF_NET_DRIVER]));
		cJSON_AddItemToObject(ad, "storage_driver",
				      str_or_null(a->fields[AF_STORAGE_DRIVER]));
	} else {
		cJSON_AddNullToObject(root, "advised");
	}
	cJSON *gs = cJSON_AddArrayToObject(root, "gaps");
	for (size_t i = 0; i < dt->ngaps; i++) {
		const struct gap *g = &dt->gaps[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", g->id);
		cJSON_AddStringToObject(o, "severity", severity_name(g->severity));
		cJSON_AddStringToObject(o, "message", g->message ? g->message : "");
		cJSON_AddItemToObject(o, "fix", str_or_null(g->fix));
		cJSON_AddItemToObject(o, "source", str_or_null(g->rule ? g->rule->source : NULL));
		cJSON_AddItemToArray(gs, o);
	}
	return report_json_write(root, out);
}
