/* paths_test.c: the program's own files are found from the binary's
 * place (a build directory's marker, then the installed data folder),
 * never from the current directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/paths.h"

#ifndef CAIRN_SOURCE_ROOT
#error "CAIRN_SOURCE_ROOT must name the source tree"
#endif

struct tree {
	char dir[64];
};

static void sh(const char *fmt, const char *a, const char *b)
{
	char cmd[PATH_MAX * 4];
	snprintf(cmd, sizeof(cmd), fmt, a, b);
	assert_int_equal(system(cmd), 0);
}

static int tree_setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/cairn-paths-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	*state = t;
	return 0;
}

static int tree_teardown(void **state)
{
	struct tree *t = *state;
	sh("rm -rf '%s'%s", t->dir, "");
	free(t);
	return 0;
}

static void write_marker(const char *bindir, const char *text)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", bindir, PATHS_MARKER);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A build directory: the marker names the source tree, whose files are
 * found whatever the current directory is. */
static void build_tree_marker(void **state)
{
	struct tree *t = *state;
	char bin[256], exe[300], out[PATH_MAX], err[PATH_MAX];
	snprintf(bin, sizeof(bin), "%s/build", t->dir);
	sh("mkdir -p '%s'%s", bin, "");
	write_marker(bin, CAIRN_SOURCE_ROOT "\n");
	snprintf(exe, sizeof(exe), "%s/cairn", bin);
	assert_int_equal(chdir("/"), 0);
	assert_int_equal(paths_find_for(exe, PATHS_CODES, out, sizeof(out),
					err, sizeof(err)), 0);
	assert_string_equal(out, CAIRN_SOURCE_ROOT "/data/codes");
	assert_int_equal(paths_find_for(exe, PATHS_STATIC, out, sizeof(out),
					err, sizeof(err)), 0);
	assert_string_equal(out, CAIRN_SOURCE_ROOT "/src/web/static");
	assert_int_equal(chdir(CAIRN_SOURCE_ROOT), 0);
}

/* A marker naming a tree without the files: an error naming where it
 * looked, not a guess elsewhere. */
static void marker_without_files(void **state)
{
	struct tree *t = *state;
	char bin[256], exe[300], out[PATH_MAX] = "", err[PATH_MAX];
	snprintf(bin, sizeof(bin), "%s/build", t->dir);
	sh("mkdir -p '%s'%s", bin, "");
	write_marker(bin, "/nonexistent-cairn-src\n");
	snprintf(exe, sizeof(exe), "%s/cairn", bin);
	assert_int_equal(paths_find_for(exe, PATHS_CODES, out, sizeof(out),
					err, sizeof(err)), -1);
	assert_string_equal(out, "");
	assert_non_null(strstr(err, "code lists"));
	assert_string_equal(err, "cannot find the code lists: looked in "
			    "/nonexistent-cairn-src/data/codes");
	assert_int_equal(paths_find_for(exe, PATHS_GOVUK, out, sizeof(out),
					err, sizeof(err)), -1);
	assert_string_equal(err, "cannot find the GOV.UK Frontend assets: "
			    "looked in /nonexistent-cairn-src/node_modules/"
			    "govuk-frontend/dist/govuk (run "
			    "scripts/install-deps)");
}

/* Installed (or staged with DESTDIR): the data folder relative to the
 * binary; a marker that is not an absolute path is not a marker. */
static void installed_relative(void **state)
{
	struct tree *t = *state;
	const char *rel = paths_bin_to_data();
	if (rel[0] == '\0')
		skip();
	char bin[256], exe[300], out[PATH_MAX], err[PATH_MAX];
	char data[600];
	snprintf(bin, sizeof(bin), "%s/usr/bin", t->dir);
	snprintf(data, sizeof(data), "%s/%s", bin, rel);
	sh("mkdir -p '%s' '%s/govuk'", bin, data);
	snprintf(exe, sizeof(exe), "%s/cairn", bin);
	assert_int_equal(paths_find_for(exe, PATHS_GOVUK, out, sizeof(out),
					err, sizeof(err)), 0);
	char want[700];
	snprintf(want, sizeof(want), "%s/govuk", data);
	assert_string_equal(out, want);
	write_marker(bin, "relative/path\n");
	assert_int_equal(paths_find_for(exe, PATHS_GOVUK, out, sizeof(out),
					err, sizeof(err)), 0);
	assert_string_equal(out, want);
	/* the stylesheet is not there: not found beside this binary */
	out[0] = '\0';
	int rc = paths_find_for(exe, PATHS_STATIC, out, sizeof(out), err,
				sizeof(err));
	if (rc == 0)
		assert_null(strstr(out, t->dir));
	else
		assert_non_null(strstr(err, "stylesheet"));
}

/* The current directory plays no part: a source-tree layout there is
 * not used by a binary elsewhere. */
static void not_the_current_directory(void **state)
{
	struct tree *t = *state;
	char bin[256], exe[300], out[PATH_MAX], err[PATH_MAX];
	snprintf(bin, sizeof(bin), "%s/elsewhere/bin", t->dir);
	sh("mkdir -p '%s' '%s/data/codes'", bin, t->dir);
	assert_int_equal(chdir(t->dir), 0);
	snprintf(exe, sizeof(exe), "%s/cairn", bin);
	int rc = paths_find_for(exe, PATHS_CODES, out, sizeof(out), err,
				sizeof(err));
	if (rc == 0)
		assert_null(strstr(out, t->dir));
	assert_int_equal(chdir(CAIRN_SOURCE_ROOT), 0);
}

/* This test binary runs from the build directory: paths_find reads
 * /proc/self/exe and the marker meson wrote beside it. */
static void this_binary(void **state)
{
	(void)state;
	char out[PATH_MAX], err[PATH_MAX];
	assert_int_equal(chdir("/"), 0);
	assert_int_equal(paths_find(PATHS_CODES, out, sizeof(out), err,
				    sizeof(err)), 0);
	assert_string_equal(out, CAIRN_SOURCE_ROOT "/data/codes");
	assert_int_equal(chdir(CAIRN_SOURCE_ROOT), 0);
	assert_string_equal(paths_kind_name(PATHS_GOVUK),
			    "GOV.UK Frontend assets");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(build_tree_marker, tree_setup,
						tree_teardown),
		cmocka_unit_test_setup_teardown(marker_without_files,
						tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(installed_relative, tree_setup,
						tree_teardown),
		cmocka_unit_test_setup_teardown(not_the_current_directory,
						tree_setup, tree_teardown),
		cmocka_unit_test(this_binary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
