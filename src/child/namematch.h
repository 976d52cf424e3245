/*
 * namematch: fuzzy matching of children's names for search.
 *
 * Purpose.  Social workers search for a child by a name that is often
 * misspelt.  The search code (a) takes the rows whose phonetic key
 * (columns given_key, family_key, filled from namematch_key()) equals a
 * key of the query, and (b) when fewer than about 20 of them match,
 * every name of the council (up to ~100,000 rows), scores them with
 * namematch_score_query() (or, from an index of distinct names, with
 * namematch_part_score() and namematch_combine()) and ranks the
 * results.  Every function here is
 * therefore pure, allocation-free (no heap, bounded stack), thread-safe
 * and uses no global mutable state; the only statics are const tables.
 *
 * Pipeline.  fold -> key (indexed, for exact key lookup) and
 *            fold -> distance/score (for the scan and the ranking).
 *
 * 1. Folding (namematch_fold).  Input is UTF-8 bytes.  Output is
 *    lower-case, with Latin accents removed (Latin-1 Supplement, Latin
 *    Extended-A, the Romanian and pinyin letters of Latin Extended-B and
 *    the Vietnamese block of Latin Extended Additional), apostrophes
 *    dropped ("O'Brien" -> "obrien"), hyphens and other punctuation turned
 *    into one space ("Smith-Jones" -> "smith jones"), combining marks
 *    dropped (so decomposed "Zoe\u0308" folds like "Zoë"), and Cyrillic
 *    and Greek capitals lower-cased.  Other scripts (Arabic, Chinese, ...)
 *    are kept byte for byte, so exact matching still works for them.
 *    Invalid UTF-8 is never an error: each byte of an invalid or
 *    truncated sequence is read as Windows-1252 (a common legacy import
 *    encoding; its control and unassigned bytes are separators), so
 *    "Zo\xEB" folds to "zoe" and a cut-off "Zo\xC3" to "zoa".  INVARIANT: fold output is always valid UTF-8, contains no
 *    upper-case ASCII, no apostrophes, no leading/trailing/double spaces,
 *    and fold(fold(x)) == fold(x).
 *
 * 2. Phonetic key (namematch_key).  The algorithm is the PRIMARY code of
 *    Lawrence Philips' Double Metaphone (C/C++ Users Journal, June 2000),
 *    truncated to the usual 4 characters, computed over the folded name.
 *    Why Double Metaphone: unlike Soundex and NYSIIS it knows the spelling
 *    rules of the names a council in England meets: Celtic (Mac/Mc, GH),
 *    Germanic and Slavic (SCH, SZ, CZ, -WICZ, W/V, J), Italian, Spanish,
 *    Greek CH, and it keeps the first sound rather than the first letter
 *    (Philip/Filip).  Only the primary code is used so that a key is one
 *    indexable string; the alternate code would double the index.
 *    Pairs with EQUAL keys: Jonson/Johnson (JNSN), Smyth/Smith (SM0),
 *    Mohammed/Muhammad/Mohamed/Mohammad (MHMT), Katie/Katy (KT),
 *    Aleksander/Alexander (ALKS), Wiliams/Williams (ALMS), Jhon/John (JN),
 *    Catherine/Kathryn (K0RN), Stephen/Steven (STFN), Lukasz/Lucas (LKS),
 *    Chaudhry/Choudhury/Chowdhury (XTR), O'Brien/O Brien (APRN).
 *    Pairs it CANNOT equate (left to the similarity scan): a wrong first
 *    sound such as Kelly/Celly (KL/SL), Sean/Shaun (SN/XN),
 *    Siobhan/Shivaun, Niamh/Neve, Kowalski/Kovalski; and any name whose
 *    spellings differ after the fourth key character.  The other way
 *    round, every initial vowel keys as A and later vowels are ignored,
 *    so short names collide: Ann/Ian/Eoin/Owen (AN), Tom/Tim (TM).  The
 *    key finds candidates; the score, not the key, decides the ranking.
 *    Multi-word names: the key is that of the FIRST word ("Smith-Jones"
 *    keys as "Smith"), except that a leading particle (al, el, abu, bin,
 *    ibn, da, de, del, della, der, des, di, dos, du, la, le, mac, mc, o,
 *    st, van, von) is keyed together with the next word, so "De Souza",
 *    "DeSouza" and "Desouza" share a key and "Al-Hassan" does not key as
 *    "al".  namematch_keys_all() gives one key per word for callers who
 *    also want to look up the second half of a double-barrelled name.
 *    A word with no Latin letters at all (e.g. Arabic or Chinese script)
 *    has no Double Metaphone code; its key is then the folded word itself
 *    (at most NAMEMATCH_KEY_MAX - 1 bytes, cut at a character boundary),
 *    which can never equal a Double Metaphone code (those are upper-case
 *    A-Z and '0').  A name with nothing to key (empty, digits only) has
 *    the empty key, which callers must never use as a lookup value.
 *    CHANGING THE KEY ALGORITHM means recomputing both stored key columns.
 *
 * 3. Distance (namematch_distance): optimal string alignment distance
 *    (Levenshtein plus adjacent transposition, each edit costing 1) over
 *    bytes, so a substituted non-Latin character costs 2 or 3.  Only the
 *    first NAMEMATCH_DIST_MAX bytes of each side are compared.
 *
 * 4. Score (namematch_score, namematch_score_query): 0..100, where
 *    NAMEMATCH_LIKELY (60) and above means "show as a likely match".  For
 *    one name part (given or family) the similarity is the best of:
 *      100  folded texts equal ("Zoë" vs "Zoe", "O'Brien" vs "OBrien");
 *      edit similarity 100 - 100*d/len - 10*(d-1) for d = distance 1..4,
 *           len = the longer byte length (one typo in a 7-letter name:
 *           86; d >= 5 gives 0);
 *      phonetic: equal word keys give max(edit, 65) + 5, at most 95
 *           (Katie/Katy 70, Jonson/Johnson 91);
 *      prefix: a query that starts the candidate scores
 *           50 + 40*qlen/clen for qlen >= 2 ("Jo"/"Joanne" 63),
 *           40 for a single initial ("J"/"John");
 *      word match: for multi-word parts, the best word-against-word
 *           similarity minus 10 ("Smith" vs "Smith-Jones" 90).
 *    A candidate part that is empty while the query part is not counts as
 *    50 (unknown, e.g. an unborn child recorded without a given name).
 *    Parts combine as (6*min + 4*max) / 10 when the query has both, so
 *    both must be similar: an exact family name with an unrelated given
 *    name (a sibling) scores 40.  A query with one part empty scores that
 *    part alone.  When the query has both parts, given and family
 *    swapped scores 15 less than the same names in place ("Smith John"
 *    for "John Smith": 85); a one-part query is only compared with the
 *    same part, so a family-name search for "James" does not list every
 *    child called James.  Resulting order:
 *    exact (100) > one typo (about 75-95) > phonetic only (about 70-80)
 *    > unrelated (< 60).
 *
 * Limits: name parts are folded into NAMEMATCH_NAME_MAX-byte buffers
 * (longer parts are truncated); at most NAMEMATCH_WORDS_MAX words per part
 * take part in word matching; distance uses the first NAMEMATCH_DIST_MAX
 * bytes.  Real names are far shorter.
 *
 * Ownership: every pointer argument is borrowed for the call only; output
 * buffers belong to the caller.  NULL input pointers are accepted where a
 * length of 0 (or an empty string) would be.
 *
 * Errors: there are none.  Every function returns a value for any input;
 * outputs are truncated, never overrun, and always NUL-terminated when
 * their capacity is at least 1.
 */
