/* ident.c: see ident.h for the contract and the sources of each rule. */
#include "child/ident.h"

#include <stdio.h>
#include <string.h>

static const char *const err_names[IDENT__MAX] = {
	"ok",		/* IDENT_OK */
	"empty",	/* IDENT_EMPTY */
	"length",	/* IDENT_LENGTH */
	"chars",	/* IDENT_CHARS */
	"check",	/* IDENT_CHECK */
	"reserved",	/* IDENT_RESERVED */
};

/* Generic sentences; %s is the identifier's name. */
static const char *const err_sentences[IDENT__MAX] = {
	/* IDENT_OK */
	"%s is valid",
	/* IDENT_EMPTY */
	"%s is empty",
	/* IDENT_LENGTH */
	"%s has the wrong number of characters",
	/* IDENT_CHARS */
	"%s contains a character that is not allowed there",
	/* IDENT_CHECK */
	"%s fails its check: it has probably been mistyped",
	/* IDENT_RESERVED */
	"%s is a reserved value that is never issued",
};

/* The 23 letters UPNs use, for the check letter and for a temporary
 * UPN's last character: A-Z without I, O and S.  Index = value. */
static const char upn_alphabet[] = "ABCDEFGHJKLMNPQRTUVWXYZ";

const char *ident_err_name(enum ident_err e)
{
	if ((unsigned)e >= IDENT__MAX)
		return NULL;
	return err_names[e];
}

int ident_message(enum ident_err e, const char *what, char *msg,
    size_t msglen)
{
	if ((unsigned)e >= IDENT__MAX) {
		if (msg != NULL && msglen > 0)
			msg[0] = '\0';
		return -1;
	}
	return snprintf(msg, msglen, err_sentences[e],
	    what != NULL ? what : "identifier");
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char to_upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* ---- NHS number ------------------------------------------------------- */

int ident_nhs_check_digit(const char d[9])
{
	int sum = 0;
	for (int i = 0; i < 9; i++) {
		if (!is_digit(d[i]))
			return -1;
		sum += (d[i] - '0') * (10 - i);
	}
	int c = 11 - sum % 11;
	return c == 11 ? 0 : c;
}

/* What went wrong, for the explanation. */
struct nhs_info {
	size_t ndigits;
	bool bad_char;		/* not a digit, space or hyphen */
	int expected;		/* check digit wanted (0..10) */
	int given;		/* check digit typed */
};

static enum ident_err nhs_analyse(const char *s, size_t n, char digits[11],
    struct nhs_info *info)
{
	size_t k = 0, seps = 0;
	bool sep_ok = true;

	memset(info, 0, sizeof(*info));
	while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return IDENT_EMPTY;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (is_digit(c)) {
			if (k < 10)
				digits[k] = c;
			k++;
			continue;
		}
		if (c != ' ' && c != '-') {
			info->bad_char = true;
			continue;
		}
		/* A separator must sit right after digit 3 or digit 6, once,
		 * between two digits. */
		seps++;
		if ((k != 3 && k != 6) || i == 0 || !is_digit(s[i - 1]) ||
		    i + 1 >= n || !is_digit(s[i + 1]))
			sep_ok = false;
	}
	info->ndigits = k;
	if (info->bad_char)
		return IDENT_CHARS;
	if (k != 10)
		return IDENT_LENGTH;
	if (!sep_ok || seps > 2)
		return IDENT_CHARS;
	digits[10] = '\0';
	bool same = true;
	for (int i = 1; i < 10; i++)
		if (digits[i] != digits[0])
			same = false;
	if (same)
		return IDENT_RESERVED;
	info->expected = ident_nhs_check_digit(digits);
	info->given = digits[9] - '0';
	if (info->expected != info->given)
		return IDENT_CHECK;
	return IDENT_OK;
}

enum ident_err ident_nhs_check(const char *s, size_t n, char out[11])
{
	char digits[11];
	struct nhs_info info;
	enum ident_err e = nhs_analyse(s, n, digits, &info);
	if (e == IDENT_OK)
		memcpy(out, digits, 11);
	return e;
}

