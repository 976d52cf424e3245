/* arena.c: see arena.h for the contract. */
#include "core/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_BLOCK_MIN 8192

struct arena_block {
	struct arena_block *next;
	size_t size;   /* usable bytes in data[] */
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
	struct arena_block *head;
	size_t budget;
	size_t used;
	bool exhausted;
};

static void oom(void)
{
	fputs("{\"level\":\"fatal\",\"msg\":\"out of memory\"}\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (q == NULL)
		oom();
	return q;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xmalloc(n);
	memcpy(p, s, n);
	return p;
}

struct arena *arena_new(size_t budget)
{
	struct arena *a = xcalloc(1, sizeof(*a));
	a->budget = budget;
	return a;
}

void arena_free(struct arena *a)
{
	if (a == NULL)
		return;
	struct arena_block *b = a->head;
	while (b != NULL) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
	size_t want = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (want < n || a->used + want < a->used || a->used + want > a->budget) {
		a->exhausted = true;
		return NULL;
	}
	struct arena_block *b = a->head;
	if (b == NULL || b->size - b->used < want) {
		size_t size = want > ARENA_BLOCK_MIN ? want : ARENA_BLOCK_MIN;
		/* grow blocks geometrically so big requests make few mallocs */
		if (b != NULL && b->size * 2 > size && b->size * 2 <= 1u << 20)
			size = b->size * 2;
		struct arena_block *nb = xmalloc(sizeof(*nb) + size);
		nb->size = size;
		nb->used = 0;
		nb->next = b;
		a->head = b = nb;
	}
	void *p = b->data + b->used;
	b->used += want;
	a->used += want;
	return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	if (p != NULL)
		memset(p, 0, n);
	return p;
}

void *arena_grow(struct arena *a, void *v, int n, int *cap, size_t size)
{
	if (n < *cap)
		return v;
	int ncap = *cap ? *cap * 2 : 16;
	void *p = arena_zalloc(a, (size_t)ncap * size);
	if (p == NULL)
		return NULL;
	if (v && n)
		memcpy(p, v, (size_t)n * size);
	*cap = ncap;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (p == NULL)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

bool arena_exhausted(const struct arena *a)
{
	return a->exhausted;
}

size_t arena_used(const struct arena *a)
{
	return a->used;
}
