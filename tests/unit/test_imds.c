/* The metadata client against a real HTTP server on 127.0.0.1 (tests/support). */
#include "imds.h"
#include "imds_server.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct imds_server *srv;

static void start(struct imds_server_opts o, struct imds_config *c)
{
	srv = imds_server_start(&o);
	cr_assert_not_null(srv);
	char err[200], url[64];
	cr_assert(imds_config_from_env(c, err, sizeof(err)), "%s", err);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", imds_server_port(srv));
	cr_assert(imds_set_endpoint(c, url, err, sizeof(err)), "%s", err);
}

static void stop(void)
{
	imds_server_stop(srv);
	srv = NULL;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* What a test changes: the server's behaviour and the client's settings (0: default). */
struct setup {
	struct imds_server_opts srv;
	long timeout_ms;
	int attempts;
	bool v1_disabled;
};

static long lookup(const struct imds_config *c, struct imds_result *r);

/* Starts the server, points a client configured from the environment at it, applies the
 * setup, and runs one lookup; returns how long it took. */
static long go(struct setup s, struct imds_result *r)
{
	struct imds_config c;
	start(s.srv, &c);
	if (s.timeout_ms)
		c.timeout_ms = s.timeout_ms;
	if (s.attempts)
		c.attempts = s.attempts;
	if (s.v1_disabled)
		c.v1_disabled = true;
	return lookup(&c, r);
}

/* Runs a lookup and returns how long it took. */
static long lookup(const struct imds_config *c, struct imds_result *r)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	imds_lookup(c, r);
	return ms_since(&t0);
}

static void clean_env(void)
{
	static const char *const vars[] = {
		"AWS_EC2_METADATA_DISABLED", "AWS_EC2_METADATA_V1_DISABLED",
		"AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
		"AWS_METADATA_SERVICE_TIMEOUT", "AWS_METADATA_SERVICE_NUM_ATTEMPTS"};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
}

TestSuite(imds, .init = clean_env, .fini = stop);

Test(imds, v2_optional_two_round_trips_one_token_full_identity)
{
	struct imds_result r;
	go((struct setup){.srv = {.token = TOKEN_OPTIONAL}}, &r);
	cr_assert_eq(r.status, IMDS_OK, "%s", r.message);
	cr_assert_eq(r.version, 2);
	cr_assert_eq(r.requests, 2);
	cr_assert_str_eq(r.id.instance_type, "m4.xlarge");
	cr_assert_str_eq(r.id.image_id, "ami-0a887e401f7654935");
	cr_assert_str_eq(r.id.architecture, "x86_64");
	cr_assert_str_eq(r.id.region, "us-east-1");
	cr_assert_str_eq(r.id.availability_zone, "us-east-1a");
	cr_assert_str_eq(r.id.instance_id, "i-1234567890abcdef0");
	struct imds_counts k = imds_server_counts(srv);
	cr_assert_eq(k.token_puts, 1);
	cr_assert_eq(k.gets, 1);
	cr_assert_eq(k.v1_gets, 0, "the GET must carry the token");
	cr_assert_eq(k.last_ttl, 21600);
	cr_assert_not(k.forwarded_for);
	cr_assert_not(k.bad_token_header);
	cr_assert_eq(k.credential_gets, 0);
	cr_assert_str_eq(r.warning, "");
}

Test(imds, v2_required)
{
	struct imds_result r;
	go((struct setup){.srv = {.token = TOKEN_REQUIRED}}, &r);
	cr_assert_eq(r.status, IMDS_OK, "%s", r.message);
	cr_assert_eq(r.version, 2);
	cr_assert_eq(r.requests, 2);
	cr_assert_eq(imds_server_counts(srv).unauthorized, 0);
}

