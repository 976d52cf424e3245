/*
 * namematch.c: name folding, Double Metaphone primary keys, optimal string
 * alignment distance and the search score.  See namematch.h for the
 * contract.  No heap, no globals: the only statics are const tables.
 */
#include "child/namematch.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Raw input bytes looked at per name part by the score functions; more
 * than enough to fill NAMEMATCH_NAME_MAX folded bytes for any real name. */
#define INPUT_MAX 1024

/* Points taken from a match with given and family names swapped. */
#define SWAP_PENALTY 15

/* Points taken from a match found word against word in a multi-word part. */
#define WORD_PENALTY 10

/* Largest edit distance that still earns edit similarity. */
#define EDIT_MAX 4

/* The similarity of a common English diminutive to its full name, or of
 * two diminutives of one name: a likely match (issue 9: "Olly" must find
 * Oliver and Ollie). */
#define NICK_SIM 85

/* Given names and their common diminutives, folded, a group a name.  A
 * name may stand in two groups (Alex, Sam, Charlie, Ted, Millie). */
static const char *const nick_groups[][10] = {
	{"oliver", "olly", "ollie", "oli", NULL},
	{"alfred", "alfie", "alf", NULL},
	{"catherine", "katherine", "kathryn", "kate", "katie", "katy", "cathy",
	 "kathy", "kat", NULL},
	{"william", "bill", "billy", "will", "willie", "liam", NULL},
	{"robert", "rob", "robbie", "bob", "bobby", "bert", NULL},
	{"elizabeth", "liz", "lizzie", "beth", "betty", "eliza", "libby", NULL},
	{"thomas", "tom", "tommy", NULL},
	{"james", "jim", "jimmy", "jamie", NULL},
	{"alexander", "alex", "alec", "xander", NULL},
	{"alexandra", "alex", "lexi", "sandra", NULL},
	{"margaret", "maggie", "meg", "peggy", NULL},
	{"edward", "ed", "eddie", "ted", "teddy", "ned", NULL},
	{"theodore", "theo", "ted", "teddy", NULL},
	{"charles", "charlie", "chas", NULL},
	{"charlotte", "lottie", "charlie", NULL},
	{"joseph", "joe", "joey", NULL},
	{"samuel", "sam", "sammy", NULL},
	{"samantha", "sam", "sammy", NULL},
	{"daniel", "dan", "danny", NULL},
	{"benjamin", "ben", "benny", NULL},
	{"jacob", "jake", NULL},
	{"matthew", "matt", NULL},
	{"michael", "mike", "mikey", "mick", "micky", NULL},
	{"anthony", "tony", NULL},
	{"christopher", "chris", "kit", NULL},
	{"nicholas", "nick", "nicky", NULL},
	{"jonathan", "jon", "jonny", NULL},
	{"richard", "rich", "richie", "rick", "ricky", NULL},
	{"henry", "harry", "hal", NULL},
	{"frederick", "fred", "freddie", "freddy", NULL},
	{"isabella", "isabel", "izzy", "bella", "issy", NULL},
	{"amelia", "millie", "amy", NULL},
	{"emily", "emmy", "millie", NULL},
	{"jessica", "jess", "jessie", NULL},
	{"rebecca", "becky", "becca", NULL},
	{"victoria", "vicky", "tori", NULL},
	{"jennifer", "jen", "jenny", NULL},
	{"abigail", "abby", "abbie", NULL},
	{"eleanor", "ellie", "nell", "nora", NULL},
	{"florence", "flo", "florrie", NULL},
	{"sophia", "sophie", NULL},
	{"matilda", "tilly", "tillie", NULL},
	{"zachary", "zach", "zak", NULL},
	{"nathaniel", "nathan", "nat", NULL},
};

static bool in_group(const char *const *g, const char *w, size_t n)
{
	for (; *g; g++)
		if (strlen(*g) == n && memcmp(*g, w, n) == 0)
			return true;
	return false;
}

_Static_assert(sizeof(nick_groups) / sizeof(nick_groups[0]) <= 64,
	"a word's diminutive groups fit a 64-bit set");

/* The diminutive groups the folded word w[0..n) stands in, as a set
 * (bit g: nick_groups[g]).  Found once a word when its part is
 * prepared: a search compares the query with every name in the index,
 * and a set intersection is what that comparison can afford. */
static uint64_t nick_set(const char *w, size_t n)
{
	uint64_t set = 0;
	for (size_t i = 0; i < sizeof(nick_groups) / sizeof(nick_groups[0]);
	     i++)
		if (in_group(nick_groups[i], w, n))
			set |= (uint64_t)1 << i;
	return set;
}

/* ------------------------------------------------------------------ */
/* Folding                                                             */
/* ------------------------------------------------------------------ */

/*
 * ASCII letter for each code point U+00C0..U+017F (Latin-1 Supplement
 * letters and Latin Extended-A).  ' ' means "treat as a space" (the
 * multiplication and division signs); '*' means a two-letter
 * replacement given by fold_special().
 */
static const char latin_c0_17f[] =
	"aaaaaa*ceeeeiiii"      /* U+00C0 À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï */
	"dnooooo ouuuuy**"      /* U+00D0 Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß */
	"aaaaaa*ceeeeiiii"      /* U+00E0 à á â ã ä å æ ç è é ê ë ì í î ï */
	"dnooooo ouuuuy*y"      /* U+00F0 ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ */
	"aaaaaaccccccccdd"      /* U+0100 Ā ā Ă ă Ą ą Ć ć Ĉ ĉ Ċ ċ Č č Ď ď */
	"ddeeeeeeeeeegggg"      /* U+0110 Đ đ Ē ē Ĕ ĕ Ė ė Ę ę Ě ě Ĝ ĝ Ğ ğ */
	"gggghhhhiiiiiiii"      /* U+0120 Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ Ĩ ĩ Ī ī Ĭ ĭ Į į */
	"ii**jjkkklllllll"      /* U+0130 İ ı Ĳ ĳ Ĵ ĵ Ķ ķ ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ */
	"lllnnnnnnnnnoooo"      /* U+0140 ŀ Ł ł Ń ń Ņ ņ Ň ň ŉ Ŋ ŋ Ō ō Ŏ ŏ */
	"oo**rrrrrrssssss"      /* U+0150 Ő ő Œ œ Ŕ ŕ Ŗ ŗ Ř ř Ś ś Ŝ ŝ Ş ş */
	"ssttttttuuuuuuuu"      /* U+0160 Š š Ţ ţ Ť ť Ŧ ŧ Ũ ũ Ū ū Ŭ ŭ Ů ů */
	"uuuuwwyyyzzzzzzs";     /* U+0170 Ű ű Ų ų Ŵ ŵ Ŷ ŷ Ÿ Ź ź Ż ż Ž ž ſ */
