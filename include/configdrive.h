/* configdrive.h: what an OpenStack config drive (Rackspace's way to tell an instance what
 * it is: no metadata service there) says about the instance.
 *
 * Read from a mounted drive (label config-2) or a captured copy of one:
 *   ec2/latest/meta-data.json        "instance-type": the flavor (nova writes its name)
 *   openstack/latest/meta_data.json  "uuid", "availability_zone", "hostname"
 * Each file is capped at 1 MiB; every value must be printable ASCII of sane length. */
#ifndef XA_CONFIGDRIVE_H
#define XA_CONFIGDRIVE_H

#include <stdbool.h>
#include <stddef.h>

struct cdrive_info {
	char instance_type[128], uuid[64], availability_zone[64], hostname[256];
};

/* Where a config drive is usually mounted (nova's docs mount it at /mnt/config; cloud-init
 * looks at /config-drive), under root; the first holding openstack/latest/meta_data.json
 * or ec2/latest/meta-data.json is written to out. */
bool configdrive_find(const char *root, char *out, size_t outlen);
/* Reads the drive at dir. False with a message in err when neither file can be read or
 * a file is not what nova writes. */
bool configdrive_read(const char *dir, struct cdrive_info *ci, char *err, size_t errlen);
/* The parser of one file's text, apart for tests and fuzzing: fills the fields it finds. */
bool configdrive_parse(const char *text, size_t len, bool ec2, struct cdrive_info *ci,
		       char *err, size_t errlen);

#endif
