/* ident_test.c: NHS number, UPN and postcode validators.  Every number
 * here is synthetic: made up and given a correct (or deliberately wrong)
 * check digit, not taken from any person. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "child/ident.h"

static enum ident_err nhs(const char *s, char out[11])
{
	return ident_nhs_check(s, strlen(s), out);
}

static enum ident_err upn(const char *s, char out[14])
{
	return ident_upn_check(s, strlen(s), out);
}

#define assert_contains(hay, needle) do { \
	if (strstr((hay), (needle)) == NULL) \
		fail_msg("'%s' lacks '%s'", (hay), (needle)); \
} while (0)

/* Independent reference for the NHS check digit, written from the NHS
 * Data Dictionary description: weights 10..2, 11 - (sum mod 11). */
static int ref_nhs_check(const char *nine)
{
	int sum = 0;
	for (int w = 10, i = 0; w >= 2; w--, i++)
		sum += w * (nine[i] - '0');
	int r = sum % 11;
	return r == 0 ? 0 : 11 - r;	/* 10 means invalid */
}

static void nhs_valid(void **state)
{
	(void)state;
	char out[11];
	/* 943 476 5919: weights 10..2 over 943476591 give 299; 299 mod 11
	 * = 2; 11 - 2 = 9, the last digit. */
	assert_int_equal(nhs("9434765919", out), IDENT_OK);
	assert_string_equal(out, "9434765919");
	memset(out, 0, sizeof(out));
	assert_int_equal(nhs("943 476 5919", out), IDENT_OK);
	assert_string_equal(out, "9434765919");
	assert_int_equal(nhs("943-476-5919", out), IDENT_OK);
	assert_int_equal(nhs("  943 476 5919\t", out), IDENT_OK);
	assert_int_equal(nhs("943 4765919", out), IDENT_OK);
	/* more, computed with the same rule by hand */
	assert_int_equal(nhs("4010232137", out), IDENT_OK);
	assert_int_equal(nhs("4857773457", out), IDENT_OK);
	assert_int_equal(nhs("640 123 4563", out), IDENT_OK);
	assert_int_equal(nhs("1000000001", out), IDENT_OK);
	assert_int_equal(ident_nhs_check_digit("943476591"), 9);
	assert_int_equal(ident_nhs_check_digit("123456789"), 10);
	assert_int_equal(ident_nhs_check_digit("12345678x"), -1);

	/* agree with the reference over many made-up bodies */
	uint32_t x = 12345;
	for (int i = 0; i < 20000; i++) {
		char s[11];
		x = x * 1103515245u + 12345u;
		snprintf(s, sizeof(s), "%09u", (unsigned)(x % 1000000000u));
		int want = ref_nhs_check(s);
		assert_int_equal(ident_nhs_check_digit(s), want);
		for (int d = 0; d < 10; d++) {
			s[9] = (char)('0' + d);
			s[10] = '\0';
			bool same = strspn(s, (char[]){s[0], 0}) == 10;
			enum ident_err e = ident_nhs_check(s, 10, out);
			if (same)
				assert_int_equal(e, IDENT_RESERVED);
			else if (want == d)
				assert_int_equal(e, IDENT_OK);
			else
				assert_int_equal(e, IDENT_CHECK);
		}
	}
}

