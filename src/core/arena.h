/*
 * arena: a bump allocator with a byte budget, one per request.
 *
 * Invariants: every allocation is 16-byte aligned and lives until
 * arena_free().  Nothing is freed piecemeal.  The total of all
 * allocations never exceeds the budget given to arena_new().
 *
 * OOM policy (for the whole program): a real allocation failure from the
 * C library aborts the process (xmalloc and friends).  Because every
 * write is one database transaction, an abort means a rollback, never a
 * half-written record.  Exceeding an arena's *budget* is not OOM: it is
 * an ordinary error the caller turns into 413 or 500.
 */
#ifndef CAIRN_ARENA_H
#define CAIRN_ARENA_H

#include <stddef.h>
#include <stdbool.h>

struct arena;

/* Returns a new arena that may hand out at most `budget` bytes in all.
 * Never returns NULL (aborts on OOM).  Free with arena_free(). */
struct arena *arena_new(size_t budget);

/* Frees every block.  arena_free(NULL) is a no-op. */
void arena_free(struct arena *a);

/* Returns `n` bytes (uninitialised), or NULL when the budget would be
 * exceeded; once that happens arena_exhausted() stays true. */
void *arena_alloc(struct arena *a, size_t n);

/* As arena_alloc, zeroed. */
void *arena_zalloc(struct arena *a, size_t n);

/* Makes room for item n of the arena array v of size-byte items with
 * capacity *cap, doubling it (from 16) when full; new room is zeroed.
 * Returns the (possibly moved) array, or NULL over budget (v is left as
 * it was).  For lists read row by row: v = NULL, *cap = 0 to start. */
void *arena_grow(struct arena *a, void *v, int n, int *cap, size_t size);

/* Copies `n` bytes of `s` and a terminating NUL; NULL over budget. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* Copies the NUL-terminated `s`; NULL over budget.  NULL `s` gives NULL. */
char *arena_strdup(struct arena *a, const char *s);

/* printf into the arena; NULL over budget. */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* True once any allocation was refused for the budget. */
bool arena_exhausted(const struct arena *a);

/* Bytes handed out so far. */
size_t arena_used(const struct arena *a);

/* Checked C-library allocation: abort on failure, never return NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
