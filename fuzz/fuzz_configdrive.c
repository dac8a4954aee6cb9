/* fuzz_configdrive.c: libFuzzer target for the config drive's two JSON files. */
#include "configdrive.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cdrive_info ci = {0};
	char err[300];
	configdrive_parse((const char *)data, size, true, &ci, err, sizeof(err));
	configdrive_parse((const char *)data, size, false, &ci, err, sizeof(err));
	return 0;
}
