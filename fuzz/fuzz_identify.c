/* fuzz_identify.c: libFuzzer target for identify files (catalogs/identify.yaml) and for
 * xenstored's replies on the xenbus connection. The first byte picks which. */
#include "identify.h"

#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1) {
		/* a reply already waiting on the socket; small enough for its buffer */
		int sv[2];
		if (size > 4096 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
			return 0;
		if (write(sv[1], data + 1, size - 1) == (ssize_t)(size - 1)) {
			shutdown(sv[1], SHUT_WR);
			char v[128];
			identify_xenbus_read(sv[0], "vm-data/provider_data/provider", v, sizeof(v));
		}
		close(sv[0]);
		close(sv[1]);
		return 0;
	}
	struct diags d;
	diags_init(&d);
	struct identify *id = identify_load_buffer((const char *)data + 1, size - 1, "fuzz", &d);
	if (id) {
		struct id_result r;
		identify_probe(id, "/nonexistent-fuzz-root", &r);
	}
	identify_free(id);
	diags_free(&d);
	return 0;
}
