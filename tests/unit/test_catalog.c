/* test_catalog.c: catalog loading, merging, validation, and the EC2 catalog checked
 * against the real DescribeInstanceTypes output (read here independently, with cJSON). */
#include "helpers.h"
#include "import_ec2.h"
#include "ytree.h"

#include <cjson/cJSON.h>
#include <fnmatch.h>

static bool list_eq(const struct fact_value *v, const cJSON *arr)
{
	if (!v->known || !cJSON_IsArray(arr) || (size_t)cJSON_GetArraySize(arr) != v->n)
		return false;
	const cJSON *x;
	cJSON_ArrayForEach(x, arr)
	{
		if (!cJSON_IsString(x) || !fact_has(v, x->valuestring))
			return false;
	}
	return true;
}

static const char *str_at(const cJSON *o, const char *a, const char *b)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
	if (b)
		x = cJSON_GetObjectItemCaseSensitive(x, b);
	return cJSON_IsString(x) ? x->valuestring : NULL;
}

/* Intel 82599 VF families per the AWS docs (enhanced-networking.md). */
static bool doc_intel_vf(const char *name)
{
	static const char *const globs[] = {"c3.*", "c4.*", "d2.*", "i2.*", "r3.*", "m4.*"};
	if (strcmp(name, "m4.16xlarge") == 0)
		return false;
	for (size_t i = 0; i < 6; i++)
		if (fnmatch(globs[i], name, 0) == 0)
			return true;
	return false;
}

Test(catalog, ec2_agrees_with_the_real_api_data_for_every_type)
{
	size_t len;
	const char *err;
	char *json =
		read_file(XA_SHARED "/data/ec2-describe-instance-types.json", 64 << 20, &len, &err);
	cr_assert_not_null(json, "the real data file must be beside the repository (../shared)");
	cJSON *root = cJSON_Parse(json);
	free(json);
	cr_assert_not_null(root);
	const cJSON *types = cJSON_GetObjectItemCaseSensitive(root, "InstanceTypes");
	cr_assert_eq(cJSON_GetArraySize(types), 1373);

	struct catalog *cat;
	struct ruleset *rs;
	load_installed("ec2", &cat, &rs);
	cr_assert_eq(cat->nentries, 1373, "one entry per type, no more, no fewer");
	size_t checked = 0, xen = 0, nitro = 0, metal = 0, intel = 0;
	const cJSON *t;
	cJSON_ArrayForEach(t, types)
	{
		const char *name = str_at(t, "InstanceType", NULL);
		const struct cat_entry *e = catalog_find(cat, name);
		cr_assert_not_null(e, "%s missing from the catalog", name);
		const cJSON *bm = cJSON_GetObjectItemCaseSensitive(t, "BareMetal");
		cr_assert_eq(e->v[F_BARE_METAL].b, cJSON_IsTrue(bm), "%s BareMetal", name);
		const char *hv = str_at(t, "Hypervisor", NULL);
		cr_assert_str_eq(e->v[F_HYPERVISOR].s, hv ? hv : "none", "%s Hypervisor", name);
		cr_assert(hv || cJSON_IsTrue(bm), "%s: only bare metal lacks Hypervisor", name);
		cr_assert_str_eq(e->v[F_ENA].s, str_at(t, "NetworkInfo", "EnaSupport"), "%s ena",
				 name);
		cr_assert_str_eq(e->v[F_NVME_EBS].s, str_at(t, "EbsInfo", "NvmeSupport"), "%s nvme",
				 name);
		cr_assert_str_eq(e->v[F_NETWORK_PERFORMANCE].s,
				 str_at(t, "NetworkInfo", "NetworkPerformance"), "%s net", name);
		cr_assert(list_eq(&e->v[F_VIRT_TYPES], cJSON_GetObjectItemCaseSensitive(
							       t, "SupportedVirtualizationTypes")),
			  "%s virt types", name);
		cr_assert(list_eq(&e->v[F_BOOT_MODES],
				  cJSON_GetObjectItemCaseSensitive(t, "SupportedBootModes")),
			  "%s boot modes", name);
		cr_assert(list_eq(&e->v[F_ROOT_DEVICES],
				  cJSON_GetObjectItemCaseSensitive(t, "SupportedRootDeviceTypes")),
			  "%s root devices", name);
		cr_assert(list_eq(&e->v[F_ARCHITECTURES],
				  cJSON_GetObjectItemCaseSensitive(
					  cJSON_GetObjectItemCaseSensitive(t, "ProcessorInfo"),
					  "SupportedArchitectures")),
			  "%s architectures", name);
		cr_assert_eq(e->v[F_CURRENT_GENERATION].b,
			     cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "CurrentGeneration")),
			     "%s current generation", name);
		/* the hand-kept fact the API lacks */
		cr_assert(e->v[F_INTEL_VF].known);
		cr_assert_eq(e->v[F_INTEL_VF].b, doc_intel_vf(name), "%s intel_vf", name);
		if (e->v[F_INTEL_VF].b) {
			intel++;
			cr_assert_str_eq(e->v[F_ENA].s, "unsupported",
					 "%s: Intel VF types have no ENA in the API", name);
		}
		xen += strcmp(e->v[F_HYPERVISOR].s, "xen") == 0;
		nitro += strcmp(e->v[F_HYPERVISOR].s, "nitro") == 0;
		metal += strcmp(e->v[F_HYPERVISOR].s, "none") == 0;
		checked++;
	}
	cr_assert_eq(checked, 1373);
	cr_assert_eq(xen, 74);
	cr_assert_eq(nitro, 1147);
	cr_assert_eq(metal, 152);
	cr_assert_gt(intel, 20);
	cJSON_Delete(root);
	catalog_free(cat);
	rules_free(rs);
}

