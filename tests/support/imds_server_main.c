/* xa-imds-server: the test metadata server as a program, for the benchmarks and for
 * trying xenadvise by hand. Prints its port, then serves on 127.0.0.1 until stdin closes.
 *   xa-imds-server [--token optional|required|403|404|405|400|silent] [--get normal|silent|
 *                  drip|redirect|huge|garbage|500|404] [--document FILE] */
#include "imds_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int pick(const char *v, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(v, names[i]) == 0)
			return i;
	fprintf(stderr, "xa-imds-server: unknown mode '%s'\n", v);
	exit(2);
}

int main(int argc, char **argv)
{
	static const char *const tokens[] = {"optional", "required", "403", "404", "405",
					     "400",      "silent",   "silent-required", NULL};
	static const char *const gets[] = {"normal", "silent",  "drip", "redirect",
					   "huge",   "garbage", "500",  "404", NULL};
	struct imds_server_opts o = {0};
	static char doc[65536];
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--token") == 0) {
			o.token = (enum imds_token_mode)pick(argv[i + 1], tokens);
		} else if (strcmp(argv[i], "--get") == 0) {
			o.get = (enum imds_get_mode)pick(argv[i + 1], gets);
		} else if (strcmp(argv[i], "--document") == 0) {
			FILE *f = fopen(argv[i + 1], "r");
			size_t n = f ? fread(doc, 1, sizeof(doc) - 1, f) : 0;
			if (f == NULL) {
				perror(argv[i + 1]);
				return 2;
			}
			fclose(f);
			doc[n] = '\0';
			o.document = doc;
		} else {
			fprintf(stderr, "xa-imds-server: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	struct imds_server *s = imds_server_start(&o);
	if (s == NULL) {
		perror("xa-imds-server");
		return 1;
	}
	printf("%d\n", imds_server_port(s));
	fflush(stdout);
	while (getchar() != EOF)
		;
	struct imds_counts k = imds_server_counts(s);
	fprintf(stderr, "requests %d (token PUTs %d, GETs %d, of them without a token %d)\n",
		k.requests, k.token_puts, k.gets, k.v1_gets);
	imds_server_stop(s);
	return 0;
}
