/* paths.c: see paths.h. */
#include "core/paths.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Set by meson (meson.build): the configured data folder, absolute, and
 * the way from the binaries' folder to it ("../share/cairn"), empty
 * when bindir or datadir lies outside the prefix. */
#ifndef CAIRN_DATADIR
#define CAIRN_DATADIR "/usr/local/share/cairn"
#endif
#ifndef CAIRN_BIN_TO_DATA
#define CAIRN_BIN_TO_DATA "../share/cairn"
#endif

static const struct {
	const char *name;
	const char *in_source; /* below the source tree */
	const char *installed; /* below the data folder */
} kinds[PATHS__MAX] = {
	{"GOV.UK Frontend assets", "node_modules/govuk-frontend/dist/govuk",
	 "govuk"},                                /* PATHS_GOVUK */
	{"stylesheet", "src/web/static", "static"}, /* PATHS_STATIC */
	{"code lists", "data/codes", "codes"},      /* PATHS_CODES */
};

const char *paths_kind_name(enum paths_kind k)
{
	return (unsigned)k < PATHS__MAX ? kinds[k].name : "?";
}

const char *paths_bin_to_data(void)
{
	return CAIRN_BIN_TO_DATA;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Appends "; p" (or "p") to the list of places looked at. */
static void looked(char *err, size_t errlen, size_t *used, const char *p)
{
	if (*used >= errlen)
		return;
	/* the head ends "looked in ", each place does not */
	const char *sep = *used > 0 && err[*used - 1] != ' ' ? ", " : "";
	if (p[0] == '(')
		sep = " ";
	int w = snprintf(err + *used, errlen - *used, "%s%s", sep, p);
	if (w > 0)
		*used += (size_t)w;
}

/* Tries a/b/c (b, c may be empty): 1 found (in out), 0 not a folder. */
static int try_dir(const char *a, const char *b, const char *c, char *out,
		   size_t cap, char *err, size_t errlen, size_t *used)
{
	char p[PATH_MAX];
	int w = snprintf(p, sizeof(p), "%s%s%s%s%s", a, *b ? "/" : "", b,
			 *c ? "/" : "", c);
	if (w < 0 || (size_t)w >= sizeof(p) || (size_t)w >= cap)
		return 0;
	if (!is_dir(p)) {
		looked(err, errlen, used, p);
		return 0;
	}
	memcpy(out, p, (size_t)w + 1);
	return 1;
}

/* The source tree's path from the marker in dir, in root: true when
 * there is a marker holding an absolute path. */
static bool read_marker(const char *dir, char *root, size_t cap)
{
	char p[PATH_MAX];
	int w = snprintf(p, sizeof(p), "%s/%s", dir, PATHS_MARKER);
	if (w < 0 || (size_t)w >= sizeof(p))
		return false;
	FILE *f = fopen(p, "r");
	if (f == NULL)
		return false;
	bool ok = fgets(root, (int)cap, f) != NULL;
	fclose(f);
	if (!ok)
		return false;
	root[strcspn(root, "\r\n")] = '\0';
	return root[0] == '/';
}

int paths_find_for(const char *exe, enum paths_kind k, char *out,
		   size_t cap, char *err, size_t errlen)
{
	size_t used = 0;
	if ((unsigned)k >= PATHS__MAX) {
		snprintf(err, errlen, "unknown kind of file");
		return -1;
	}
	if (errlen)
		err[0] = '\0';
	char tmp[PATH_MAX];
	int n = snprintf(tmp, sizeof(tmp), "cannot find the %s: looked in ",
			 kinds[k].name);
	if (n > 0 && (size_t)n < errlen) {
		memcpy(err, tmp, (size_t)n + 1);
		used = (size_t)n;
	}
	if (exe && exe[0] == '/') {
		char dir[PATH_MAX];
		if (strlen(exe) < sizeof(dir)) {
			memcpy(dir, exe, strlen(exe) + 1);
			char *slash = strrchr(dir, '/');
			if (slash == dir)
				slash[1] = '\0';
			else
				*slash = '\0';
			char root[PATH_MAX];
			if (read_marker(dir, root, sizeof(root))) {
				/* a build directory: the source tree only,
				 * never a stale installed copy */
				if (try_dir(root, kinds[k].in_source, "", out,
					    cap, err, errlen, &used))
					return 0;
				if (k == PATHS_GOVUK)
					looked(err, errlen, &used,
					       "(run scripts/install-deps)");
				return -1;
			}
			if (CAIRN_BIN_TO_DATA[0] &&
			    try_dir(dir, CAIRN_BIN_TO_DATA, kinds[k].installed,
				    out, cap, err, errlen, &used))
				return 0;
		}
	}
	if (try_dir(CAIRN_DATADIR, kinds[k].installed, "", out, cap, err,
		    errlen, &used))
		return 0;
	return -1;
}

int paths_find(enum paths_kind k, char *out, size_t cap, char *err,
	       size_t errlen)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		exe[0] = '\0';
	else
		exe[n] = '\0';
	return paths_find_for(exe, k, out, cap, err, errlen);
}
