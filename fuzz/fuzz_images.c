/* fuzz_images.c: libFuzzer target for the image definition readers (describe-images,
 * Packer, Terraform, image spec), with the format found from the content or, by the
 * first byte, forced. Every image handed out is read in full. */
#include "image.h"

#include <stdint.h>
#include <string.h>

static bool touch(const struct image *img, void *arg)
{
	size_t *sum = arg;
	for (int a = 0; a < IA__COUNT; a++)
		*sum += img->attr[a] ? strlen(img->attr[a]) : 0;
	for (size_t i = 0; i < img->ntargets; i++)
		*sum += strlen(img->targets[i]);
	for (size_t i = 0; i < img->nfstab; i++)
		*sum += strlen(img->fstab_sources[i]);
	for (size_t i = 0; i < img->ncmdline; i++)
		*sum += strlen(img->cmdline[i]);
	for (size_t i = 0; i < img->ninitramfs; i++)
		*sum += strlen(img->initramfs[i]);
	for (size_t i = 0; i < img->nignores; i++)
		*sum += strlen(img->ignores[i].id);
	*sum += (img->name ? strlen(img->name) : 0) + (img->kernel_config ? strlen(img->kernel_config) : 0);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	static const char *const forced[] = {NULL, "describe-images", "packer", "terraform", "spec"};
	const char *format = forced[data[0] % 5];
	struct diags d;
	diags_init(&d);
	size_t sum = 0;
	images_read_buffer((const char *)data + 1, size - 1, "fuzz", format, touch, &sum, &d);
	diags_free(&d);
	return 0;
}