static void nhs_invalid(void **state)
{
	(void)state;
	char out[11] = "untouched!";
	char msg[256];

	assert_int_equal(nhs("9434765918", out), IDENT_CHECK);
	assert_string_equal(out, "untouched!");
	assert_int_equal(ident_nhs_explain("943 476 5918", 12, msg,
	    sizeof(msg)), IDENT_CHECK);
	assert_contains(msg, "the last digit should be 9, not 8");
	/* two digits swapped */
	assert_int_equal(nhs("9434765991", out), IDENT_CHECK);

	/* remainder 10: no check digit can complete these nine digits */
	assert_int_equal(nhs("1234567890", out), IDENT_CHECK);
	assert_int_equal(nhs("4000000080", out), IDENT_CHECK);
	assert_int_equal(ident_nhs_explain("4000000080", 10, msg, sizeof(msg)),
	    IDENT_CHECK);
	assert_contains(msg, "no valid NHS number starts with these 9 digits");

	assert_int_equal(nhs("943476591", out), IDENT_LENGTH);
	assert_int_equal(nhs("94347659190", out), IDENT_LENGTH);
	assert_int_equal(ident_nhs_explain("943 476 591", 11, msg,
	    sizeof(msg)), IDENT_LENGTH);
	assert_contains(msg, "must be 10 digits long; this one has 9");

	assert_int_equal(nhs("943476591A", out), IDENT_CHARS);
	assert_int_equal(nhs("943.476.5919", out), IDENT_CHARS);
	assert_int_equal(nhs("943 476 591O", out), IDENT_CHARS);
	assert_int_equal(ident_nhs_explain("943476591A", 10, msg, sizeof(msg)),
	    IDENT_CHARS);
	assert_contains(msg, "can only contain digits");
	/* separators only between the 3-3-4 groups, one at a time */
	assert_int_equal(nhs("94 3476 5919", out), IDENT_CHARS);
	assert_int_equal(nhs("943  476 5919", out), IDENT_CHARS);
	assert_int_equal(nhs("943 476 5919-", out), IDENT_CHARS);
	assert_int_equal(nhs("-9434765919", out), IDENT_CHARS);
	assert_int_equal(nhs("9434 765 919", out), IDENT_CHARS);
	assert_int_equal(ident_nhs_explain("94 3476 5919", 12, msg,
	    sizeof(msg)), IDENT_CHARS);
	assert_contains(msg, "in the wrong place");
	assert_int_equal(ident_nhs_check("943\0" "4765919", 10, out),
	    IDENT_CHARS);

	assert_int_equal(nhs("0000000000", out), IDENT_RESERVED);
	assert_int_equal(nhs("111 111 1111", out), IDENT_RESERVED);
	assert_int_equal(nhs("9999999999", out), IDENT_RESERVED);
	assert_int_equal(ident_nhs_explain("0000000000", 10, msg, sizeof(msg)),
	    IDENT_RESERVED);
	assert_contains(msg, "never issued");

	assert_int_equal(nhs("", out), IDENT_EMPTY);
	assert_int_equal(nhs("   ", out), IDENT_EMPTY);
	assert_int_equal(ident_nhs_check(NULL, 0, out), IDENT_EMPTY);
	assert_string_equal(out, "untouched!");

	assert_int_equal(ident_nhs_explain("9434765919", 10, msg, sizeof(msg)),
	    IDENT_OK);
	assert_contains(msg, "valid");
	/* explain never overflows a small buffer, and accepts none */
	char tiny[6];
	ident_nhs_explain("9434765918", 10, tiny, sizeof(tiny));
	assert_int_equal(strlen(tiny), 5);
	assert_int_equal(ident_nhs_explain("9434765918", 10, NULL, 0),
	    IDENT_CHECK);
}

static void messages(void **state)
{
	(void)state;
	char msg[128];
	assert_string_equal(ident_err_name(IDENT_OK), "ok");
	assert_string_equal(ident_err_name(IDENT_RESERVED), "reserved");
	assert_null(ident_err_name(IDENT__MAX));
	for (int e = 0; e < IDENT__MAX; e++) {
		assert_non_null(ident_err_name((enum ident_err)e));
		assert_true(ident_message((enum ident_err)e, "NHS number", msg,
		    sizeof(msg)) > 0);
		assert_contains(msg, "NHS number");
	}
	ident_message(IDENT_CHECK, NULL, msg, sizeof(msg));
	assert_contains(msg, "identifier fails its check");
	assert_int_equal(ident_message(IDENT__MAX, "x", msg, sizeof(msg)), -1);
	assert_string_equal(msg, "");
}

/* Independent reference for the UPN check letter (GovTalk UPN v2.0):
 * weights 2..13 on characters 2..13, letters valued by their place in
 * the 23-letter alphabet, remainder mod 23 indexes the same alphabet. */