Test(catalog, disputed_facts_follow_the_api)
{
	struct catalog *cat;
	struct ruleset *rs;
	load_installed("ec2", &cat, &rs);
	const struct cat_entry *m4 = catalog_find(cat, "m4.16xlarge");
	cr_assert_str_eq(m4->v[F_ENA].s, "supported");
	cr_assert_not(m4->v[F_INTEL_VF].b, "m4.16xlarge uses ENA, not the Intel VF");
	cr_assert(catalog_find(cat, "m4.10xlarge")->v[F_INTEL_VF].b);
	/* i3: the API says EBS NVMe is supported; the 2021 docs say no. We keep the API. */
	cr_assert_str_eq(catalog_find(cat, "i3.large")->v[F_NVME_EBS].s, "supported");
	cr_assert(strstr(catalog_fact_source(cat, m4, F_INTEL_VF), "sriov-networking") != NULL,
		  "the overlay's source is kept per fact");
	catalog_free(cat);
	rules_free(rs);
}

Test(catalog, suggestions_for_unknown_names)
{
	struct catalog *cat;
	struct ruleset *rs;
	load_installed("ec2", &cat, &rs);
	cr_assert_null(catalog_find(cat, "c4.larg"));
	const char *near[4];
	size_t n = catalog_suggest(cat, "c4.larg", near, 4);
	cr_assert_geq(n, 1);
	cr_assert_str_eq(near[0], "c4.large");
	catalog_free(cat);
	rules_free(rs);
}

Test(catalog, rackspace_classes)
{
	struct catalog *cat;
	struct ruleset *rs;
	load_installed("rackspace", &cat, &rs);
	const struct cat_entry *e = catalog_find(cat, "compute1-15");
	cr_assert_not_null(e);
	cr_assert_str_eq(e->klass, "compute1");
	cr_assert(fact_has(&e->v[F_IMAGE_MODES], "hvm"));
	cr_assert_not(fact_has(&e->v[F_IMAGE_MODES], "xen"), "work-optimized flavors take no PV");
	cr_assert(fact_has(&catalog_find(cat, "general1-1")->v[F_IMAGE_MODES], "xen"));
	cr_assert(catalog_find(cat, "onmetal-io1")->v[F_BARE_METAL].b);
	catalog_free(cat);
	rules_free(rs);
}

