/* The xenadvise binary end to end against the real metadata server on 127.0.0.1:
 * what the user sees, the exit code, the time bound and the round trips. */
#include "imds_server.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define ROOTS XA_SRC "/tests/e2e/fixtures/roots"

struct run {
	int rc;
	long ms;
	char out[65536], err[8192];
};

static struct imds_server *srv;

static void stop(void)
{
	imds_server_stop(srv);
	srv = NULL;
}

static void slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, size - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
}

/* Runs xenadvise with argv (NULL-terminated) and extra VAR=value settings. */
static void run(struct run *r, const char *const *argv, const char *const *env)
{
	char outp[] = "/tmp/xa-cli-out-XXXXXX", errp[] = "/tmp/xa-cli-err-XXXXXX";
	int of = mkstemp(outp), ef = mkstemp(errp);
	cr_assert(of >= 0 && ef >= 0);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, of, 1);
	posix_spawn_file_actions_adddup2(&fa, ef, 2);
	char *envp[64];
	size_t n = 0;
	for (char **e = environ; *e && n < 40; e++)
		if (strncmp(*e, "AWS_", 4) != 0)
			envp[n++] = *e;
	envp[n++] = "NO_COLOR=1";
	for (; env && *env && n < 63; env++)
		envp[n++] = (char *)*env;
	envp[n] = NULL;
	char *args[32] = {XA_BIN};
	for (size_t i = 0; argv[i] && i < 30; i++)
		args[i + 1] = (char *)argv[i];
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid;
	cr_assert_eq(posix_spawn(&pid, XA_BIN, &fa, NULL, args, envp), 0);
	int st;
	waitpid(pid, &st, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	r->rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	posix_spawn_file_actions_destroy(&fa);
	close(of);
	close(ef);
	slurp(outp, r->out, sizeof(r->out));
	slurp(errp, r->err, sizeof(r->err));
	unlink(outp);
	unlink(errp);
}

static const char *endpoint(struct imds_server_opts o)
{
	static char env[128];
	srv = imds_server_start(&o);
	cr_assert_not_null(srv);
	snprintf(env, sizeof(env), "AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:%d",
		 imds_server_port(srv));
	return env;
}

TestSuite(cli_imds, .fini = stop);

Test(cli_imds, advises_for_the_instance_it_runs_on)
{
	struct run r;
	const char *env[] = {endpoint((struct imds_server_opts){.token = TOKEN_REQUIRED}), NULL};
	run(&r, (const char *[]){"--provider", "ec2", "--imds", NULL}, env);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert(strstr(r.out, "xenadvise: linux on ec2 m4.xlarge\n"), "%s", r.out);
	cr_assert(strstr(r.out, "metadata service (IMDSv2, 2 round trips): ami-0a887e401f7654935,"),
		  "%s", r.out);
	cr_assert(strstr(r.out, "ixgbevf"), "m4.xlarge takes the Intel VF");
	cr_assert_null(strstr(r.out, "tok-"), "the token is never shown");
	cr_assert_null(strstr(r.err, "tok-"));
	cr_assert_str_eq(r.err, "");
	struct imds_counts k = imds_server_counts(srv);
	cr_assert_eq(k.requests, 2);
	cr_assert_eq(k.credential_gets, 0);
}

Test(cli_imds, auto_on_ec2_asks_and_says_how_it_knew)
{
	struct run r;
	const char *env[] = {endpoint((struct imds_server_opts){0}), NULL};
	run(&r, (const char *[]){"--provider", "auto", "--imds=auto", "--root", ROOTS "/ec2-nitro",
				 "--format", "json", NULL},
	    env);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"signal\":\t\"/sys/class/dmi/id/sys_vendor\""), "%s", r.out);
	cr_assert(strstr(r.out, "\"round_trips\":\t2"), "%s", r.out);
	cr_assert(strstr(r.out, "\"instance_type\":\t\"m4.xlarge\""), "%s", r.out);
}