Test(imds, falls_back_to_v1_on_403_404_405)
{
	enum imds_token_mode modes[] = {TOKEN_403, TOKEN_404, TOKEN_405};
	for (size_t i = 0; i < 3; i++) {
		struct imds_config c;
		struct imds_result r;
		start((struct imds_server_opts){.token = modes[i]}, &c);
		lookup(&c, &r);
		cr_assert_eq(r.status, IMDS_OK, "mode %zu: %s", i, r.message);
		cr_assert_eq(r.version, 1);
		cr_assert_eq(r.requests, 2);
		cr_assert_eq(imds_server_counts(srv).v1_gets, 1);
		cr_assert_str_eq(r.id.instance_type, "m4.xlarge");
		stop();
	}
}

Test(imds, never_v1_when_disabled)
{
	struct imds_config c;
	struct imds_result r;
	setenv("AWS_EC2_METADATA_V1_DISABLED", "True", 1);
	start((struct imds_server_opts){.token = TOKEN_404}, &c);
	cr_assert(c.v1_disabled);
	lookup(&c, &r);
	cr_assert_eq(r.status, IMDS_V1_REFUSED);
	cr_assert_eq(r.requests, 1);
	cr_assert_eq(imds_server_counts(srv).v1_gets, 0);
	cr_assert(strstr(r.message, "AWS_EC2_METADATA_V1_DISABLED"), "%s", r.message);
}

Test(imds, no_fallback_on_400)
{
	struct imds_result r;
	go((struct setup){.srv = {.token = TOKEN_400}}, &r);
	cr_assert_eq(r.status, IMDS_BAD_ANSWER);
	cr_assert_eq(r.requests, 1);
	cr_assert_eq(imds_server_counts(srv).gets, 0);
}

Test(imds, expired_token_is_refreshed_once)
{
	struct imds_result r;
	go((struct setup){.srv = {.token = TOKEN_REQUIRED, .expire_first_token = true}}, &r);
	cr_assert_eq(r.status, IMDS_OK, "%s", r.message);
	cr_assert_eq(r.requests, 4); /* PUT, GET 401, PUT, GET */
	struct imds_counts k = imds_server_counts(srv);
	cr_assert_eq(k.token_puts, 2);
	cr_assert_eq(k.unauthorized, 1);
}

Test(imds, silent_server_costs_at_most_the_timeout)
{
	struct imds_result r;
	long ms = go((struct setup){.srv = {.get = GET_SILENT}, .timeout_ms = 400}, &r);
	cr_assert_neq(r.status, IMDS_OK);
	cr_assert_geq(ms, 300);
	cr_assert_lt(ms, 400 + 250, "took %ld ms", ms);
	cr_assert(strstr(r.message, "Is this an EC2 instance?"), "%s", r.message);
}

Test(imds, attempts_multiply_the_bound)
{
	struct imds_result r;
	long ms = go((struct setup){.srv = {.get = GET_SILENT}, .timeout_ms = 200, .attempts = 3}, &r);
	cr_assert_neq(r.status, IMDS_OK);
	cr_assert_geq(ms, 500);
	cr_assert_lt(ms, 3 * 200 + 250, "took %ld ms", ms);
}

Test(imds, hop_limit_falls_back_to_v1_with_a_warning)
{
	struct imds_result r;
	long ms = go((struct setup){.srv = {.token = TOKEN_SILENT}, .timeout_ms = 400}, &r);
	cr_assert_eq(r.status, IMDS_OK, "%s", r.message);
	cr_assert_eq(r.version, 1);
	cr_assert_lt(ms, 400 + 250);
	cr_assert(strstr(r.warning, "--http-put-response-hop-limit 2"), "%s", r.warning);
}

Test(imds, hop_limit_with_v1_disabled_says_what_to_do)
{
	struct imds_result r;
	long ms = go((struct setup){.srv = {.token = TOKEN_SILENT}, .timeout_ms = 300, .v1_disabled = true}, &r);
	cr_assert_eq(r.status, IMDS_HOP_LIMIT);
	cr_assert_lt(ms, 300 + 250);
	cr_assert(strstr(r.message, "hop limit is 1"), "%s", r.message);
	cr_assert_eq(imds_server_counts(srv).gets, 0);
}

