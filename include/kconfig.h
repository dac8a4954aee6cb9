/* kconfig.h: a Linux kernel configuration (.config, /boot/config-*, /proc/config.gz).
 *
 * kconfig_parse reads the text format the kernel's kconfig tool writes: comment lines,
 * blank lines, "CONFIG_NAME=value" and "# CONFIG_NAME is not set". Anything else is an
 * error with file:line:col. A gzip'd file (magic 1f 8b) is inflated first, to at most
 * KCONFIG_MAX_BYTES. The header line "# Linux/<arch> <version> Kernel Configuration"
 * gives the kernel version when present. */
#ifndef XA_KCONFIG_H
#define XA_KCONFIG_H

#include "diag.h"

#include <stddef.h>

enum { KCONFIG_MAX_BYTES = 16 * 1024 * 1024 };

struct kconfig {
	const char **on; /* options set to y or m, sorted */
	size_t non;
	const char **off; /* options "is not set" or =n, sorted */
	size_t noff;
	const char **mod; /* options set to m (also in `on`), sorted */
	size_t nmod;
	const char *version; /* from the header, or NULL */
	struct arena *arena;
};

struct kconfig *kconfig_parse(const char *buf, size_t len, const char *file, struct diags *d);
struct kconfig *kconfig_load(const char *path, struct diags *d);
/* The same for a file's bytes already read (gzip'd or plain). */
struct kconfig *kconfig_from_bytes(const char *buf, size_t len, const char *path, struct diags *d);
void kconfig_free(struct kconfig *k);
/* 'y' (built in or module), 'n' (explicitly off) or 0 (not mentioned). */
char kconfig_get(const struct kconfig *k, const char *option);

/* The kernel configs a run's images name, each read once and kept until the set is
 * freed (so a config's address is never reused for another one while the run lasts). */
struct kconfig_set {
	char **paths;
	struct kconfig **kcs; /* NULL where the file was broken (reported once) */
	size_t n, cap;
};

/* The config at path, read on first use; NULL (with a diagnostic the first time) when it
 * cannot be read or parsed. */
const struct kconfig *kconfig_set_get(struct kconfig_set *s, const char *path, struct diags *d);
void kconfig_set_free(struct kconfig_set *s);

#endif
