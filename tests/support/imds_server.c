/* imds_server.c: see imds_server.h. */
#include "imds_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 64 /* open at once */

static const char default_document[] =
	"{\n  \"accountId\" : \"123456789012\",\n  \"architecture\" : \"x86_64\",\n"
	"  \"availabilityZone\" : \"us-east-1a\",\n  \"imageId\" : \"ami-0a887e401f7654935\",\n"
	"  \"instanceId\" : \"i-1234567890abcdef0\",\n  \"instanceType\" : \"m4.xlarge\",\n"
	"  \"pendingTime\" : \"2026-11-25T10:00:00Z\",\n  \"privateIp\" : \"172.16.34.43\",\n"
	"  \"region\" : \"us-east-1\",\n  \"version\" : \"2017-09-30\"\n}";

struct imds_server {
	struct imds_server_opts o;
	int listen_fd, port;
	pthread_t acceptor;
	atomic_int active; /* connection threads still running (they are detached) */
	atomic_bool stop;
	pthread_mutex_t mu;
	struct imds_counts counts;
	int tokens_issued;
};

struct conn {
	struct imds_server *s;
	int fd;
};

static bool stopping(struct imds_server *s)
{
	return atomic_load(&s->stop);
}

/* Waits up to ms for fd to be readable, waking every 20 ms to see whether to stop. */
static bool wait_readable(struct imds_server *s, int fd, int ms)
{
	for (int waited = 0; !stopping(s) && (ms < 0 || waited < ms); waited += 20) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int n = poll(&p, 1, 20);
		if (n > 0)
			return true;
		if (n < 0 && errno != EINTR)
			return false;
	}
	return false;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static bool send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* One send for head and body: two small writes would meet Nagle's algorithm and the
 * client's delayed ACK, and every answer would take 40 ms. */
static bool respond(int fd, int status, const char *reason, const char *extra, const char *body)
{
	char msg[70000];
	int n = snprintf(msg, sizeof(msg),
			 "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n%s\r\n%s",
			 status, reason, strlen(body), extra ? extra : "", body);
	return n > 0 && (size_t)n < sizeof(msg) && send_all(fd, msg, (size_t)n);
}

/* The value of header `name` in the request head, copied to out; false when absent. */
static bool header(const char *req, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	for (const char *p = strstr(req, "\r\n"); p && p[2] != '\r'; p = strstr(p + 2, "\r\n")) {
		const char *line = p + 2;
		if (strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
			const char *v = line + nl + 1;
			while (*v == ' ')
				v++;
			const char *e = strstr(v, "\r\n");
			size_t len = e ? (size_t)(e - v) : strlen(v);
			if (len >= outlen)
				len = outlen - 1;
			memcpy(out, v, len);
			out[len] = '\0';
			return true;
		}
	}
	return false;
}

/* Tokens are "tok-N-" + padding; token N is valid unless it is the expired first one. */
static int token_number(const char *tok)
{
	int n;
	if (sscanf(tok, "tok-%d-", &n) != 1)
		return -1;
	return n;
}

static const char *metadata_value(const char *path)
{
	static const char *const kv[][2] = {
		{"/latest/meta-data/instance-type", "m4.xlarge"},
		{"/latest/meta-data/ami-id", "ami-0a887e401f7654935"},
		{"/latest/meta-data/instance-id", "i-1234567890abcdef0"},
		{"/latest/meta-data/placement/region", "us-east-1"},
		{"/latest/meta-data/placement/availability-zone", "us-east-1a"},
	};
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
		if (strcmp(path, kv[i][0]) == 0)
			return kv[i][1];
	return NULL;
}