#ifndef CAIRN_NAMEMATCH_H
#define CAIRN_NAMEMATCH_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

/* Score at or above which a candidate is shown as a likely match. */
#define NAMEMATCH_LIKELY 60

/* Characters in a Double Metaphone key (standard truncation). */
#define NAMEMATCH_KEY_LEN 4

/* Recommended capacity of a key buffer (and of the stored key column),
 * including the NUL; large enough for every key namematch_key makes. */
#define NAMEMATCH_KEY_MAX 32

/* Capacity, including the NUL, of the buffers into which the score and
 * key functions fold one name part; longer parts are truncated. */
#define NAMEMATCH_NAME_MAX 128

/* Bytes of each side that namematch_distance compares. */
#define NAMEMATCH_DIST_MAX 64

/* Words per name part used for word-against-word matching. */
#define NAMEMATCH_WORDS_MAX 4

/* One folded name part with its words and their keys.  Filled by
 * namematch_query_init(); treat the fields as private. */
struct namematch_part {
	char text[NAMEMATCH_NAME_MAX];  /* folded, NUL-terminated */
	unsigned char len;              /* strlen(text) */
	unsigned char nwords;           /* words in words[] */
	unsigned char keyed;            /* bit i set: words[i].key is valid */
	struct namematch_word {
		unsigned char off;      /* start of the word in text */
		unsigned char len;      /* its length in bytes */
		char key[NAMEMATCH_KEY_LEN + 1]; /* its Double Metaphone key */
		uint64_t nick;          /* bit g: in diminutive group g */
	} words[NAMEMATCH_WORDS_MAX];
};

/* A prepared query: both parts folded and keyed once, so that scanning
 * many candidates does not redo that work.  Plain data: copy it freely,
 * share it between threads read-only, no _free needed. */
struct namematch_query {
	struct namematch_part given;
	struct namematch_part family;
};

/* Folds in[0..n) (UTF-8, may be invalid, may contain NUL bytes which
 * count as separators) into out, as described in the contract above.
 * Writes at most outcap - 1 bytes plus a NUL; when the folded text does
 * not fit it is cut before the first character that does not fit (never
 * inside a UTF-8 sequence, never leaving a trailing space).  Returns the
 * number of bytes written before the NUL; returns 0 and writes nothing
 * when outcap is 0.  in may be NULL when n is 0. */
