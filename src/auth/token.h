/*
 * token: random bearer tokens (session cookies, API tokens, CSRF
 * tokens), their stored form and constant-time comparison.
 *
 * A token is 32 random bytes (libsodium randombytes) written as
 * base64url without padding: exactly TOKEN_LEN characters of
 * [A-Za-z0-9_-], canonical (the unused low bits of the last character
 * are zero).  Only token_hash() of a token is ever stored, so a copy of
 * the database does not let anyone sign in.  A plain SHA-256 is enough
 * because the input has 256 bits of entropy (no dictionary to try).
 *
 * Tokens are secrets: callers must never log them or their hashes.
 * libsodium must have been initialised (password_init) first.  Every
 * function is thread-safe and nothing allocates.
 */
#ifndef CAIRN_TOKEN_H
#define CAIRN_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_BYTES 32 /* random bytes in a token */
#define TOKEN_LEN 43   /* characters of its base64url form */
#define TOKEN_HASH_LEN 64 /* hex characters of token_hash() */

/* Fills out with a new random token and its NUL.  Cannot fail (libsodium
 * aborts the process if the system has no randomness). */
void token_new(char out[TOKEN_LEN + 1]);

/* Writes the lowercase hex SHA-256 of the NUL-terminated tok and a NUL
 * to out (TOKEN_HASH_LEN + 1 bytes).  Any string hashes; check its shape
 * first with token_shape_ok when it comes from outside. */
void token_hash(const char *tok, char out[TOKEN_HASH_LEN + 1]);

/* True when tok[0..n) looks like a token made by token_new: n is
 * TOKEN_LEN, every byte is in the base64url alphabet and the encoding is
 * canonical.  False for NULL, any other length or byte.  Cheap; call it
 * before any database lookup so junk never reaches the store. */
bool token_shape_ok(const char *tok, size_t n);

/* Compares two NUL-terminated tokens in time that depends only on their
 * lengths (sodium_memcmp).  True when equal; false when they differ,
 * when either is NULL or empty (so a missing CSRF token never matches
 * a missing session token) or when either is longer than 1024 bytes. */
bool token_equal(const char *a, const char *b);

#endif