Test(imds, hop_limit_with_tokens_required_says_what_to_do)
{
	struct imds_result r;
	long ms = go((struct setup){.srv = {.token = TOKEN_SILENT_REQUIRED}, .timeout_ms = 300}, &r);
	cr_assert_eq(r.status, IMDS_REFUSED);
	cr_assert_lt(ms, 300 + 250);
	cr_assert(strstr(r.message, "requires IMDSv2 tokens (401)"), "%s", r.message);
	cr_assert(strstr(r.message, "--http-put-response-hop-limit 2"), "%s", r.message);
}

Test(imds, slow_drip_is_cut_at_the_timeout)
{
	struct imds_result r;
	long ms = go((struct setup){.srv = {.get = GET_DRIP}, .timeout_ms = 500}, &r);
	cr_assert_neq(r.status, IMDS_OK);
	cr_assert_lt(ms, 500 + 250, "took %ld ms", ms);
}

Test(imds, redirect_is_not_followed)
{
	struct imds_result r;
	go((struct setup){.srv = {.get = GET_REDIRECT}}, &r);
	cr_assert_eq(r.status, IMDS_BAD_ANSWER);
	cr_assert(strstr(r.message, "redirect"), "%s", r.message);
	cr_assert_eq(r.requests, 2);
}

Test(imds, oversized_body_is_refused)
{
	struct imds_result r;
	long ms = go((struct setup){.srv = {.get = GET_HUGE}}, &r);
	cr_assert_eq(r.status, IMDS_BAD_ANSWER);
	cr_assert(strstr(r.message, "64 KiB"), "%s", r.message);
	cr_assert_lt(ms, 1000);
}

Test(imds, garbage_is_an_error_not_a_crash)
{
	struct imds_result r;
	go((struct setup){.srv = {.get = GET_GARBAGE}}, &r);
	cr_assert_neq(r.status, IMDS_OK);
	cr_assert_null(strchr(r.message, '\x1b'));
}

Test(imds, server_error_is_retried_with_the_same_token)
{
	struct imds_result r;
	go((struct setup){.srv = {.get = GET_500}, .attempts = 3}, &r);
	cr_assert_eq(r.status, IMDS_BAD_ANSWER);
	cr_assert(strstr(r.message, "HTTP status 500"), "%s", r.message);
	struct imds_counts k = imds_server_counts(srv);
	cr_assert_eq(k.token_puts, 1);
	cr_assert_eq(k.gets, 3);
	cr_assert_eq(r.requests, 4);
}

Test(imds, missing_document)
{
	struct imds_result r;
	go((struct setup){.srv = {.get = GET_404}}, &r);
	cr_assert_eq(r.status, IMDS_BAD_ANSWER);
	cr_assert(strstr(r.message, "404"), "%s", r.message);
}

Test(imds, bad_document_fields_are_refused)
{
	struct imds_result r;
	go((struct setup){.srv = {.document = "{\"instanceType\":\"c4.large\\u001b[2J\"}"}}, &r);
	cr_assert_eq(r.status, IMDS_BAD_ANSWER);
	cr_assert(strstr(r.message, "instanceType is not a valid value"), "%s", r.message);
	cr_assert_str_eq(r.id.instance_type, "");
}

Test(imds, nothing_listening_is_unreachable_and_fast)
{
	struct imds_config c;
	struct imds_result r;
	char err[200];
	cr_assert(imds_config_from_env(&c, err, sizeof(err)));
	cr_assert(imds_set_endpoint(&c, "http://127.0.0.1:1", err, sizeof(err)));
	long ms = lookup(&c, &r);
	cr_assert_eq(r.status, IMDS_UNREACHABLE);
	cr_assert_eq(r.requests, 1, "no IMDSv1 try when nothing listens");
	cr_assert_lt(ms, 500);
}

Test(imds, disabled_asks_nothing)
{
	struct imds_config c;
	struct imds_result r;
	setenv("AWS_EC2_METADATA_DISABLED", "TRUE", 1);
	start((struct imds_server_opts){0}, &c);
	lookup(&c, &r);
	cr_assert_eq(r.status, IMDS_DISABLED);
	cr_assert_eq(r.requests, 0);
	cr_assert_eq(imds_server_counts(srv).requests, 0);
}

