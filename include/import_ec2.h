/* import_ec2.h: `aws ec2 describe-instance-types` output -> catalogs/ec2/instance-types.yaml.
 *
 * The catalog keeps exactly the fields the advisor needs, one line per type, in the
 * order of the names. Facts the API lacks (Intel 82599 VF) are not invented here; they
 * come from the hand-kept catalogs/ec2/overlay.yaml. */
#ifndef XA_IMPORT_EC2_H
#define XA_IMPORT_EC2_H

#include "diag.h"

#include <stdbool.h>
#include <stdio.h>

/* Reads `in` (the JSON of one `aws ec2 describe-instance-types` call; the AWS CLI joins the
 * pages itself), writes the catalog to `out`. Returns false with diagnostics on any problem;
 * nothing is written then. `source` names where the data came from. */
bool import_ec2(const char *in, const char *source, FILE *out, struct diags *d);
/* The same for output already in memory (tests and fuzzing); `name` is used in errors. */
bool import_ec2_buffer(const char *buf, size_t len, const char *name, const char *source, FILE *out,
		       struct diags *d);

#endif
