/* html_test.c: the escaping HTML writer against hostile strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "http/html.h"

static int sb_setup(void **state)
{
	struct sbuf *sb = xmalloc(sizeof(*sb));
	sbuf_init(sb, 1 << 16);
	*state = sb;
	return 0;
}

static int sb_teardown(void **state)
{
	struct sbuf *sb = *state;
	sbuf_release(sb);
	free(sb);
	return 0;
}

/* The buffer's content, "" when nothing was ever written. */
static const char *out(const struct sbuf *sb)
{
	return sb->buf != NULL ? sb->buf : "";
}

static void text_escapes(void **state)
{
	struct sbuf *sb = *state;
	html_text(sb, "<script>alert('x&y')</script>\"");
	assert_string_equal(out(sb),
		"&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;&quot;");
	sbuf_reset(sb);
	/* already-escaped text is escaped again, never trusted */
	html_text(sb, "&amp;&#60;");
	assert_string_equal(out(sb), "&amp;amp;&amp;#60;");
	sbuf_reset(sb);
	html_text(sb, "plain text, no change");
	assert_string_equal(out(sb), "plain text, no change");
	sbuf_reset(sb);
	html_text(sb, NULL);
	html_text(sb, "");
	assert_int_equal(sb->len, 0);
}

static void text_utf8(void **state)
{
	struct sbuf *sb = *state;
	/* multibyte characters untouched: e-acute, euro, CJK, emoji */
	const char *u = "Zo\xc3\xab \xe2\x82\xac \xe6\x97\xa5 \xf0\x9f\x98\x80";
	html_text(sb, u);
	assert_string_equal(out(sb), u);
	sbuf_reset(sb);
	html_text(sb, "\xc3\xa9<\xc3\xa9");
	assert_string_equal(out(sb), "\xc3\xa9&lt;\xc3\xa9");
	sbuf_reset(sb);
	/* tab, LF and CR are kept */
	html_text(sb, "a\tb\r\nc");
	assert_string_equal(out(sb), "a\tb\r\nc");
}

static void text_invalid_bytes(void **state)
{
	struct sbuf *sb = *state;
	/* a stray lead byte must not swallow the quote after it */
	html_text(sb, "\xc3\"");
	assert_string_equal(out(sb), "\xef\xbf\xbd&quot;");
	sbuf_reset(sb);
	html_text(sb, "\xff\xfe\x1b[0m\x7f");
	assert_string_equal(out(sb),
		"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd[0m\xef\xbf\xbd");
	sbuf_reset(sb);
	/* overlong '<' and a surrogate */
	html_text(sb, "\xc0\xbc\xed\xa0\x80");
	assert_null(strchr(out(sb), '<'));
	assert_true(str_is_text(sb->buf, sb->len));
	sbuf_reset(sb);
	/* counted: NUL replaced, bytes past n not read */
	html_textn(sb, "a\0<b>", 3);
	assert_string_equal(out(sb), "a\xef\xbf\xbd&lt;");
	sbuf_reset(sb);
	/* truncated multibyte at the end of the counted string */
	html_textn(sb, "x\xe2\x82\xac", 3);
	assert_string_equal(out(sb), "x\xef\xbf\xbd\xef\xbf\xbd");
}

static void attr_and_raw(void **state)
{
	struct sbuf *sb = *state;
	html_raw(sb, "<a");
	html_attr(sb, "title", "\" onmouseover=\"alert(1)");
	html_attr(sb, "data-x", NULL);
	html_raw(sb, ">");
	html_text(sb, "Smith & Sons");
	html_raw(sb, "</a>");
	html_raw(sb, NULL);
	assert_string_equal(out(sb),
		"<a title=\"&quot; onmouseover=&quot;alert(1)\" data-x=\"\">"
		"Smith &amp; Sons</a>");
	sbuf_reset(sb);
	html_attr(sb, "value", "it's");
	assert_string_equal(out(sb), " value=\"it&#39;s\"");
}

static void ints(void **state)
{
	struct sbuf *sb = *state;
	html_int(sb, 0);
	html_raw(sb, ",");
	html_int(sb, -42);
	html_raw(sb, ",");
	html_int(sb, INT64_MAX);
	html_raw(sb, ",");
	html_int(sb, INT64_MIN);
	assert_string_equal(out(sb),
		"0,-42,9223372036854775807,-9223372036854775808");
}

