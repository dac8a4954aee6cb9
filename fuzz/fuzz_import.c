/* fuzz_import.c: libFuzzer target for `catalog import` (describe-instance-types JSON). */
#include "import_ec2.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	if (sink == NULL)
		sink = fopen("/dev/null", "w");
	struct diags d;
	diags_init(&d);
	import_ec2_buffer((const char *)data, size, "fuzz", "fuzz", sink, &d);
	diags_free(&d);
	return 0;
}