_Static_assert(sizeof(latin_c0_17f) == 0x180 - 0xc0 + 1,
	"one letter per code point U+00C0..U+017F");

/* Pinyin letters with caron and u with diaeresis, U+01CD..U+01DC. */
static const char latin_1cd_1dc[] = "aaiioouuuuuuuuuu";
_Static_assert(sizeof(latin_1cd_1dc) == 0x1dd - 0x1cd + 1,
	"one letter per code point U+01CD..U+01DC");

/*
 * Latin Extended Additional, U+1E00..U+1EFF: the dotted and underlined
 * letters of South Asian and Arabic transliteration (ḍ ḥ ṇ ṣ ṭ ...), and
 * the Vietnamese block from U+1EA0.  '*' is ẞ (capital sharp s).
 */
static const char latin_1e00_1eff[] =
	"aa" "bbbbbb" "cc" "dddddddddd"         /* U+1E00..U+1E13 */
	"eeeeeeeeee" "ff" "gg" "hhhhhhhhhh"     /* U+1E14..U+1E2B */
	"iiii" "kkkkkk" "llllllll" "mmmmmm"     /* U+1E2C..U+1E43 */
	"nnnnnnnn" "oooooooo" "pppp"            /* U+1E44..U+1E57 */
	"rrrrrrrr" "ssssssssss" "tttttttt"      /* U+1E58..U+1E71 */
	"uuuuuuuuuu" "vvvv" "wwwwwwwwww"        /* U+1E72..U+1E89 */
	"xxxx" "yy" "zzzzzz"                    /* U+1E8A..U+1E95 */
	"htwyasss*d"                            /* U+1E96..U+1E9F */
	"aaaaaaaaaaaaaaaaaaaaaaaa"              /* U+1EA0..U+1EB7 Ạ..ặ */
	"eeeeeeeeeeeeeeee"                      /* U+1EB8..U+1EC7 Ẹ..ệ */
	"iiii"                                  /* U+1EC8..U+1ECB Ỉ..ị */
	"oooooooooooooooooooooooo"              /* U+1ECC..U+1EE3 Ọ..ợ */
	"uuuuuuuuuuuuuu"                        /* U+1EE4..U+1EF1 Ụ..ự */
	"yyyyyyyy"                              /* U+1EF2..U+1EF9 Ỳ..ỹ */
	"llvvyy";                               /* U+1EFA..U+1EFF */
_Static_assert(sizeof(latin_1e00_1eff) == 0x100 + 1,
	"one letter per code point U+1E00..U+1EFF");

/* The two-letter replacements marked '*' in the tables above. */
static const char *fold_special(uint32_t cp)
{
	switch (cp) {
	case 0xc6: case 0xe6:                   /* Æ æ */
		return "ae";
	case 0xde: case 0xfe:                   /* Þ þ */
		return "th";
	case 0xdf: case 0x1e9e:                 /* ß ẞ */
		return "ss";
	case 0x132: case 0x133:                 /* Ĳ ĳ */
		return "ij";
	case 0x152: case 0x153:                 /* Œ œ */
		return "oe";
	default:
		return " ";
	}
}

/*
 * Decodes one strictly valid UTF-8 sequence at s[0..n), n >= 1: no
 * overlong forms, no surrogates, nothing above U+10FFFF.  Returns its
 * length (1..4) and sets *cp, or 0 when the bytes are not valid there
 * (including a sequence cut short by the end of the input).
 */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char b = s[0];
	size_t len;
	uint32_t c, min;

	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		len = 2;
		c = b & 0x1f;
		min = 0x80;
	} else if (b >= 0xe0 && b <= 0xef) {
		len = 3;
		c = b & 0x0f;
		min = 0x800;
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4;
		c = b & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/*
 * Code point for a byte that is not part of valid UTF-8, read as
 * Windows-1252.  Bytes 0xA0..0xFF are Latin-1; of 0x80..0x9F only the
 * letters and the single quotes matter here, the rest become a space.
 */
static uint32_t cp1252_decode(unsigned char b)
{
	switch (b) {
	case 0x8a: return 0x160;        /* Š */
	case 0x8c: return 0x152;        /* Œ */
	case 0x8e: return 0x17d;        /* Ž */
	case 0x91: return 0x2018;       /* ‘ */
	case 0x92: return 0x2019;       /* ’ */
	case 0x9a: return 0x161;        /* š */
	case 0x9c: return 0x153;        /* œ */
	case 0x9e: return 0x17e;        /* ž */
	case 0x9f: return 0x178;        /* Ÿ */
	default:
		return b >= 0xa0 ? b : ' ';
	}
}

/* Appends the UTF-8 encoding of cp (< 0x800) to rep; returns 2. */
static int utf8_encode2(uint32_t cp, char *rep)
{
	rep[0] = (char)(0xc0 | (cp >> 6));
	rep[1] = (char)(0x80 | (cp & 0x3f));
	return 2;
}

/* What fold_cp tells its caller to do with a code point. */
#define FOLD_KEEP (-1)  /* copy the original bytes */

/*
 * Folds one code point.  Writes its replacement to rep (at most 2 bytes;
 * " " for a separator) and returns the replacement length, 0 to drop the
 * character, or FOLD_KEEP to copy the input bytes unchanged.
 */
static int fold_cp(uint32_t cp, char *rep)
{
	char c;

	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z') {
			rep[0] = (char)(cp - 'A' + 'a');
			return 1;
		}
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			rep[0] = (char)cp;
			return 1;
		}
		if (cp == '\'' || cp == '`')
			return 0;
		rep[0] = ' ';
		return 1;
	}
	if (cp < 0xc0) {
		/* C1 controls and Latin-1 punctuation; ´ is an apostrophe */
		if (cp == 0xb4)
			return 0;
		rep[0] = ' ';
		return 1;
	}
	if (cp < 0x180) {
		c = latin_c0_17f[cp - 0xc0];
		goto out_letter;
	}
	if (cp == 0x1a0 || cp == 0x1a1) {       /* Ơ ơ */
		rep[0] = 'o';
		return 1;
	}
	if (cp == 0x1af || cp == 0x1b0) {       /* Ư ư */
		rep[0] = 'u';
		return 1;
	}
	if (cp >= 0x1cd && cp <= 0x1dc) {
		rep[0] = latin_1cd_1dc[cp - 0x1cd];
		return 1;
	}
	if (cp >= 0x218 && cp <= 0x21b) {       /* Ș ș Ț ț (Romanian) */
		rep[0] = cp < 0x21a ? 's' : 't';
		return 1;
	}
	if (cp >= 0x2b9 && cp <= 0x2bf)         /* ʹ ʺ ʻ ʼ ʽ ʾ ʿ */
		return 0;
	if (cp >= 0x300 && cp <= 0x36f)         /* combining marks */
		return 0;
	if (cp >= 0x391 && cp <= 0x3ab && cp != 0x3a2)  /* Greek capitals */
		return utf8_encode2(cp + 0x20, rep);
	if (cp >= 0x400 && cp <= 0x40f)         /* Ѐ..Џ */
		return utf8_encode2(cp + 0x50, rep);
	if (cp >= 0x410 && cp <= 0x42f)         /* А..Я */
		return utf8_encode2(cp + 0x20, rep);
	if (cp >= 0x1e00 && cp <= 0x1eff) {
		c = latin_1e00_1eff[cp - 0x1e00];
		goto out_letter;
	}
	if (cp >= 0x2000 && cp <= 0x206f) {     /* General Punctuation */
		if ((cp >= 0x200b && cp <= 0x200f) ||
		    (cp >= 0x2060 && cp <= 0x2064) ||
		    cp == 0x2018 || cp == 0x2019 || cp == 0x201b ||
		    cp == 0x2032)
			return 0;       /* zero-width, or an apostrophe */
		rep[0] = ' ';
		return 1;
	}
	if (cp == 0x3000) {                     /* ideographic space */
		rep[0] = ' ';
		return 1;
	}
	if (cp == 0xfeff || cp == 0xff07)       /* BOM, fullwidth ' */
		return 0;
	return FOLD_KEEP;

