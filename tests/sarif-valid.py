#!/usr/bin/python3
"""Validates SARIF files against the SARIF 2.1.0 schema (tests/sarif/), then checks what
GitHub code scanning requires on top (../shared/facts/ux-imds.md section 1.3): rules with
id, shortDescription, fullDescription and help text; results with a message and a
location whose region has start and end line and column."""
import json
import os
import sys

import jsonschema

here = os.path.dirname(os.path.abspath(__file__))
schema = json.load(open(os.path.join(here, "sarif", "sarif-2.1.0-rtm.5.json")))
validator = jsonschema.Draft4Validator(schema)
bad = 0
for path in sys.argv[1:]:
    before = bad
    doc = json.load(open(path))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors:
        print(f"{path}: {'/'.join(map(str, e.path))}: {e.message}")
        bad += 1
    assert doc["version"] == "2.1.0" and doc["$schema"], path
    for run in doc["runs"]:
        driver = run["tool"]["driver"]
        assert driver["name"], path
        ids = [r["id"] for r in driver["rules"]]
        for r in driver["rules"]:
            for k in ("shortDescription", "fullDescription", "help"):
                if not r.get(k, {}).get("text"):
                    print(f"{path}: rule {r['id']} has no {k}.text"); bad += 1
        for res in run["results"]:
            if not res["message"]["text"] or ids[res["ruleIndex"]] != res["ruleId"]:
                print(f"{path}: result {res['ruleId']}: no message or wrong ruleIndex"); bad += 1
            region = res["locations"][0]["physicalLocation"]["region"]
            for k in ("startLine", "startColumn", "endLine", "endColumn"):
                if region.get(k, 0) < 1:
                    print(f"{path}: result {res['ruleId']}: region has no {k}"); bad += 1
    if bad == before:
        print(f"{path}: valid SARIF 2.1.0 ({sum(len(r['results']) for r in doc['runs'])} results)")
sys.exit(1 if bad else 0)