/* Answers one request; false to close the connection. */
static bool handle(struct imds_server *s, int fd, const char *req)
{
	char method[8] = "", path[256] = "", tok[128] = "", ttl[32] = "", fwd[8];
	if (sscanf(req, "%7s %255s", method, path) != 2)
		return respond(fd, 400, "Bad Request", NULL, "bad request") && false;
	/* like AEMM: a trailing slash is dropped before routing (botocore asks for
	 * placement/availability-zone/) */
	for (size_t n = strlen(path); n > 1 && path[n - 1] == '/'; n--)
		path[n - 1] = '\0';
	bool has_tok = header(req, "X-aws-ec2-metadata-token", tok, sizeof(tok));
	bool has_ttl = header(req, "X-aws-ec2-metadata-token-ttl-seconds", ttl, sizeof(ttl));
	pthread_mutex_lock(&s->mu);
	s->counts.requests++;
	if (header(req, "X-Forwarded-For", fwd, sizeof(fwd)))
		s->counts.forwarded_for = true;
	pthread_mutex_unlock(&s->mu);

	if (strcmp(path, "/latest/api/token") == 0) {
		pthread_mutex_lock(&s->mu);
		s->counts.token_puts += strcmp(method, "PUT") == 0;
		s->counts.last_ttl = has_ttl ? atoi(ttl) : -1;
		int n = ++s->tokens_issued;
		pthread_mutex_unlock(&s->mu);
		if (strcmp(method, "PUT") != 0)
			return respond(fd, 405, "Method Not Allowed", NULL, "");
		switch (s->o.token) {
		case TOKEN_403: return respond(fd, 403, "Forbidden", NULL, "");
		case TOKEN_404: return respond(fd, 404, "Not Found", NULL, "");
		case TOKEN_405: return respond(fd, 405, "Method Not Allowed", NULL, "");
		case TOKEN_400: return respond(fd, 400, "Bad Request", NULL, "");
		case TOKEN_SILENT:
		case TOKEN_SILENT_REQUIRED:
			while (!stopping(s))
				sleep_ms(20);
			return false;
		default: break;
		}
		int t = has_ttl ? atoi(ttl) : 0;
		if (t < 1 || t > 21600)
			return respond(fd, 400, "Missing or Invalid Parameters", NULL, "");
		char body[96], extra[96];
		snprintf(body, sizeof(body), "tok-%d-AQAEAJ0z1Ij5BI8bq3ovPSaq5ZjIB8SqXJvc2lzXKzQ==", n);
		snprintf(extra, sizeof(extra), "X-aws-ec2-metadata-token-ttl-seconds: %d\r\n", t);
		return respond(fd, 200, "OK", extra, body);
	}

	pthread_mutex_lock(&s->mu);
	s->counts.gets++;
	s->counts.v1_gets += !has_tok;
	if (strstr(path, "security-credentials"))
		s->counts.credential_gets++;
	int n = has_tok ? token_number(tok) : 0;
	bool bad = has_tok && (n < 1 || n > s->tokens_issued);
	if (bad)
		s->counts.bad_token_header = true;
	bool expired = has_tok && n == 1 && s->o.expire_first_token;
	bool unauthorized = bad || expired || (!has_tok && (s->o.token == TOKEN_REQUIRED ||
							s->o.token == TOKEN_SILENT_REQUIRED));
	s->counts.unauthorized += unauthorized;
	pthread_mutex_unlock(&s->mu);
	if (unauthorized)
		return respond(fd, 401, "Unauthorized", NULL, "401 - Unauthorized");
	if (strcmp(method, "GET") != 0)
		return respond(fd, 405, "Method Not Allowed", NULL, "");

	const char *v = metadata_value(path);
	if (v)
		return respond(fd, 200, "OK", NULL, v);
	if (strcmp(path, "/latest/dynamic/instance-identity/document") != 0)
		return respond(fd, 404, "Not Found", NULL, "404 - Not Found");
	const char *doc = s->o.document ? s->o.document : default_document;
	switch (s->o.get) {
	case GET_DRIP: {
		char head[128];
		int hn = snprintf(head, sizeof(head),
				  "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", strlen(doc));
		if (!send_all(fd, head, (size_t)hn))
			return false;
		for (const char *p = doc; *p && !stopping(s); p++) {
			if (!send_all(fd, p, 1))
				return false;
			sleep_ms(100);
		}
		return true;
	}
	case GET_REDIRECT:
		return respond(fd, 302, "Found", "Location: http://127.0.0.1:1/latest\r\n", "");
	case GET_HUGE: {
		static const char head[] = "HTTP/1.1 200 OK\r\nContent-Length: 16777216\r\n\r\n";
		if (!send_all(fd, head, sizeof(head) - 1))
			return false;
		char chunk[4096];
		memset(chunk, 'x', sizeof(chunk));
		for (int i = 0; i < 4096 && !stopping(s); i++)
			if (!send_all(fd, chunk, sizeof(chunk)))
				return false;
		return true;
	}
	case GET_GARBAGE:
		send_all(fd, "\x1b[31mSSH-2.0\x00\xff\xfe garbage\r\n\r\n\x1b]0;pwned\x07", 40);
		return false;
	case GET_500: return respond(fd, 500, "Internal Server Error", NULL, "");
	case GET_404: return respond(fd, 404, "Not Found", NULL, "404 - Not Found");
	default: return respond(fd, 200, "OK", NULL, doc);
	}
}

