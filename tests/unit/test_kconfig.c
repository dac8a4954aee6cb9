/* test_kconfig.c: kernel .config parsing, plain and gzip'd. */
#include "helpers.h"
#include "kconfig.h"

#include <zlib.h>

static const char sample[] = "#\n"
			     "# Automatically generated file; DO NOT EDIT.\n"
			     "# Linux/x86 6.1.0 Kernel Configuration\n"
			     "#\n"
			     "CONFIG_XEN=y\n"
			     "CONFIG_XEN_PVHVM=y\n"
			     "# CONFIG_XEN_PVHVM_GUEST is not set\n"
			     "CONFIG_ENA_ETHERNET=m\n"
			     "CONFIG_LOCALVERSION=\"-aws\"\n"
			     "CONFIG_NR_CPUS=64\n"
			     "CONFIG_IXGBEVF=n\n"
			     "\n";

Test(kconfig, parses_switches_and_header)
{
	struct diags d;
	diags_init(&d);
	struct kconfig *k = kconfig_parse(sample, strlen(sample), "config", &d);
	cr_assert_not_null(k);
	cr_assert_str_eq(k->version, "6.1.0");
	cr_assert_eq(kconfig_get(k, "CONFIG_XEN"), 'y');
	cr_assert_eq(kconfig_get(k, "CONFIG_ENA_ETHERNET"), 'y', "m counts as available");
	cr_assert_eq(kconfig_get(k, "CONFIG_XEN_PVHVM_GUEST"), 'n');
	cr_assert_eq(kconfig_get(k, "CONFIG_IXGBEVF"), 'n');
	cr_assert_eq(kconfig_get(k, "CONFIG_LOCALVERSION"), 0, "strings are not switches");
	cr_assert_eq(kconfig_get(k, "CONFIG_NOPE"), 0);
	cr_assert_eq(k->non, 3);
	cr_assert_eq(k->nmod, 1);
	cr_assert_str_eq(k->mod[0], "CONFIG_ENA_ETHERNET");
	kconfig_free(k);
	diags_free(&d);
}

Test(kconfig, errors_have_positions_and_all_are_reported)
{
	const char *bad = "CONFIG_XEN=y\n"
			  "this is not a config\n"
			  "CONFIG_FOO\n"
			  "CONFIG_BAR=\n"
			  "  garbage\n";
	struct diags d;
	diags_init(&d);
	cr_assert_null(kconfig_parse(bad, strlen(bad), "cfg", &d));
	cr_assert(diags_find(&d, 2, 1, "expected CONFIG_NAME=value"));
	cr_assert(diags_find(&d, 3, 11, "expected '='"));
	cr_assert(diags_find(&d, 4, 12, "missing value"));
	cr_assert(diags_find(&d, 5, 3, "expected CONFIG_NAME=value"));
	diags_free(&d);
}

Test(kconfig, binary_is_refused)
{
	struct diags d;
	diags_init(&d);
	cr_assert_null(kconfig_parse("CONFIG_A=y\n\0\1\2", 14, "bin", &d));
	cr_assert(diags_find(&d, 2, 1, "binary data"));
	diags_free(&d);
}

Test(kconfig, crlf_and_no_final_newline)
{
	struct diags d;
	diags_init(&d);
	const char *s = "CONFIG_A=y\r\nCONFIG_B=m";
	struct kconfig *k = kconfig_parse(s, strlen(s), "c", &d);
	cr_assert_not_null(k);
	cr_assert_eq(kconfig_get(k, "CONFIG_A"), 'y');
	cr_assert_eq(kconfig_get(k, "CONFIG_B"), 'y');
	kconfig_free(k);
	diags_free(&d);
}

static char *gz_file(const char *data, size_t len)
{
	char *path = strdup("/tmp/xa-gz-XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	gzFile g = gzdopen(fd, "wb");
	cr_assert_not_null(g);
	size_t off = 0;
	while (off < len) {
		unsigned chunk = len - off > (1u << 20) ? (1u << 20) : (unsigned)(len - off);
		cr_assert_eq(gzwrite(g, data + off, chunk), (int)chunk);
		off += chunk;
	}
	gzclose(g);
	return path;
}

Test(kconfig, gzip_like_proc_config_gz)
{
	char *path = gz_file(sample, strlen(sample));
	struct diags d;
	diags_init(&d);
	struct kconfig *k = kconfig_load(path, &d);
	cr_assert_not_null(k);
	cr_assert_str_eq(k->version, "6.1.0");
	cr_assert_eq(kconfig_get(k, "CONFIG_XEN_PVHVM"), 'y');
	kconfig_free(k);
	unlink(path);
	free(path);
	diags_free(&d);
}

Test(kconfig, gzip_bomb_is_capped)
{
	size_t n = KCONFIG_MAX_BYTES + 4096;
	char *big = malloc(n);
	memset(big, '#', n);
	char *path = gz_file(big, n);
	free(big);
	struct diags d;
	diags_init(&d);
	cr_assert_null(kconfig_load(path, &d));
	cr_assert(diags_find(&d, 0, 0, "over 16 MiB"));
	unlink(path);
	free(path);
	diags_free(&d);
}

Test(kconfig, truncated_gzip)
{
	char *path = gz_file(sample, strlen(sample));
	cr_assert_eq(truncate(path, 20), 0);
	struct diags d;
	diags_init(&d);
	cr_assert_null(kconfig_load(path, &d));
	cr_assert(diags_find(&d, 0, 0, "gzip"));
	unlink(path);
	free(path);
	diags_free(&d);
}

Test(kconfig, huge_plain_file_is_refused)
{
	char *path = tmpfile_sparse((off_t)KCONFIG_MAX_BYTES + 1);
	struct diags d;
	diags_init(&d);
	cr_assert_null(kconfig_load(path, &d));
	cr_assert(diags_find(&d, 0, 0, "file too large"));
	unlink(path);
	free(path);
	diags_free(&d);
}
