/* bench/imds.c: times the metadata lookup alone (token + identity document), N times in
 * one process, against the endpoint in AWS_EC2_METADATA_SERVICE_ENDPOINT. Prints the mean
 * microseconds per lookup and the round trips of one lookup. Each lookup is a fresh
 * client, as in one xenadvise run; libcurl is loaded by the first. */
#include "imds.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	struct imds_config c;
	char err[300];
	if (n < 1 || !imds_config_from_env(&c, err, sizeof(err))) {
		fprintf(stderr, "usage: xa-bench-imds [N] (%s)\n", err);
		return 2;
	}
	struct imds_result r;
	imds_lookup(&c, &r); /* loads libcurl */
	if (r.status != IMDS_OK) {
		fprintf(stderr, "xa-bench-imds: %s\n", r.message);
		return 1;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++) {
		imds_lookup(&c, &r);
		if (r.status != IMDS_OK) {
			fprintf(stderr, "xa-bench-imds: lookup %d: %s\n", i, r.message);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double us = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) /
		    1e3 / n;
	printf("%.1f %u %s\n", us, r.requests, r.id.instance_type);
	return 0;
}
