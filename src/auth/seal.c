/* seal.c: see seal.h. */
#include "auth/seal.h"
#include "db/db.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(SEAL_NONCE_BYTES == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
	       "nonce size");
_Static_assert(SEAL_TAG_BYTES == crypto_aead_xchacha20poly1305_ietf_ABYTES,
	       "tag size");
_Static_assert(SEAL_KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
	       "key size");

#define HEX_LEN (SEAL_KEY_BYTES * 2)

int seal_key_default_path(const char *db_path, char *out, size_t len)
{
	if (db_is_uri(db_path))
		return -1;
	int n = snprintf(out, len, "%s.key", db_path);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int seal_key_create(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return 0;
		snprintf(err, errlen, "%s: cannot create the key file: %s",
			 path, strerror(errno));
		return -1;
	}
	unsigned char k[SEAL_KEY_BYTES];
	char hex[HEX_LEN + 2];
	randombytes_buf(k, sizeof(k));
	sodium_bin2hex(hex, HEX_LEN + 1, k, sizeof(k));
	sodium_memzero(k, sizeof(k));
	hex[HEX_LEN] = '\n';
	ssize_t w = write(fd, hex, HEX_LEN + 1);
	sodium_memzero(hex, sizeof(hex));
	/* a key that is not on the disk when we say it is would lose every
	 * draft sealed with it at the next start */
	if (w != HEX_LEN + 1 || fsync(fd) != 0) {
		snprintf(err, errlen, "%s: cannot write the key file", path);
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 1;
}

int seal_key_load(const char *path, struct seal_key *out, char *err,
		  size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open the key file: %s "
			 "(run 'cairn init' to make one)", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: the key file is not a regular file",
			 path);
		close(fd);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen, "%s: the key file may be read or written "
			 "by others (mode %03o): make it 0600", path,
			 (unsigned)(st.st_mode & 0777));
		close(fd);
		return -1;
	}
	char buf[HEX_LEN + 3];
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	size_t len = n > 0 ? (size_t)n : 0;
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	size_t bin_len = 0;
	int rc = -1;
	if (len == HEX_LEN)
		rc = sodium_hex2bin(out->k, sizeof(out->k), buf, len, NULL,
				    &bin_len, NULL);
	sodium_memzero(buf, sizeof(buf));
	if (rc != 0 || bin_len != SEAL_KEY_BYTES) {
		seal_key_wipe(out);
		snprintf(err, errlen, "%s: the key file must hold %d hex "
			 "characters", path, HEX_LEN);
		return -1;
	}
	return 0;
}

void seal_key_wipe(struct seal_key *k)
{
	sodium_memzero(k->k, sizeof(k->k));
}

int seal_encrypt(const struct seal_key *k, const void *ad, size_t adlen,
		 const void *pt, size_t n,
		 unsigned char nonce[SEAL_NONCE_BYTES], unsigned char *ct)
{
	if (n > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX)
		return -1;
	randombytes_buf(nonce, SEAL_NONCE_BYTES);
	unsigned long long clen = 0;
	crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &clen, pt, n, ad, adlen,
						   NULL, nonce, k->k);
	return 0;
}

int seal_decrypt(const struct seal_key *k, const void *ad, size_t adlen,
		 const unsigned char nonce[SEAL_NONCE_BYTES],
		 const unsigned char *ct, size_t ctlen, unsigned char *pt)
{
	if (ctlen < SEAL_TAG_BYTES)
		return -1;
	unsigned long long plen = 0;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(pt, &plen, NULL, ct,
						       ctlen, ad, adlen, nonce,
						       k->k) != 0) {
		sodium_memzero(pt, ctlen - SEAL_TAG_BYTES);
		return -1;
	}
	return 0;
}
