/* fuzz_kconfig.c: libFuzzer target for the kernel .config parser. */
#include "kconfig.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d;
	diags_init(&d);
	struct kconfig *k = kconfig_parse((const char *)data, size, "fuzz", &d);
	if (k)
		kconfig_get(k, "CONFIG_XEN");
	kconfig_free(k);
	diags_free(&d);
	return 0;
}