out_letter:
	if (c == '*') {
		const char *sp = fold_special(cp);
		size_t n = strlen(sp);
		memcpy(rep, sp, n);
		return (int)n;
	}
	rep[0] = c;
	return 1;
}

/* Folded output under construction. */
struct fold_out {
	char *buf;
	size_t cap;     /* > 0 */
	size_t len;
	bool space;     /* a separator is pending */
	bool full;      /* a character did not fit: stop */
};

/* Appends one folded character of k bytes (" " for a separator). */
static void fold_put(struct fold_out *o, const char *p, size_t k)
{
	size_t need;

	if (o->full || k == 0)
		return;
	if (k == 1 && p[0] == ' ') {
		if (o->len > 0)
			o->space = true;
		return;
	}
	need = k + (o->space ? 1 : 0);
	if (need > o->cap - 1 - o->len) {
		o->full = true;
		return;
	}
	if (o->space) {
		o->buf[o->len++] = ' ';
		o->space = false;
	}
	for (size_t i = 0; i < k; i++)
		o->buf[o->len++] = p[i];
}

size_t namematch_fold(const char *in, size_t n, char *out, size_t outcap)
{
	const unsigned char *s = (const unsigned char *)in;
	struct fold_out o = { .buf = out, .cap = outcap };
	size_t i = 0;
	char rep[4];

	if (outcap == 0)
		return 0;
	if (s == NULL)
		n = 0;
	while (i < n && !o.full) {
		uint32_t cp;
		size_t k;
		int r;

		if (s[i] < 0x80) {
			r = fold_cp(s[i], rep);
			fold_put(&o, rep, (size_t)r);
			i++;
			continue;
		}
		k = utf8_decode(s + i, n - i, &cp);
		if (k == 0) {
			/* Not UTF-8 here: one Windows-1252 byte.  Its code
			 * point is at most U+2019 and never kept as is. */
			cp = cp1252_decode(s[i]);
			k = 1;
			r = fold_cp(cp, rep);
			if (r == FOLD_KEEP) {
				rep[0] = ' ';
				r = 1;
			}
			fold_put(&o, rep, (size_t)r);
		} else {
			r = fold_cp(cp, rep);
			if (r == FOLD_KEEP)
				fold_put(&o, (const char *)s + i, k);
			else
				fold_put(&o, rep, (size_t)r);
		}
		i += k;
	}
	out[o.len] = '\0';
	return o.len;
}

/* ------------------------------------------------------------------ */
/* Double Metaphone, primary code                                      */
/* ------------------------------------------------------------------ */

/*
 * State of one encoding.  The rules follow Philips' published algorithm
 * (only the primary code is produced), over lower-case folded text.  As
 * in the original, reading past the end gives spaces and reading before
 * the start gives nothing.
 */
struct dm {
	const char *s;
	int len;
	int last;
	bool slavo;             /* has w, k, cz or witz: Slavo-Germanic */
	bool germanic;          /* starts "van ", "von " or "sch" */
	char out[NAMEMATCH_KEY_LEN + 4];
	int olen;
};

static char dm_at(const struct dm *d, int pos)
{
	if (pos < 0)
		return '\0';
	if (pos >= d->len)
		return ' ';
	return d->s[pos];
}

/* True when the text at pos starts with str (pos < 0: false). */
static bool dm_sub(const struct dm *d, int pos, const char *str)
{
	if (pos < 0)
		return false;
	for (int k = 0; str[k] != '\0'; k++)
		if (dm_at(d, pos + k) != str[k])
			return false;
	return true;
}

/* True when the character at pos is one of set. */
static bool dm_in(const struct dm *d, int pos, const char *set)
{
	char c = dm_at(d, pos);

	return c != '\0' && strchr(set, c) != NULL;
}

static bool dm_vowel(const struct dm *d, int pos)
{
	return dm_in(d, pos, "aeiouy");
}

static void dm_add(struct dm *d, const char *code)
{
	for (; *code != '\0' && d->olen < (int)sizeof(d->out) - 1; code++)
		d->out[d->olen++] = *code;
}

