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

/* Reads `in` (JSON, possibly several pages concatenated as one list is not supported),
 * writes the catalog to `out`. Returns false with diagnostics on any problem; nothing
 * is written then. `source` names where the data came from. */
bool import_ec2(const char *in, const char *source, FILE *out, struct diags *d);

#endif