Test(catalog, xen_modes_by_version)
{
	struct catalog *cat;
	struct ruleset *rs;
	load_installed("xen", &cat, &rs);
	size_t n;
	const char *const *m = catalog_xen_modes(cat, "4.17", &n);
	struct fact_value v = {.known = true, .list = m, .n = n};
	cr_assert(fact_has(&v, "pvh"));
	cr_assert_not(fact_has(&v, "pvh-v1"), "PVH v1 is gone from 4.9");
	m = catalog_xen_modes(cat, "4.4", &n);
	v = (struct fact_value){.known = true, .list = m, .n = n};
	cr_assert(fact_has(&v, "pvh-v1"));
	cr_assert_not(fact_has(&v, "pvh"));
	cr_assert(fact_has(&v, "pvhvm"));
	m = catalog_xen_modes(cat, "3.4", &n);
	v = (struct fact_value){.known = true, .list = m, .n = n};
	cr_assert_not(fact_has(&v, "pvhvm"), "PVHVM arrived in 4.0.1");
	catalog_free(cat);
	rules_free(rs);
}

Test(catalog, later_files_replace_entries_and_overlays_apply_to_all)
{
	char *a = tmpfile_str("kind: catalog\nprovider: ec2\nsource: a\n"
			      "defaults: {hypervisor: xen}\n"
			      "entries:\n  z9.large: {ena: unsupported}\n  z9.xlarge: {}\n");
	char *b = tmpfile_str("kind: catalog\nprovider: ec2\nsource: b\n"
			      "entries:\n  z9.large: {hypervisor: nitro, ena: required}\n"
			      "overlays:\n  - {types: [z9.*], except: [z9.xlarge], set: {intel_vf: "
			      "true}, source: o}\n");
	const char *p[] = {a, b};
	struct diags d;
	diags_init(&d);
	struct catalog *cat = catalog_load("ec2", p, 2, &d);
	cr_assert_not_null(cat);
	cr_assert_eq(cat->nentries, 2);
	const struct cat_entry *e = catalog_find(cat, "z9.large");
	cr_assert_str_eq(e->v[F_HYPERVISOR].s, "nitro", "the later file's entry wins");
	cr_assert_str_eq(e->source, "b");
	cr_assert(e->v[F_INTEL_VF].b);
	cr_assert_str_eq(catalog_fact_source(cat, e, F_INTEL_VF), "o");
	cr_assert_str_eq(catalog_fact_source(cat, e, F_HYPERVISOR), "b");
	const struct cat_entry *x = catalog_find(cat, "z9.xlarge");
	cr_assert_str_eq(x->v[F_HYPERVISOR].s, "xen", "file defaults fill in");
	cr_assert_not(x->v[F_INTEL_VF].known, "excluded from the overlay");
	catalog_free(cat);
	unlink(a);
	unlink(b);
	free(a);
	free(b);
	diags_free(&d);
}

Test(catalog, validation_errors_all_at_once)
{
	char *a = tmpfile_str("kind: catalog\n"
			      "provider: ec2\n"
			      "source: a\n"
			      "entries:\n"
			      "  q1.large: {hypervisor: kvm, enaa: required}\n" /* 5 */
			      "  q1.xlarge: {bare_metal: maybe, class: nope}\n" /* 6 */
			      "  q1.2xlarge: [not, a, map]\n"                   /* 7 */
			      "overlays:\n"
			      "  - {types: [x], set: {instance_type: y}}\n" /* 9 */
			      "colour: blue\n");                            /* 10 */
	const char *p[] = {a};
	struct diags d;
	diags_init(&d);
	cr_assert_null(catalog_load("ec2", p, 1, &d));
	cr_assert(diags_find(&d, 5, 26, "'kvm' is not one of"));
	cr_assert(diags_find(&d, 5, 31, "unknown fact 'enaa' in an entry (did you mean 'ena'?)"));
	cr_assert(diags_find(&d, 6, 27, "bare_metal must be true or false"));
	cr_assert(diags_find(&d, 6, 41, "unknown class 'nope'"));
	cr_assert(diags_find(&d, 7, 15, "an entry must be a mapping"));
	cr_assert(diags_find(&d, 9, 5, "lacks required key 'source'"));
	cr_assert(diags_find(&d, 9, 24, "fact 'instance_type' cannot be set by a catalog"));
	cr_assert(diags_find(&d, 10, 1, "unknown key 'colour'"));
	unlink(a);
	free(a);
	diags_free(&d);
}

