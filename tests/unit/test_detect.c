/* detect: the probe's parsers, the detect catalog, rule scopes, and the decisions of
 * rules/detect over facts set by hand (the e2e scenarios run the whole command). */
#include "detect.h"
#include "detectcat.h"
#include "probe.h"
#include "rules.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static struct detect_catalog *catalog(void)
{
	struct diags d;
	diags_init(&d);
	struct detect_catalog *dc = detectcat_load(XA_SRC "/catalogs/detect.yaml", &d);
	cr_assert_not_null(dc, "catalogs/detect.yaml must load");
	diags_free(&d);
	return dc;
}

static struct ruleset *detect_rules(void)
{
	struct diags d;
	diags_init(&d);
	const char *paths[] = {XA_SRC "/rules/detect/mode.yaml", XA_SRC "/rules/detect/gaps.yaml"};
	struct ruleset *rs = rules_load(NULL, paths, 2, &d);
	cr_assert_not_null(rs, "rules/detect must load");
	diags_free(&d);
	return rs;
}

Test(probe, cpuinfo_hypervisor_flag)
{
	struct probe *p = probe_new();
	const char *with = "processor\t: 0\nflags\t\t: fpu vme hypervisor lahf_lm\n\n"
			   "processor\t: 1\nflags\t\t: fpu\n";
	probe_parse_cpuinfo(p, with, strlen(with));
	cr_assert(p->facts.v[F_CPU_HYPERVISOR].known && p->facts.v[F_CPU_HYPERVISOR].b);
	probe_free(p);
	p = probe_new();
	/* "hypervisor" must be a whole word, and the first CPU speaks */
	const char *without = "flags\t\t: fpu nothypervisor hypervisors\nflags : hypervisor\n";
	probe_parse_cpuinfo(p, without, strlen(without));
	cr_assert(p->facts.v[F_CPU_HYPERVISOR].known && !p->facts.v[F_CPU_HYPERVISOR].b);
	probe_free(p);
	p = probe_new();
	const char *arm = "processor\t: 0\nFeatures\t: fp asimd\n";
	probe_parse_cpuinfo(p, arm, strlen(arm));
	cr_assert_not(p->facts.v[F_CPU_HYPERVISOR].known, "no flags line: unknown, not false");
	probe_free(p);
}

Test(probe, interrupt_chips)
{
	struct probe *p = probe_new();
	const char *irq = "           CPU0       CPU1\n"
			  "  0:         45          0   IO-APIC   2-edge      timer\n"
			  " 48:    1234567          0  xen-percpu-virq      timer0\n"
			  " 55:       1203          0  xen-dyn-event     xenbus\n"
			  "NMI:          0          0   Non-maskable interrupts\n"
			  " 99:          1\n";
	probe_parse_interrupts(p, irq, strlen(irq));
	probe_finish(p);
	const struct fact_value *v = &p->facts.v[F_INTERRUPT_CHIPS];
	cr_assert_eq(v->n, 3, "numbered lines only: %u", v->n);
	cr_assert(fact_has(v, "IO-APIC") && fact_has(v, "xen-percpu-virq") &&
		  fact_has(v, "xen-dyn-event"));
	probe_free(p);
	p = probe_new();
	const char *odd = "::::\n 1:\n2: 3 4\n\n\n 7: \377\376 x\n";
	probe_parse_interrupts(p, odd, strlen(odd));
	probe_finish(p);
	cr_assert(p->facts.v[F_INTERRUPT_CHIPS].known, "the file was read");
	cr_assert_eq(p->facts.v[F_INTERRUPT_CHIPS].n, 0, "a chip that is not text is no chip");
	probe_free(p);
}

Test(probe, features_decoded_by_the_catalog)
{
	struct detect_catalog *dc = catalog();
	struct probe *p = probe_new();
	probe_parse_features(p, dc, "00000705", "f");
	cr_assert_eq(p->nevidence, 1);
	cr_assert_str_eq(p->evidence[0].value,
			 "00000705 (writable_page_tables, auto_translated_physmap, "
			 "hvm_callback_vector, hvm_safe_pvclock, hvm_pirqs)");
	probe_parse_features(p, dc, "00000801", "f");
	cr_assert(strstr(p->evidence[1].value, "dom0") != NULL, "bit 11 is XENFEAT_dom0");
	/* not hex, signed, too long: a note, no evidence */
	probe_parse_features(p, dc, "zz", "f");
	probe_parse_features(p, dc, "-1", "f");
	probe_parse_features(p, dc, "00000000000000000001", "f");
	cr_assert_eq(p->nevidence, 2);
	cr_assert_eq(p->nnotes, 3);
	probe_free(p);
	detectcat_free(dc);
}

