/*
 * ident: validators for the identifiers on a child's record: NHS number,
 * DfE Unique Pupil Number (UPN) and UK postcode.
 *
 * Purpose.  Decide whether typed text is a well-formed identifier, give
 * back its normal form, and say in a plain sentence what is wrong when it
 * is not.  Pure functions: no I/O, no globals, no allocation.  A passing
 * check means "could have been issued", never "belongs to this child".
 *
 * Inputs are counted byte strings (s, n); s need not be NUL-terminated
 * and may hold any bytes.  Outputs are fixed-size buffers the caller
 * owns.  On success the normal form is written NUL-terminated; on failure
 * the output buffer is left untouched.  Messages are written into caller
 * buffers, truncated to fit (snprintf rules), never echo the input, and
 * are safe to show to the person who typed it.
 *
 * NHS number (England, Wales, Isle of Man).  Ten digits; as typed they may
 * be grouped 3-3-4 with one space or one hyphen between groups
 * ("943 476 5919", "943-476-5919"); leading and trailing spaces are
 * ignored; nothing else is allowed.  The check digit (the 10th) is
 * modulus 11 over the first nine with weights 10, 9, ..., 2: 11 minus
 * (sum mod 11), where 11 becomes 0 and 10 means no valid number starts
 * with those nine digits.  The same digit ten times (0000000000,
 * 1111111111, ...) passes that check but is never issued and is used as a
 * placeholder by some systems, so it is rejected as IDENT_RESERVED.
 * Issued ranges (e.g. 999 for test numbers, 3xx for Scotland's CHI) are
 * not checked.
 *
 * UPN.  13 characters, no spaces; lower case is accepted and upper-cased.
 * Character 1 is the check letter; characters 2-12 are digits (LA code,
 * establishment number, year, serial); character 13 is a digit, or for a
 * temporary UPN a letter other than I, O and S.  The check letter: take
 * characters 2..13 with weights 2..13 (a letter in position 13 counts as
 * its index in ABCDEFGHJKLMNPQRTUVWXYZ, so A=0, ..., P=13, Q=14, R=15,
 * T=16, ..., Z=22), sum, take the remainder mod 23 and index the same
 * 23-letter alphabet.  LA codes are not checked against the list of
 * authorities.  Sources: UK Government Data Standards Catalogue, "Unique
 * Pupil Number" v2.0 (govtalk.gov.uk, agreed 18 Nov 2004), validations
 * 1-6; the DfE CIN census validation rules 1510 and 1550; python-stdnum's
 * stdnum.gb.upn, whose example B801200005001 we test.  Note: a brief we
 * were given listed the temporary letter values with Q left out (R=14);
 * the data standard and rule 1550 both use the same alphabet for the
 * check letter and for position 13, which includes Q, so we follow them.
 *
 * Postcode.  UK shapes only: outward code A9, A99, AA9, AA99, A9A or AA9A
 * and inward code 9AA, plus the special GIR 0AA.  Letters are restricted
 * as Royal Mail does: position 1 not Q, V or X; position 2 (when a
 * letter) not I, J or Z; a third-position letter one of ABCDEFGHJKPSTUW;
 * a fourth-position letter one of ABEHMNPRVWXY; inward letters never C,
 * I, K, M, O or V.  Case and spaces (anywhere) are ignored as typed; the
 * normal form is upper case with one space before the inward code.  It is
 * a shape check: it cannot tell whether the postcode exists.
 *
 * Errors.  The check functions return an enum ident_err (IDENT_OK = 0);
 * the postcode check is a predicate.
 */
#ifndef CAIRN_IDENT_H
#define CAIRN_IDENT_H

#include <stdbool.h>
#include <stddef.h>

enum ident_err {
	IDENT_OK,	/* well formed */
	IDENT_EMPTY,	/* nothing (or only spaces) given */
	IDENT_LENGTH,	/* wrong number of digits / characters */
	IDENT_CHARS,	/* a character not allowed, or in the wrong place */
	IDENT_CHECK,	/* the check digit or letter does not match */
	IDENT_RESERVED,	/* well formed but never issued */
	IDENT__MAX
};

/* Stable lower-case name of e ("ok", "empty", ...), or NULL when e is out
 * of range. */
const char *ident_err_name(enum ident_err e);

/* Writes a short generic sentence about e into msg, naming the identifier
 * as `what` (e.g. "NHS number"; NULL means "identifier"), for example
 * "NHS number fails its check: it has probably been mistyped".  Returns
 * what snprintf returns (the length it wanted), or -1 when e is out of
 * range (msg then gets an empty string when msglen > 0).  Prefer the
 * _explain functions, which say exactly what is wrong. */
int ident_message(enum ident_err e, const char *what, char *msg,
    size_t msglen);

/* Checks an NHS number as described above.  IDENT_OK: out holds the ten
 * digits and a NUL.  Otherwise out is untouched and the result says why:
 * IDENT_EMPTY, IDENT_CHARS (a character other than a digit, or a space or
 * hyphen not between the 3-3-4 groups), IDENT_LENGTH (not ten digits),
 * IDENT_RESERVED (one digit ten times), IDENT_CHECK (wrong check digit, or
 * nine digits no check digit can complete). */
enum ident_err ident_nhs_check(const char *s, size_t n, char out[11]);

/* The check digit (0..9) that completes nine digits d[0..9), 10 when no
 * digit can (such numbers are never issued), or -1 when d holds a
 * non-digit. */
int ident_nhs_check_digit(const char d[9]);

/* As ident_nhs_check, and writes into msg one sentence saying which rule
 * failed and why; for a wrong check digit it says what the last digit
 * should be.  For IDENT_OK the sentence says the number is valid. */
enum ident_err ident_nhs_explain(const char *s, size_t n, char *msg,
    size_t msglen);

/* Checks a UPN as described above.  IDENT_OK: out holds the 13 upper-case
 * characters and a NUL.  Otherwise out is untouched and the result is
 * IDENT_EMPTY, IDENT_CHARS (anything but letters and digits, or a letter
 * or digit in a position that does not allow it), IDENT_LENGTH (not 13
 * characters) or IDENT_CHECK (wrong check letter). */
enum ident_err ident_upn_check(const char *s, size_t n, char out[14]);

/* The check letter for characters 2..13 of a UPN, given as b[0..12) (upper
 * case), or '\0' when b breaks the rules for those positions. */
char ident_upn_check_letter(const char b[12]);

/* As ident_upn_check, with one sentence in msg; for a wrong check letter
 * it says what the first letter should be. */
enum ident_err ident_upn_explain(const char *s, size_t n, char *msg,
    size_t msglen);

/* True when s[0..n) is a UK postcode shape as described above; then out
 * holds the normal form ("SW1A 1AA", at most 8 characters) and a NUL.
 * False leaves out untouched. */
bool ident_postcode_check(const char *s, size_t n, char out[9]);

#endif
