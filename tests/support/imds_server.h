/* imds_server.h: a real HTTP server on 127.0.0.1 that behaves like the EC2 instance
 * metadata service, with the faults the tests need. It runs in its own threads (one per
 * connection) on an ephemeral port, and counts what it was asked. */
#ifndef XA_IMDS_SERVER_H
#define XA_IMDS_SERVER_H

#include <stdbool.h>

enum imds_token_mode {
	TOKEN_OPTIONAL, /* IMDSv2 optional: tokens accepted, not needed */
	TOKEN_REQUIRED, /* IMDSv2 required: a GET without a valid token gets 401 */
	TOKEN_403,      /* the token PUT gets 403 (IMDS turned off for tokens) */
	TOKEN_404,      /* the token PUT gets 404 (an IMDSv1-only service) */
	TOKEN_405,
	TOKEN_400,
	TOKEN_SILENT,   /* the token PUT is read and never answered (hop limit 1) */
	TOKEN_SILENT_REQUIRED, /* the same, with IMDSv2 required */
};

enum imds_get_mode {
	GET_NORMAL,
	GET_SILENT,   /* accepts the connection and never answers anything */
	GET_DRIP,     /* answers the document one byte every 100 ms */
	GET_REDIRECT, /* 302 to another address */
	GET_HUGE,     /* a 16 MiB document */
	GET_GARBAGE,  /* bytes that are not HTTP */
	GET_500,      /* 500 for the document */
	GET_404,      /* no identity document */
};

struct imds_server_opts {
	enum imds_token_mode token;
	enum imds_get_mode get;
	bool expire_first_token; /* the first token issued is already expired: 401 on use */
	const char *document;    /* identity document; NULL for an m4.xlarge one */
};

struct imds_counts {
	int requests, token_puts, gets, v1_gets; /* v1_gets: GETs without a token header */
	int credential_gets;                     /* GETs under iam/security-credentials */
	int unauthorized;                        /* 401s sent */
	int last_ttl;                            /* TTL asked for by the last token PUT */
	bool forwarded_for;                      /* a request carried X-Forwarded-For */
	bool bad_token_header;                   /* a token header the server never issued */
};

struct imds_server;

struct imds_server *imds_server_start(const struct imds_server_opts *o);
int imds_server_port(const struct imds_server *s);
struct imds_counts imds_server_counts(struct imds_server *s);
void imds_server_stop(struct imds_server *s);

#endif
