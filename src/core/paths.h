/*
 * paths: where the program's own files are (docs/decisions.md D40).
 *
 * Cairn reads three folders of its own at run time: GOV.UK Frontend's
 * built assets, our stylesheet, and the code lists with the bank
 * holidays.  They are found from where the running binary is, never
 * from the current directory, so `cairn serve` and `cairn init` work
 * from `/` (systemd) as well as from a clone:
 *
 *   1. Built, not installed: meson writes the marker file
 *      PATHS_MARKER, holding the source tree's absolute path, next to
 *      the binaries of a build directory.  A binary with the marker
 *      beside it reads the source tree: node_modules/govuk-frontend/
 *      dist/govuk, src/web/static, data/codes.
 *   2. Installed: the data folder (DATADIR/cairn: govuk/, static/,
 *      codes/) found relative to the binary (BINDIR to DATADIR as
 *      configured), so a tree installed with DESTDIR, or moved whole,
 *      still finds its files;
 *   3. then the data folder's absolute path as configured.
 *
 * The first candidate that is a folder wins.  Explicit settings
 * (assets_dir, static_dir in the serve config; --holidays, --codes)
 * are the callers' and bypass this module.
 *
 * Pure lookups: no state, no allocation; safe from any thread.
 */
#ifndef CAIRN_PATHS_H
#define CAIRN_PATHS_H

#include <stddef.h>

#define PATHS_MARKER "cairn-source-root"

enum paths_kind {
	PATHS_GOVUK,  /* GOV.UK Frontend dist/govuk: assets/, the .min.css */
	PATHS_STATIC, /* our own stylesheet (src/web/static) */
	PATHS_CODES,  /* code lists and bank holidays (data/codes) */
	PATHS__MAX
};

/* The folder of kind k for the running program (/proc/self/exe), in
 * out.  Returns 0, or -1 with the places looked at in err (out is then
 * unset). */
int paths_find(enum paths_kind k, char *out, size_t cap, char *err,
	       size_t errlen);

/* The same for a program whose binary is at exe (an absolute path);
 * exe NULL or "" skips the two candidates relative to the binary.  For
 * tests. */
int paths_find_for(const char *exe, enum paths_kind k, char *out,
		   size_t cap, char *err, size_t errlen);

/* The way from the binaries' folder to the data folder as configured
 * ("../share/cairn"), or "" when there is none.  For tests. */
const char *paths_bin_to_data(void);

/* The name of kind k ("GOV.UK Frontend assets", ...) for messages. */
const char *paths_kind_name(enum paths_kind k);

#endif
