/* bench_util.h — what the in-process benchmark drivers share. */
#ifndef CIDX_BENCH_UTIL_H
#define CIDX_BENCH_UTIL_H

#include <stdlib.h>

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The q-quantile (0.5: the median) of v[0..n), n >= 1; sorts v. */
static inline double pick(double *v, size_t n, double q)
{
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return v[(size_t)(q * (double)(n - 1) + 0.5)];
}

#endif
