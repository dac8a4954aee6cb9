/* fuzz_yaml.c: libFuzzer target for the YAML/JSON tree (ytree). */
#include "ytree.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d;
	diags_init(&d);
	ytree_free(ytree_parse((const char *)data, size, "fuzz", &d));
	diags_free(&d);
	return 0;
}
