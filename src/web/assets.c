/* assets.c: see assets.h. */
#include "web/assets.h"
#include "core/arena.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ASSET_FILE_MAX (4u << 20)
#define ASSET_TOTAL_MAX (64u << 20)

struct asset {
	char *url;
	char *data;
	size_t len;
	const char *type;
};

struct assets {
	struct asset *v;
	size_t n, cap;
	size_t total;
};

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{".css", "text/css; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".ico", "image/x-icon"},
	{".woff2", "font/woff2"},
	{".woff", "font/woff"},
	{".json", "application/json"},
	{".map", "application/json"},
	{".txt", "text/plain; charset=utf-8"},
};

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (dot)
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

int assets_load_file(struct assets **asp, const char *path, const char *url,
		     char *err, size_t errlen)
{
	struct assets *as = *asp;
	if (as == NULL)
		as = *asp = xcalloc(1, sizeof(*as));
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "cannot read asset %s", path);
		return -1;
	}
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || st.st_size < 0 ||
	    (size_t)st.st_size > ASSET_FILE_MAX ||
	    as->total + (size_t)st.st_size > ASSET_TOTAL_MAX) {
		fclose(f);
		snprintf(err, errlen, "asset %s is too large", path);
		return -1;
	}
	size_t len = (size_t)st.st_size;
	char *data = xmalloc(len + 1);
	if (fread(data, 1, len, f) != len) {
		fclose(f);
		free(data);
		snprintf(err, errlen, "cannot read asset %s", path);
		return -1;
	}
	fclose(f);
	if (as->n == as->cap) {
		as->cap = as->cap ? as->cap * 2 : 64;
		as->v = xrealloc(as->v, as->cap * sizeof(*as->v));
	}
	as->v[as->n].url = xstrdup(url);
	as->v[as->n].data = data;
	as->v[as->n].len = len;
	as->v[as->n].type = type_of(path);
	as->n++;
	as->total += len;
	return 0;
}

int assets_load_dir(struct assets **as, const char *dir, const char *prefix,
		    char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen,
			 "cannot open the assets folder %s (run "
			 "scripts/install-deps)", dir);
		return -1;
	}
	int count = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096], url[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(url, sizeof(url), "%s%s", prefix, e->d_name);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		int rc;
		if (S_ISDIR(st.st_mode)) {
			char sub[4097];
			size_t ul = strlen(url);
			memcpy(sub, url, ul);
			sub[ul] = '/';
			sub[ul + 1] = '\0';
			rc = assets_load_dir(as, path, sub, err, errlen);
			if (rc < 0) {
				closedir(d);
				return -1;
			}
			count += rc;
		} else if (S_ISREG(st.st_mode)) {
			if (assets_load_file(as, path, url, err, errlen) < 0) {
				closedir(d);
				return -1;
			}
			count++;
		}
	}
	closedir(d);
	return count;
}

int assets_find(const struct assets *as, const char *url, const void **data,
		size_t *len, const char **type)
{
	if (as == NULL)
		return 0;
	for (size_t i = 0; i < as->n; i++) {
		if (strcmp(as->v[i].url, url) == 0) {
			*data = as->v[i].data;
			*len = as->v[i].len;
			*type = as->v[i].type;
			return 1;
		}
	}
	return 0;
}

void assets_free(struct assets *as)
{
	if (as == NULL)
		return;
	for (size_t i = 0; i < as->n; i++) {
		free(as->v[i].url);
		free(as->v[i].data);
	}
	free(as->v);
	free(as);
}
