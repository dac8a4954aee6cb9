/* fuzz_settings.c: libFuzzer target for the `xenadvise check` settings file. */
#include "check_settings.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d;
	diags_init(&d);
	struct ytree *t = ytree_parse((const char *)data, size, "fuzz", &d);
	if (t) {
		struct settings s = {0};
		enum severity lv;
		bool none;
		settings_from_tree(t, &s, &d);
		if (s.fail_on)
			settings_level(s.fail_on, &lv, &none);
		words_free(&s.types);
		words_free(&s.ignore);
		ytree_free(t);
	}
	diags_free(&d);
	return 0;
}
