/* imds.h: asks the EC2 instance metadata service what this instance is, the way AWS's
 * own clients do (botocore, the SDKs; ../shared/facts/ux-imds.md compares them):
 *
 *   - IMDSv2 first: PUT /latest/api/token (TTL 21600 s), then GET with the token; one
 *     token for the whole run; a 401 on a GET refreshes it once.
 *   - IMDSv1 only when the token request gets 403, 404 or 405 or times out, and never
 *     when AWS_EC2_METADATA_V1_DISABLED is true.
 *   - One GET: the instance identity document has the type, image, architecture and
 *     region, so a whole answer costs two round trips.
 *   - AWS_EC2_METADATA_DISABLED, AWS_EC2_METADATA_SERVICE_ENDPOINT, ..._ENDPOINT_MODE,
 *     AWS_METADATA_SERVICE_TIMEOUT (1 s) and AWS_METADATA_SERVICE_NUM_ATTEMPTS (1), with
 *     the AWS CLI's defaults; the command line overrides them.
 *   - Each attempt, all its requests together, takes at most the timeout. When IMDSv1 is
 *     allowed the token request gets half of it, so that the fallback still fits (the Go
 *     SDK waits 500 ms for the token's answer).
 *   - Never follows redirects, never uses a proxy, caps bodies at 64 KiB, never asks
 *     for credentials, never shows the token; every response byte is untrusted. */
#ifndef XA_IMDS_H
#define XA_IMDS_H

#include <stdbool.h>
#include <stddef.h>

#define IMDS_MAX_BODY 65536
#define IMDS_TOKEN_TTL 21600

struct imds_identity {
	char instance_type[64], image_id[32], architecture[16], region[32];
	char availability_zone[32], instance_id[32];
};

struct imds_config {
	char endpoint[256]; /* no trailing slash */
	long timeout_ms;
	int attempts;
	bool disabled, v1_disabled;
};

enum imds_status {
	IMDS_OK,
	IMDS_DISABLED,    /* AWS_EC2_METADATA_DISABLED */
	IMDS_UNREACHABLE, /* nothing answers at the endpoint */
	IMDS_V1_REFUSED,  /* no token, and IMDSv1 is disabled */
	IMDS_HOP_LIMIT,   /* the token request never got its answer, and IMDSv1 is disabled */
	IMDS_REFUSED,     /* 401 or 403 where no token can help */
	IMDS_BAD_ANSWER,  /* an answer that is not what IMDS sends */
	IMDS_NO_LIBCURL,
};

struct imds_result {
	enum imds_status status;
	struct imds_identity id;
	int version;       /* 2 with a token, 1 without */
	unsigned requests; /* round trips */
	char message[600]; /* what went wrong and what to do, when status != IMDS_OK */
	char warning[600]; /* set when it worked but something deserves a word */
};

/* Fills c from the environment with the AWS CLI's defaults; false and a message in err
 * when a variable holds a value the AWS CLI would refuse. */
bool imds_config_from_env(struct imds_config *c, char *err, size_t errlen);
/* Overrides from the command line; false and a message in err for a bad value. */
bool imds_set_endpoint(struct imds_config *c, const char *url, char *err, size_t errlen);
bool imds_set_mode(struct imds_config *c, const char *mode, char *err, size_t errlen);
bool imds_set_timeout(struct imds_config *c, const char *seconds, char *err, size_t errlen);
bool imds_set_attempts(struct imds_config *c, const char *n, char *err, size_t errlen);

void imds_lookup(const struct imds_config *c, struct imds_result *r);

/* The parsers of untrusted responses (imds_doc.c), apart for tests and fuzzing. */
bool imds_parse_identity(const char *body, size_t len, struct imds_identity *id, char *why,
			 size_t whylen);
/* A token we are willing to send back in a header: 1 to 1024 visible ASCII bytes. */
bool imds_token_ok(const char *body, size_t len);

#endif
