/* password.c: see password.h. */
#include "auth/password.h"
#include "core/str.h"

#include <stddef.h> /* crack.h needs size_t first */

#include <crack.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

_Static_assert(PASSWORD_HASH_MAX == crypto_pwhash_STRBYTES,
	       "PASSWORD_HASH_MAX must match libsodium");

#define ARGON2ID_PREFIX "$argon2id$"

/* The one process-wide struct (STYLE.md section 9): written at start-up
 * by password_init/password_set_cost, read-only afterwards. */
static struct {
	enum password_cost cost;
	bool ready;                        /* sodium_init done */
	char dummy[PASSWORD_HASH_MAX];     /* a hash at `cost`, or "" */
} password_g = {PASSWORD_COST_INTERACTIVE, false, ""};

static const char *const password_err_names[PASSWORD_ERR__MAX] = {
	"ok",                              /* PASSWORD_OK */
	"password too short",              /* PASSWORD_ETOOSHORT */
	"password too long",               /* PASSWORD_ETOOLONG */
	"password is not text",            /* PASSWORD_ENOTTEXT */
	"password is one repeated character", /* PASSWORD_EREPEATED */
	"password hashing failed",         /* PASSWORD_EHASH */
	"libsodium initialisation failed", /* PASSWORD_EINIT */
	"common password",                 /* PASSWORD_ECOMMON */
};

static const char *const password_cost_names[PASSWORD_COST__MAX] = {
	"interactive", /* PASSWORD_COST_INTERACTIVE */
	"min",         /* PASSWORD_COST_MIN */
};

const char *password_strerror(int err)
{
	if (err > 0 || -err >= PASSWORD_ERR__MAX)
		return "unknown password error";
	return password_err_names[-err];
}

const char *password_cost_name(enum password_cost cost)
{
	return (unsigned)cost < PASSWORD_COST__MAX ? password_cost_names[cost]
						    : NULL;
}

static void cost_limits(unsigned long long *ops, size_t *mem)
{
	if (password_g.cost == PASSWORD_COST_MIN) {
		*ops = crypto_pwhash_OPSLIMIT_MIN;
		*mem = crypto_pwhash_MEMLIMIT_MIN;
	} else {
		*ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		*mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	}
}

/* A hash of random bytes nobody knows, at the current cost. */
static int make_dummy(void)
{
	unsigned char raw[24];
	char pw[sizeof(raw) * 2 + 1];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(pw, sizeof(pw), raw, sizeof(raw));
	int rc = password_hash(pw, password_g.dummy);
	sodium_memzero(pw, sizeof(pw));
	return rc;
}

int password_init(void)
{
	if (sodium_init() < 0)
		return PASSWORD_EINIT;
	password_g.ready = true;
	return make_dummy();
}

void password_set_cost(enum password_cost cost)
{
	if ((unsigned)cost >= PASSWORD_COST__MAX)
		return;
	password_g.cost = cost;
	if (password_g.ready)
		(void)make_dummy();
	else
		password_g.dummy[0] = '\0';
}

enum password_cost password_get_cost(void)
{
	return password_g.cost;
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	out[0] = '\0';
	if (pw == NULL)
		return PASSWORD_ETOOLONG;
	size_t n = strnlen(pw, PASSWORD_MAX_BYTES + 1);
	if (n > PASSWORD_MAX_BYTES)
		return PASSWORD_ETOOLONG;
	unsigned long long ops;
	size_t mem;
	cost_limits(&ops, &mem);
	if (crypto_pwhash_str_alg(out, pw, n, ops, mem,
				  crypto_pwhash_ALG_ARGON2ID13) != 0) {
		out[0] = '\0';
		return PASSWORD_EHASH;
	}
	return PASSWORD_OK;
}

/* Copies a stored hash into a zero-padded buffer of libsodium's fixed
 * size, so libsodium never reads past our string.  False when absent,
 * too long or not Argon2id. */
static bool stored_copy(const char *stored, char buf[PASSWORD_HASH_MAX])
{
	if (stored == NULL)
		return false;
	size_t n = strnlen(stored, PASSWORD_HASH_MAX);
	if (n == PASSWORD_HASH_MAX)
		return false;
	if (strncmp(stored, ARGON2ID_PREFIX, sizeof(ARGON2ID_PREFIX) - 1) != 0)
		return false;
	memset(buf, 0, PASSWORD_HASH_MAX);
	memcpy(buf, stored, n);
	return true;
}

bool password_verify(const char *stored, const char *pw)
{
	char buf[PASSWORD_HASH_MAX];
	if (pw == NULL)
		return false;
	if (!stored_copy(stored, buf)) {
		/* PASSWORD_NONE or damage: as slow as a real mismatch, so the
		 * time taken tells nobody which accounts have no password */
		password_verify_dummy(pw);
		return false;
	}
	size_t n = strnlen(pw, PASSWORD_MAX_BYTES + 1);
	if (n > PASSWORD_MAX_BYTES)
		return false;
	return crypto_pwhash_str_verify(buf, pw, n) == 0;
}

void password_verify_dummy(const char *pw)
{
	static const char fallback[] = "not a password";
	if (pw == NULL)
		pw = fallback;
	if (password_g.dummy[0] != '\0') {
		(void)password_verify(password_g.dummy, pw);
	} else {
		/* not initialised: hashing costs the same as verifying */
		char tmp[PASSWORD_HASH_MAX];
		(void)password_hash(pw, tmp);
	}
}