static char ref_upn_letter(const char *body12)
{
	static const char a[] = "ABCDEFGHJKLMNPQRTUVWXYZ";
	int sum = 0;
	for (int pos = 2; pos <= 13; pos++) {
		char c = body12[pos - 2];
		int v = (c >= '0' && c <= '9') ? c - '0' :
		    (int)(strchr(a, c) - a);
		sum += pos * v;
	}
	return a[sum % 23];
}

static void upn_valid(void **state)
{
	(void)state;
	char out[14];
	/* python-stdnum's documented example: 8*2 + 1*4 + 2*5 + 5*10 + 1*13
	 * = 93; 93 mod 23 = 1 -> B. */
	assert_int_equal(upn("B801200005001", out), IDENT_OK);
	assert_string_equal(out, "B801200005001");
	assert_int_equal(upn("b801200005001", out), IDENT_OK);
	assert_string_equal(out, "B801200005001");
	assert_int_equal(ident_upn_check_letter("801200005001"), 'B');

	/* Temporary UPNs.  Q is a valid 13th character with value 14:
	 * 14 * 13 = 182; 182 mod 23 = 21 -> Y.  R has value 15: 195 mod 23
	 * = 11 -> M.  (A table leaving Q out would give R = 14 -> Y.) */
	assert_int_equal(upn("Y00000000000Q", out), IDENT_OK);
	assert_int_equal(upn("M00000000000R", out), IDENT_OK);
	assert_int_equal(upn("Y00000000000R", out), IDENT_CHECK);
	/* A = 0 at position 13 is the same as a 0 */
	assert_int_equal(upn("A00000000000A", out), IDENT_OK);
	assert_int_equal(upn("A000000000000", out), IDENT_OK);

	/* agree with the reference over made-up bodies, permanent and
	 * temporary */
	static const char letters[] = "ABCDEFGHJKLMNPQRTUVWXYZ";
	uint32_t x = 777;
	for (int i = 0; i < 5000; i++) {
		char s[14];
		x = x * 1103515245u + 12345u;
		snprintf(s + 1, 13, "%03u%04u%02u%03u", (unsigned)(x % 1000),
		    (unsigned)(x / 1000 % 10000), (unsigned)(i % 100),
		    (unsigned)(x / 7 % 1000));
		if (i % 2)
			s[12] = letters[x % 23];
		s[0] = ref_upn_letter(s + 1);
		assert_int_equal(ident_upn_check(s, 13, out), IDENT_OK);
		assert_int_equal(ident_upn_check_letter(s + 1), s[0]);
		/* any other first letter fails the check */
		s[0] = s[0] == 'A' ? 'B' : 'A';
		assert_int_equal(ident_upn_check(s, 13, out), IDENT_CHECK);
	}
}