enum ident_err ident_nhs_explain(const char *s, size_t n, char *msg,
    size_t msglen)
{
	char digits[11];
	struct nhs_info info;
	enum ident_err e = nhs_analyse(s, n, digits, &info);

	switch (e) {
	case IDENT_OK:
		snprintf(msg, msglen, "The NHS number is valid.");
		break;
	case IDENT_EMPTY:
		snprintf(msg, msglen, "Enter an NHS number: it is empty.");
		break;
	case IDENT_CHARS:
		if (info.bad_char)
			snprintf(msg, msglen, "An NHS number can only contain "
			    "digits, with a space or hyphen allowed between "
			    "the groups of 3, 3 and 4 digits.");
		else
			snprintf(msg, msglen, "The NHS number has a space or "
			    "hyphen in the wrong place: group it as 3, 3 and 4 "
			    "digits, or leave the spaces out.");
		break;
	case IDENT_LENGTH:
		snprintf(msg, msglen, "An NHS number must be 10 digits long; "
		    "this one has %zu.", info.ndigits);
		break;
	case IDENT_RESERVED:
		snprintf(msg, msglen, "The NHS number is the same digit 10 "
		    "times, which is used as a placeholder and never issued.");
		break;
	case IDENT_CHECK:
		if (info.expected == 10)
			snprintf(msg, msglen, "The NHS number fails its check: "
			    "no valid NHS number starts with these 9 digits, "
			    "so at least one of them has been mistyped.");
		else
			snprintf(msg, msglen, "The NHS number fails its check: "
			    "with these first 9 digits the last digit should "
			    "be %d, not %d. A digit has probably been mistyped "
			    "or two digits swapped.", info.expected,
			    info.given);
		break;
	case IDENT__MAX:
	default:
		snprintf(msg, msglen, "The NHS number could not be checked.");
		break;
	}
	return e;
}

/* ---- UPN -------------------------------------------------------------- */

/* Value of a UPN letter (index in upn_alphabet), or -1 for I, O, S and
 * anything that is not an upper-case letter. */
static int upn_letter_value(char c)
{
	if (!is_upper(c))
		return -1;
	const char *p = memchr(upn_alphabet, c, sizeof(upn_alphabet) - 1);
	return p ? (int)(p - upn_alphabet) : -1;
}

char ident_upn_check_letter(const char b[12])
{
	int sum = 0;
	for (int i = 0; i < 12; i++) {
		int v;
		if (is_digit(b[i]))
			v = b[i] - '0';
		else if (i == 11 && (v = upn_letter_value(b[i])) >= 0)
			;	/* temporary UPN: value from the alphabet */
		else
			return '\0';
		sum += v * (i + 2);	/* character i+2 has weight i+2 */
	}
	return upn_alphabet[sum % 23];
}

struct upn_info {
	size_t len;
	size_t bad_pos;		/* 1-based position of a bad character */
	bool not_alnum;		/* ... which is neither letter nor digit */
	char expected, given;
};

static enum ident_err upn_analyse(const char *s, size_t n, char up[14],
    struct upn_info *info)
{
	memset(info, 0, sizeof(*info));
	info->len = n;
	if (n == 0)
		return IDENT_EMPTY;
	for (size_t i = 0; i < n; i++) {
		char c = to_upper(s[i]);
		if (!is_digit(c) && !is_upper(c)) {
			info->bad_pos = i + 1;
			info->not_alnum = true;
			return IDENT_CHARS;
		}
		if (i < 13)
			up[i] = c;
	}
	if (n != 13)
		return IDENT_LENGTH;
	up[13] = '\0';
	if (upn_letter_value(up[0]) < 0) {
		info->bad_pos = 1;
		return IDENT_CHARS;
	}
	for (size_t i = 1; i < 12; i++) {
		if (!is_digit(up[i])) {
			info->bad_pos = i + 1;
			return IDENT_CHARS;
		}
	}
	if (!is_digit(up[12]) && upn_letter_value(up[12]) < 0) {
		info->bad_pos = 13;
		return IDENT_CHARS;
	}
	info->expected = ident_upn_check_letter(up + 1);
	info->given = up[0];
	if (info->expected != info->given)
		return IDENT_CHECK;
	return IDENT_OK;
}