/* Encodes C at cur; returns the next position. */
static int dm_c(struct dm *d, int cur)
{
	/* Germanic "-ach-" as in Bacher, Macher */
	if (cur > 1 && !dm_vowel(d, cur - 2) && dm_sub(d, cur - 1, "ach") &&
	    dm_at(d, cur + 2) != 'i' &&
	    (dm_at(d, cur + 2) != 'e' || dm_sub(d, cur - 2, "bacher") ||
	     dm_sub(d, cur - 2, "macher"))) {
		dm_add(d, "K");
		return cur + 2;
	}
	if (cur == 0 && dm_sub(d, cur, "caesar")) {
		dm_add(d, "S");
		return cur + 2;
	}
	if (dm_sub(d, cur, "chia")) {           /* Italian Chianti */
		dm_add(d, "K");
		return cur + 2;
	}
	if (dm_sub(d, cur, "ch")) {
		if (cur > 0 && dm_sub(d, cur, "chae")) {        /* Michael */
			dm_add(d, "K");
			return cur + 2;
		}
		/* Greek roots: Christopher, Chorus, Chemistry */
		if (cur == 0 && (dm_sub(d, cur + 1, "harac") ||
		    dm_sub(d, cur + 1, "haris") || dm_sub(d, cur + 1, "hor") ||
		    dm_sub(d, cur + 1, "hym") || dm_sub(d, cur + 1, "hia") ||
		    dm_sub(d, cur + 1, "hem")) && !dm_sub(d, 0, "chore")) {
			dm_add(d, "K");
			return cur + 2;
		}
		if (d->germanic || dm_sub(d, cur - 2, "orches") ||
		    dm_sub(d, cur - 2, "archit") ||
		    dm_sub(d, cur - 2, "orchid") || dm_in(d, cur + 2, "ts") ||
		    ((cur == 0 || dm_in(d, cur - 1, "aoue")) &&
		     dm_in(d, cur + 2, "lrnmbhfvw "))) {
			dm_add(d, "K");
		} else if (cur > 0 && dm_sub(d, 0, "mc")) {
			dm_add(d, "K");                 /* McHugh */
		} else {
			dm_add(d, "X");
		}
		return cur + 2;
	}
	if (dm_sub(d, cur, "cz") && !dm_sub(d, cur - 2, "wicz")) {
		dm_add(d, "S");                         /* Czerny */
		return cur + 2;
	}
	if (dm_sub(d, cur + 1, "cia")) {                /* Focaccia */
		dm_add(d, "X");
		return cur + 3;
	}
	if (dm_sub(d, cur, "cc") && !(cur == 1 && dm_at(d, 0) == 'm')) {
		/* Bellocchio, but not Bacchus */
		if (dm_in(d, cur + 2, "ieh") && !dm_sub(d, cur + 2, "hu")) {
			if ((cur == 1 && dm_at(d, cur - 1) == 'a') ||
			    dm_sub(d, cur - 1, "uccee") ||
			    dm_sub(d, cur - 1, "ucces"))
				dm_add(d, "KS");        /* Accident, Succeed */
			else
				dm_add(d, "X");         /* Bacci, Bertucci */
			return cur + 3;
		}
		dm_add(d, "K");                         /* Pierce's rule */
		return cur + 2;
	}
	if (dm_sub(d, cur, "ck") || dm_sub(d, cur, "cg") ||
	    dm_sub(d, cur, "cq")) {
		dm_add(d, "K");
		return cur + 2;
	}
	if (dm_sub(d, cur, "ci") || dm_sub(d, cur, "ce") ||
	    dm_sub(d, cur, "cy")) {
		dm_add(d, "S");
		return cur + 2;
	}
	dm_add(d, "K");
	/* Mac Caffrey, Mac Gregor */
	if (dm_sub(d, cur + 1, " c") || dm_sub(d, cur + 1, " q") ||
	    dm_sub(d, cur + 1, " g"))
		return cur + 3;
	if (dm_in(d, cur + 1, "ckq") && !dm_sub(d, cur + 1, "ce") &&
	    !dm_sub(d, cur + 1, "ci"))
		return cur + 2;
	return cur + 1;
}

/* Encodes G at cur; returns the next position. */
static int dm_g(struct dm *d, int cur)
{
	if (dm_at(d, cur + 1) == 'h') {
		if (cur > 0 && !dm_vowel(d, cur - 1)) {
			dm_add(d, "K");
			return cur + 2;
		}
		if (cur == 0) {                 /* Ghislane, Ghiradelli */
			dm_add(d, dm_at(d, cur + 2) == 'i' ? "J" : "K");
			return cur + 2;
		}
		/* Parker's rule: Hugh, bough, Broughton */
		if ((cur > 1 && dm_in(d, cur - 2, "bhd")) ||
		    (cur > 2 && dm_in(d, cur - 3, "bhd")) ||
		    (cur > 3 && dm_in(d, cur - 4, "bh")))
			return cur + 2;
		/* laugh, McLaughlin, cough, rough */
		if (cur > 2 && dm_at(d, cur - 1) == 'u' &&
		    dm_in(d, cur - 3, "cglrt"))
			dm_add(d, "F");
		else if (cur > 0 && dm_at(d, cur - 1) != 'i')
			dm_add(d, "K");
		return cur + 2;
	}
	if (dm_at(d, cur + 1) == 'n') {
		if (cur == 1 && dm_vowel(d, 0) && !d->slavo)
			dm_add(d, "KN");
		else if (!dm_sub(d, cur + 2, "ey") && !d->slavo) /* Cagney */
			dm_add(d, "N");
		else
			dm_add(d, "KN");
		return cur + 2;
	}
	if (dm_sub(d, cur + 1, "li") && !d->slavo) {    /* Tagliaro */
		dm_add(d, "KL");
		return cur + 2;
	}
	/* -ges-, -gep-, -gel-, -gie- at the beginning */
	if (cur == 0 && (dm_at(d, cur + 1) == 'y' ||
	    dm_sub(d, cur + 1, "es") || dm_sub(d, cur + 1, "ep") ||
	    dm_sub(d, cur + 1, "eb") || dm_sub(d, cur + 1, "el") ||
	    dm_sub(d, cur + 1, "ey") || dm_sub(d, cur + 1, "ib") ||
	    dm_sub(d, cur + 1, "il") || dm_sub(d, cur + 1, "in") ||
	    dm_sub(d, cur + 1, "ie") || dm_sub(d, cur + 1, "ei") ||
	    dm_sub(d, cur + 1, "er"))) {
		dm_add(d, "K");
		return cur + 2;
	}
	/* -ger-, -gy- */
	if ((dm_sub(d, cur + 1, "er") || dm_at(d, cur + 1) == 'y') &&
	    !dm_sub(d, 0, "danger") && !dm_sub(d, 0, "ranger") &&
	    !dm_sub(d, 0, "manger") && !dm_in(d, cur - 1, "ei") &&
	    !dm_sub(d, cur - 1, "rgy") && !dm_sub(d, cur - 1, "ogy")) {
		dm_add(d, "K");
		return cur + 2;
	}
	/* Italian, as in Biaggi */
	if (dm_in(d, cur + 1, "eiy") || dm_sub(d, cur - 1, "aggi") ||
	    dm_sub(d, cur - 1, "oggi")) {
		if (d->germanic || dm_sub(d, cur + 1, "et"))
			dm_add(d, "K");
		else
			dm_add(d, "J");
		return cur + 2;
	}
	dm_add(d, "K");
	return dm_at(d, cur + 1) == 'g' ? cur + 2 : cur + 1;
}