static void url_component(void **state)
{
	struct sbuf *sb = *state;
	html_url_component(sb, "a b&c=d/e?f#g\"'<>%+~._-Zz09");
	assert_string_equal(out(sb),
		"a%20b%26c%3Dd%2Fe%3Ff%23g%22%27%3C%3E%25%2B~._-Zz09");
	sbuf_reset(sb);
	html_url_component(sb, "caf\xc3\xa9");
	assert_string_equal(out(sb), "caf%C3%A9");
	sbuf_reset(sb);
	html_url_component(sb, NULL);
	html_url_component(sb, "");
	assert_int_equal(sb->len, 0);
	/* inside an attribute the whole href stays one attribute */
	html_raw(sb, "<a href=\"/search?q=");
	html_url_component(sb, "\"><script>");
	html_raw(sb, "\">");
	assert_string_equal(out(sb),
		"<a href=\"/search?q=%22%3E%3Cscript%3E\">");
}

static void limit_is_sticky(void **state)
{
	(void)state;
	struct sbuf sb;
	sbuf_init(&sb, 8);
	html_text(&sb, "abc");
	assert_false(sb.toobig);
	html_text(&sb, "<<");   /* needs 8 more bytes: the second is refused */
	assert_true(sb.toobig);
	html_text(&sb, "d");    /* and everything after is refused too */
	assert_true(sb.toobig);
	assert_string_equal(sb.buf, "abc&lt;");
	assert_true(sb.len <= 8);
	sbuf_release(&sb);
}

#define FSI "\xe2\x81\xa8"
#define PDI "\xe2\x81\xa9"
#define PDF "\xe2\x80\xac"
#define RLO "\xe2\x80\xae"
#define RLI "\xe2\x81\xa7"
#define ALM "\xd8\x9c"

/* Finding 10: a right-to-left override in a value turned the text after
 * it round on screen.  Values with bidirectional controls are isolated,
 * and what they leave open is closed first. */
static void bidi_isolated(void **state)
{
	struct sbuf *sb = *state;
	html_text(sb, "Smith" RLO "eil");
	assert_string_equal(out(sb), FSI "Smith" RLO "eil" PDF PDI);
	sbuf_reset(sb);
	/* balanced: nothing to close, still isolated */
	html_text(sb, "a" RLO "b" PDF "c");
	assert_string_equal(out(sb), FSI "a" RLO "b" PDF "c" PDI);
	sbuf_reset(sb);
	/* an isolate and an override left open; stray closers ignored */
	html_text(sb, PDF PDI "x" RLI "y" RLO "z<");
	assert_string_equal(out(sb), FSI PDF PDI "x" RLI "y" RLO "z&lt;" PDF
				     PDI PDI);
	sbuf_reset(sb);
	/* a mark opens nothing but still marks the value */
	html_text(sb, "a" ALM "b");
	assert_string_equal(out(sb), FSI "a" ALM "b" PDI);
	sbuf_reset(sb);
	/* in an attribute too */
	html_attr(sb, "value", "x" RLO);
	assert_string_equal(out(sb), " value=\"" FSI "x" RLO PDF PDI "\"");
	sbuf_reset(sb);
	/* other E2 characters (euro, dashes) and truncated bytes untouched */
	html_text(sb, "\xe2\x82\xac 5 \xe2\x80\x94 \xe2\x80");
	assert_string_equal(out(sb), "\xe2\x82\xac 5 \xe2\x80\x94 \xef\xbf\xbd\xef\xbf\xbd");
	/* one-line values refuse them */
	assert_false(str_is_line("Smith" RLO "eil", 11));
	assert_false(str_is_line("a" ALM "b", 4));
	assert_false(str_is_line("a\tb", 3));
	assert_true(str_is_line("Zo\xc3\xab \xe2\x82\xac", 8));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(text_escapes, sb_setup,
						sb_teardown),
		cmocka_unit_test_setup_teardown(text_utf8, sb_setup,
						sb_teardown),
		cmocka_unit_test_setup_teardown(text_invalid_bytes, sb_setup,
						sb_teardown),
		cmocka_unit_test_setup_teardown(attr_and_raw, sb_setup,
						sb_teardown),
		cmocka_unit_test_setup_teardown(ints, sb_setup, sb_teardown),
		cmocka_unit_test_setup_teardown(url_component, sb_setup,
						sb_teardown),
		cmocka_unit_test(limit_is_sticky),
		cmocka_unit_test_setup_teardown(bidi_isolated, sb_setup,
						sb_teardown),
	};
	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