/* The committed EC2 catalog is exactly what `catalog import` makes of the real data. */
Test(catalog, committed_ec2_catalog_is_the_import_of_the_real_data)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct diags d;
	diags_init(&d);
	bool ok = import_ec2(
		XA_SHARED "/data/ec2-describe-instance-types.json",
		"aws ec2 describe-instance-types, all regions, 2026-08 "
		"(shared/data/ec2-describe-instance-types.json; same data as getmoto/moto "
		"moto/ec2/resources/instance_types.json@34d6cad5)",
		f, &d);
	fclose(f);
	if (!ok)
		diags_dump(&d);
	cr_assert(ok);
	size_t clen;
	const char *err;
	char *committed =
		read_file(XA_SRC "/catalogs/ec2/instance-types.yaml", 1 << 24, &clen, &err);
	cr_assert_not_null(committed);
	cr_assert_eq(len, clen,
		     "re-run: xenadvise catalog import ../shared/data/... -o "
		     "catalogs/ec2/instance-types.yaml");
	cr_assert(memcmp(buf, committed, len) == 0);
	free(buf);
	free(committed);
	diags_free(&d);
}

Test(catalog, import_rejects_bad_input_with_positions)
{
	char *a = tmpfile_str(
		"{\"InstanceTypes\": [\n"
		"  {\"InstanceType\": \"x1.big\", \"BareMetal\": false, \"Hypervisor\": \"kvm\"},\n"
		"  {\"InstanceType\": \"Bad Name!\", \"BareMetal\": false},\n"
		"  {\"BareMetal\": \"no\"}\n"
		"]}\n");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct diags d;
	diags_init(&d);
	cr_assert_not(import_ec2(a, "t", f, &d));
	fclose(f);
	cr_assert_eq(len, 0, "nothing is written when the input is bad");
	cr_assert(diags_find(&d, 2, 64, "Hypervisor: 'kvm' is not one of"));
	cr_assert(diags_find(&d, 3, 20, "unexpected instance type name"));
	cr_assert(diags_find(&d, 4, 3, "instance type without InstanceType"));
	cr_assert_not(import_ec2("/nonexistent.json", "t", stdout, &d));
	char *b = tmpfile_str("{\"Reservations\": []}\n");
	cr_assert_not(import_ec2(b, "t", stdout, &d));
	cr_assert(diags_find(&d, 0, 0, "describe-instance-types"));
	free(buf);
	unlink(a);
	unlink(b);
	free(a);
	free(b);
	diags_free(&d);
}

Test(catalog, a_user_catalog_overrides_an_installed_type)
{
	char *user = tmpfile_str("kind: catalog\nprovider: ec2\nsource: mine\n"
				 "entries:\n  c4.large: {hypervisor: nitro, ena: required}\n"
				 "  a0.tiny: {hypervisor: xen}\n");
	const char *p[] = {XA_SRC "/catalogs/ec2/guide.yaml",
			   XA_SRC "/catalogs/ec2/instance-types.yaml",
			   XA_SRC "/catalogs/ec2/overlay.yaml", user};
	struct diags d;
	diags_init(&d);
	struct catalog *cat = catalog_load("ec2", p, 4, &d);
	cr_assert_not_null(cat);
	cr_assert_eq(cat->nentries, 1374, "one new type, one replaced");
	const struct cat_entry *e = catalog_find(cat, "c4.large");
	cr_assert_str_eq(e->source, "mine");
	cr_assert_str_eq(e->v[F_HYPERVISOR].s, "nitro");
	cr_assert(e->v[F_INTEL_VF].b, "the overlay still applies to the replacement");
	cr_assert_not_null(catalog_find(cat, "a0.tiny"));
	for (size_t i = 1; i < cat->nentries; i++)
		cr_assert_lt(strcmp(cat->entries[i - 1].name, cat->entries[i].name), 0);
	catalog_free(cat);
	unlink(user);
	free(user);
	diags_free(&d);
}