/* Encodes J at cur; returns the next position. */
static int dm_j(struct dm *d, int cur)
{
	/* Spanish Jose, San Jacinto */
	if (dm_sub(d, cur, "jose") || dm_sub(d, 0, "san ")) {
		if ((cur == 0 && dm_at(d, cur + 4) == ' ') ||
		    dm_sub(d, 0, "san "))
			dm_add(d, "H");
		else
			dm_add(d, "J");
		return cur + 1;
	}
	if (cur == 0) {
		dm_add(d, "J");
	} else if (dm_vowel(d, cur - 1) && !d->slavo &&
		   (dm_at(d, cur + 1) == 'a' || dm_at(d, cur + 1) == 'o')) {
		dm_add(d, "J");
	} else if (cur == d->last) {
		dm_add(d, "J");
	} else if (!dm_in(d, cur + 1, "ltksnmbz") &&
		   !dm_in(d, cur - 1, "skl")) {
		dm_add(d, "J");
	}
	return dm_at(d, cur + 1) == 'j' ? cur + 2 : cur + 1;
}

/* Encodes S at cur; returns the next position. */
static int dm_s(struct dm *d, int cur)
{
	/* island, isle, Carlisle, Carlysle */
	if (dm_sub(d, cur - 1, "isl") || dm_sub(d, cur - 1, "ysl"))
		return cur + 1;
	if (cur == 0 && dm_sub(d, cur, "sugar")) {
		dm_add(d, "X");
		return cur + 1;
	}
	if (dm_sub(d, cur, "sh")) {
		/* Germanic: Holmsheim, Kesholm */
		if (dm_sub(d, cur + 1, "heim") || dm_sub(d, cur + 1, "hoek") ||
		    dm_sub(d, cur + 1, "holm") || dm_sub(d, cur + 1, "holz"))
			dm_add(d, "S");
		else
			dm_add(d, "X");
		return cur + 2;
	}
	/* Italian and Armenian: -sio-, -sia-, -sian- */
	if (dm_sub(d, cur, "sio") || dm_sub(d, cur, "sia")) {
		dm_add(d, "S");
		return cur + 3;
	}
	/* Smith for Schmidt, Snider for Schneider; Slavic -sz- */
	if ((cur == 0 && dm_in(d, cur + 1, "mnlw")) ||
	    dm_at(d, cur + 1) == 'z') {
		dm_add(d, "S");
		return dm_at(d, cur + 1) == 'z' ? cur + 2 : cur + 1;
	}
	if (dm_sub(d, cur, "sc")) {
		if (dm_at(d, cur + 2) == 'h') {         /* Schlesinger's rule */
			/* Dutch: school; but Schermerhorn, Schenker are X */
			if (dm_sub(d, cur + 3, "oo") || dm_sub(d, cur + 3, "uy") ||
			    dm_sub(d, cur + 3, "ed") || dm_sub(d, cur + 3, "em"))
				dm_add(d, "SK");
			else
				dm_add(d, "X");
			return cur + 3;
		}
		if (dm_in(d, cur + 2, "iey")) {
			dm_add(d, "S");
			return cur + 3;
		}
		dm_add(d, "SK");
		return cur + 3;
	}
	/* French final -ais, -ois: silent in the primary code */
	if (!(cur == d->last &&
	      (dm_sub(d, cur - 2, "ai") || dm_sub(d, cur - 2, "oi"))))
		dm_add(d, "S");
	return dm_in(d, cur + 1, "sz") ? cur + 2 : cur + 1;
}

/* Encodes T at cur; returns the next position. */
static int dm_t(struct dm *d, int cur)
{
	if (dm_sub(d, cur, "tion") || dm_sub(d, cur, "tia") ||
	    dm_sub(d, cur, "tch")) {
		dm_add(d, "X");
		return cur + 3;
	}
	if (dm_sub(d, cur, "th") || dm_sub(d, cur, "tth")) {
		/* Thomas, Thames, or Germanic */
		if (dm_sub(d, cur + 2, "om") || dm_sub(d, cur + 2, "am") ||
		    d->germanic)
			dm_add(d, "T");
		else
			dm_add(d, "0");
		return cur + 2;
	}
	dm_add(d, "T");
	return dm_in(d, cur + 1, "td") ? cur + 2 : cur + 1;
}

/* Encodes W at cur; returns the next position. */
static int dm_w(struct dm *d, int cur)
{
	if (dm_sub(d, cur, "wr")) {
		dm_add(d, "R");
		return cur + 2;
	}
	/* Wasserman matches Vasserman (alternate), Uomo matches Womo */
	if (cur == 0 && (dm_vowel(d, cur + 1) || dm_sub(d, cur, "wh")))
		dm_add(d, "A");
	/* Arnow/Arnoff, Polish -ewski: F only in the alternate code */
	if ((cur == d->last && dm_vowel(d, cur - 1)) ||
	    dm_sub(d, cur - 1, "ewski") || dm_sub(d, cur - 1, "ewsky") ||
	    dm_sub(d, cur - 1, "owski") || dm_sub(d, cur - 1, "owsky") ||
	    dm_sub(d, 0, "sch"))
		return cur + 1;
	/* Polish Filipowicz */
	if (dm_sub(d, cur, "wicz") || dm_sub(d, cur, "witz")) {
		dm_add(d, "TS");
		return cur + 4;
	}
	return cur + 1;
}

