/* test_advise.c: the answers, on the real catalog, for single types and for all of them. */
#include "advise.h"
#include "helpers.h"

struct fixture {
	struct catalog *cat;
	struct ruleset *rs;
};

static struct advice *ask(const char *provider, const char *os, const char *type, const char *osver,
			  struct fixture *fx)
{
	load_installed(provider, &fx->cat, &fx->rs);
	static struct advise_input in;
	in = (struct advise_input){
		.provider = provider, .os = os, .instance_type = type, .os_version = osver};
	struct diags d;
	diags_init(&d);
	struct advice *a = advise_run(&in, fx->cat, fx->rs, &d);
	if (a == NULL)
		diags_dump(&d);
	diags_free(&d);
	return a;
}

static void done(struct advice *a, struct fixture *fx)
{
	advice_free(a);
	catalog_free(fx->cat);
	rules_free(fx->rs);
}

static bool has_finding(const struct advice *a, const char *id)
{
	for (size_t i = 0; i < a->nfindings; i++)
		if (strcmp(a->findings[i].rule->id, id) == 0)
			return true;
	return false;
}

#define EQ(field, want) cr_assert_str_eq(a->fields[field], want, #field)

Test(advise, c5_is_nitro_with_ena_and_nvme)
{
	struct fixture fx;
	struct advice *a = ask("ec2", "linux", "c5.large", NULL, &fx);
	EQ(AF_VIRT, "hvm");
	EQ(AF_GUEST_MODE, "none");
	EQ(AF_NET_KIND, "ena");
	EQ(AF_NET_ATTRIBUTE, "enaSupport=true");
	EQ(AF_STORAGE_DRIVER, "nvme");
	cr_assert(strstr(a->fields[AF_VIRT_NOTE], "InvalidParameterCombination"));
	done(a, &fx);
}

Test(advise, m4_16xlarge_is_ena_not_ixgbevf)
{
	struct fixture fx;
	struct advice *a = ask("ec2", "linux", "m4.16xlarge", NULL, &fx);
	EQ(AF_NET_KIND, "ena");
	EQ(AF_NET_DRIVER, "ena");
	EQ(AF_GUEST_MODE, "pvhvm");
	done(a, &fx);
	a = ask("ec2", "linux", "m4.10xlarge", NULL, &fx);
	EQ(AF_NET_KIND, "intel-82599-vf");
	EQ(AF_NET_DRIVER, "ixgbevf");
	EQ(AF_NET_ATTRIBUTE, "sriovNetSupport=simple");
	done(a, &fx);
}

Test(advise, t2_has_no_enhanced_networking)
{
	struct fixture fx;
	struct advice *a = ask("ec2", "linux", "t2.micro", NULL, &fx);
	EQ(AF_NET_KIND, "none");
	EQ(AF_GUEST_MODE, "pvhvm");
	cr_assert_null(a->fields[AF_NET_ATTRIBUTE]);
	done(a, &fx);
}

Test(advise, c3_takes_pv_but_hvm_is_recommended)
{
	struct fixture fx;
	struct advice *a = ask("ec2", "linux", "c3.large", NULL, &fx);
	EQ(AF_VIRT, "hvm");
	cr_assert(strstr(a->fields[AF_VIRT_NOTE], "paravirtual also launches"));
	EQ(AF_NET_KIND, "intel-82599-vf");
	done(a, &fx);
}

Test(advise, graviton_is_uefi_and_metal_has_no_hypervisor)
{
	struct fixture fx;
	struct advice *a = ask("ec2", "linux", "c7g.large", NULL, &fx);
	EQ(AF_BOOT_MODE, "uefi");
	cr_assert(fact_has(&a->facts.v[F_ARCHITECTURES], "arm64"));
	done(a, &fx);
	a = ask("ec2", "linux", "m5.metal", NULL, &fx);
	cr_assert_str_eq(a->facts.v[F_HYPERVISOR].s, "none");
	EQ(AF_GUEST_MODE, "none");
	EQ(AF_BOOT_MODE, "legacy-bios");
	done(a, &fx);
}

Test(advise, windows_2008r2_driver_versions)
{
	struct fixture fx;
	struct advice *a = ask("ec2", "windows", "m5.large", "2008r2", &fx);
	EQ(AF_WIN_ENA_DRIVER, "ENA 2.2.3 or earlier (install the SHA-2 code-signing update first)");
	EQ(AF_WIN_NVME_DRIVER, "AWS NVMe 1.3.2 or earlier");
	done(a, &fx);
	a = ask("ec2", "windows", "c4.large", "2008r2", &fx);
	EQ(AF_WIN_PV_DRIVER, "AWS PV 8.3.5");
	EQ(AF_GUEST_MODE, "hvm-pv-drivers");
	cr_assert(strstr(a->fields[AF_WIN_INTEL_DRIVER], "PROWinx64Legacy"));
	done(a, &fx);
	a = ask("ec2", "windows", "c4.large", "2008", &fx);
	EQ(AF_WIN_PV_DRIVER, "Citrix PV 5.9");
	EQ(AF_NET_KIND, "none");
	cr_assert(has_finding(a, "ec2-win-intel-unsupported"));
	done(a, &fx);
}

