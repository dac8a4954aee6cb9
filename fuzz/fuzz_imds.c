/* fuzz_imds.c: libFuzzer target for everything the metadata service can send that
 * xenadvise reads: the instance identity document and the token. */
#include "imds.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imds_identity id;
	char why[200];
	imds_parse_identity((const char *)data, size, &id, why, sizeof(why));
	imds_token_ok((const char *)data, size);
	return 0;
}