size_t namematch_fold(const char *in, size_t n, char *out, size_t outcap);

/* Writes the phonetic key of name[0..n) (raw or folded: it is folded
 * first) to out: the Double Metaphone primary code, at most
 * NAMEMATCH_KEY_LEN characters from [A-Z0], of the first word (joined
 * with the next word when it is a particle), or for a word without Latin
 * letters the folded word itself.  Returns the key length (0 for a name
 * with nothing to key: out is then ""); a key longer than outcap - 1 is
 * truncated at a character boundary.  Returns 0 and writes nothing when
 * outcap is 0.  Use NAMEMATCH_KEY_MAX for out. */
size_t namematch_key(const char *name, size_t n, char *out, size_t outcap);

/* Writes the key of every word of name[0..n) (a particle is keyed with the
 * word after it, as in namematch_key), in order, separated by single
 * spaces, without duplicates removed: "Smith-Jones" -> "SM0 JNS".  Words
 * with an empty key are skipped.  Only whole keys are written: a key that
 * does not fit is left out with all keys after it.  Returns the number of
 * keys written (0 when none; out is then "", or untouched when outcap is
 * 0). */
size_t namematch_keys_all(const char *name, size_t n, char *out,
		size_t outcap);

/* Returns the optimal string alignment distance between a[0..an) and
 * b[0..bn): the fewest single-byte insertions, deletions, substitutions
 * and swaps of two adjacent bytes (no byte edited twice) that turn one
 * into the other; kitten/sitting = 3, jhon/john = 1.  Pass folded text.
 * Only the first NAMEMATCH_DIST_MAX bytes of each side are compared.
 * When the distance must exceed max (max >= 0) returns max + 1 as soon as
 * that is certain; a negative max means no limit.  a or b may be NULL
 * when its length is 0.  Never allocates. */
int namematch_distance(const char *a, size_t an, const char *b, size_t bn,
		int max);

/* Prepares q for namematch_score_query from the query's given and family
 * names (NUL-terminated UTF-8, raw or folded; NULL or "" for a part not
 * searched on). */
void namematch_query_init(struct namematch_query *q, const char *given,
		const char *family);

/* Returns the 0..100 similarity of a candidate (NUL-terminated UTF-8
 * given and family names, raw or folded, NULL counting as "") to the
 * prepared query, as described in the contract above; >= NAMEMATCH_LIKELY
 * means a likely match.  Returns 0 when the query has no name at all. */
int namematch_score_query(const struct namematch_query *q,
		const char *cand_given, const char *cand_family);

/*
 * Scoring by parts, for a search index that holds each distinct name once.
 * namematch_score_query(q, g, f) equals
 *   namematch_combine(q, S(q, 0, G), S(q, 1, F), S(q, 0, F), S(q, 1, G))
 * where G and F are g and f prepared with namematch_part_init and S is
 * namematch_part_score: the score depends on the four part similarities
 * only, so an index can score every distinct name once per query and
 * every row from those.  The combined score never exceeds the largest of
 * the four (used to skip rows without combining).
 */

/* Prepares one candidate name part (NUL-terminated UTF-8, raw or folded,
 * NULL counting as "") once: folded, split into words, every word keyed.
 * Plain data: copy it freely and share it between threads read-only. */
void namematch_part_init(struct namematch_part *p, const char *name);

/* Returns the 0..100 similarity of the query's given part (family == 0)
 * or family part (family != 0) to the prepared candidate part, as the
 * contract above describes for one part (50 for an empty candidate);
 * 0 when that query part is empty.  Never writes to cand. */
int namematch_part_score(const struct namematch_query *q, int family,
		const struct namematch_part *cand);

/* Returns the 0..100 score of a candidate whose given part has
 * similarity gg to the query's given part and fg to its family part, and
 * whose family part has ff to the query's family part and gf to its
 * given part (each from namematch_part_score; a similarity to an empty
 * query part is ignored).  Returns 0 when the query has no name at all. */
int namematch_combine(const struct namematch_query *q, int gg, int ff,
		int gf, int fg);

/* As namematch_query_init followed by namematch_score_query; convenient
 * for one comparison, slower in a scan because it prepares the query on
 * every call. */
int namematch_score(const char *query_given, const char *query_family,
		const char *cand_given, const char *cand_family);

/* True when a word of the query's given part and a word of cand are
 * different names of one group of common English diminutives (Olly,
 * Ollie, Oliver; Kate, Katie, Catherine; Bill, William ...).  Such words
 * score NAMEMATCH_NICK in the similarity (the search treats them as it
 * treats a phonetic key match, so they are found however many children
 * share the query's key). */
#define NAMEMATCH_NICK 85
bool namematch_nickname(const struct namematch_query *q,
			const struct namematch_part *cand);

#endif