Test(advise, unknown_type_suggests)
{
	struct fixture fx;
	load_installed("ec2", &fx.cat, &fx.rs);
	struct advise_input in = {.provider = "ec2", .os = "linux", .instance_type = "m5.lrage"};
	struct diags d;
	diags_init(&d);
	cr_assert_null(advise_run(&in, fx.cat, fx.rs, &d));
	cr_assert(diags_find(&d, 0, 0, "did you mean: m5.large"));
	diags_free(&d);
	catalog_free(fx.cat);
	rules_free(fx.rs);
}

/* Runs `in` (with its instance_type replaced) for every EC2 type and hands each answer to
 * check; returns how many types there were. */
static size_t sweep_ec2(struct advise_input in,
			void (*check)(const struct cat_entry *, const struct advice *, void *),
			void *ctx)
{
	struct fixture fx;
	load_installed("ec2", &fx.cat, &fx.rs);
	for (size_t i = 0; i < fx.cat->nentries; i++) {
		const struct cat_entry *e = &fx.cat->entries[i];
		in.instance_type = e->name;
		struct diags d;
		diags_init(&d);
		struct advice *a = advise_run(&in, fx.cat, fx.rs, &d);
		cr_assert_not_null(a, "%s", e->name);
		check(e, a, ctx);
		advice_free(a);
		diags_free(&d);
	}
	size_t n = fx.cat->nentries;
	catalog_free(fx.cat);
	rules_free(fx.rs);
	return n;
}

/* Every one of the 1,373 types, against invariants that follow from the API and docs. */
static void check_linux(const struct cat_entry *e, const struct advice *a, void *ctx)
{
	(void)ctx;
	const char *hv = e->v[F_HYPERVISOR].s, *ena = e->v[F_ENA].s;
	cr_assert_str_eq(a->fields[AF_VIRT], "hvm", "%s: every type takes HVM", e->name);
	if (strcmp(hv, "xen") == 0)
		cr_assert_str_eq(a->fields[AF_GUEST_MODE], "pvhvm", "%s", e->name);
	else
		cr_assert_str_eq(a->fields[AF_GUEST_MODE], "none", "%s", e->name);
	if (strcmp(ena, "required") == 0) {
		cr_assert_str_eq(a->fields[AF_NET_KIND], "ena", "%s", e->name);
		cr_assert_str_eq(a->fields[AF_NET_ATTRIBUTE], "enaSupport=true", "%s", e->name);
		cr_assert_str_eq(a->fields[AF_STORAGE_DRIVER], "nvme", "%s", e->name);
	}
	if (strcmp(ena, "supported") == 0)
		cr_assert_str_eq(a->fields[AF_NET_KIND], "ena", "%s", e->name);
	if (e->v[F_INTEL_VF].b)
		cr_assert_str_eq(a->fields[AF_NET_DRIVER], "ixgbevf", "%s", e->name);
	else
		cr_assert(a->fields[AF_NET_DRIVER] == NULL ||
				  strcmp(a->fields[AF_NET_DRIVER], "ixgbevf") != 0,
			  "%s must not get ixgbevf", e->name);
	cr_assert(fact_has(&e->v[F_BOOT_MODES], a->fields[AF_BOOT_MODE]),
		  "%s: recommended boot mode %s is supported", e->name, a->fields[AF_BOOT_MODE]);
	cr_assert(!fact_has(&e->v[F_VIRT_TYPES], "paravirtual") || strcmp(hv, "xen") == 0,
		  "%s: only Xen types take PV", e->name);
	cr_assert_eq(advice_worst(a) == SEV_ERROR, false, "%s: no error without an image", e->name);
}

Test(advise, every_ec2_type_gets_a_correct_answer)
{
	struct advise_input in = {.provider = "ec2", .os = "linux"};
	cr_assert_eq(sweep_ec2(in, check_linux, NULL), 1373);
}

Test(advise, provider_wide_summary_groups_every_type)
{
	struct fixture fx;
	struct advice *a = ask("ec2", "linux", NULL, NULL, &fx);
	cr_assert_null(a->entry);
	EQ(AF_VIRT, "hvm");
	size_t total = 0;
	for (size_t g = 0; g < a->ngroups; g++)
		total += a->groups[g].ntypes;
	cr_assert_eq(total, 1373, "every type falls in one class");
	cr_assert_geq(a->ngroups, 5);
	done(a, &fx);
}

/* An old kernel on every type: where the answer turns paravirtual it must never set an
 * enhanced-networking attribute (that makes a PV instance unreachable). */
static void check_old_kernel(const struct cat_entry *e, const struct advice *a, void *ctx)
{
	size_t *pv = ctx;
	if (strcmp(a->fields[AF_VIRT], "paravirtual") != 0)
		return;
	(*pv)++;
	cr_assert(fact_has(&e->v[F_VIRT_TYPES], "paravirtual"), "%s", e->name);
	cr_assert_str_eq(a->fields[AF_NET_KIND], "none", "%s", e->name);
	const char *attr = a->fields[AF_NET_ATTRIBUTE];
	cr_assert(attr == NULL ||
			  (strstr(attr, "=true") == NULL && strstr(attr, "=simple") == NULL),
		  "%s: %s", e->name, attr);
}