/* Encodes one character at cur; returns the next position. */
static int dm_step(struct dm *d, int cur)
{
	char c = d->s[cur];
	char next = dm_at(d, cur + 1);

	switch (c) {
	case 'a': case 'e': case 'i': case 'o': case 'u': case 'y':
		if (cur == 0)
			dm_add(d, "A");
		return cur + 1;
	case 'b':
		dm_add(d, "P");
		return next == 'b' ? cur + 2 : cur + 1;
	case 'c':
		return dm_c(d, cur);
	case 'd':
		if (next == 'g') {
			if (dm_in(d, cur + 2, "iey")) {         /* edge */
				dm_add(d, "J");
				return cur + 3;
			}
			dm_add(d, "TK");                        /* Edgar */
			return cur + 2;
		}
		dm_add(d, "T");
		return (next == 't' || next == 'd') ? cur + 2 : cur + 1;
	case 'f':
		dm_add(d, "F");
		return next == 'f' ? cur + 2 : cur + 1;
	case 'g':
		return dm_g(d, cur);
	case 'h':
		/* kept only when first or after a vowel, and before one */
		if ((cur == 0 || dm_vowel(d, cur - 1)) && dm_vowel(d, cur + 1)) {
			dm_add(d, "H");
			return cur + 2;
		}
		return cur + 1;
	case 'j':
		return dm_j(d, cur);
	case 'k':
		dm_add(d, "K");
		return next == 'k' ? cur + 2 : cur + 1;
	case 'l':
		/* the Spanish -ll- rules change only the alternate code */
		dm_add(d, "L");
		return next == 'l' ? cur + 2 : cur + 1;
	case 'm':
		dm_add(d, "M");
		/* dumb, thumb, plumber */
		if (next == 'm' || (dm_sub(d, cur - 1, "umb") &&
		    (cur + 1 == d->last || dm_sub(d, cur + 2, "er"))))
			return cur + 2;
		return cur + 1;
	case 'n':
		dm_add(d, "N");
		return next == 'n' ? cur + 2 : cur + 1;
	case 'p':
		if (next == 'h') {
			dm_add(d, "F");
			return cur + 2;
		}
		dm_add(d, "P");                 /* Campbell, raspberry */
		return (next == 'p' || next == 'b') ? cur + 2 : cur + 1;
	case 'q':
		dm_add(d, "K");
		return next == 'q' ? cur + 2 : cur + 1;
	case 'r':
		/* French final -ier (Rogier), but not Hochmeier */
		if (!(cur == d->last && !d->slavo &&
		      dm_sub(d, cur - 2, "ie") && !dm_sub(d, cur - 4, "me") &&
		      !dm_sub(d, cur - 4, "ma")))
			dm_add(d, "R");
		return next == 'r' ? cur + 2 : cur + 1;
	case 's':
		return dm_s(d, cur);
	case 't':
		return dm_t(d, cur);
	case 'v':
		dm_add(d, "F");
		return next == 'v' ? cur + 2 : cur + 1;
	case 'w':
		return dm_w(d, cur);
	case 'x':
		/* French final -aux, -oux (Breaux) are silent */
		if (!(cur == d->last &&
		      (dm_sub(d, cur - 3, "iau") || dm_sub(d, cur - 3, "eau") ||
		       dm_sub(d, cur - 2, "au") || dm_sub(d, cur - 2, "ou"))))
			dm_add(d, "KS");
		return (next == 'c' || next == 'x') ? cur + 2 : cur + 1;
	case 'z':
		if (next == 'h') {                      /* Chinese Zhao */
			dm_add(d, "J");
			return cur + 2;
		}
		dm_add(d, "S");
		return next == 'z' ? cur + 2 : cur + 1;
	default:
		return cur + 1;         /* spaces, digits, other scripts */
	}
}

/*
 * Writes the Double Metaphone primary code of the folded text s[0..n) to
 * out (NAMEMATCH_KEY_LEN + 1 bytes); returns its length (0 when the text
 * has no Latin letters that sound).
 */
static size_t dm_primary(const char *s, size_t n, char *out)
{
	struct dm d = { .s = s };
	int cur = 0;

	if (n > NAMEMATCH_DIST_MAX)
		n = NAMEMATCH_DIST_MAX;
	d.len = (int)n;
	d.last = d.len - 1;
	d.slavo = memchr(s, 'w', n) != NULL || memchr(s, 'k', n) != NULL;
	for (size_t i = 0; !d.slavo && i + 1 < n; i++)
		d.slavo = s[i] == 'c' && s[i + 1] == 'z';
	d.germanic = dm_sub(&d, 0, "van ") || dm_sub(&d, 0, "von ") ||
		dm_sub(&d, 0, "sch");

	/* silent first letter: gnome, knight, pneumatic, wright, psychic */
	if (dm_sub(&d, 0, "gn") || dm_sub(&d, 0, "kn") || dm_sub(&d, 0, "pn") ||
	    dm_sub(&d, 0, "wr") || dm_sub(&d, 0, "ps"))
		cur = 1;
	/* initial X sounds as S: Xavier */
	if (dm_at(&d, 0) == 'x') {
		dm_add(&d, "S");
		cur = 1;
	}
	while (d.olen < NAMEMATCH_KEY_LEN && cur < d.len)
		cur = dm_step(&d, cur);
	if (d.olen > NAMEMATCH_KEY_LEN)
		d.olen = NAMEMATCH_KEY_LEN;
	memcpy(out, d.out, (size_t)d.olen);
	out[d.olen] = '\0';
	return (size_t)d.olen;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */
/* ------------------------------------------------------------------ */

/* Leading words keyed together with the word after them. */
static const char *const particles[] = {
	"abu", "al", "bin", "da", "de", "del", "della", "der", "des", "di",
	"dos", "du", "el", "ibn", "la", "le", "mac", "mc", "o", "st", "van",
	"von",
};

static bool is_particle(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof(particles) / sizeof(particles[0]); i++)
		if (strlen(particles[i]) == n && memcmp(particles[i], w, n) == 0)
			return true;
	return false;
}

/* Length of the word starting at s[0..n) (up to a space or the end). */
static size_t word_len(const char *s, size_t n)
{
	const char *sp = memchr(s, ' ', n);

	return sp != NULL ? (size_t)(sp - s) : n;
}

/*
 * Length of the span to key starting at the word s[0..n) of folded text:
 * the word, or the word, a space and the next word when the first is a
 * particle followed by another word.
 */
static size_t key_span(const char *s, size_t n)
{
	size_t w = word_len(s, n);

	if (w < n && is_particle(s, w))
		return w + 1 + word_len(s + w + 1, n - w - 1);
	return w;
}