Test(imds, proxy_variables_are_ignored)
{
	struct imds_config c;
	struct imds_result r;
	setenv("http_proxy", "http://127.0.0.1:1", 1);
	setenv("HTTP_PROXY", "http://127.0.0.1:1", 1);
	start((struct imds_server_opts){0}, &c);
	lookup(&c, &r);
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	cr_assert_eq(r.status, IMDS_OK, "%s", r.message);
}

Test(imds, environment_like_the_aws_cli)
{
	struct imds_config c;
	char err[200];
	cr_assert(imds_config_from_env(&c, err, sizeof(err)));
	cr_assert_str_eq(c.endpoint, "http://169.254.169.254");
	cr_assert_eq(c.timeout_ms, 1000);
	cr_assert_eq(c.attempts, 1);
	cr_assert_not(c.disabled);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6", 1);
	cr_assert(imds_config_from_env(&c, err, sizeof(err)));
	cr_assert_str_eq(c.endpoint, "http://[fd00:ec2::254]");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://10.0.0.1:8080/", 1);
	cr_assert(imds_config_from_env(&c, err, sizeof(err)));
	cr_assert_str_eq(c.endpoint, "http://10.0.0.1:8080", "the endpoint wins over the mode");
	setenv("AWS_METADATA_SERVICE_TIMEOUT", "2", 1);
	setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3", 1);
	setenv("AWS_EC2_METADATA_DISABLED", "false", 1);
	cr_assert(imds_config_from_env(&c, err, sizeof(err)));
	cr_assert_eq(c.timeout_ms, 2000);
	cr_assert_eq(c.attempts, 3);
	cr_assert_not(c.disabled);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv5", 1);
	cr_assert_not(imds_config_from_env(&c, err, sizeof(err)));
	cr_assert(strstr(err, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"), "%s", err);
	unsetenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
	setenv("AWS_METADATA_SERVICE_TIMEOUT", "soon", 1);
	cr_assert_not(imds_config_from_env(&c, err, sizeof(err)));
	cr_assert(strstr(err, "AWS_METADATA_SERVICE_TIMEOUT"), "%s", err);
	setenv("AWS_METADATA_SERVICE_TIMEOUT", "1", 1);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "https://x\n", 1);
	cr_assert_not(imds_config_from_env(&c, err, sizeof(err)));
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ftp://x", 1);
	cr_assert_not(imds_config_from_env(&c, err, sizeof(err)));
	clean_env();
}

Test(imds_doc, identity_fields_are_checked)
{
	struct imds_identity id;
	char why[200];
	const char *bad[] = {
		"", "[]", "{}", "{\"instanceType\": 5}", "{\"instanceType\": \"\"}",
		"{\"instanceType\": \"C4.LARGE\"}", "{\"instanceType\": \"c4.large\", \"region\": \"us east\"}",
		"{\"instanceType\": \"c4.large\", \"imageId\": \"ami-\\u0000x\"}",
		"{\"instanceType\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
		"{\"instanceType\": \"c4.large\"", "\xff\xfe",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(imds_parse_identity(bad[i], strlen(bad[i]), &id, why, sizeof(why)),
			      "accepted %s", bad[i]);
	const char *good = "{\"instanceType\":\"c7gn.metal\",\"architecture\":\"arm64\"}";
	cr_assert(imds_parse_identity(good, strlen(good), &id, why, sizeof(why)), "%s", why);
	cr_assert_str_eq(id.instance_type, "c7gn.metal");
	cr_assert_str_eq(id.architecture, "arm64");
	cr_assert_str_eq(id.region, "");
}

Test(imds_doc, tokens_must_be_header_safe)
{
	cr_assert(imds_token_ok("AQAEAJ0z==", 10));
	cr_assert_not(imds_token_ok("", 0));
	cr_assert_not(imds_token_ok("abc\r\nX-Evil: 1", 15));
	cr_assert_not(imds_token_ok("a b", 3));
	char big[1100];
	memset(big, 'a', sizeof(big));
	cr_assert_not(imds_token_ok(big, sizeof(big)));
}
