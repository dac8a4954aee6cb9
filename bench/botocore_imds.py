#!/usr/bin/python3
"""The same lookup with AWS's own Python client: botocore's IMDSFetcher (Debian package
python3-botocore), pointed at the same server with AWS_EC2_METADATA_SERVICE_ENDPOINT.

  botocore_imds.py paths N     the meta-data tree, path by path, as AWS's tools read it: one
                               token, then instance-type, ami-id, placement/availability-zone
                               (botocore's own region fetcher's path) and the identity document
                               (architecture is only there)
  botocore_imds.py document N  one token and the identity document, as xenadvise does
Prints the mean microseconds per lookup and the round trips of one lookup."""
import json
import os
import sys
import time

from botocore.utils import IMDSFetcher

PATHS = ["latest/meta-data/instance-type", "latest/meta-data/ami-id",
         "latest/meta-data/placement/availability-zone/"]
DOC = "latest/dynamic/instance-identity/document"


class Counter(IMDSFetcher):
    requests = 0

    def lookup(self, mode):
        facts = {}
        token = self._fetch_metadata_token()
        self.requests = 1
        if mode == "paths":
            for p in PATHS:
                facts[p] = self._get_request(p, None, token).text
                self.requests += 1
        doc = json.loads(self._get_request(DOC, None, token).text)
        self.requests += 1
        facts["architecture"] = doc["architecture"]
        facts["instanceType"] = doc["instanceType"]
        return facts


def main():
    mode, n = sys.argv[1], int(sys.argv[2])
    endpoint = os.environ["AWS_EC2_METADATA_SERVICE_ENDPOINT"]
    f = Counter(timeout=1, num_attempts=1, config={"ec2_metadata_service_endpoint": endpoint})
    f.lookup(mode)
    t0 = time.perf_counter()
    for _ in range(n):
        f = Counter(timeout=1, num_attempts=1,
                    config={"ec2_metadata_service_endpoint": endpoint})
        facts = f.lookup(mode)
    us = (time.perf_counter() - t0) / n * 1e6
    print(f"{us:.1f} {f.requests} {facts['instanceType']}")


main()
