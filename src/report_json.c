/* report_json.c: the answer for scripts (schema in docs/json-schema.md). */
#include "report.h"

#include <cjson/cJSON.h>
#include <string.h>
#include <stdlib.h>

static cJSON *str_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *str_array(const char *const *v, size_t n)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; arr && i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(v[i]));
	return arr;
}

static cJSON *fact_json(const struct fact_value *v, enum fact_type t)
{
	if (!v->known)
		return cJSON_CreateNull();
	switch (t) {
	case FT_BOOL: return cJSON_CreateBool(v->b);
	case FT_STRING:
	case FT_VERSION: return cJSON_CreateString(v->s);
	case FT_LIST: return str_array(v->list, v->n);
	case FT_SET: return cJSON_CreateNumber((double)v->n); /* size only: sets are large */
	}
	return cJSON_CreateNull();
}

static cJSON *num_or_null(bool known, double v)
{
	return known ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

/* What --provider auto and --imds learned from the machine; null when nothing was asked. */
static cJSON *detected(const struct instance_info *i)
{
	if (i == NULL)
		return cJSON_CreateNull();
	cJSON *d = cJSON_CreateObject();
	cJSON *p;
	if (i->provider_file == NULL) {
		p = cJSON_CreateNull();
	} else {
		p = cJSON_CreateObject();
		cJSON_AddItemToObject(p, "signal", str_or_null(i->provider_file));
		cJSON_AddItemToObject(p, "value", str_or_null(i->provider_value));
		cJSON_AddItemToObject(p, "source", str_or_null(i->provider_source));
	}
	cJSON_AddItemToObject(d, "provider", p);
	cJSON *n;
	if (i->from == NULL) {
		n = cJSON_CreateNull();
	} else {
		bool imds = strcmp(i->from, "imds") == 0;
		n = cJSON_CreateObject();
		cJSON_AddItemToObject(n, "from", str_or_null(i->from));
		cJSON_AddItemToObject(n, "imds_version", num_or_null(imds, i->imds_version));
		cJSON_AddItemToObject(n, "round_trips", num_or_null(imds, i->round_trips));
		cJSON_AddItemToObject(n, "config_drive", str_or_null(i->config_drive));
		cJSON_AddItemToObject(n, "reported_type", str_or_null(i->reported_type));
		cJSON_AddItemToObject(n, "image_id", str_or_null(i->image_id));
		cJSON_AddItemToObject(n, "architecture", str_or_null(i->architecture));
		cJSON_AddItemToObject(n, "region", str_or_null(i->region));
		cJSON_AddItemToObject(n, "availability_zone", str_or_null(i->availability_zone));
		cJSON_AddItemToObject(n, "instance_id", str_or_null(i->instance_id));
	}
	cJSON_AddItemToObject(d, "instance", n);
	return d;
}

bool report_json(const struct advice *a, const struct report_opts *o, FILE *out)
{
	const struct facts *f = &a->facts;
	const char *const *af = a->fields;
	cJSON *root = cJSON_CreateObject();
	if (root == NULL)
		return false;
	cJSON_AddItemToObject(root, "provider", str_or_null(f->v[F_PROVIDER].s));
	cJSON_AddItemToObject(root, "os", str_or_null(f->v[F_OS].s));
	cJSON_AddItemToObject(root, "os_version", str_or_null(f->v[F_OS_VERSION].s));
	cJSON_AddItemToObject(root, "instance_type", str_or_null(a->entry ? a->entry->name : NULL));
	cJSON_AddItemToObject(root, "hypervisor", str_or_null(f->v[F_HYPERVISOR].s));
	cJSON_AddItemToObject(root, "detected", detected(a->in->detected));
	cJSON_AddItemToObject(root, "summary", str_or_null(af[AF_SUMMARY]));
	cJSON_AddItemToObject(root, "virtualization_type", str_or_null(af[AF_VIRT]));
	cJSON_AddItemToObject(root, "virtualization_type_note", str_or_null(af[AF_VIRT_NOTE]));
	cJSON_AddItemToObject(root, "guest_mode", str_or_null(af[AF_GUEST_MODE]));
	cJSON_AddItemToObject(root, "guest_mode_note", str_or_null(af[AF_GUEST_MODE_NOTE]));
	cJSON *net = cJSON_AddObjectToObject(root, "network");
	cJSON_AddItemToObject(net, "kind", str_or_null(af[AF_NET_KIND]));
	cJSON_AddItemToObject(net, "driver", str_or_null(af[AF_NET_DRIVER]));
	cJSON_AddItemToObject(net, "image_attribute", str_or_null(af[AF_NET_ATTRIBUTE]));
	cJSON_AddItemToObject(net, "min_driver_version", str_or_null(af[AF_NET_MIN_DRIVER]));
	cJSON_AddItemToObject(net, "note", str_or_null(af[AF_NET_NOTE]));
	cJSON *sto = cJSON_AddObjectToObject(root, "storage");
	cJSON_AddItemToObject(sto, "driver", str_or_null(af[AF_STORAGE_DRIVER]));
	cJSON_AddItemToObject(sto, "device_names", str_or_null(af[AF_STORAGE_DEVICES]));
	cJSON_AddItemToObject(sto, "note", str_or_null(af[AF_STORAGE_NOTE]));
	cJSON_AddItemToObject(root, "boot_mode", str_or_null(af[AF_BOOT_MODE]));
	cJSON_AddItemToObject(root, "boot_mode_note", str_or_null(af[AF_BOOT_NOTE]));
	cJSON_AddItemToObject(root, "architectures", fact_json(&f->v[F_ARCHITECTURES], FT_LIST));
	if (af[AF_WIN_PV_DRIVER] || af[AF_WIN_ENA_DRIVER] || af[AF_WIN_NVME_DRIVER] ||
	    af[AF_WIN_INTEL_DRIVER]) {
		cJSON *win = cJSON_AddObjectToObject(root, "windows");
		cJSON_AddItemToObject(win, "pv_driver", str_or_null(af[AF_WIN_PV_DRIVER]));
		cJSON_AddItemToObject(win, "ena_driver", str_or_null(af[AF_WIN_ENA_DRIVER]));
		cJSON_AddItemToObject(win, "nvme_driver", str_or_null(af[AF_WIN_NVME_DRIVER]));
		cJSON_AddItemToObject(win, "intel_vf_driver", str_or_null(af[AF_WIN_INTEL_DRIVER]));
	}
	cJSON *k = cJSON_AddObjectToObject(root, "kernel");
	cJSON_AddItemToObject(k, "version", str_or_null(f->v[F_KERNEL_VERSION].s));
	cJSON_AddItemToObject(k, "config_file", str_or_null(a->in->kconfig_file));
	cJSON_AddItemToObject(k, "required", str_array(a->kernel_required, a->nrequired));
	cJSON_AddItemToObject(k, "missing",
			      a->in->kconfig ? str_array(a->kernel_missing, a->nmissing)
					     : cJSON_CreateNull());
	cJSON *fs = cJSON_AddArrayToObject(root, "findings");
	for (size_t i = 0; i < a->nfindings; i++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "id", a->findings[i].rule->id);
		cJSON_AddStringToObject(x, "severity", severity_name(a->findings[i].severity));
		cJSON_AddStringToObject(x, "message", a->findings[i].message);
		cJSON_AddItemToObject(x, "fix", str_or_null(a->findings[i].fix));
		cJSON_AddStringToObject(x, "source", a->findings[i].rule->source);
		cJSON_AddItemToArray(fs, x);
	}
	cJSON *rat = cJSON_AddArrayToObject(root, "rationale");
	for (size_t i = 0; i < a->ntrace; i++) {
		const struct rule *r = a->trace[i].rule;
		if (!a->trace[i].matched || rule_groups_only(r))
			continue;
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "rule", r->id);
		cJSON_AddStringToObject(x, "text", advice_expand(a, r->rationale));
		cJSON_AddStringToObject(x, "source", r->source);
		cJSON_AddItemToArray(rat, x);
	}
	if (a->entry == NULL && a->catalog->nflowchart) {
		cJSON *fc = cJSON_AddArrayToObject(root, "flowchart");
		for (size_t i = 0; i < a->catalog->nflowchart; i++) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "step", a->catalog->flowchart[i].text);
			cJSON_AddItemToObject(x, "source",
					      str_or_null(a->catalog->flowchart[i].source));
			cJSON_AddItemToArray(fc, x);
		}
	}
	if (a->ngroups) {
		cJSON *gs = cJSON_AddArrayToObject(root, "classes");
		for (size_t g = 0; g < a->ngroups; g++) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "class", a->groups[g].klass);
			cJSON_AddNumberToObject(x, "types", (double)a->groups[g].ntypes);
			cJSON_AddItemToObject(
				x, "families",
				str_array(a->groups[g].families, a->groups[g].nfamilies));
			cJSON_AddItemToArray(gs, x);
		}
	}
	if (o->explain) {
		cJSON *ex = cJSON_AddArrayToObject(root, "explain");
		for (size_t i = 0; i < a->ntrace; i++) {
			const struct rule_trace *t = &a->trace[i];
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "rule", t->rule->id);
			cJSON_AddBoolToObject(x, "matched", t->matched);
			cJSON *conds = cJSON_AddArrayToObject(x, "conditions");
			for (size_t j = 0; j < t->rule->nconds; j++) {
				const struct cond *c = &t->rule->conds[j];
				cJSON *cj = cJSON_CreateObject();
				cJSON_AddStringToObject(cj, "fact", fact_defs[c->fact].name);
				cJSON_AddStringToObject(cj, "op", op_names[c->op]);
				cJSON_AddItemToObject(
					cj, "value",
					fact_json(&a->facts.v[c->fact], fact_defs[c->fact].type));
				cJSON_AddBoolToObject(cj, "holds", cond_holds(c, &a->facts));
				cJSON_AddItemToArray(conds, cj);
				if (!t->matched && j == t->failed)
					break;
			}
			cJSON_AddItemToArray(ex, x);
		}
	}
	return report_json_write(root, out);
}

bool report_json_write(cJSON *root, FILE *out)
{
	char *s = cJSON_Print(root);
	cJSON_Delete(root);
	if (s == NULL)
		return false;
	fputs(s, out);
	fputc('\n', out);
	cJSON_free(s);
	return true;
}