Test(cli_imds, auto_off_ec2_touches_no_network)
{
	struct run r;
	const char *env[] = {endpoint((struct imds_server_opts){0}), NULL};
	const char *roots[] = {ROOTS "/kvm", ROOTS "/bare", ROOTS "/xen-private", ROOTS "/odd"};
	for (size_t i = 0; i < 4; i++) {
		run(&r, (const char *[]){"--provider", "ec2", "--imds=auto", "--root", roots[i], NULL},
		    env);
		cr_assert_eq(r.rc, 0, "%s: %s", roots[i], r.err);
		cr_assert_str_eq(r.err, "");
		cr_assert(strstr(r.out, "xenadvise: linux on ec2\n"), "%s", r.out);
	}
	cr_assert_eq(imds_server_counts(srv).requests, 0);
}

Test(cli_imds, silent_service_fails_within_the_timeout)
{
	struct run r;
	const char *env[] = {endpoint((struct imds_server_opts){.get = GET_SILENT}), NULL};
	run(&r, (const char *[]){"--provider", "ec2", "--imds", "--imds-timeout", "0.4", NULL}, env);
	cr_assert_eq(r.rc, 4);
	cr_assert_lt(r.ms, 400 + 300, "took %ld ms", r.ms);
	cr_assert(strstr(r.err, "xenadvise: error: the metadata request at http://127.0.0.1:"), "%s",
		  r.err);
	cr_assert_str_eq(r.out, "", "nothing partial on stdout");
}

Test(cli_imds, auto_on_ec2_with_a_silent_service_warns_and_answers_for_all_of_ec2)
{
	struct run r;
	const char *env[] = {endpoint((struct imds_server_opts){.get = GET_SILENT}),
			     "AWS_METADATA_SERVICE_TIMEOUT=0.3", NULL};
	run(&r, (const char *[]){"--provider", "ec2", "--imds=auto", "--root", ROOTS "/ec2-xen-pv",
				 NULL},
	    env);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert_lt(r.ms, 300 + 300);
	cr_assert(strstr(r.err, "xenadvise: warning: the metadata service did not say"), "%s", r.err);
	cr_assert(strstr(r.out, "xenadvise: linux on ec2\n"));
}

Test(cli_imds, v1_disabled_against_a_v1_service)
{
	struct run r;
	const char *env[] = {endpoint((struct imds_server_opts){.token = TOKEN_404}),
			     "AWS_EC2_METADATA_V1_DISABLED=true", NULL};
	run(&r, (const char *[]){"--provider", "ec2", "--imds", NULL}, env);
	cr_assert_eq(r.rc, 4);
	cr_assert(strstr(r.err, "AWS_EC2_METADATA_V1_DISABLED forbids IMDSv1"), "%s", r.err);
	cr_assert_eq(imds_server_counts(srv).v1_gets, 0);
}

Test(cli_imds, the_command_line_overrides_the_environment)
{
	struct run r;
	const char *ep = endpoint((struct imds_server_opts){0});
	char opt[96];
	snprintf(opt, sizeof(opt), "%s", strchr(ep, '=') + 1);
	const char *env[] = {"AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:1",
			     "AWS_METADATA_SERVICE_NUM_ATTEMPTS=oops", NULL};
	run(&r, (const char *[]){"--provider", "ec2", "--imds", "--imds-endpoint", opt, NULL}, env);
	cr_assert_eq(r.rc, 2, "a bad environment value is still an error: %s", r.err);
	const char *env2[] = {"AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:1", NULL};
	run(&r, (const char *[]){"--provider", "ec2", "--imds", "--imds-endpoint", opt, NULL}, env2);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert_eq(imds_server_counts(srv).requests, 2);
}

Test(cli_imds, a_type_the_catalog_lacks)
{
	struct run r;
	const char *env[] = {endpoint((struct imds_server_opts){
				     .document = "{\"instanceType\":\"zz9.huge\",\"region\":\"us-east-1\"}"}),
			     NULL};
	run(&r, (const char *[]){"--provider", "ec2", "--imds", NULL}, env);
	cr_assert_eq(r.rc, 2);
	cr_assert(strstr(r.err, "unknown instance type 'zz9.huge'"), "%s", r.err);
	cr_assert(strstr(r.err, "the metadata service named this type"), "%s", r.err);
}

