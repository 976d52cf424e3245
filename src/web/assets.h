/*
 * assets: static files served from memory with long cache lifetimes.
 *
 * At start-up every regular file under the given folders is read once
 * (GOV.UK Frontend's assets, its stylesheet, Cairn's own stylesheet) and
 * mapped to a URL under /assets/.  Lookups afterwards are read-only and
 * need no lock.  Files are capped at 4 MiB each and 64 MiB in all.
 */
#ifndef CAIRN_ASSETS_H
#define CAIRN_ASSETS_H

#include <stddef.h>

struct assets;

/* Loads every file below `dir` (recursively) under the URL prefix
 * `prefix` ("/assets/").  Adds to *as (creating it when NULL).  Returns
 * the number of files loaded, or -1 with a message in err. */
int assets_load_dir(struct assets **as, const char *dir, const char *prefix,
		    char *err, size_t errlen);

/* Loads one file at one URL.  Returns 0 or -1 with a message. */
int assets_load_file(struct assets **as, const char *path, const char *url,
		     char *err, size_t errlen);

/* Finds the file for a URL path.  Returns 1 and sets the outputs (which
 * live until assets_free), or 0 when there is none. */
int assets_find(const struct assets *as, const char *url, const void **data,
		size_t *len, const char **type);

void assets_free(struct assets *as);

#endif
