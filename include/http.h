/* http.h: the few HTTP requests the metadata service needs, through libcurl.
 *
 * libcurl is loaded with dlopen on the first request, so a run that never asks the
 * network (every run but --imds on EC2) does not pay libcurl's start-up: linking it costs
 * about 3 ms of dynamic loading (some 35 shared libraries), more than a whole advise run.
 * Requests are plain http only, never follow redirects, never use a proxy, cap the body,
 * and reuse one connection. */
#ifndef XA_HTTP_H
#define XA_HTTP_H

#include <stdbool.h>
#include <stddef.h>

enum http_error {
	HTTP_OK,           /* a response arrived: see status */
	HTTP_NO_LIBCURL,   /* libcurl.so.4 could not be loaded */
	HTTP_CONNECT,      /* connection refused, unreachable, or connect timed out */
	HTTP_TIMEOUT,      /* connected and sent, but no full answer within the time */
	HTTP_TOO_BIG,      /* the body passed the cap */
	HTTP_BAD_RESPONSE, /* not HTTP, or broken framing */
	HTTP_FAILED,       /* anything else (out of memory, bad URL) */
};

struct http_response {
	enum http_error error;
	long status;    /* HTTP status when error == HTTP_OK */
	char *body;     /* NUL-terminated, owned by the client until the next request */
	size_t len;
	char detail[256]; /* libcurl's words for an error */
};

struct http_client;

/* NULL when out of memory; libcurl is not loaded yet. */
struct http_client *http_new(void);
void http_free(struct http_client *h);

/* One request. method is "GET" or "PUT"; headers is a NULL-terminated list of
 * "Name: value" lines (the caller vouches they hold no CR or LF); timeout_ms bounds the
 * whole request including the connect; bodies over max_body bytes fail with
 * HTTP_TOO_BIG. Returns false (and sets r->error) unless a response arrived. */
bool http_request(struct http_client *h, const char *method, const char *url,
		  const char *const *headers, long timeout_ms, size_t max_body,
		  struct http_response *r);

/* How many requests went out (every one is a round trip). */
unsigned http_requests(const struct http_client *h);

#endif