Test(cli_imds, hostile_answers_leak_no_escapes)
{
	struct run r;
	const char *env[] = {endpoint((struct imds_server_opts){.get = GET_GARBAGE}), NULL};
	run(&r, (const char *[]){"--provider", "ec2", "--imds", NULL}, env);
	cr_assert_eq(r.rc, 4);
	cr_assert_null(strchr(r.err, '\x1b'), "%s", r.err);
	cr_assert_null(strchr(r.out, '\x1b'));
}

/* The README's example of --provider auto --imds=auto is this run's real output. */
Test(cli_imds, the_readme_example_is_true)
{
	static const char cmd[] =
		"    $ xenadvise --provider auto --imds=auto --root tests/e2e/fixtures/roots/ec2-xen-pv\n";
	static char readme[200000], shown[4096];
	slurp(XA_SRC "/README.md", readme, sizeof(readme));
	const char *p = strstr(readme, cmd);
	cr_assert_not_null(p, "the example is gone from README.md");
	p += sizeof(cmd) - 1;
	size_t n = 0;
	/* the indented lines up to the blank line, without the 4-space indent */
	while (strncmp(p, "    ", 4) == 0 && n < sizeof(shown) - 200) {
		const char *e = strchr(p, '\n');
		memcpy(shown + n, p + 4, (size_t)(e - p - 3));
		n += (size_t)(e - p - 3);
		p = e + 1;
	}
	shown[n] = '\0';
	cr_assert_gt(n, 100);
	struct run r;
	const char *env[] = {endpoint((struct imds_server_opts){0}), NULL};
	run(&r, (const char *[]){"--provider", "auto", "--imds=auto", "--root", ROOTS "/ec2-xen-pv",
				 NULL},
	    env);
	cr_assert_eq(r.rc, 0);
	cr_assert_eq(strncmp(r.out, shown, n), 0, "README shows:\n%s\nthe run prints:\n%s", shown,
		     r.out);
}

#define TREES XA_SRC "/tests/detect/trees"

Test(cli_imds, detect_learns_the_type_and_finds_the_gap)
{
	/* a c4 tree whose eth0 uses vif, on a service that says m4.xlarge (Intel VF) */
	struct run r;
	const char *env[] = {endpoint((struct imds_server_opts){.token = TOKEN_REQUIRED}), NULL};
	run(&r,
	    (const char *[]){"detect", "--root", TREES "/ec2-c4-pvhvm-vif", "--imds=auto", "-f",
			     "json", NULL},
	    env);
	cr_assert_eq(r.rc, 1, "a warning gap: %s", r.err);
	cr_assert(strstr(r.out, "\"instance_type\":\t\"m4.xlarge\""), "%s", r.out);
	cr_assert(strstr(r.out, "\"instance_type_from\":\t\"the metadata service\""), "%s", r.out);
	cr_assert(strstr(r.out, "\"id\":\t\"gap-vif-not-sriov\""), "%s", r.out);
	cr_assert_eq(imds_server_counts(srv).requests, 2);
}

Test(cli_imds, detect_asks_nothing_where_the_machine_says_its_type)
{
	/* Nitro names its type in DMI; --imds=auto off EC2 asks nothing either */
	struct run r;
	const char *env[] = {endpoint((struct imds_server_opts){0}), NULL};
	run(&r, (const char *[]){"detect", "--root", TREES "/ec2-nitro-c5", "--imds=auto", NULL},
	    env);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert(strstr(r.out, "c5.large (from DMI product_name)"), "%s", r.out);
	run(&r, (const char *[]){"detect", "--root", TREES "/kvm", "--imds=auto", NULL}, env);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert_eq(imds_server_counts(srv).requests, 0);
}
