/* namematch_test.c: folding, phonetic keys, distance and score.  All names
 * are synthetic or common forenames/surnames, never records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "child/namematch.h"
#include "core/arena.h"
#include "core/str.h"

/* Folds a NUL-terminated string into a static-size buffer. */
static const char *fold(const char *s, char *buf, size_t cap)
{
	namematch_fold(s, strlen(s), buf, cap);
	return buf;
}

static void assert_fold(const char *in, const char *want)
{
	char buf[NAMEMATCH_NAME_MAX];
	char again[NAMEMATCH_NAME_MAX];
	size_t n = namematch_fold(in, strlen(in), buf, sizeof(buf));

	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
	/* idempotent, and always valid UTF-8 */
	assert_string_equal(fold(buf, again, sizeof(again)), buf);
	assert_true(str_is_text(buf, n));
}

static void fold_cases(void **state)
{
	(void)state;
	assert_fold("Johnson", "johnson");
	assert_fold("  O'Brien  ", "obrien");
	assert_fold("O\xe2\x80\x99" "Brien", "obrien");          /* O’Brien */
	assert_fold("D`Arcy", "darcy");
	assert_fold("Smith-Jones", "smith jones");
	assert_fold("Mary  --  Jane", "mary jane");
	assert_fold("J. R.\tR.", "j r r");
	assert_fold("Anne\xe2\x80\x93Marie", "anne marie");     /* en dash */
	assert_fold("Zo\xc3\xab", "zoe");                       /* Zoë */
	assert_fold("ZO\xc3\x8b", "zoe");                       /* ZOË */
	assert_fold("Zoe\xcc\x88", "zoe");                      /* e + U+0308 */
	assert_fold("\xc5\x81ukasz", "lukasz");                 /* Łukasz */
	assert_fold("Stra\xc3\x9f" "e", "strasse");             /* Straße */
	assert_fold("\xc3\x86thelred", "aethelred");            /* Æthelred */
	assert_fold("S\xc3\xb8ren", "soren");                   /* Søren */
	assert_fold("Fran\xc3\xa7ois", "francois");             /* François */
	assert_fold("Bj\xc3\xb6rk", "bjork");
	assert_fold("Dvo\xc5\x99\xc3\xa1k", "dvorak");          /* Dvořák */
	assert_fold("\xc3\x93 Se\xc3\xa1" "f\xc3\xa1in", "o seafain");
	assert_fold("\xc8\x98tefan", "stefan");                 /* Ștefan */
	assert_fold("Nguy\xe1\xbb\x85n", "nguyen");             /* Nguyễn */
	assert_fold("\xe1\xb9\xa2\xc4\x81h", "sah");            /* Ṣāh */
	assert_fold("\xc4\xb0lker", "ilker");                   /* İlker */
	/* other scripts are kept; Cyrillic and Greek capitals lowered */
	assert_fold("\xd9\x85\xd8\xad\xd9\x85\xd8\xaf",
		"\xd9\x85\xd8\xad\xd9\x85\xd8\xaf");            /* محمد */
	assert_fold("\xe6\x9d\x8e \xe5\xb0\x8f\xe9\xbe\x99",
		"\xe6\x9d\x8e \xe5\xb0\x8f\xe9\xbe\x99");       /* 李 小龙 */
	assert_fold("\xd0\x9e\xd0\xbb\xd0\xb5\xd0\xbd\xd0\xb0",
		"\xd0\xbe\xd0\xbb\xd0\xb5\xd0\xbd\xd0\xb0");    /* Олена */
	assert_fold("\xce\xa3\xce\xbf\xcf\x86\xce\xaf\xce\xb1",
		"\xcf\x83\xce\xbf\xcf\x86\xce\xaf\xce\xb1");    /* Σοφία */
	assert_fold("", "");
	assert_fold(" - ' . ", "");

	/* negative: a hyphen separates, it is not dropped; digits stay */
	char buf[NAMEMATCH_NAME_MAX];
	assert_string_not_equal(fold("Anne-Marie", buf, sizeof(buf)),
		"annemarie");
	assert_string_equal(fold("Baby 2", buf, sizeof(buf)), "baby 2");
	assert_int_equal(namematch_fold(NULL, 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

static void fold_truncates(void **state)
{
	(void)state;
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(namematch_fold("Johnson", 7, buf, 4), 3);
	assert_string_equal(buf, "joh");
	assert_int_equal(buf[4], 'x');          /* nothing past outcap */

	/* "ss" for ß is not split: stops before it */
	assert_int_equal(namematch_fold("a\xc3\x9f", 3, buf, 3), 1);
	assert_string_equal(buf, "a");
	/* a multibyte character is never cut */
	assert_int_equal(namematch_fold("\xd9\x85\xd8\xad", 4, buf, 4), 2);
	assert_string_equal(buf, "\xd9\x85");
	/* no trailing space when the word after it does not fit */
	assert_int_equal(namematch_fold("ab cd", 5, buf, 4), 2);
	assert_string_equal(buf, "ab");

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(namematch_fold("abc", 3, buf, 0), 0);
	assert_int_equal(buf[0], 'x');          /* outcap 0: untouched */
	assert_int_equal(namematch_fold("abc", 3, buf, 1), 0);
	assert_string_equal(buf, "");
}

static void fold_invalid_utf8(void **state)
{
	(void)state;
	char buf[NAMEMATCH_NAME_MAX];
	/* A truncated two-byte sequence at the very end of an exact-size
	 * heap buffer: no read past it (ASan/valgrind would see one). */
	char *p = xmalloc(3);

	memcpy(p, "Zo\xc3", 3);
	assert_int_equal(namematch_fold(p, 3, buf, sizeof(buf)), 3);
	assert_string_equal(buf, "zoa");        /* lone 0xC3 read as Ã */
	memcpy(p, "Z\xe2\x80", 3);              /* cut three-byte sequence */
	namematch_fold(p, 3, buf, sizeof(buf));
	assert_string_equal(buf, "za");
	free(p);

	/* Windows-1252 / Latin-1 bytes */
	assert_fold("Zo\xeb", "zoe");
	assert_fold("O\x92" "Brien", "obrien");
	assert_fold("\x8a" "imon", "simon");
	/* stray continuation bytes, overlong form, surrogate, > U+10FFFF */
	assert_fold("\x80\x80" "abc", "abc");
	assert_fold("a\xc0\xaf" "b", "aa b");
	assert_fold("\xed\xa0\x80" "x", "i x");
	assert_fold("\xf4\x90\x80\x80" "y", "o y");
	assert_fold("\xff\xfe", "yth");

	/* random bytes: output always valid UTF-8 and within bounds */
	uint32_t seed = 12345;
	for (int it = 0; it < 3000; it++) {
		size_t n;
		char *in;

		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % 24;
		in = xmalloc(n + 1);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (char)((seed >> 16) & 0xff);
		}
		for (size_t cap = 0; cap < 12; cap += 5) {
			memset(buf, 'x', sizeof(buf));
			size_t len = namematch_fold(in, n, buf, cap);
			if (cap == 0) {
				assert_int_equal(len, 0);
				continue;
			}
			assert_true(len < cap);
			assert_int_equal(strlen(buf), len);
			assert_true(str_is_text(buf, len));
			assert_int_equal(buf[cap], 'x');
		}
		char key[NAMEMATCH_KEY_MAX];
		namematch_key(in, n, key, sizeof(key));
		assert_true(str_is_text(key, strlen(key)));
		namematch_keys_all(in, n, key, sizeof(key));
		in[n] = '\0';
		assert_in_range(namematch_score(in, in, "Zo\xc3", in), 0, 100);
		free(in);
	}
}

/* Key of a NUL-terminated name. */
static const char *key(const char *s, char *buf)
{
	namematch_key(s, strlen(s), buf, NAMEMATCH_KEY_MAX);
	return buf;
}

static void assert_same_key(const char *a, const char *b)
{
	char ka[NAMEMATCH_KEY_MAX], kb[NAMEMATCH_KEY_MAX];

	key(a, ka);
	key(b, kb);
	if (strcmp(ka, kb) != 0 || ka[0] == '\0')
		fail_msg("key(%s)=%s key(%s)=%s: want equal", a, ka, b, kb);
}

static void assert_other_key(const char *a, const char *b)
{
	char ka[NAMEMATCH_KEY_MAX], kb[NAMEMATCH_KEY_MAX];

	if (strcmp(key(a, ka), key(b, kb)) == 0)
		fail_msg("key(%s)=%s key(%s)=%s: want different", a, ka, b,
			kb);
}

static void key_values(void **state)
{
	(void)state;
	char k[NAMEMATCH_KEY_MAX];

	/* published Double Metaphone primary codes, cut to 4 */
	assert_string_equal(key("Smith", k), "SM0");
	assert_string_equal(key("Schmidt", k), "XMT");
	assert_string_equal(key("Johnson", k), "JNSN");
	assert_string_equal(key("Mohammed", k), "MHMT");
	assert_string_equal(key("Alexander", k), "ALKS");
	assert_string_equal(key("Williams", k), "ALMS");
	assert_string_equal(key("Xavier", k), "SF");
	assert_string_equal(key("Knight", k), "NT");
	assert_string_equal(key("Michael", k), "MKL");
	assert_string_equal(key("Christopher", k), "KRST");
	assert_string_equal(key("Charlotte", k), "XRLT");
	assert_string_equal(key("Thomas", k), "TMS");
	assert_string_equal(key("Hughes", k), "HS");
	assert_string_equal(key("McLaughlin", k), "MKLF");
	assert_string_equal(key("Zhao", k), "J");
	assert_string_equal(key("Filipowicz", k), "FLPT");
	assert_string_equal(key("Edgar", k), "ATKR");
	assert_string_equal(key("Jose", k), "HS");
	assert_string_equal(key("Joseph", k), "JSF");
	assert_string_equal(key("Caesar", k), "SSR");
	assert_string_equal(key("Gallagher", k), "KLKR");
	assert_string_equal(key("Czerny", k), "SRN");
	/* McCarthy: the second C of Mcc is skipped (McClellan rule) */
	assert_string_equal(key("McCarthy", k), "MKR0");
	/* raw and folded input give the same key; case does not matter */
	assert_string_equal(key("  SMITH ", k), "SM0");
	assert_string_equal(key("smith", k), "SM0");
	assert_int_equal(namematch_key("Smith", 5, k, sizeof(k)), 3);
}

static void key_equalities(void **state)
{
	(void)state;
	assert_same_key("Jonson", "Johnson");
	assert_same_key("Smyth", "Smith");
	assert_same_key("Mohammed", "Muhammad");
	assert_same_key("Mohamed", "Muhammad");
	assert_same_key("Mohammad", "Mohammed");
	assert_same_key("Katie", "Katy");
	assert_same_key("Aleksander", "Alexander");
	assert_same_key("Wiliams", "Williams");
	assert_same_key("Jhon", "John");
	assert_same_key("Catherine", "Kathryn");
	assert_same_key("Stephen", "Steven");
	assert_same_key("Philip", "Filip");
	assert_same_key("\xc5\x81ukasz", "Lucas");              /* Łukasz */
	assert_same_key("Chaudhry", "Choudhury");
	assert_same_key("Chowdhury", "Choudhury");
	assert_same_key("Mahmood", "Mahmud");
	assert_same_key("O'Brien", "O Brien");
	assert_same_key("Zo\xc3\xab", "Zoe");
	assert_same_key("Smith-Jones", "Smith");
	/* particles are keyed with the next word */
	assert_same_key("De Souza", "DeSouza");
	assert_same_key("Mac Donald", "MacDonald");
	assert_same_key("Van Dijk", "Vandijk");
	assert_same_key("Al-Hassan", "Alhassan");
	/* a non-Latin word keys as itself */
	assert_same_key("\xd9\x85\xd8\xad\xd9\x85\xd8\xaf",
		" \xd9\x85\xd8\xad\xd9\x85\xd8\xaf ");
}

static void key_inequalities(void **state)
{
	(void)state;
	char k[NAMEMATCH_KEY_MAX];

	assert_other_key("Smith", "Jones");
	assert_other_key("Patel", "Khan");
	assert_other_key("Ahmed", "Ali");
	assert_other_key("Al-Hassan", "Al-Amin");       /* not keyed as "al" */
	assert_other_key("Nowak", "Novak");             /* W/V: only alternate */
	/* documented limits: a different first sound */
	assert_other_key("Kelly", "Celly");
	assert_other_key("Sean", "Shaun");
	/* a non-Latin key can never equal a Latin one */
	assert_other_key("\xd9\x85\xd8\xad\xd9\x85\xd8\xaf", "Mohammed");
	assert_string_equal(key("\xd9\x85\xd8\xad\xd9\x85\xd8\xaf", k),
		"\xd9\x85\xd8\xad\xd9\x85\xd8\xaf");
	/* nothing to key */
	assert_int_equal(namematch_key("", 0, k, sizeof(k)), 0);
	assert_string_equal(k, "");
	assert_int_equal(namematch_key("1234", 4, k, sizeof(k)), 0);
	assert_int_equal(namematch_key("'-'", 3, k, sizeof(k)), 0);
	assert_int_equal(namematch_key(NULL, 0, k, sizeof(k)), 0);
}

static void key_truncation_and_all(void **state)
{
	(void)state;
	char k[NAMEMATCH_KEY_MAX];

	memset(k, 'x', sizeof(k));
	assert_int_equal(namematch_key("Johnson", 7, k, 3), 2);
	assert_string_equal(k, "JN");
	assert_int_equal(namematch_key("Johnson", 7, k, 0), 0);
	/* a long non-Latin word is cut at a character boundary */
	char arabic[80];
	for (int i = 0; i < 10; i++)
		memcpy(arabic + 8 * i, "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf", 8);
	size_t n = namematch_key(arabic, sizeof(arabic), k, sizeof(k));
	assert_int_equal(n, 30);
	assert_true(str_is_text(k, n));
	n = namematch_key(arabic, sizeof(arabic), k, 4);
	assert_int_equal(n, 2);

	/* keys_all: one key per word, particles joined */
	assert_int_equal(namematch_keys_all("Smith-Jones", 11, k, sizeof(k)),
		2);
	assert_string_equal(k, "SM0 JNS");
	assert_int_equal(namematch_keys_all("Mary De Souza", 13, k,
		sizeof(k)), 2);
	assert_string_equal(k, "MR TSS");
	assert_int_equal(namematch_keys_all("Anne 2 Lee", 10, k, sizeof(k)),
		2);
	assert_string_equal(k, "AN L");
	/* whole keys only */
	assert_int_equal(namematch_keys_all("Smith-Jones", 11, k, 6), 1);
	assert_string_equal(k, "SM0");
	assert_int_equal(namematch_keys_all("", 0, k, sizeof(k)), 0);
	assert_string_equal(k, "");
}

static int dist(const char *a, const char *b, int max)
{
	return namematch_distance(a, strlen(a), b, strlen(b), max);
}

static void distance_values(void **state)
{
	(void)state;
	assert_int_equal(dist("kitten", "sitting", -1), 3);
	assert_int_equal(dist("sitting", "kitten", -1), 3);
	assert_int_equal(dist("jhon", "john", -1), 1);         /* swap */
	assert_int_equal(dist("wiliams", "williams", -1), 1);
	assert_int_equal(dist("smith", "smith", -1), 0);
	assert_int_equal(dist("", "abc", -1), 3);
	assert_int_equal(dist("abc", "", -1), 3);
	assert_int_equal(dist("", "", 0), 0);
	assert_int_equal(namematch_distance(NULL, 0, "ab", 2, -1), 2);
	/* optimal string alignment, not full Damerau: ca -> abc is 3 */
	assert_int_equal(dist("ca", "abc", -1), 3);
	assert_int_equal(dist("abcdef", "badcfe", -1), 3);
	/* max larger than the distance changes nothing */
	assert_int_equal(dist("kitten", "sitting", 3), 3);
	assert_int_equal(dist("kitten", "sitting", 100), 3);
}

static void distance_early_exit(void **state)
{
	(void)state;
	/* exceeds max: max + 1, whichever bound finds it */
	assert_int_equal(dist("kitten", "sitting", 2), 3);
	assert_int_equal(dist("kitten", "sitting", 0), 1);
	assert_int_equal(dist("a", "abcdefgh", 3), 4);         /* lengths */
	assert_int_equal(dist("abcdefgh", "stuvwxyz", 2), 3);  /* letters */
	assert_int_equal(dist("abcdefgh", "hgfedcba", 2), 3);  /* rows */
	assert_int_equal(dist("abcdefgh", "hgfedcba", -1), 7);
	assert_int_equal(dist("same", "same", 0), 0);

	/* only the first NAMEMATCH_DIST_MAX bytes count */
	char a[100], b[100];
	memset(a, 'a', sizeof(a));
	memcpy(b, a, sizeof(b));
	b[90] = 'z';
	assert_int_equal(namematch_distance(a, 100, b, 100, -1), 0);
	b[10] = 'z';
	assert_int_equal(namematch_distance(a, 100, b, 100, -1), 1);
	assert_int_equal(namematch_distance(a, 100, b, 3, -1),
		NAMEMATCH_DIST_MAX - 3);
}

static int sc(const char *qg, const char *qf, const char *cg, const char *cf)
{
	return namematch_score(qg, qf, cg, cf);
}

static void assert_likely(const char *a, const char *b)
{
	int g = sc(a, "", b, "");
	int f = sc("", a, "", b);
	int both = sc("Sam", a, "Sam", b);

	if (g < NAMEMATCH_LIKELY || f < NAMEMATCH_LIKELY ||
	    both < NAMEMATCH_LIKELY)
		fail_msg("%s/%s: given %d family %d both %d, want >= %d", a,
			b, g, f, both, NAMEMATCH_LIKELY);
}

static void assert_unlikely(const char *qg, const char *qf, const char *cg,
		const char *cf)
{
	int s = sc(qg, qf, cg, cf);

	if (s >= NAMEMATCH_LIKELY)
		fail_msg("%s %s / %s %s: %d, want < %d", qg, qf, cg, cf, s,
			NAMEMATCH_LIKELY);
}

static void score_misspellings(void **state)
{
	(void)state;
	assert_likely("Jonson", "Johnson");
	assert_likely("Mohammed", "Muhammad");
	assert_likely("Mohamed", "Muhammad");
	assert_likely("Katie", "Katy");
	assert_likely("Smyth", "Smith");
	assert_likely("Aleksander", "Alexander");
	assert_likely("Jhon", "John");
	assert_likely("Wiliams", "Williams");
	assert_likely("Kelly", "Celly");        /* caught by distance only */
	assert_likely("Smith", "Smith-Jones");
	assert_likely("Jones", "Smith-Jones");
	assert_likely("Smith Jones", "Smith-Jones");
	assert_likely("OBrien", "O'Brien");
	assert_likely("O Brien", "O'Brien");
	assert_likely("Zoe", "Zo\xc3\xab");
	assert_likely("Lukasz", "\xc5\x81ukasz");
	assert_likely("Catherine", "Kathryn");
	assert_likely("De Souza", "Desouza");
	/* both parts misspelt at once */
	assert_true(sc("Jhon", "Smyth", "John", "Smith") >= NAMEMATCH_LIKELY);
	assert_true(sc("Mohamed", "Ali", "Muhammad", "Aly") >=
		NAMEMATCH_LIKELY);
}

static void score_unrelated(void **state)
{
	(void)state;
	assert_unlikely("", "Smith", "", "Jones");
	assert_unlikely("John", "", "Mary", "");
	assert_unlikely("John", "Smith", "Mary", "Jones");
	/* same family, different child (a sibling) */
	assert_unlikely("John", "Smith", "Mary", "Smith");
	assert_unlikely("Katie", "Smyth", "Kelly", "Smith");
	/* same given name, different family */
	assert_unlikely("Mohammed", "Khan", "Mohammed", "Patel");
	assert_unlikely("Sean", "", "Shaun", "");       /* documented limit */
	assert_int_equal(sc("", "", "John", "Smith"), 0);
	assert_int_equal(sc(NULL, NULL, "John", "Smith"), 0);
	assert_int_equal(sc("", "Smith", "", "Jones"), 0);
}

/* Issue 9: common English diminutives find the full name and each
 * other (Olly, Ollie, Oliver); names outside a group are not helped. */
static void score_diminutives(void **state)
{
	(void)state;
	assert_int_equal(sc("Olly", "", "Oliver", ""), NAMEMATCH_NICK);
	assert_true(sc("Ollie", "", "Olly", "") >= NAMEMATCH_NICK);
	assert_int_equal(sc("Kate", "", "Catherine", ""), NAMEMATCH_NICK);
	assert_int_equal(sc("Bill", "", "William", ""), NAMEMATCH_NICK);
	assert_int_equal(sc("Alfie", "", "Alfred", ""), NAMEMATCH_NICK);
	assert_true(sc("Bill", "Ross", "William", "Ross") >= NAMEMATCH_LIKELY);
	/* not a group: scored as before */
	assert_true(sc("Bill", "", "Oliver", "") < NAMEMATCH_LIKELY);
	assert_true(sc("Olly", "", "Olivia", "") < NAMEMATCH_NICK);
	struct namematch_query q;
	struct namematch_part p;
	namematch_query_init(&q, "Olly", NULL);
	namematch_part_init(&p, "Oliver");
	assert_true(namematch_nickname(&q, &p));
	namematch_part_init(&p, "Olivia");
	assert_false(namematch_nickname(&q, &p));
}

static void score_order(void **state)
{
	(void)state;
	int exact = sc("", "Mohammed", "", "Mohammed");
	int typo = sc("", "Mohamed", "", "Mohammed");
	int phon = sc("", "Muhammad", "", "Mohammed");
	int none = sc("", "Morris", "", "Mohammed");

	assert_int_equal(exact, 100);
	assert_true(exact > typo);
	assert_true(typo > phon);
	assert_true(phon > none);
	assert_true(phon >= NAMEMATCH_LIKELY);
	assert_true(none < NAMEMATCH_LIKELY);

	/* the same with full names */
	exact = sc("John", "Johnson", "John", "Johnson");
	typo = sc("John", "Jonson", "John", "Johnson");
	phon = sc("Jon", "Jonsen", "John", "Johnson");
	none = sc("Paul", "Peters", "John", "Johnson");
	assert_int_equal(exact, 100);
	assert_true(exact > typo && typo > phon && phon > none);
	assert_true(phon >= NAMEMATCH_LIKELY);
	assert_true(none < NAMEMATCH_LIKELY);

	/* folding makes accents and apostrophes exact */
	assert_int_equal(sc("ZO\xc3\x8b", "O'BRIEN", "Zoe", "OBrien"), 100);
	/* symmetric for equal-length typos */
	assert_int_equal(sc("", "Smyth", "", "Smith"),
		sc("", "Smith", "", "Smyth"));
}

static void score_prefix_swap_empty(void **state)
{
	(void)state;
	/* "Jo" matches "Joanne" moderately: likely, but below a typo */
	int pre = sc("Jo", "", "Joanne", "");
	assert_true(pre >= NAMEMATCH_LIKELY);
	assert_true(pre < sc("Joane", "", "Joanne", ""));
	assert_true(sc("Jo", "Smith", "Joanne", "Smith") >= NAMEMATCH_LIKELY);
	/* prefix only in one direction, and not of another name */
	assert_true(sc("Joanne", "", "Jo", "") < pre);
	assert_unlikely("Jo", "", "Mary", "");
	/* a lone initial with the exact family name */
	assert_true(sc("J", "Smith", "John", "Smith") >= NAMEMATCH_LIKELY);
	assert_unlikely("J", "Smith", "Mary", "Smith");

	/* given and family swapped: found, at a penalty */
	int swapped = sc("Smith", "John", "John", "Smith");
	assert_true(swapped >= NAMEMATCH_LIKELY);
	assert_true(swapped < 100);
	assert_true(sc("Smyth", "Jhon", "John", "Smith") >= NAMEMATCH_LIKELY);
	assert_unlikely("Smith", "John", "Mary", "Jones");
	/* a one-part query is not matched against the other part */
	assert_unlikely("", "James", "James", "Brown");

	/* family-only and given-only searches */
	assert_int_equal(sc("", "Smith", "Anyone", "Smith"), 100);
	assert_int_equal(sc("Amir", "", "Amir", "Anything"), 100);
	/* a candidate without a given name is neither for nor against */
	int unknown = sc("John", "Smith", "", "Smith");
	assert_true(unknown >= NAMEMATCH_LIKELY);
	assert_true(unknown < sc("Jhon", "Smith", "John", "Smith"));
	assert_int_equal(sc("John", "Smith", NULL, "Smith"), unknown);
}

static void score_prepared_query(void **state)
{
	(void)state;
	struct namematch_query q;
	const char *cands[][2] = {
		{ "John", "Smith" }, { "Jhon", "Smyth" }, { "Smith", "John" },
		{ "Mary", "Jones" }, { "", "Smith-Jones" }, { NULL, NULL },
	};

	memset(&q, 0, sizeof(q));
	namematch_query_init(&q, "Jon", "Smith");
	for (int i = 0; cands[i][1] != NULL; i++)
		assert_int_equal(namematch_score_query(&q, cands[i][0],
			cands[i][1]), sc("Jon", "Smith", cands[i][0],
			cands[i][1]));
	/* the query is not changed by scoring */
	struct namematch_query copy;
	memcpy(&copy, &q, sizeof(q));
	namematch_score_query(&q, "Zed", "Zulu");
	assert_memory_equal(&copy, &q, sizeof(q));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fold_cases),
		cmocka_unit_test(fold_truncates),
		cmocka_unit_test(fold_invalid_utf8),
		cmocka_unit_test(key_values),
		cmocka_unit_test(key_equalities),
		cmocka_unit_test(key_inequalities),
		cmocka_unit_test(key_truncation_and_all),
		cmocka_unit_test(distance_values),
		cmocka_unit_test(distance_early_exit),
		cmocka_unit_test(score_misspellings),
		cmocka_unit_test(score_unrelated),
		cmocka_unit_test(score_order),
		cmocka_unit_test(score_diminutives),
		cmocka_unit_test(score_prefix_swap_empty),
		cmocka_unit_test(score_prepared_query),
	};

	return cmocka_run_group_tests_name("namematch", tests, NULL, NULL);
}
