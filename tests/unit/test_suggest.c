/* test_suggest.c: "did you mean". */
#include "suggest.h"

#include <criterion/criterion.h>

Test(suggest, distance)
{
	cr_assert_eq(suggest_distance("c4.large", "c4.large", 3), 0);
	cr_assert_eq(suggest_distance("c4.larg", "c4.large", 3), 1);
	cr_assert_eq(suggest_distance("c4.lrage", "c4.large", 3), 1); /* swap */
	cr_assert_eq(suggest_distance("m5.large", "c4.large", 3), 2);
	cr_assert_eq(suggest_distance("x", "abcdefgh", 3), 4); /* capped */
}

Test(suggest, nearest_best_first)
{
	const char *cands[] = {"c4.xlarge", "c4.large", "c5.large", "m4.large", "t2.micro"};
	const char *out[3];
	size_t n = suggest_nearest("c4.larg", cands, 5, out, 3);
	cr_assert_geq(n, 1);
	cr_assert_str_eq(out[0], "c4.large");
	for (size_t i = 0; i < n; i++)
		cr_assert_str_neq(out[i], "t2.micro");
}

Test(suggest, nothing_close)
{
	const char *cands[] = {"c4.large", "m5.large"};
	const char *out[3];
	cr_assert_eq(suggest_nearest("zzzzzzzz", cands, 2, out, 3), 0);
}
