/* image.h: an image definition, whatever file it came from, and the readers.
 *
 * Readers (images.c) turn each input into struct image values, one at a time:
 *   describe-images  `aws ec2 describe-images` output, {"Images": [...]}; streamed, so a
 *                    file of thousands of images is never held whole
 *   packer           Packer legacy JSON ({"builders": [...]}) and HCL2 JSON (*.pkr.json,
 *                    {"source": {"amazon-ebs": {...}}})
 *   terraform        *.tf.json ({"resource": ...}) and `terraform show -json` plans
 *                    ({"planned_values": ...}): aws_ami, aws_ami_copy, aws_launch_template,
 *                    aws_instance
 *   spec             our own YAML image spec (kind: images), which adds what only the image
 *                    builder knows: kernel config, fstab, command line, initramfs, targets
 * The format is found from the content (overridable). Every field keeps its line and
 * column, JSON included. An image with an invalid field is reported and skipped; the
 * others are still checked. */
#ifndef XA_IMAGE_H
#define XA_IMAGE_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

enum img_attr {
	IA_VIRT,  /* VirtualizationType */
	IA_ENA,   /* EnaSupport: "true" or "false" */
	IA_SRIOV, /* SriovNetSupport */
	IA_ARCH,  /* Architecture */
	IA_BOOT,  /* BootMode */
	IA_ROOT,  /* RootDeviceType */
	IA_IMDS,  /* ImdsSupport */
	IA_TPM,   /* TpmSupport */
	IA__COUNT
};

/* The rule `field` each attribute answers to (rules.h check_fields). */
extern const char *const img_attr_fields[IA__COUNT];

struct img_pos {
	int line, col; /* 0 when absent */
};

struct img_ignore {
	const char *id, *reason;
};

struct image {
	const char *file, *format;
	struct img_pos at;     /* the image itself */
	const char *name, *id; /* a name to show (Name, ami_name, resource address); ImageId */
	const char *attr[IA__COUNT]; /* NULL when the definition does not say */
	struct img_pos pos[IA__COUNT];
	bool registers; /* the definition registers the image: RegisterImage fills the gaps */
	const char *os; /* linux or windows (Platform); NULL means linux */
	const char *const *targets; /* instance types or globs the definition names */
	size_t ntargets;
	struct img_pos targets_at;
	const char *kernel_config; /* path, relative to the current directory */
	struct img_pos kernel_config_at;
	const char *const *fstab_sources; /* first field of each fstab line */
	size_t nfstab;
	bool has_fstab;
	struct img_pos fstab_at;
	const char *const *cmdline; /* kernel command-line words, sorted */
	size_t ncmdline;
	bool has_cmdline;
	struct img_pos cmdline_at;
	const char *const *initramfs; /* module names, sorted */
	size_t ninitramfs;
	bool has_initramfs;
	struct img_pos initramfs_at;
	const struct img_ignore *ignores;
	size_t nignores;
};

/* Called for each image; the image and its strings live until the call returns. Return
 * false to stop (out of memory). */
typedef bool (*image_fn)(const struct image *img, void *arg);

/* The formats `--input-format` accepts; NULL-terminated. */
extern const char *const image_formats[];

/* Reads one file (format NULL: from the content). Reports problems to d (file:line:col)
 * and returns false when the file could not be read as any image format at all. */
bool images_read(const char *path, const char *format, image_fn each, void *arg, struct diags *d);
/* The same for text in memory (tests and fuzzing); describe-images is not streamed. */
bool images_read_buffer(const char *buf, size_t len, const char *name, const char *format,
			image_fn each, void *arg, struct diags *d);

#endif