Test(probe, kmsg_lines_by_catalog_id)
{
	struct detect_catalog *dc = catalog();
	struct probe *p = probe_new();
	const char *log = "6,1,0,-;Booting paravirtualized kernel on Xen HVM\n"
			  " SUBSYSTEM=xen\n"
			  "6,2,0,-;Xen HVM callback vector for event delivery is enabled\n"
			  "6,3,0,-;Xen HVM callback vector for event delivery is enabled\n"
			  "no semicolon here\n"
			  "6,4,0,-;Booting paravirtualized kernel on Xen HVM\033[31m\n";
	probe_parse_kmsg(p, dc, log, strlen(log), "/dev/kmsg");
	cr_assert_eq(p->nevidence, 2, "each id once; an escape sequence spoils the match");
	cr_assert_str_eq(p->evidence[1].value,
			 "Xen HVM callback vector for event delivery is enabled");
	probe_free(p);
	detectcat_free(dc);
}

Test(probe, fstab_and_cmdline)
{
	struct detect_catalog *dc = catalog();
	struct probe *p = probe_new();
	const char *fstab = "# comment\n/dev/xvda1 / ext4 defaults 1 1\n\n"
			    "  UUID=abc /data xfs nofail 0 2\n/dev/xvdb\t/x ext4\n";
	probe_parse_fstab(p, dc, fstab, strlen(fstab));
	const char *cmd = "root=/dev/xvda1 ro xen_nopv xen_emul_unplug=never\n";
	probe_parse_cmdline(p, cmd, strlen(cmd));
	probe_finish(p);
	const struct fact_value *fs = &p->facts.v[F_FSTAB_SOURCES], *xvd = &p->facts.v[F_XVD_FSTAB];
	cr_assert_eq(fs->n, 3);
	cr_assert(fact_has(fs, "UUID=abc"));
	cr_assert_eq(xvd->n, 2);
	cr_assert(fact_has(xvd, "/dev/xvda1") && fact_has(xvd, "/dev/xvdb"));
	const struct fact_value *cl = &p->facts.v[F_KERNEL_CMDLINE];
	cr_assert(fact_has(cl, "xen_nopv") && fact_has(cl, "xen_emul_unplug") &&
		  fact_has(cl, "xen_emul_unplug=never") && fact_has(cl, "root"));
	probe_free(p);
	p = probe_new();
	probe_parse_fstab(p, dc, "\0\0\0", 3);
	probe_parse_cmdline(p, "\0 \0=", 4);
	probe_finish(p);
	cr_assert(p->facts.v[F_FSTAB_SOURCES].known);
	cr_assert_eq(p->facts.v[F_FSTAB_SOURCES].n, 0);
	cr_assert_eq(p->facts.v[F_KERNEL_CMDLINE].n, 1, "only '='");
	probe_free(p);
	detectcat_free(dc);
}

Test(detectcat, errors_reported_at_their_place)
{
	const char *y = "kind: detect\nsource: s\n"
			"xen_features:\n  - {bit: 40, name: x, source: s}\n"
			"  - {bit: 1, name: y, source: s}\n  - {bit: 1, name: z, source: s}\n"
			"dmesg:\n  - {id: a, match: [], source: s}\n"
			"drivers:\n  - {driver: vif, device: net, kind: k, source: s}\n"
			"  - {driver: nvme, device: disk, kind: k, network: ena, source: s}\n"
			"  - {driver: x, device: usb, kind: k, source: s}\n";
	struct diags d;
	diags_init(&d);
	cr_assert_null(detectcat_load_buffer(y, strlen(y), "t.yaml", &d));
	const char *want[] = {"t.yaml:4:11: error: `bit` must be a number from 0 to 31",
			      "t.yaml:6:11: error: bit 1 is named twice",
			      "t.yaml:8:20: error: `match` needs at least one pattern",
			      "t.yaml:10:5: error: a net driver needs `network`",
			      "t.yaml:11:52: error: only a net driver has `network`",
			      "t.yaml:12:25: error: device: 'usb' is not one of: net, disk"};
	char all[4096] = "";
	for (size_t i = 0; i < d.n; i++)
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s:%d:%d: error: %s\n",
			 d.v[i].file, d.v[i].line, d.v[i].col, d.v[i].msg);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_assert(strstr(all, want[i]) != NULL, "missing '%s' in:\n%s", want[i], all);
	diags_free(&d);
}