static void upn_invalid(void **state)
{
	(void)state;
	char out[14] = "untouched!!!!";
	char msg[256];

	assert_int_equal(upn("A801200005001", out), IDENT_CHECK);
	assert_int_equal(ident_upn_explain("A801200005001", 13, msg,
	    sizeof(msg)), IDENT_CHECK);
	assert_contains(msg, "the first letter should be B, not A");
	/* two digits swapped */
	assert_int_equal(upn("B801200005010", out), IDENT_CHECK);

	assert_int_equal(upn("", out), IDENT_EMPTY);
	assert_int_equal(upn("B80120000500", out), IDENT_LENGTH);
	assert_int_equal(upn("B8012000050011", out), IDENT_LENGTH);
	assert_int_equal(ident_upn_explain("B80120000500", 12, msg,
	    sizeof(msg)), IDENT_LENGTH);
	assert_contains(msg, "13 characters long; this one has 12");

	assert_int_equal(upn("B801 200005001", out), IDENT_CHARS);
	assert_int_equal(upn(" B801200005001", out), IDENT_CHARS);
	assert_int_equal(upn("B80120000500-", out), IDENT_CHARS);
	assert_int_equal(ident_upn_explain("B801 20005001", 13, msg,
	    sizeof(msg)), IDENT_CHARS);
	assert_contains(msg, "character 5 is neither");
	/* first character: a letter, not I, O or S */
	assert_int_equal(upn("1801200005001", out), IDENT_CHARS);
	assert_int_equal(upn("I801200005001", out), IDENT_CHARS);
	assert_int_equal(upn("S801200005001", out), IDENT_CHARS);
	assert_int_equal(ident_upn_explain("O801200005001", 13, msg,
	    sizeof(msg)), IDENT_CHARS);
	assert_contains(msg, "start with a letter other than I, O or S");
	/* characters 2 to 12 digits */
	assert_int_equal(upn("B80X200005001", out), IDENT_CHARS);
	assert_int_equal(ident_upn_explain("B8012000A5001", 13, msg,
	    sizeof(msg)), IDENT_CHARS);
	assert_contains(msg, "character 9 is not");
	/* character 13: digit or letter other than I, O, S */
	assert_int_equal(upn("B80120000500I", out), IDENT_CHARS);
	assert_int_equal(upn("B80120000500o", out), IDENT_CHARS);
	assert_int_equal(ident_upn_explain("B80120000500S", 13, msg,
	    sizeof(msg)), IDENT_CHARS);
	assert_contains(msg, "last character of a UPN");
	assert_int_equal(ident_upn_check("B801200\0" "05001", 13, out),
	    IDENT_CHARS);
	assert_string_equal(out, "untouched!!!!");
	assert_int_equal(ident_upn_check_letter("80120000500I"), '\0');
	assert_int_equal(ident_upn_check_letter("8012000A5001"), '\0');

	assert_int_equal(ident_upn_explain("B801200005001", 13, msg,
	    sizeof(msg)), IDENT_OK);
	assert_contains(msg, "valid");
}

static void postcodes(void **state)
{
	(void)state;
	char out[9];
	struct {
		const char *in, *want;
	} ok[] = {
		{"sw1a1aa", "SW1A 1AA"},	/* AA9A */
		{"SW1A 1AA", "SW1A 1AA"},
		{" m1 1ae ", "M1 1AE"},		/* A9 */
		{"B33 8TH", "B33 8TH"},		/* A99 */
		{"CR2 6XH", "CR2 6XH"},		/* AA9 */
		{"DN55 1PT", "DN55 1PT"},	/* AA99 */
		{"W1A 0AX", "W1A 0AX"},		/* A9A */
		{"ec1a  1bb", "EC1A 1BB"},
		{"gir0aa", "GIR 0AA"},
		{"L S 1 1 B A", "LS1 1BA"},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memset(out, 0, sizeof(out));
		if (!ident_postcode_check(ok[i].in, strlen(ok[i].in), out))
			fail_msg("rejected '%s'", ok[i].in);
		assert_string_equal(out, ok[i].want);
	}
	const char *bad[] = {
		"", "   ", "SW1A", "SW1A 1AAA", "SW1A1", "12345", "SW1A-1AA",
		"SW1A 1AA\n", "Q1 1AA", "V1 1AA", "X1 1AA",	/* first */
		"AI1 1AA", "AJ1 1AA", "AZ1 1AA",		/* second */
		"W1I 1AA", "W1L 1AA",				/* third */
		"AB1C 1AA", "AB1D 1AA",				/* fourth */
		"SW1A 1CA", "SW1A 1AK", "SW1A 1MO", "SW1A 1AV",	/* inward */
		"SW1A AAA", "SW1A 11A", "1W1A 1AA", "SWWA 1AA", "SW1AA 1AA",
		"S\xc3\x9c\x31 1AA", "GIR 0AB",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(out, "unset!!!", 9);
		if (ident_postcode_check(bad[i], strlen(bad[i]), out))
			fail_msg("accepted '%s' as '%s'", bad[i], out);
		assert_string_equal(out, "unset!!!");
	}
	assert_false(ident_postcode_check("M1\0" "1AE", 6, out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nhs_valid),
		cmocka_unit_test(nhs_invalid),
		cmocka_unit_test(messages),
		cmocka_unit_test(upn_valid),
		cmocka_unit_test(upn_invalid),
		cmocka_unit_test(postcodes),
	};
	return cmocka_run_group_tests_name("ident", tests, NULL, NULL);
}
