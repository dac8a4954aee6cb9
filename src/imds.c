/* imds.c: the metadata service protocol (see imds.h). */
#include "imds.h"
#include "http.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define DEFAULT_ENDPOINT "http://169.254.169.254"
#define IPV6_ENDPOINT    "http://[fd00:ec2::254]"
#define TOKEN_PATH       "/latest/api/token"
#define DOCUMENT_PATH    "/latest/dynamic/instance-identity/document"
#define MODIFY_HINT      "aws ec2 modify-instance-metadata-options --instance-id ID"

static bool is_true(const char *v)
{
	return v && strcasecmp(v, "true") == 0;
}

bool imds_set_endpoint(struct imds_config *c, const char *url, char *err, size_t errlen)
{
	size_t n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	bool ok = strncmp(url, "http://", 7) == 0 && n > 7 && n < sizeof(c->endpoint);
	for (size_t i = 0; ok && i < n; i++)
		ok = url[i] > ' ' && url[i] <= '~';
	if (!ok) {
		snprintf(err, errlen, "the metadata endpoint must be an http:// URL such as %s",
			 DEFAULT_ENDPOINT);
		return false;
	}
	memcpy(c->endpoint, url, n);
	c->endpoint[n] = '\0';
	return true;
}

bool imds_set_mode(struct imds_config *c, const char *mode, char *err, size_t errlen)
{
	if (strcasecmp(mode, "ipv4") == 0)
		return imds_set_endpoint(c, DEFAULT_ENDPOINT, err, errlen);
	if (strcasecmp(mode, "ipv6") == 0)
		return imds_set_endpoint(c, IPV6_ENDPOINT, err, errlen);
	snprintf(err, errlen, "the metadata endpoint mode must be ipv4 or ipv6");
	return false;
}

bool imds_set_timeout(struct imds_config *c, const char *seconds, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	double s = strtod(seconds, &end);
	if (errno || end == seconds || *end || !(s > 0 && s <= 3600)) {
		snprintf(err, errlen,
			 "the metadata timeout must be a number of seconds, more than 0 "
			 "and at most 3600");
		return false;
	}
	c->timeout_ms = (long)(s * 1000 + 0.5);
	if (c->timeout_ms < 1)
		c->timeout_ms = 1;
	return true;
}

bool imds_set_attempts(struct imds_config *c, const char *n, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	long v = strtol(n, &end, 10);
	if (errno || end == n || *end || v < 1 || v > 10) {
		snprintf(err, errlen, "the number of metadata attempts must be from 1 to 10");
		return false;
	}
	c->attempts = (int)v;
	return true;
}