Test(rules, scopes_limit_what_a_rule_may_do)
{
	const char *y = "kind: rules\nprovider: any\nscope: detect\nsource: s\nrules:\n"
			"  - id: a\n    title: t\n    set: {network.kind: ena}\n    rationale: r\n"
			"  - id: b\n    title: t\n    finding: {severity: info, message: m}\n"
			"    rationale: r\n";
	struct diags d;
	diags_init(&d);
	cr_assert_null(rules_load_buffer(NULL, y, strlen(y), "d.yaml", &d));
	cr_assert_eq(d.errors, 2);
	cr_assert(strstr(d.v[0].msg, "cannot set 'network.kind'") != NULL, "%s", d.v[0].msg);
	cr_assert(strstr(d.v[1].msg, "can only set answer fields") != NULL, "%s", d.v[1].msg);
	diags_free(&d);
	const char *g = "kind: rules\nprovider: any\nscope: gaps\nsource: s\nrules:\n"
			"  - id: a\n    title: t\n    set: {hypervisor: xen}\n    rationale: r\n";
	const char *adv = "kind: rules\nprovider: ec2\nsource: s\nrules:\n"
			  "  - id: a\n    title: t\n    set: {dom0: \"yes\"}\n    rationale: r\n";
	diags_init(&d);
	cr_assert_null(rules_load_buffer(NULL, g, strlen(g), "g.yaml", &d));
	cr_assert_null(rules_load_buffer(NULL, adv, strlen(adv), "a.yaml", &d));
	cr_assert(strstr(d.v[0].msg, "needs a finding and nothing else") != NULL, "%s", d.v[0].msg);
	cr_assert(strstr(d.v[d.n - 1].msg, "cannot set 'dom0'") != NULL, "%s", d.v[d.n - 1].msg);
	diags_free(&d);
}

/* facts as a probe of that guest would set them */
static struct probe *guest(void)
{
	struct probe *p = probe_new();
	p->facts.v[F_CPU_HYPERVISOR] = (struct fact_value){.known = true, .b = true};
	return p;
}

static void set_list(struct probe *p, enum fact_id f, const char **words, size_t n)
{
	facts_set_list(&p->facts, f, words, n);
}

static struct detection *decide(struct probe *p, struct ruleset *rs)
{
	struct detection *dt = detect_decide(p, rs);
	cr_assert_not_null(dt);
	return dt;
}

Test(detect, mode_needs_evidence_and_grows_with_it)
{
	struct ruleset *rs = detect_rules();
	struct probe *p = guest();
	facts_set_str(&p->facts, F_SYS_HYPERVISOR_TYPE, "xen");
	struct detection *dt = decide(p, rs);
	cr_assert_str_eq(dt->fields[AF_HYPERVISOR], "xen");
	cr_assert_str_eq(dt->fields[AF_GUEST_MODE], "unknown", "no mode without evidence");
	cr_assert_str_eq(dt->fields[AF_DOM0], "unknown");
	detection_free(dt);

	facts_set_str(&p->facts, F_XEN_GUEST_TYPE, "HVM");
	dt = decide(p, rs);
	cr_assert_str_eq(dt->fields[AF_GUEST_MODE], "hvm");
	detection_free(dt);

	const char *vif[] = {"vif"};
	set_list(p, F_NET_DRIVERS, vif, 1);
	dt = decide(p, rs);
	cr_assert_str_eq(dt->fields[AF_GUEST_MODE], "hvm-pv-drivers");
	detection_free(dt);

	const char *chips[] = {"IO-APIC", "xen-percpu-virq"};
	set_list(p, F_INTERRUPT_CHIPS, chips, 2);
	dt = decide(p, rs);
	cr_assert_str_eq(dt->fields[AF_GUEST_MODE], "pvhvm");
	cr_assert_str_eq(dt->why[AF_GUEST_MODE]->id, "mode-pvhvm-irq");
	detection_free(dt);

	/* guest_type PV wins over everything HVM-looking */
	facts_set_str(&p->facts, F_XEN_GUEST_TYPE, "PV");
	dt = decide(p, rs);
	cr_assert_str_eq(dt->fields[AF_GUEST_MODE], "pv");
	detection_free(dt);
	probe_free(p);
	rules_free(rs);
}

Test(detect, old_kernels_and_dom0)
{
	struct ruleset *rs = detect_rules();
	struct probe *p = guest();
	facts_set_str(&p->facts, F_SYS_HYPERVISOR_TYPE, "xen");
	p->facts.v[F_DMI] = (struct fact_value){.known = true, .b = false};
	struct detection *dt = decide(p, rs);
	cr_assert_str_eq(dt->fields[AF_GUEST_MODE], "pv", "no DMI tables on Xen: PV");
	detection_free(dt);
	const char *pvh[] = {"xen-pvh-boot"};
	set_list(p, F_DMESG, pvh, 1);
	dt = decide(p, rs);
	cr_assert_str_eq(dt->fields[AF_GUEST_MODE], "pvh", "the kernel log tells PVH from PV");
	detection_free(dt);
	const char *caps[] = {"control_d"};
	set_list(p, F_XEN_CAPABILITIES, caps, 1);
	dt = decide(p, rs);
	cr_assert_str_eq(dt->fields[AF_DOM0], "yes");
	cr_assert(dt->facts.v[F_DOM0].known && dt->facts.v[F_DOM0].b);
	detection_free(dt);
	probe_free(p);
	rules_free(rs);
}