/* Writes the key of the folded span s[0..n) to out (outcap >= 1). */
static size_t key_of_span(const char *s, size_t n, char *out, size_t outcap)
{
	char code[NAMEMATCH_KEY_LEN + 1];
	size_t len = dm_primary(s, n, code);

	if (len == 0 && memchr(s, ' ', n) == NULL) {
		/* No Latin sound: the word itself, if it is non-Latin. */
		bool other = false;

		for (size_t i = 0; i < n; i++)
			other = other || (unsigned char)s[i] >= 0x80;
		if (other) {
			len = n;
			if (len > NAMEMATCH_KEY_MAX - 1)
				len = NAMEMATCH_KEY_MAX - 1;
			if (len > outcap - 1)
				len = outcap - 1;
			/* cut only before a UTF-8 lead byte */
			while (len > 0 && len < n &&
			       ((unsigned char)s[len] & 0xc0) == 0x80)
				len--;
			memcpy(out, s, len);
			out[len] = '\0';
			return len;
		}
	}
	if (len > outcap - 1)
		len = outcap - 1;       /* codes are ASCII: any cut is safe */
	memcpy(out, code, len);
	out[len] = '\0';
	return len;
}

size_t namematch_key(const char *name, size_t n, char *out, size_t outcap)
{
	char buf[NAMEMATCH_NAME_MAX];
	size_t len;

	if (outcap == 0)
		return 0;
	len = namematch_fold(name, n, buf, sizeof(buf));
	return key_of_span(buf, key_span(buf, len), out, outcap);
}

size_t namematch_keys_all(const char *name, size_t n, char *out,
		size_t outcap)
{
	char buf[NAMEMATCH_NAME_MAX];
	char key[NAMEMATCH_KEY_MAX];
	size_t len, pos = 0, olen = 0, count = 0;

	if (outcap == 0)
		return 0;
	out[0] = '\0';
	len = namematch_fold(name, n, buf, sizeof(buf));
	while (pos < len) {
		size_t span = key_span(buf + pos, len - pos);
		size_t klen = key_of_span(buf + pos, span, key, sizeof(key));
		size_t need = klen + (count > 0 ? 1 : 0);

		pos += span + 1;        /* past the separating space */
		if (klen == 0)
			continue;
		if (need > outcap - 1 - olen)
			break;
		if (count > 0)
			out[olen++] = ' ';
		memcpy(out + olen, key, klen);
		olen += klen;
		out[olen] = '\0';
		count++;
	}
	return count;
}

/* ------------------------------------------------------------------ */
/* Distance                                                            */
/* ------------------------------------------------------------------ */

static int min2(int a, int b)
{
	return a < b ? a : b;
}

int namematch_distance(const char *a, size_t an, const char *b, size_t bn,
		int max)
{
	int rows[3][NAMEMATCH_DIST_MAX + 1];
	int *pp = rows[0], *p = rows[1], *c = rows[2], *t;
	int lim, prevmin = 0;
	size_t i, j;

	if (a == NULL)
		an = 0;
	if (b == NULL)
		bn = 0;
	if (an > NAMEMATCH_DIST_MAX)
		an = NAMEMATCH_DIST_MAX;
	if (bn > NAMEMATCH_DIST_MAX)
		bn = NAMEMATCH_DIST_MAX;
	/* no distance exceeds NAMEMATCH_DIST_MAX, so that is "no limit" */
	lim = (max < 0 || max > NAMEMATCH_DIST_MAX) ? NAMEMATCH_DIST_MAX : max;

	if ((an > bn ? an - bn : bn - an) > (size_t)lim)
		return max + 1;         /* at least that many inserts */
	if (lim < NAMEMATCH_DIST_MAX) {
		/*
		 * Cheap lower bound: an insertion or deletion changes the
		 * byte histogram by 1, a substitution by at most 2, a
		 * transposition not at all, so the distance is at least half
		 * the histogram difference.  Buckets (byte & 31) merge some
		 * bytes, which only lowers the bound.
		 */
		int hist[32] = { 0 };
		int diff = 0;

		for (i = 0; i < an; i++)
			hist[(unsigned char)a[i] & 31]++;
		for (j = 0; j < bn; j++)
			hist[(unsigned char)b[j] & 31]--;
		for (i = 0; i < 32; i++)
			diff += hist[i] < 0 ? -hist[i] : hist[i];
		if ((diff + 1) / 2 > lim)
			return max + 1;
	}
	for (j = 0; j <= bn; j++)
		p[j] = (int)j;
	/*
	 * Costs never fall along an alignment, and every alignment passes
	 * through row i or row i - 1 (a transposition skips one row), so
	 * the distance is at least the smaller of those rows' minima.
	 */
	for (i = 1; i <= an; i++) {
		int rowmin;

		c[0] = (int)i;
		rowmin = c[0];
		for (j = 1; j <= bn; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = min2(min2(p[j] + 1, c[j - 1] + 1),
				     p[j - 1] + cost);

			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1])
				v = min2(v, pp[j - 2] + 1);
			c[j] = v;
			rowmin = min2(rowmin, v);
		}
		if (min2(rowmin, prevmin) > lim)
			return max + 1;
		prevmin = rowmin;
		t = pp;
		pp = p;
		p = c;
		c = t;
	}
	if (p[bn] > lim)
		return max + 1;
	return p[bn];
}

/* ------------------------------------------------------------------ */
/* Score                                                               */
/* ------------------------------------------------------------------ */

/* Folds s (NUL-terminated, NULL for "") into p and finds its words; with
 * keys, also keys every word. */
static void part_prepare(struct namematch_part *p, const char *s, bool keys)
{
	size_t n = s != NULL ? strnlen(s, INPUT_MAX) : 0;
	size_t pos = 0;

	p->len = (unsigned char)namematch_fold(s, n, p->text,
		sizeof(p->text));
	p->nwords = 0;
	p->keyed = 0;
	while (pos < p->len && p->nwords < NAMEMATCH_WORDS_MAX) {
		size_t w = word_len(p->text + pos, p->len - pos);
		struct namematch_word *wd = &p->words[p->nwords];

		wd->off = (unsigned char)pos;
		wd->len = (unsigned char)w;
		wd->key[0] = '\0';
		wd->nick = nick_set(p->text + pos, w);
		if (keys) {
			dm_primary(p->text + pos, w, wd->key);
			p->keyed |= (unsigned char)(1u << p->nwords);
		}
		p->nwords++;
		pos += w + 1;
	}
}

/* Returns the key of word i of a candidate part, computing it once. */
static const char *part_key(struct namematch_part *p, int i)
{
	struct namematch_word *wd = &p->words[i];

	if (!(p->keyed & (1u << i))) {
		dm_primary(p->text + wd->off, wd->len, wd->key);
		p->keyed |= (unsigned char)(1u << i);
	}
	return wd->key;
}