bool imds_config_from_env(struct imds_config *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->endpoint, DEFAULT_ENDPOINT);
	c->timeout_ms = 1000;
	c->attempts = 1;
	c->disabled = is_true(getenv("AWS_EC2_METADATA_DISABLED"));
	c->v1_disabled = is_true(getenv("AWS_EC2_METADATA_V1_DISABLED"));
	const char *v, *name = NULL;
	char why[200] = "";
	bool ok = true;
	/* botocore: an explicit endpoint wins over the mode */
	if ((v = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")) && *v)
		ok = imds_set_mode(c, v, why, sizeof(why)),
		name = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
	if (ok && (v = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT")) && *v)
		ok = imds_set_endpoint(c, v, why, sizeof(why)),
		name = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
	if (ok && (v = getenv("AWS_METADATA_SERVICE_TIMEOUT")) && *v)
		ok = imds_set_timeout(c, v, why, sizeof(why)),
		name = "AWS_METADATA_SERVICE_TIMEOUT";
	if (ok && (v = getenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS")) && *v)
		ok = imds_set_attempts(c, v, why, sizeof(why)),
		name = "AWS_METADATA_SERVICE_NUM_ATTEMPTS";
	if (!ok)
		snprintf(err, errlen, "%s: %s", name, why);
	return ok;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The state of one lookup. */
struct lookup {
	const struct imds_config *c;
	struct imds_result *r;
	struct http_client *http;
	char token[1025];
	bool have_token, use_v1, refreshed, token_timed_out;
	long deadline; /* of the current attempt */
};

enum step { STEP_DONE, STEP_RETRY, STEP_AGAIN };

static void say(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static void say(char *buf, size_t size, const char *fmt, va_list ap)
{
	vsnprintf(buf, size, fmt, ap);
}

/* A failure another attempt would not mend. */
static enum step fail(struct lookup *l, enum imds_status s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum step fail(struct lookup *l, enum imds_status s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	l->r->status = s;
	say(l->r->message, sizeof(l->r->message), fmt, ap);
	va_end(ap);
	return STEP_DONE;
}

static void message(struct lookup *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void message(struct lookup *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(l->r->message, sizeof(l->r->message), fmt, ap);
	va_end(ap);
}

/* A failure worth another attempt; the message stays if it is the last. */
static enum step retry(struct lookup *l, enum imds_status s, const char *what,
		       const struct http_response *h)
{
	char detail[300];
	if (h->error == HTTP_OK)
		snprintf(detail, sizeof(detail), "HTTP status %ld", h->status);
	else
		snprintf(detail, sizeof(detail), "%s", h->detail);
	l->r->status = s;
	message(l,
		"%s at %s failed (%s). Is this an EC2 instance? Off EC2, use --imds=auto, or "
		"pass --instance-type; raise --imds-timeout or --imds-attempts if the service "
		"is slow.",
		what, l->c->endpoint, detail);
	return STEP_RETRY;
}

static long remaining(const struct lookup *l)
{
	long left = l->deadline - now_ms();
	return left > 1 ? left : 1;
}

static enum step get_token(struct lookup *l)
{
	char url[300], ttl[64];
	snprintf(url, sizeof(url), "%s%s", l->c->endpoint, TOKEN_PATH);
	snprintf(ttl, sizeof(ttl), "X-aws-ec2-metadata-token-ttl-seconds: %d", IMDS_TOKEN_TTL);
	const char *headers[] = {ttl, NULL};
	long t = remaining(l);
	if (!l->c->v1_disabled && t > 1)
		t /= 2; /* leave room for the IMDSv1 fallback */
	struct http_response h;
	http_request(l->http, "PUT", url, headers, t, 4096, &h);
	if (h.error == HTTP_OK && h.status == 200) {
		if (!imds_token_ok(h.body, h.len))
			return fail(l, IMDS_BAD_ANSWER,
				    "the metadata service at %s sent a token that is not one",
				    l->c->endpoint);
		memcpy(l->token, h.body, h.len);
		l->token[h.len] = '\0';
		l->have_token = true;
		return STEP_AGAIN;
	}
	bool no_v2 = h.error == HTTP_OK && (h.status == 403 || h.status == 404 || h.status == 405);
	if (h.error == HTTP_TIMEOUT) {
		l->token_timed_out = true;
		if (l->c->v1_disabled)
			return fail(
				l, IMDS_HOP_LIMIT,
				"the token request to %s got no answer in time although the "
				"connection was open. Inside a container this usually means the "
				"instance's hop limit is 1; raise it: " MODIFY_HINT
				" --http-put-response-hop-limit 2",
				l->c->endpoint);
		no_v2 = true;
	}
	if (no_v2) {
		if (l->c->v1_disabled)
			return fail(
				l, IMDS_V1_REFUSED,
				"the metadata service at %s gave no IMDSv2 token, and "
				"AWS_EC2_METADATA_V1_DISABLED forbids IMDSv1; unset it, or enable "
				"tokens: " MODIFY_HINT " --http-endpoint enabled",
				l->c->endpoint);
		l->use_v1 = true;
		return STEP_AGAIN;
	}
	switch (h.error) {
	case HTTP_NO_LIBCURL:
		return fail(l, IMDS_NO_LIBCURL,
			    "%s: install libcurl (Debian: apt-get install libcurl4)", h.detail);
	case HTTP_CONNECT: return retry(l, IMDS_UNREACHABLE, "the token request", &h);
	case HTTP_OK:
		if (h.status == 400)
			return fail(l, IMDS_BAD_ANSWER,
				    "the metadata service at %s refused the token request (400)",
				    l->c->endpoint);
		if (h.status >= 300 && h.status < 400)
			return fail(l, IMDS_BAD_ANSWER,
				    "the metadata service at %s answered the token request with a "
				    "redirect, which is not followed",
				    l->c->endpoint);
		return retry(l, IMDS_BAD_ANSWER, "the token request", &h);
	default: return retry(l, IMDS_BAD_ANSWER, "the token request", &h);
	}
}

static enum step get_document(struct lookup *l)
{
	char url[300], hdr[1100];
	snprintf(url, sizeof(url), "%s%s", l->c->endpoint, DOCUMENT_PATH);
	snprintf(hdr, sizeof(hdr), "X-aws-ec2-metadata-token: %s", l->token);
	const char *headers[] = {hdr, NULL};
	struct http_response h;
	http_request(l->http, "GET", url, l->have_token ? headers : NULL, remaining(l),
		     IMDS_MAX_BODY, &h);
	if (h.error == HTTP_OK && h.status == 200) {
		char why[200];
		if (!imds_parse_identity(h.body, h.len, &l->r->id, why, sizeof(why)))
			return fail(l, IMDS_BAD_ANSWER, "%s (from %s)", why, l->c->endpoint);
		l->r->status = IMDS_OK;
		l->r->version = l->have_token ? 2 : 1;
		return STEP_DONE;
	}
	if (h.error == HTTP_OK && h.status == 401) {
		if (l->have_token && !l->refreshed) {
			/* an expired token: get a new one, once */
			l->refreshed = true;
			l->have_token = false;
			memset(l->token, 0, sizeof(l->token));
			return STEP_AGAIN;
		}
		if (!l->have_token)
			return fail(l, IMDS_REFUSED,
				    "the metadata service at %s requires IMDSv2 tokens (401), but "
				    "the token request failed%s. Inside a container, raise the hop "
				    "limit: " MODIFY_HINT " --http-put-response-hop-limit 2",
				    l->c->endpoint,
				    l->token_timed_out ? " (no answer in time)" : "");
		return fail(l, IMDS_REFUSED,
			    "the metadata service at %s refused a fresh token "
			    "(401)",
			    l->c->endpoint);
	}
	if (h.error == HTTP_OK && h.status == 403)
		return fail(l, IMDS_REFUSED,
			    "the metadata service at %s refused the request (403): it may be "
			    "turned off for this instance; turn it on: " MODIFY_HINT
			    " --http-endpoint enabled",
			    l->c->endpoint);
	if (h.error == HTTP_OK && h.status == 404)
		return fail(l, IMDS_BAD_ANSWER,
			    "the metadata service at %s has no instance identity document "
			    "(404); is it really EC2's?",
			    l->c->endpoint);
	if (h.error == HTTP_OK && h.status >= 300 && h.status < 400)
		return fail(l, IMDS_BAD_ANSWER,
			    "the metadata service at %s answered with a redirect, which is not "
			    "followed",
			    l->c->endpoint);
	if (h.error == HTTP_TOO_BIG)
		return fail(l, IMDS_BAD_ANSWER,
			    "the metadata service at %s sent more than 64 KiB for the identity "
			    "document; refused",
			    l->c->endpoint);
	if (h.error == HTTP_CONNECT)
		return retry(l, IMDS_UNREACHABLE, "the metadata request", &h);
	return retry(l, IMDS_BAD_ANSWER, "the metadata request", &h);
}

void imds_lookup(const struct imds_config *c, struct imds_result *r)
{
	memset(r, 0, sizeof(*r));
	if (c->disabled) {
		r->status = IMDS_DISABLED;
		snprintf(r->message, sizeof(r->message),
			 "AWS_EC2_METADATA_DISABLED is true, so the metadata service is not asked; "
			 "unset it, or pass --instance-type");
		return;
	}
	struct lookup l = {.c = c, .r = r, .http = http_new()};
	if (l.http == NULL) {
		r->status = IMDS_NO_LIBCURL;
		snprintf(r->message, sizeof(r->message), "out of memory");
		return;
	}
	enum step s = STEP_RETRY;
	for (int attempt = 0; attempt < c->attempts && s == STEP_RETRY; attempt++) {
		l.deadline = now_ms() + c->timeout_ms;
		do {
			if (now_ms() >= l.deadline) {
				if (r->message[0] == '\0')
					message(&l,
						"the metadata service at %s did not answer within "
						"%ld ms; raise --imds-timeout",
						c->endpoint, c->timeout_ms);
				r->status = r->status ? r->status : IMDS_UNREACHABLE;
				s = STEP_RETRY;
				break;
			}
			s = (l.have_token || l.use_v1) ? get_document(&l) : get_token(&l);
		} while (s == STEP_AGAIN);
	}
	if (r->status == IMDS_OK) {
		r->message[0] = '\0';
		if (l.token_timed_out)
			snprintf(r->warning, sizeof(r->warning),
				 "the token request got no answer in time, so IMDSv1 was used. "
				 "Inside a container this usually means the hop limit is 1; raise "
				 "it: " MODIFY_HINT " --http-put-response-hop-limit 2");
	}
	r->requests = http_requests(l.http);
	memset(l.token, 0, sizeof(l.token));
	http_free(l.http);
}