Test(detect, hypervisors)
{
	struct ruleset *rs = detect_rules();
	static const struct {
		const char *vendor, *product;
		bool flag;
		const char *hyp, *provider, *type;
	} cases[] = {
		{"Amazon EC2", "c5.large", true, "nitro", "ec2", "c5.large"},
		{"Amazon EC2", "c5.metal", false, "none", "ec2", "c5.metal"},
		{"QEMU", "Standard PC (Q35 + ICH9, 2009)", true, "kvm", "other", NULL},
		{"VMware, Inc.", "VMware Virtual Platform", true, "vmware", "other", NULL},
		{"Microsoft Corporation", "Virtual Machine", true, "hyperv", "other", NULL},
		{"Dell Inc.", "PowerEdge R740", false, "none", "none", NULL},
		{"Dell Inc.", "PowerEdge R740", true, "other", "other", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct probe *p = probe_new();
		p->facts.v[F_CPU_HYPERVISOR] =
			(struct fact_value){.known = true, .b = cases[i].flag};
		facts_set_str(&p->facts, F_DMI_SYS_VENDOR, cases[i].vendor);
		facts_set_str(&p->facts, F_DMI_PRODUCT_NAME, cases[i].product);
		if (strcmp(cases[i].vendor, "Amazon EC2") == 0)
			facts_set_str(&p->facts, F_IDENTIFIED_PROVIDER, "ec2");
		struct detection *dt = decide(p, rs);
		cr_assert_str_eq(dt->fields[AF_HYPERVISOR], cases[i].hyp, "case %zu", i);
		cr_assert_str_eq(dt->fields[AF_PROVIDER], cases[i].provider, "case %zu", i);
		if (cases[i].type)
			cr_assert_str_eq(dt->fields[AF_INSTANCE_TYPE], cases[i].type);
		else
			cr_assert_null(dt->fields[AF_INSTANCE_TYPE]);
		cr_assert_str_eq(dt->fields[AF_GUEST_MODE], "none");
		detection_free(dt);
		probe_free(p);
	}
	rules_free(rs);
}

Test(detect, gaps_worst_first_in_rule_order)
{
	struct ruleset *rs = detect_rules();
	struct probe *p = guest();
	facts_set_str(&p->facts, F_SYS_HYPERVISOR_TYPE, "xen");
	facts_set_str(&p->facts, F_XEN_GUEST_TYPE, "HVM");
	const char *sd[] = {"sd"}, *fs[] = {"/dev/xvda1"};
	set_list(p, F_DISK_DRIVERS, sd, 1);
	set_list(p, F_XVD_FSTAB, fs, 1);
	facts_set_str(&p->facts, F_IDENTIFIED_PROVIDER, "ec2");
	struct detection *dt = decide(p, rs);
	cr_assert(detect_gaps(dt, rs, NULL));
	cr_assert_geq(dt->ngaps, 2);
	cr_assert_str_eq(dt->gaps[0].id, "gap-hvm-emulated");
	cr_assert_eq(dt->gaps[0].severity, SEV_ERROR);
	for (size_t i = 1; i < dt->ngaps; i++)
		cr_assert_geq(dt->gaps[i - 1].severity, dt->gaps[i].severity);
	cr_assert_str_eq(dt->gaps[dt->ngaps - 1].id, "gap-fstab-xvd");
	cr_assert_eq(detection_worst(dt), SEV_ERROR);
	detection_free(dt);
	probe_free(p);
	rules_free(rs);
}

Test(detect, nitro_without_a_product_name_has_no_type)
{
	struct ruleset *rs = detect_rules();
	struct probe *p = guest();
	facts_set_str(&p->facts, F_DMI_SYS_VENDOR, "Amazon EC2");
	struct detection *dt = decide(p, rs);
	cr_assert_str_eq(dt->fields[AF_HYPERVISOR], "nitro");
	cr_assert_null(dt->fields[AF_INSTANCE_TYPE], "not \"(unknown)\": %s",
		       dt->fields[AF_INSTANCE_TYPE]);
	detection_free(dt);
	probe_free(p);
	rules_free(rs);
}
