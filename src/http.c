/* http.c: the only user of libcurl, loaded on first use (see http.h for why). */
#define CURL_DISABLE_TYPECHECK 1
#include "http.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The libcurl functions we call, resolved by name. */
struct curl_api {
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_reset)(CURL *);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
};

struct http_client {
	void *lib;
	struct curl_api api;
	CURL *curl;
	char *buf;
	size_t len, cap, max;
	bool too_big;
	unsigned requests;
};

struct http_client *http_new(void)
{
	return calloc(1, sizeof(struct http_client));
}

void http_free(struct http_client *h)
{
	if (h == NULL)
		return;
	if (h->curl)
		h->api.easy_cleanup(h->curl);
	/* libcurl stays loaded: unloading it is not safe while OpenSSL keeps its atexit
	 * handlers, and the process is about to end anyway. */
	free(h->buf);
	free(h);
}

unsigned http_requests(const struct http_client *h)
{
	return h->requests;
}

static bool resolve(struct http_client *h)
{
	static const char *const names[] = {
		"curl_easy_init",     "curl_easy_setopt",  "curl_easy_perform",
		"curl_easy_getinfo",  "curl_easy_reset",   "curl_easy_cleanup",
		"curl_easy_strerror", "curl_slist_append", "curl_slist_free_all",
	};
	void **slots[] = {
		(void **)&h->api.easy_init,      (void **)&h->api.easy_setopt,
		(void **)&h->api.easy_perform,   (void **)&h->api.easy_getinfo,
		(void **)&h->api.easy_reset,     (void **)&h->api.easy_cleanup,
		(void **)&h->api.easy_strerror,  (void **)&h->api.slist_append,
		(void **)&h->api.slist_free_all,
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((*slots[i] = dlsym(h->lib, names[i])) == NULL)
			return false;
	return true;
}

static bool load(struct http_client *h, struct http_response *r)
{
	if (h->curl)
		return true;
	/* libcurl4 (OpenSSL) first, then the GnuTLS build Debian also ships. */
	static const char *const libs[] = {"libcurl.so.4", "libcurl-gnutls.so.4"};
	for (size_t i = 0; i < 2 && h->lib == NULL; i++)
		h->lib = dlopen(libs[i], RTLD_NOW | RTLD_LOCAL);
	if (h->lib == NULL || !resolve(h) || (h->curl = h->api.easy_init()) == NULL) {
		r->error = HTTP_NO_LIBCURL;
		snprintf(r->detail, sizeof(r->detail), "%s",
			 h->lib ? "libcurl.so.4 is too old or broken" : "cannot load libcurl.so.4");
		return false;
	}
	return true;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct http_client *h = arg;
	size_t len = size * n;
	if (len > h->max - h->len) {
		h->too_big = true;
		return 0; /* makes libcurl stop with CURLE_WRITE_ERROR */
	}
	if (h->len + len + 1 > h->cap) {
		size_t cap = h->cap ? h->cap : 1024;
		while (cap < h->len + len + 1)
			cap *= 2;
		char *b = realloc(h->buf, cap);
		if (b == NULL)
			return 0;
		h->buf = b;
		h->cap = cap;
	}
	memcpy(h->buf + h->len, data, len);
	h->len += len;
	return len;
}

/* Nothing to do with the request body of a PUT: the token request has none. */
static size_t no_upload(char *buf, size_t size, size_t n, void *arg)
{
	(void)buf, (void)size, (void)n, (void)arg;
	return 0;
}

static enum http_error classify(struct http_client *h, CURLcode rc)
{
	switch (rc) {
	case CURLE_OK: return HTTP_OK;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST: return HTTP_CONNECT;
	case CURLE_OPERATION_TIMEDOUT: {
		/* Timed out before or after the request went out? */
		curl_off_t sent = 0;
		h->api.easy_getinfo(h->curl, CURLINFO_PRETRANSFER_TIME_T, &sent);
		return sent > 0 ? HTTP_TIMEOUT : HTTP_CONNECT;
	}
	case CURLE_WRITE_ERROR: return h->too_big ? HTTP_TOO_BIG : HTTP_FAILED;
	case CURLE_FILESIZE_EXCEEDED: return HTTP_TOO_BIG;
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_PARTIAL_FILE: return HTTP_BAD_RESPONSE;
	default: return HTTP_FAILED;
	}
}

bool http_request(struct http_client *h, const char *method, const char *url,
		  const char *const *headers, long timeout_ms, size_t max_body,
		  struct http_response *r)
{
	memset(r, 0, sizeof(*r));
	if (!load(h, r))
		return false;
	const struct curl_api *c = &h->api;
	CURL *k = h->curl;
	struct curl_slist *hl = NULL;
	for (; headers && *headers; headers++) {
		struct curl_slist *n = c->slist_append(hl, *headers);
		if (n == NULL) {
			c->slist_free_all(hl);
			r->error = HTTP_FAILED;
			return false;
		}
		hl = n;
	}
	h->len = 0;
	h->max = max_body;
	h->too_big = false;
	c->easy_reset(k); /* keeps the open connection, forgets the last request's options */
	c->easy_setopt(k, CURLOPT_URL, url);
	c->easy_setopt(k, CURLOPT_PROTOCOLS_STR, "http");
	c->easy_setopt(k, CURLOPT_FOLLOWLOCATION, 0L);
	c->easy_setopt(k, CURLOPT_PROXY, ""); /* never through http_proxy: IMDS is link-local */
	c->easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
	c->easy_setopt(k, CURLOPT_TIMEOUT_MS, timeout_ms);
	c->easy_setopt(k, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	c->easy_setopt(k, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_body);
	c->easy_setopt(k, CURLOPT_HTTPHEADER, hl);
	c->easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body);
	c->easy_setopt(k, CURLOPT_WRITEDATA, h);
	c->easy_setopt(k, CURLOPT_USERAGENT, "xenadvise");
	if (strcmp(method, "PUT") == 0) {
		c->easy_setopt(k, CURLOPT_UPLOAD, 1L);
		c->easy_setopt(k, CURLOPT_INFILESIZE_LARGE, (curl_off_t)0);
		c->easy_setopt(k, CURLOPT_READFUNCTION, no_upload);
	}
	h->requests++;
	CURLcode rc = c->easy_perform(k);
	c->slist_free_all(hl);
	r->error = classify(h, rc);
	if (r->error != HTTP_OK) {
		snprintf(r->detail, sizeof(r->detail), "%s", c->easy_strerror(rc));
		return false;
	}
	c->easy_getinfo(k, CURLINFO_RESPONSE_CODE, &r->status);
	if (h->buf == NULL && (h->buf = malloc(h->cap = 1)) == NULL) {
		r->error = HTTP_FAILED;
		return false;
	}
	h->buf[h->len] = '\0';
	r->body = h->buf;
	r->len = h->len;
	return true;
}
