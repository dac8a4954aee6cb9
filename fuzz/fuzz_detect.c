/* fuzz_detect.c: libFuzzer target for what `xenadvise detect` parses: /proc/cpuinfo,
 * /proc/interrupts, the kernel log, the Xen features line, /etc/fstab, /proc/cmdline
 * (picked by the first byte), and detect catalogs (catalogs/detect.yaml). Parsed facts
 * then go through the installed detect and gap rules, as a run would. */
#include "detect.h"
#include "detectcat.h"
#include "probe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct detect_catalog *dc;
static struct ruleset *rs;

static void setup(void)
{
	struct diags d;
	diags_init(&d);
	dc = detectcat_load(XA_SRC "/catalogs/detect.yaml", &d);
	const char *paths[] = {XA_SRC "/rules/detect/mode.yaml", XA_SRC "/rules/detect/gaps.yaml"};
	rs = rules_load(NULL, paths, 2, &d);
	diags_free(&d);
	if (dc == NULL || rs == NULL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (dc == NULL)
		setup();
	if (size == 0)
		return 0;
	const char *buf = (const char *)data + 1;
	size_t len = size - 1;
	if (data[0] % 8 == 7) {
		struct diags d;
		diags_init(&d);
		detectcat_free(detectcat_load_buffer(buf, len, "fuzz", &d));
		diags_free(&d);
		return 0;
	}
	struct probe *p = probe_new();
	if (p == NULL)
		return 0;
	char *line = NULL;
	switch (data[0] % 8) {
	case 0: probe_parse_cpuinfo(p, buf, len); break;
	case 1: probe_parse_interrupts(p, buf, len); break;
	case 2: probe_parse_kmsg(p, dc, buf, len, "/dev/kmsg"); break;
	case 3:
		if ((line = strndup(buf, len)) != NULL)
			probe_parse_features(p, dc, line, "features");
		break;
	case 4: probe_parse_fstab(p, dc, buf, len); break;
	default: probe_parse_cmdline(p, buf, len); break;
	}
	free(line);
	probe_finish(p);
	struct detection *dt = detect_decide(p, rs);
	if (dt)
		detect_gaps(dt, rs, NULL);
	detection_free(dt);
	probe_free(p);
	return 0;
}
