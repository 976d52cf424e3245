/*
 * namematch_bench.c: how long namematch_score_query takes over a council-
 * sized list of synthetic names (100,000 given/family pairs made from
 * syllables; no real data).  Not built by meson and not a test: timing
 * depends on the machine.  Build and run by hand from the repository root:
 *
 *   cc -O2 -std=gnu11 -Isrc bench/namematch_bench.c src/child/namematch.c \
 *      -o /tmp/namematch_bench && /tmp/namematch_bench
 *
 * Prints ns per score for a prepared query (the scan) and for
 * namematch_score (which prepares the query on every call).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "child/namematch.h"

#ifndef NAMES
#define NAMES 100000
#endif
#define NAME_CAP 32

static char given[NAMES][NAME_CAP];
static char family[NAMES][NAME_CAP];

static const char *const syl[] = {
	"al", "an", "ar", "be", "ca", "chri", "da", "el", "fa", "ga", "ha",
	"ja", "jo", "ka", "la", "le", "ma", "mo", "na", "ni", "o", "pa", "ra",
	"ri", "sa", "sha", "si", "ta", "th", "to", "wi", "ya", "za", "son",
	"ski", "ley", "ton", "med", "ham", "ers",
};

/* xorshift32: deterministic synthetic names */
static uint32_t next_rand(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

static void make_name(uint32_t *seed, char *out, int hyphen)
{
	size_t len = 0;
	int n = 2 + (int)(next_rand(seed) % 3);

	for (int i = 0; i < n; i++) {
		const char *p = syl[next_rand(seed) % (sizeof(syl) / sizeof(syl[0]))];
		size_t k = strlen(p);

		if (len + k + 2 >= NAME_CAP)
			break;
		if (hyphen && i == n - 1 && i > 1)
			out[len++] = '-';
		memcpy(out + len, p, k);
		len += k;
	}
	out[0] = (char)(out[0] - 'a' + 'A');
	out[len] = '\0';
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(void)
{
	uint32_t seed = 2463534242u;
	struct namematch_query q;
	long sum = 0, likely = 0;
	double t0, t1, t2;

	for (int i = 0; i < NAMES; i++) {
		make_name(&seed, given[i], 0);
		make_name(&seed, family[i], (int)(next_rand(&seed) % 10 == 0));
	}
	namematch_query_init(&q, "Jhon", "Smyth-Jonson");
	t0 = now_ns();
	for (int i = 0; i < NAMES; i++) {
		int s = namematch_score_query(&q, given[i], family[i]);

		sum += s;
		likely += s >= NAMEMATCH_LIKELY;
	}
	t1 = now_ns();
	for (int i = 0; i < NAMES; i++)
		sum += namematch_score("Jhon", "Smyth-Jonson", given[i],
			family[i]);
	t2 = now_ns();
	printf("prepared query: %.0f ns per score (%ld likely of %d)\n",
		(t1 - t0) / NAMES, likely, NAMES);
	printf("namematch_score: %.0f ns per score (checksum %ld)\n",
		(t2 - t1) / NAMES, sum);
	return 0;
}