bool password_needs_rehash(const char *stored)
{
	char buf[PASSWORD_HASH_MAX];
	if (!stored_copy(stored, buf))
		return true;
	unsigned long long ops;
	size_t mem;
	cost_limits(&ops, &mem);
	return crypto_pwhash_str_needs_rehash(buf, ops, mem) != 0;
}

static int policy_fail(int rc, char *msg, size_t msglen, const char *text)
{
	if (msglen > 0)
		snprintf(msg, msglen, "%s", text);
	return rc;
}

/* cracklib keeps state between calls in statics: one caller at a time. */
static pthread_mutex_t crack_mu = PTHREAD_MUTEX_INITIALIZER;

/* cracklib's verdict on s: NULL when it finds nothing, else its reason.
 * *unavailable is set when the dictionary could not be opened. */
static const char *crack_check(const char *s, bool *unavailable)
{
	const char *dict = GetDefaultCracklibDict();
	char probe[4096];
	snprintf(probe, sizeof(probe), "%s.pwd", dict);
	FILE *f = fopen(probe, "rb");
	if (f == NULL) {
		*unavailable = true;
		return "no dictionary";
	}
	fclose(f);
	pthread_mutex_lock(&crack_mu);
	const char *why = FascistCheck(s, dict);
	pthread_mutex_unlock(&crack_mu);
	return why;
}

/* The core of pw (see password.h) in out: lower case, letter swaps
 * undone, digits, symbols and spaces at either end removed, a word typed
 * twice (or more) kept once.  Returns false when the core has anything
 * but ASCII letters in it (several words, or other scripts): such a
 * password is not one word dressed up. */
static bool password_core(const char *pw, size_t n, char *out, size_t cap)
{
	size_t a = 0, b = n;
	while (a < b && !((pw[a] | 0x20) >= 'a' && (pw[a] | 0x20) <= 'z'))
		a++;
	while (b > a && !((pw[b - 1] | 0x20) >= 'a' && (pw[b - 1] | 0x20) <= 'z'))
		b--;
	if (b - a + 1 > cap || a == b)
		return false;
	size_t k = 0;
	for (size_t i = a; i < b; i++) {
		char c = pw[i];
		static const char from[] = "01345@$7", to[] = "oieasast";
		const char *sw = strchr(from, c);
		if (c != '\0' && sw != NULL)
			c = to[sw - from];
		c = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
		if (c < 'a' || c > 'z')
			return false;
		out[k++] = c;
	}
	out[k] = '\0';
	for (size_t unit = 1; unit <= k / 2; unit++) {
		if (k % unit != 0)
			continue;
		size_t i = unit;
		while (i < k && memcmp(out + i, out, unit) == 0)
			i += unit;
		if (i == k) {
			out[unit] = '\0';
			break;
		}
	}
	return true;
}

static int common_check(const char *pw, size_t n, char *msg, size_t msglen)
{
	bool unavailable = false;
	const char *why = crack_check(pw, &unavailable);
	if (unavailable)
		return policy_fail(PASSWORD_ECOMMON, msg, msglen,
				   "Password could not be checked against the "
				   "list of common passwords. Tell your IT team");
	if (why != NULL && strstr(why, "simplistic") != NULL)
		return policy_fail(PASSWORD_ECOMMON, msg, msglen,
				   "Password must not be a simple pattern, like "
				   "a run of letters or numbers on the keyboard");
	char core[PASSWORD_MAX_BYTES + 1];
	if (!password_core(pw, n, core, sizeof(core)))
		return PASSWORD_OK;
	why = crack_check(core, &unavailable);
	/* cracklib calls a short core "too short" before it looks it up:
	 * a password that is 12 characters around 1 to 3 letters is a
	 * pattern, not a word, and has passed the check above */
	if (why != NULL && strstr(why, "dictionary") != NULL)
		return policy_fail(PASSWORD_ECOMMON, msg, msglen,
				   "Password must not be a common word or "
				   "password with numbers or symbols added. "
				   "Try three random words");
	return PASSWORD_OK;
}

int password_policy(const char *pw, char *msg, size_t msglen)
{
	if (msglen > 0)
		msg[0] = '\0';
	if (pw == NULL)
		return policy_fail(PASSWORD_ETOOSHORT, msg, msglen,
				   "Password must be 12 characters or more");
	size_t n = strnlen(pw, PASSWORD_MAX_BYTES + 1);
	if (n > PASSWORD_MAX_BYTES)
		return policy_fail(PASSWORD_ETOOLONG, msg, msglen,
				   "Password must be 1,024 characters or fewer");
	if (!str_is_text(pw, n) || strpbrk(pw, "\t\r\n") != NULL)
		return policy_fail(PASSWORD_ENOTTEXT, msg, msglen,
				   "Password must only include letters, "
				   "numbers, symbols and spaces");
	/* valid UTF-8 now: count code points (bytes that are not
	 * continuation bytes) */
	size_t chars = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)pw[i] & 0xc0) != 0x80)
			chars++;
	if (chars < PASSWORD_MIN_CHARS)
		return policy_fail(PASSWORD_ETOOSHORT, msg, msglen,
				   "Password must be 12 characters or more");
	/* one character repeated: the string is its first character's
	 * bytes over and over */
	size_t first = 1;
	while (first < n && ((unsigned char)pw[first] & 0xc0) == 0x80)
		first++;
	bool same = n % first == 0;
	for (size_t i = first; same && i < n; i += first)
		same = memcmp(pw + i, pw, first) == 0;
	if (same)
		return policy_fail(PASSWORD_EREPEATED, msg, msglen,
				   "Password must not be the same character "
				   "repeated");
	return common_check(pw, n, msg, msglen);
}