/* Edit similarity of two folded texts: 0..100, 100 when equal. */
static int edit_sim(const char *q, size_t ql, const char *c, size_t cl)
{
	int d = namematch_distance(q, ql, c, cl, EDIT_MAX);
	size_t len = ql > cl ? ql : cl;
	int s;

	if (d > EDIT_MAX)
		return 0;
	if (d == 0)
		return 100;
	if (len > NAMEMATCH_DIST_MAX)
		len = NAMEMATCH_DIST_MAX;
	s = 100 - (100 * d) / (int)len - 10 * (d - 1);
	return s > 0 ? s : 0;
}

/* Similarity when the query q is a proper prefix of c, else 0. */
static int prefix_sim(const char *q, size_t ql, const char *c, size_t cl)
{
	if (ql == 0 || ql >= cl || memcmp(q, c, ql) != 0)
		return 0;
	if (ql == 1)
		return 40;
	return 50 + (int)(40 * ql / cl);
}

/* Similarity of query word qi to candidate word ci. */
static int word_sim(const struct namematch_part *qp, int qi,
		struct namematch_part *cp, int ci)
{
	const struct namematch_word *qw = &qp->words[qi];
	const struct namematch_word *cw = &cp->words[ci];
	const char *q = qp->text + qw->off, *c = cp->text + cw->off;
	int e, best, k;

	if (qw->len == cw->len && memcmp(q, c, qw->len) == 0)
		return 100;
	e = edit_sim(q, qw->len, c, cw->len);
	best = e;
	k = prefix_sim(q, qw->len, c, cw->len);
	if (k > best)
		best = k;
	if (best < 95 && qw->key[0] != '\0' &&
	    strcmp(qw->key, part_key(cp, ci)) == 0) {
		k = (e > 65 ? e : 65) + 5;
		if (k > 95)
			k = 95;
		if (k > best)
			best = k;
	}
	/* different names of one group (equal words returned above) */
	if (best < NICK_SIM && (qw->nick & cw->nick) != 0)
		best = NICK_SIM;
	return best;
}

/* Similarity of a non-empty query part to a candidate part. */
static int part_sim(const struct namematch_part *qp,
		struct namematch_part *cp)
{
	int best, s;

	if (cp->len == 0)
		return 50;      /* unknown, neither for nor against */
	if (qp->len == cp->len && memcmp(qp->text, cp->text, qp->len) == 0)
		return 100;
	if (qp->nwords == 1 && cp->nwords == 1)
		return word_sim(qp, 0, cp, 0);
	best = edit_sim(qp->text, qp->len, cp->text, cp->len);
	s = prefix_sim(qp->text, qp->len, cp->text, cp->len);
	if (s > best)
		best = s;
	for (int i = 0; i < qp->nwords; i++) {
		for (int j = 0; j < cp->nwords; j++) {
			s = word_sim(qp, i, cp, j) - WORD_PENALTY;
			if (s > best)
				best = s;
		}
	}
	return best;
}

/* The weighted mean of two part similarities: both must be similar. */
static int mix(int gs, int fs)
{
	int lo = gs < fs ? gs : fs;
	int hi = gs < fs ? fs : gs;

	return (6 * lo + 4 * hi + 5) / 10;
}

/* Score of the query against candidate parts g (given) and f (family). */
static int combine(const struct namematch_query *q,
		struct namematch_part *g, struct namematch_part *f)
{
	if (q->given.len == 0)
		return part_sim(&q->family, f);
	if (q->family.len == 0)
		return part_sim(&q->given, g);
	return mix(part_sim(&q->given, g), part_sim(&q->family, f));
}

void namematch_query_init(struct namematch_query *q, const char *given,
		const char *family)
{
	part_prepare(&q->given, given, true);
	part_prepare(&q->family, family, true);
}

int namematch_score_query(const struct namematch_query *q,
		const char *cand_given, const char *cand_family)
{
	struct namematch_part g, f;
	int s, t;

	if (q->given.len == 0 && q->family.len == 0)
		return 0;
	part_prepare(&g, cand_given, false);
	part_prepare(&f, cand_family, false);
	s = combine(q, &g, &f);
	/* people swap given and family names: try that, at a penalty */
	if (q->given.len > 0 && q->family.len > 0 &&
	    s < 100 - SWAP_PENALTY) {
		t = combine(q, &f, &g) - SWAP_PENALTY;
		if (t > s)
			s = t;
	}
	if (s < 0)
		s = 0;
	if (s > 100)
		s = 100;
	return s;
}

void namematch_part_init(struct namematch_part *p, const char *name)
{
	part_prepare(p, name, true);
}

int namematch_part_score(const struct namematch_query *q, int family,
		const struct namematch_part *cand)
{
	const struct namematch_part *qp = family ? &q->family : &q->given;
	/* part_sim may key a candidate word it needs; cand is fully keyed
	 * and shared between threads, so it works on a copy */
	struct namematch_part c = *cand;

	if (qp->len == 0)
		return 0;
	return part_sim(qp, &c);
}

int namematch_combine(const struct namematch_query *q, int gg, int ff,
		int gf, int fg)
{
	int s, t;

	if (q->given.len == 0 && q->family.len == 0)
		return 0;
	if (q->given.len == 0)
		s = ff;
	else if (q->family.len == 0)
		s = gg;
	else
		s = mix(gg, ff);
	/* the same order of work as namematch_score_query */
	if (q->given.len > 0 && q->family.len > 0 &&
	    s < 100 - SWAP_PENALTY) {
		t = mix(gf, fg) - SWAP_PENALTY;
		if (t > s)
			s = t;
	}
	if (s < 0)
		s = 0;
	if (s > 100)
		s = 100;
	return s;
}

int namematch_score(const char *query_given, const char *query_family,
		const char *cand_given, const char *cand_family)
{
	struct namematch_query q;

	namematch_query_init(&q, query_given, query_family);
	return namematch_score_query(&q, cand_given, cand_family);
}

bool namematch_nickname(const struct namematch_query *q,
			const struct namematch_part *cand)
{
	const struct namematch_part *qp = &q->given;
	for (int i = 0; i < qp->nwords; i++)
		for (int j = 0; j < cand->nwords; j++)
			if ((qp->words[i].nick & cand->words[j].nick) != 0)
				return true;
	return false;
}
