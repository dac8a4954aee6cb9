/* imds_doc.c: reads what the metadata service sends. Every byte is untrusted: each field
 * must look like what EC2 sends, or the whole document is refused. */
#include "imds.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool imds_token_ok(const char *body, size_t len)
{
	if (len == 0 || len > 1024)
		return false;
	for (size_t i = 0; i < len; i++)
		if (body[i] <= ' ' || body[i] > '~')
			return false;
	return true;
}

/* lower-case letters, digits and the characters in `also`, 1 to max bytes */
static bool word_ok(const char *s, size_t max, const char *also)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && !strchr(also, *s))
			return false;
	return true;
}

struct field {
	const char *key;
	char *out;
	size_t size;
	const char *also; /* characters allowed besides [a-z0-9] */
	bool required;
};

bool imds_parse_identity(const char *body, size_t len, struct imds_identity *id, char *why,
			 size_t whylen)
{
	memset(id, 0, sizeof(*id));
	/* cJSON ends a string at an escaped NUL, which would let "c4.large\u0000..." pass
	 * as c4.large: no real document has one, so refuse them all. */
	if (memmem(body, len, "\\u0000", 6) != NULL) {
		snprintf(why, whylen, "the instance identity document holds a NUL character");
		return false;
	}
	cJSON *doc = cJSON_ParseWithLength(body, len);
	if (doc == NULL || !cJSON_IsObject(doc)) {
		snprintf(why, whylen, "the instance identity document is not a JSON object");
		cJSON_Delete(doc);
		return false;
	}
	const struct field fields[] = {
		{"instanceType", id->instance_type, sizeof(id->instance_type), ".-", true},
		{"imageId", id->image_id, sizeof(id->image_id), "-", false},
		{"architecture", id->architecture, sizeof(id->architecture), "_", false},
		{"region", id->region, sizeof(id->region), "-", false},
		{"availabilityZone", id->availability_zone, sizeof(id->availability_zone), "-", false},
		{"instanceId", id->instance_id, sizeof(id->instance_id), "-", false},
	};
	bool ok = true;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]) && ok; i++) {
		const struct field *f = &fields[i];
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, f->key);
		if (v == NULL && !f->required)
			continue;
		if (v == NULL) {
			snprintf(why, whylen, "the instance identity document has no %s", f->key);
			ok = false;
		} else if (!cJSON_IsString(v) || !word_ok(v->valuestring, f->size - 1, f->also)) {
			snprintf(why, whylen, "the instance identity document's %s is not a valid value",
				 f->key);
			ok = false;
		} else {
			memcpy(f->out, v->valuestring, strlen(v->valuestring) + 1);
		}
	}
	cJSON_Delete(doc);
	if (!ok)
		memset(id, 0, sizeof(*id));
	return ok;
}
