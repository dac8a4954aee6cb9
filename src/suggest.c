/* suggest.c: nearest names for error messages. */
#include "suggest.h"

#include <stdlib.h>
#include <string.h>

size_t suggest_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	if (la > 64 || lb > 64)
		return strcmp(a, b) == 0 ? 0 : cap + 1;
	size_t d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb] > cap ? cap + 1 : d[la][lb];
}

size_t suggest_nearest(const char *name, const char *const *cands, size_t ncands, const char **out,
		       size_t max)
{
	size_t cap = strlen(name) / 3;
	if (cap < 2)
		cap = 2;
	size_t found = 0;
	size_t dist[16];
	if (max > 16)
		max = 16;
	for (size_t i = 0; i < ncands; i++) {
		size_t dd = suggest_distance(name, cands[i], cap);
		if (dd > cap)
			continue;
		/* insertion into the sorted top-`max` list */
		size_t pos = found;
		while (pos > 0 && dist[pos - 1] > dd)
			pos--;
		if (pos >= max)
			continue;
		size_t last = found < max ? found : max - 1;
		for (size_t k = last; k > pos; k--) {
			out[k] = out[k - 1];
			dist[k] = dist[k - 1];
		}
		out[pos] = cands[i];
		dist[pos] = dd;
		if (found < max)
			found++;
	}
	return found;
}
