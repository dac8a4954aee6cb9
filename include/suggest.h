/* suggest.h: "did you mean" for unknown names. */
#ifndef XA_SUGGEST_H
#define XA_SUGGEST_H

#include <stddef.h>

/* Edit distance (Damerau: adjacent swaps cost 1), capped: returns cap+1 once above cap. */
size_t suggest_distance(const char *a, const char *b, size_t cap);

/* Collects up to max candidates closest to `name` (distance <= a third of its length,
 * at least 2), best first, ties in the given order. Returns how many were stored. */
size_t suggest_nearest(const char *name, const char *const *cands, size_t ncands, const char **out,
		       size_t max);

#endif
