/*
 * password: Argon2id password hashing (libsodium) and the password policy.
 *
 * Stored hashes are libsodium's encoded Argon2id strings
 * ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"), which carry their own
 * salt and cost, so a hash made at one cost still verifies after the
 * cost changes; password_needs_rehash() tells the caller when to replace
 * it.  Only Argon2id strings are accepted: anything else is "malformed"
 * and never verifies.
 *
 * Process-wide state (STYLE.md section 9): the cost and a dummy hash
 * used to equalise timing live in one static struct in password.c.  It
 * is configuration: set it once at start-up, with password_init() and
 * optionally password_set_cost(), before any thread hashes or verifies.
 * After that every function here is thread-safe (read-only state).
 *
 * Plain-text passwords are borrowed, never stored, copied or logged.
 * Nothing here allocates on the heap.
 *
 * Errors: functions that can fail return 0 or a negative enum
 * password_err; password_strerror() names each code.
 */
#ifndef CAIRN_PASSWORD_H
#define CAIRN_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

/* Room for an encoded hash and its NUL (crypto_pwhash_STRBYTES). */
#define PASSWORD_HASH_MAX 128
/* Policy limits.  Characters are Unicode code points; the maximum is in
 * bytes so a hash input is bounded whatever the script. */
#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_BYTES 1024

enum password_cost {
	PASSWORD_COST_INTERACTIVE, /* "interactive": libsodium's
				      OPSLIMIT/MEMLIMIT_INTERACTIVE; the default */
	PASSWORD_COST_MIN,         /* "min": OPSLIMIT_MIN/MEMLIMIT_MIN, for tests
				      and the demo only; never in production */
	PASSWORD_COST__MAX
};

enum password_err {
	PASSWORD_OK = 0,
	PASSWORD_ETOOSHORT = -1, /* fewer than PASSWORD_MIN_CHARS */
	PASSWORD_ETOOLONG = -2,  /* more than PASSWORD_MAX_BYTES */
	PASSWORD_ENOTTEXT = -3,  /* not UTF-8 text, or has control chars */
	PASSWORD_EREPEATED = -4, /* one character repeated throughout */
	PASSWORD_EHASH = -5,     /* libsodium failed (memory) or no init */
	PASSWORD_EINIT = -6,     /* sodium_init() failed */
	PASSWORD_ECOMMON = -7,   /* a common word or pattern, dressed up */
	PASSWORD_ERR__MAX = 8    /* number of codes; not a code */
};

/* A fixed developer-facing name for a code ("password too short"...);
 * "unknown password error" for anything else.  Never NULL. */
const char *password_strerror(int err);

/* A name for a cost ("interactive", "min"); NULL out of range. */
const char *password_cost_name(enum password_cost cost);

/* Initialises libsodium (sodium_init) and the dummy hash at the current
 * cost.  Call once at start-up, before any other auth function (token
 * and throttle also need libsodium initialised).  Calling it again is
 * harmless.  Returns 0, PASSWORD_EINIT if libsodium cannot start, or
 * PASSWORD_EHASH if the dummy hash cannot be made. */
int password_init(void);

/* Sets the cost of new hashes (and of the dummy hash, when initialised).
 * Start-up configuration: not to be called while other threads hash or
 * verify.  An out-of-range value is ignored. */
void password_set_cost(enum password_cost cost);

/* The cost in force. */
enum password_cost password_get_cost(void);

/* Hashes pw (NUL-terminated, at most PASSWORD_MAX_BYTES) with a fresh
 * random salt at the current cost.  Does not apply the policy (call
 * password_policy first).  Returns 0 and fills out with the encoded
 * NUL-terminated hash; PASSWORD_ETOOLONG for an over-long or NULL pw;
 * PASSWORD_EHASH if libsodium fails.  On failure out is left empty
 * (""). */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);

/* True only when `stored` is a well-formed Argon2id hash of pw.  False
 * for a wrong password, a NULL argument, a stored string that is too
 * long, not Argon2id or otherwise malformed, and a pw over
 * PASSWORD_MAX_BYTES. */
bool password_verify(const char *stored, const char *pw);

/* What is stored for a user with no password (user_add): not a hash, so
 * password_verify never matches it (and spends a real verify's time). */
#define PASSWORD_NONE "!"

/* Spends the same time as password_verify() against a real hash at the
 * current cost, then discards the result.  Used when there is no stored
 * hash to check (unknown user) so response time does not reveal whether
 * an account exists. */
void password_verify_dummy(const char *pw);

/* True when `stored` was made with other parameters than the current
 * cost (or another algorithm) and should be replaced after a successful
 * verification; also true for a malformed or NULL stored string.  False
 * when it matches the current cost. */
bool password_needs_rehash(const char *stored);

/* Applies the policy (NCSC password guidance: length, and a deny-list
 * rather than composition rules): at least PASSWORD_MIN_CHARS code
 * points, at most PASSWORD_MAX_BYTES bytes, valid UTF-8 without control
 * characters, not one character repeated throughout, and not a common
 * password.  "Common" is decided with cracklib (Debian's libcrack2 and
 * its dictionary of words and leaked passwords, cracklib-runtime): the
 * password is refused when cracklib finds it simplistic or systematic
 * ("1234567890ab"), or when what is left after taking off the digits,
 * symbols and spaces around it, undoing common letter swaps (0 for o, 1
 * for i, 3 for e, 4 and @ for a, 5 and $ for s, 7 for t) and collapsing
 * a word typed twice is one dictionary word ("Password1234!",
 * "football2024", "passwordpassword").  Passphrases of several words
 * pass ("correct horse battery staple").  If the dictionary cannot be
 * opened the password is refused (PASSWORD_ECOMMON, with a message
 * saying so) rather than let through unchecked.
 * Returns 0 when acceptable
 * (msg set to ""), else the first failing rule's negative
 * password_err with a human message for the person choosing the
 * password in msg (GOV.UK style, no trailing full stop).  msg may be
 * NULL when msglen is 0; it is always NUL-terminated otherwise.  A NULL
 * pw counts as too short. */
int password_policy(const char *pw, char *msg, size_t msglen);

#endif
