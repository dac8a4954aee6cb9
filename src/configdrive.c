/* configdrive.c: see configdrive.h. */
#include "configdrive.h"
#include "ytree.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define EC2_FILE       "ec2/latest/meta-data.json"
#define OPENSTACK_FILE "openstack/latest/meta_data.json"
#define MAX_FILE       (1024 * 1024)

static bool is_file(const char *dir, const char *name)
{
	char path[4096];
	struct stat st;
	return snprintf(path, sizeof(path), "%s/%s", dir, name) < (int)sizeof(path) &&
	       stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool configdrive_find(const char *root, char *out, size_t outlen)
{
	static const char *const mounts[] = {"mnt/config", "config-drive"};
	for (size_t i = 0; i < 2; i++) {
		bool slash = root[0] && root[strlen(root) - 1] == '/';
		int n = snprintf(out, outlen, "%s%s%s", root, slash ? "" : "/", mounts[i]);
		if (n > 0 && (size_t)n < outlen &&
		    (is_file(out, OPENSTACK_FILE) || is_file(out, EC2_FILE)))
			return true;
	}
	out[0] = '\0';
	return false;
}

/* Copies string member `key` of obj into out when it is printable ASCII that fits;
 * false (with a message) when present but not such a string. */
static bool take(const cJSON *obj, const char *key, char *out, size_t outlen, const char *file,
		 char *err, size_t errlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (v == NULL)
		return true;
	const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
	size_t n = s ? strlen(s) : 0;
	bool ok = s && n > 0 && n < outlen;
	for (size_t i = 0; ok && i < n; i++)
		ok = s[i] >= ' ' && s[i] <= '~';
	if (!ok) {
		snprintf(err, errlen, "%s: \"%s\" is not a short printable string", file, key);
		return false;
	}
	memcpy(out, s, n + 1);
	return true;
}

bool configdrive_parse(const char *text, size_t len, bool ec2, struct cdrive_info *ci, char *err,
		       size_t errlen)
{
	const char *file = ec2 ? EC2_FILE : OPENSTACK_FILE;
	if (memmem(text, len, "\\u0000", 6) != NULL) {
		snprintf(err, errlen, "%s holds a NUL character", file);
		return false;
	}
	cJSON *doc = cJSON_ParseWithLength(text, len);
	if (doc == NULL || !cJSON_IsObject(doc)) {
		snprintf(err, errlen, "%s is not a JSON object", file);
		cJSON_Delete(doc);
		return false;
	}
	bool ok = ec2 ? take(doc, "instance-type", ci->instance_type, sizeof(ci->instance_type),
			     file, err, errlen)
		      : take(doc, "uuid", ci->uuid, sizeof(ci->uuid), file, err, errlen) &&
				  take(doc, "availability_zone", ci->availability_zone,
				       sizeof(ci->availability_zone), file, err, errlen) &&
				  take(doc, "hostname", ci->hostname, sizeof(ci->hostname), file,
				       err, errlen);
	cJSON_Delete(doc);
	return ok;
}

bool configdrive_read(const char *dir, struct cdrive_info *ci, char *err, size_t errlen)
{
	memset(ci, 0, sizeof(*ci));
	bool any = false;
	for (int ec2 = 1; ec2 >= 0; ec2--) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, ec2 ? EC2_FILE : OPENSTACK_FILE);
		size_t len;
		const char *read_err;
		char *text = read_file(path, MAX_FILE, &len, &read_err);
		if (text == NULL && is_file(dir, ec2 ? EC2_FILE : OPENSTACK_FILE)) {
			snprintf(err, errlen, "cannot read %s: %s", path, read_err);
			return false;
		}
		if (text == NULL)
			continue;
		any = true;
		char why[300];
		bool ok = configdrive_parse(text, len, ec2, ci, why, sizeof(why));
		free(text);
		if (!ok) {
			snprintf(err, errlen, "%s/%s", dir, why);
			return false;
		}
	}
	if (!any) {
		snprintf(err, errlen, "%s holds neither %s nor %s: is it a mounted config drive?",
			 dir, EC2_FILE, OPENSTACK_FILE);
		return false;
	}
	if (ci->instance_type[0] == '\0') {
		snprintf(err, errlen,
			 "the config drive at %s does not name the flavor (%s has no "
			 "\"instance-type\")",
			 dir, EC2_FILE);
		return false;
	}
	return true;
}