enum ident_err ident_upn_check(const char *s, size_t n, char out[14])
{
	char up[14];
	struct upn_info info;
	enum ident_err e = upn_analyse(s, n, up, &info);
	if (e == IDENT_OK)
		memcpy(out, up, 14);
	return e;
}

enum ident_err ident_upn_explain(const char *s, size_t n, char *msg,
    size_t msglen)
{
	char up[14];
	struct upn_info info;
	enum ident_err e = upn_analyse(s, n, up, &info);

	switch (e) {
	case IDENT_OK:
		snprintf(msg, msglen, "The UPN is valid.");
		break;
	case IDENT_EMPTY:
		snprintf(msg, msglen, "Enter a UPN: it is empty.");
		break;
	case IDENT_LENGTH:
		snprintf(msg, msglen, "A UPN must be 13 characters long; this "
		    "one has %zu.", info.len);
		break;
	case IDENT_CHARS:
		if (info.not_alnum)
			snprintf(msg, msglen, "A UPN can only contain letters "
			    "and digits, with no spaces; character %zu is "
			    "neither.", info.bad_pos);
		else if (info.bad_pos == 1)
			snprintf(msg, msglen, "A UPN must start with a letter "
			    "other than I, O or S.");
		else if (info.bad_pos == 13)
			snprintf(msg, msglen, "The last character of a UPN must "
			    "be a digit, or a letter other than I, O or S.");
		else
			snprintf(msg, msglen, "Characters 2 to 12 of a UPN must "
			    "be digits; character %zu is not.", info.bad_pos);
		break;
	case IDENT_CHECK:
		snprintf(msg, msglen, "The UPN fails its check: with these "
		    "last 12 characters the first letter should be %c, not "
		    "%c. A character has probably been mistyped or two "
		    "swapped.", info.expected, info.given);
		break;
	case IDENT_RESERVED:
	case IDENT__MAX:
	default:
		snprintf(msg, msglen, "The UPN could not be checked.");
		break;
	}
	return e;
}

/* ---- postcode --------------------------------------------------------- */

static bool in_set(char c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

/* Checks the outward code o[0..n) (2..4 upper-case characters). */
static bool outward_ok(const char *o, size_t n)
{
	const char *first_bad = "QVX", *second_bad = "IJZ";
	const char *third = "ABCDEFGHJKPSTUW", *fourth = "ABEHMNPRVWXY";

	if (n < 2 || n > 4 || !is_upper(o[0]) || in_set(o[0], first_bad))
		return false;
	if (n == 2)			/* A9 */
		return is_digit(o[1]);
	if (n == 3) {
		if (is_digit(o[1]) && is_digit(o[2]))		/* A99 */
			return true;
		if (is_digit(o[1]) && in_set(o[2], third))	/* A9A */
			return true;
		return is_upper(o[1]) && !in_set(o[1], second_bad) &&
		    is_digit(o[2]);				/* AA9 */
	}
	if (!is_upper(o[1]) || in_set(o[1], second_bad) || !is_digit(o[2]))
		return false;
	return is_digit(o[3]) || in_set(o[3], fourth);	/* AA99, AA9A */
}

bool ident_postcode_check(const char *s, size_t n, char out[9])
{
	const char *inward_bad = "CIKMOV";
	char b[7];
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t')
			continue;
		c = to_upper(c);
		if ((!is_upper(c) && !is_digit(c)) || k == sizeof(b))
			return false;
		b[k++] = c;
	}
	if (k < 5)
		return false;
	const char *in = b + k - 3;
	bool ok;
	if (k == 6 && memcmp(b, "GIR0AA", 6) == 0)
		ok = true;
	else
		ok = outward_ok(b, k - 3) && is_digit(in[0]) &&
		    is_upper(in[1]) && !in_set(in[1], inward_bad) &&
		    is_upper(in[2]) && !in_set(in[2], inward_bad);
	if (!ok)
		return false;
	memcpy(out, b, k - 3);
	out[k - 3] = ' ';
	memcpy(out + k - 2, in, 3);
	out[k + 1] = '\0';
	return true;
}