Test(advise, paravirtual_answers_never_enable_enhanced_networking)
{
	size_t pv = 0;
	struct advise_input in = {.provider = "ec2", .os = "linux", .kernel_version = "2.6.32"};
	sweep_ec2(in, check_old_kernel, &pv);
	cr_assert_eq(pv, 19, "the 19 PV-capable types");
}

/* Windows on every type: no Linux drivers or kernel options, and the driver fields that
 * apply are filled in. */
static void check_windows(const struct cat_entry *e, const struct advice *a, void *ctx)
{
	(void)ctx;
	cr_assert_eq(a->nrequired, 0, "%s: no kernel options for Windows", e->name);
	cr_assert(a->fields[AF_NET_DRIVER] == NULL ||
			  strstr(a->fields[AF_NET_DRIVER], "ixgbevf") == NULL,
		  "%s", e->name);
	cr_assert_null(a->fields[AF_NET_MIN_DRIVER], "%s: Linux driver versions only", e->name);
	cr_assert_not_null(a->fields[AF_WIN_PV_DRIVER], "%s", e->name);
	if (strcmp(e->v[F_ENA].s, "unsupported") != 0)
		cr_assert_not_null(a->fields[AF_WIN_ENA_DRIVER], "%s", e->name);
	if (strcmp(e->v[F_HYPERVISOR].s, "xen") == 0)
		cr_assert_str_eq(a->fields[AF_GUEST_MODE], "hvm-pv-drivers", "%s", e->name);
}

Test(advise, windows_answers_have_no_linux_parts)
{
	struct advise_input in = {.provider = "ec2", .os = "windows", .os_version = "2019"};
	cr_assert_eq(sweep_ec2(in, check_windows, NULL), 1373);
}

/* "PVH will be fastest" exactly where it is true: Xen 4.10+ with a PVH-capable kernel;
 * PVHVM from Xen 4.0.1; PV before that. */
Test(advise, xen_modes_by_host_version)
{
	static const char *const on[] = {"CONFIG_XEN",
					 "CONFIG_XEN_BLKDEV_FRONTEND",
					 "CONFIG_XEN_NETDEV_FRONTEND",
					 "CONFIG_XEN_PV",
					 "CONFIG_XEN_PVH",
					 "CONFIG_XEN_PVHVM"};
	struct kconfig k = {.on = (const char **)on, .non = 6, .version = "6.1.0"};
	static const struct {
		const char *xen, *mode;
	} want[] = {
		{"3.0", "pv"},    {"3.4.2", "pv"},   {"4.0", "pv"},    {"4.0.1", "pvhvm"},
		{"4.1", "pvhvm"}, {"4.4", "pvhvm"},  {"4.8", "pvhvm"}, {"4.9", "pvhvm"},
		{"4.10", "pvh"},  {"4.11.4", "pvh"}, {"4.17", "pvh"},  {"4.20", "pvh"},
	};
	struct fixture fx;
	load_installed("xen", &fx.cat, &fx.rs);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct advise_input in = {.provider = "xen",
					  .os = "linux",
					  .xen_version = want[i].xen,
					  .kconfig = &k};
		struct diags d;
		diags_init(&d);
		struct advice *a = advise_run(&in, fx.cat, fx.rs, &d);
		cr_assert_not_null(a);
		cr_assert_str_eq(a->fields[AF_GUEST_MODE], want[i].mode, "Xen %s", want[i].xen);
		advice_free(a);
		/* the same host with a 4.9 kernel: no PVH guest support yet */
		in.kconfig = NULL;
		in.kernel_version = "4.9";
		a = advise_run(&in, fx.cat, fx.rs, &d);
		if (strcmp(want[i].mode, "pvh") == 0)
			cr_assert_str_eq(a->fields[AF_GUEST_MODE], "pvhvm", "Xen %s, Linux 4.9",
					 want[i].xen);
		advice_free(a);
		diags_free(&d);
	}
	catalog_free(fx.cat);
	rules_free(fx.rs);
}

/* The provider-wide Windows answers: no Linux kernel options, Windows drivers named. */
Test(advise, provider_wide_windows_answers)
{
	static const char *const providers[] = {"ec2", "rackspace", "xen"};
	for (size_t i = 0; i < 3; i++) {
		struct fixture fx;
		struct advice *a = ask(providers[i], "windows", NULL, NULL, &fx);
		cr_assert_eq(a->nrequired, 0, "%s: no kernel options for Windows", providers[i]);
		cr_assert_not_null(a->fields[AF_WIN_PV_DRIVER], "%s", providers[i]);
		cr_assert(a->fields[AF_GUEST_MODE_NOTE] == NULL ||
				  strstr(a->fields[AF_GUEST_MODE_NOTE], "CONFIG_") == NULL,
			  "%s", providers[i]);
		done(a, &fx);
	}
}
