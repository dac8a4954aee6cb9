/* fuzz_catalog.c: libFuzzer target for the catalog loader (all providers), then a lookup
 * and the Xen mode table on whatever loaded. */
#include "catalog.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const providers[] = {"ec2", "rackspace", "xen"};
	for (size_t i = 0; i < 3; i++) {
		struct diags d;
		diags_init(&d);
		struct catalog *c =
			catalog_load_buffer(providers[i], (const char *)data, size, "fuzz", &d);
		if (c) {
			const char *near[2];
			catalog_find(c, "c4.large");
			catalog_suggest(c, "c4.large", near, 2);
			size_t n;
			catalog_xen_modes(c, "4.17", &n);
		}
		catalog_free(c);
		diags_free(&d);
	}
	return 0;
}
