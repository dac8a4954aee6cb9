/* fuzz_rules.c: libFuzzer target for the rules loader; rules that load are also evaluated
 * against a fixed set of facts, so matching and template expansion are covered. */
#include "advise.h"
#include "catalog.h"
#include "rules.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char cat_text[] =
		"kind: catalog\nprovider: ec2\nsource: s\n"
		"entries:\n  c4.large: {hypervisor: xen, ena: unsupported, "
		"intel_vf: true, virt_types: [hvm], boot_modes: [legacy-bios]}\n";
	struct diags d;
	diags_init(&d);
	struct ruleset *rs = rules_load_buffer("ec2", (const char *)data, size, "fuzz", &d);
	if (rs) {
		struct catalog *c = catalog_load_buffer("ec2", cat_text, strlen(cat_text), "c", &d);
		const char *on[] = {"CONFIG_XEN", "CONFIG_XEN_PVHVM"};
		struct kconfig k = {.on = on, .non = 2, .off = NULL, .noff = 0, .version = "6.1.0"};
		struct advise_input in = {.provider = "ec2",
					  .os = "linux",
					  .instance_type = "c4.large",
					  .kconfig = &k};
		advice_free(advise_run(&in, c, rs, &d));
		in.instance_type = NULL;
		advice_free(advise_run(&in, c, rs, &d));
		catalog_free(c);
	}
	rules_free(rs);
	diags_free(&d);
	return 0;
}
