/*
 * seal: the server's secret key and authenticated encryption with it.
 *
 * The key (SEAL_KEY_BYTES random bytes) lives in a file of its own,
 * never in the database: a copy of the database alone does not open
 * what was sealed with it (docs/decisions.md D24).  The file holds the
 * key as SEAL_KEY_BYTES * 2 lower-case hex characters and a newline,
 * and must be readable by its owner only (mode 0600 or stricter):
 * seal_key_load refuses a file that group or others may read or write.
 *
 * Encryption is XChaCha20-Poly1305 (IETF AEAD, libsodium) with a fresh
 * random 24-byte nonce per message, so nonces never repeat in practice.
 * Associated data (AD) binds a ciphertext to its context (for a draft:
 * council, user, form path, draft id): opening it under any other AD
 * fails, so it cannot be moved to another user, path or row.
 *
 * Ownership: the caller owns every buffer.  A struct seal_key should be
 * wiped with seal_key_wipe when no longer needed.  libsodium must have
 * been initialised (password_init).  Nothing here logs the key, the
 * plaintext or the ciphertext.  Every function is thread-safe.
 *
 * Errors: 0 on success, -1 on failure (with a message in err where the
 * function takes one); outputs are unset on failure.
 */
#ifndef CAIRN_SEAL_H
#define CAIRN_SEAL_H

#include <stddef.h>

#define SEAL_KEY_BYTES 32
#define SEAL_NONCE_BYTES 24 /* crypto_aead_xchacha20poly1305_ietf_NPUBBYTES */
#define SEAL_TAG_BYTES 16   /* crypto_aead_xchacha20poly1305_ietf_ABYTES */

struct seal_key {
	unsigned char k[SEAL_KEY_BYTES];
};

/* The default key file for a database file: "DB_PATH.key", into out.
 * Returns 0, or -1 when it does not fit or when db_path is a server's
 * URI (db_is_uri: a PostgreSQL store has no file to keep it beside, so
 * the key file must be named). */
int seal_key_default_path(const char *db_path, char *out, size_t len);

/* Makes a new key file at path (created with O_EXCL and mode 0600)
 * unless one exists.  Returns 1 when it made one, 0 when a file was
 * already there (it is not read or changed), -1 with err on failure
 * (no file is left behind). */
int seal_key_create(const char *path, char *err, size_t errlen);

/* Reads the key at path into *out.  Returns 0, or -1 with err when the
 * file is missing, not a regular file, readable or writable by group or
 * others, or not exactly the hex form above. */
int seal_key_load(const char *path, struct seal_key *out, char *err,
		  size_t errlen);

/* Zeroes the key. */
void seal_key_wipe(struct seal_key *k);

/* Encrypts pt[0..n) under k with associated data ad[0..adlen): fills
 * nonce with a new random nonce and writes n + SEAL_TAG_BYTES bytes to
 * ct.  Returns 0, or -1 when n is too large for the cipher. */
int seal_encrypt(const struct seal_key *k, const void *ad, size_t adlen,
		 const void *pt, size_t n,
		 unsigned char nonce[SEAL_NONCE_BYTES], unsigned char *ct);

/* Decrypts ct[0..ctlen) into pt (ctlen - SEAL_TAG_BYTES bytes).  Returns
 * 0 when the tag verifies under k, nonce and ad; -1 when it does not
 * (wrong key, AD or nonce; changed or truncated ciphertext), and then
 * pt holds nothing (it is zeroed). */
int seal_decrypt(const struct seal_key *k, const void *ad, size_t adlen,
		 const unsigned char nonce[SEAL_NONCE_BYTES],
		 const unsigned char *ct, size_t ctlen, unsigned char *pt);

#endif