static void *serve(void *arg)
{
	struct conn *c = arg;
	struct imds_server *s = c->s;
	char req[8192];
	size_t len = 0;
	if (s->o.get == GET_SILENT) {
		while (!stopping(s))
			sleep_ms(20);
		goto out;
	}
	while (!stopping(s)) {
		if (!wait_readable(s, c->fd, -1))
			break;
		ssize_t r = recv(c->fd, req + len, sizeof(req) - 1 - len, 0);
		if (r <= 0)
			break;
		len += (size_t)r;
		req[len] = '\0';
		char *end = strstr(req, "\r\n\r\n");
		if (end == NULL) {
			if (len == sizeof(req) - 1)
				break;
			continue;
		}
		size_t used = (size_t)(end + 4 - req);
		char save = req[used];
		req[used] = '\0';
		bool keep = handle(s, c->fd, req);
		req[used] = save;
		memmove(req, req + used, len - used + 1);
		len -= used;
		if (!keep)
			break;
	}
out:
	close(c->fd);
	free(c);
	atomic_fetch_sub(&s->active, 1);
	return NULL;
}

static void *accept_loop(void *arg)
{
	struct imds_server *s = arg;
	while (!stopping(s)) {
		if (!wait_readable(s, s->listen_fd, -1))
			break;
		int fd = accept(s->listen_fd, NULL, NULL);
		if (fd < 0)
			continue;
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		struct conn *c = malloc(sizeof(*c));
		bool room = c && atomic_load(&s->active) < MAX_CONNS;
		if (room) {
			c->s = s;
			c->fd = fd;
			pthread_t t;
			pthread_attr_t attr;
			pthread_attr_init(&attr);
			pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
			atomic_fetch_add(&s->active, 1);
			if (pthread_create(&t, &attr, serve, c) != 0) {
				atomic_fetch_sub(&s->active, 1);
				room = false;
			}
			pthread_attr_destroy(&attr);
		}
		if (!room) {
			close(fd);
			free(c);
		}
	}
	return NULL;
}

struct imds_server *imds_server_start(const struct imds_server_opts *o)
{
	struct imds_server *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	s->o = *o;
	pthread_mutex_init(&s->mu, NULL);
	s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t al = sizeof(a);
	if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(s->listen_fd, 16) != 0 ||
	    getsockname(s->listen_fd, (struct sockaddr *)&a, &al) != 0 ||
	    pthread_create(&s->acceptor, NULL, accept_loop, s) != 0) {
		if (s->listen_fd >= 0)
			close(s->listen_fd);
		free(s);
		return NULL;
	}
	s->port = ntohs(a.sin_port);
	return s;
}

int imds_server_port(const struct imds_server *s)
{
	return s->port;
}

struct imds_counts imds_server_counts(struct imds_server *s)
{
	pthread_mutex_lock(&s->mu);
	struct imds_counts c = s->counts;
	pthread_mutex_unlock(&s->mu);
	return c;
}

void imds_server_stop(struct imds_server *s)
{
	if (s == NULL)
		return;
	atomic_store(&s->stop, true);
	pthread_join(s->acceptor, NULL);
	while (atomic_load(&s->active) > 0) /* each notices `stop` within 20 ms */
		sleep_ms(5);
	close(s->listen_fd);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
