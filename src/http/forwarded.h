/*
 * forwarded: which address a request came from, behind proxies we trust.
 *
 * Behind a TLS-terminating proxy every connection comes from the proxy,
 * and the client's address travels in X-Forwarded-For, which each proxy
 * extends on the right ("client, proxy1, proxy2").  Only the entries our
 * own proxies added can be believed: anything further left was written
 * by whoever sent the request.  So the client is the rightmost entry
 * that is not itself a trusted proxy, and the header counts at all only
 * when the connection's peer is a trusted proxy (the caller checks that
 * with forwarded_trusted() first).
 *
 * Addresses are IPv4 or IPv6; an IPv4-mapped IPv6 address (::ffff:a.b.c.d)
 * is treated as the IPv4 address everywhere.  Everything here is pure:
 * no I/O, no globals; parsing is length-bounded and never reads past the
 * counted input.
 *
 * Ownership: forwarded_trust_parse() returns an owned list, freed with
 * forwarded_trust_free().  Other functions borrow their arguments.
 */
#ifndef CAIRN_FORWARDED_H
#define CAIRN_FORWARDED_H

#include <stdbool.h>
#include <stddef.h>

struct sockaddr;

/* Longest address text forwarded_addr_text() writes, with its NUL. */
#define FORWARDED_ADDR_TEXT 46

/* Most trusted networks in one list, and most X-Forwarded-For entries
 * examined (from the right) before the header is called malformed. */
#define FORWARDED_TRUST_MAX 64
#define FORWARDED_HOPS_MAX 32

struct forwarded_addr {
	unsigned char family;    /* 4 or 6 */
	unsigned char bytes[16]; /* IPv4 in the first 4 */
};

struct forwarded_trust; /* a list of networks (address/prefix) */

/* Parses a comma-separated list of addresses and CIDR networks
 * ("10.0.0.1, 192.168.0.0/16, ::1, 2001:db8::/32"); white space around
 * items is ignored, and an empty or all-blank string is an empty list.
 * A network may not have bits set past its prefix (192.168.1.0/16 is
 * refused: likely a typing error).  Returns 0 and sets *out (owned), or
 * -1 with the reason in err and *out untouched. */
int forwarded_trust_parse(const char *list, struct forwarded_trust **out,
			  char *err, size_t errlen);

/* Frees a list; NULL is a no-op. */
void forwarded_trust_free(struct forwarded_trust *t);

/* True when the list (NULL counts as empty) has no networks. */
bool forwarded_trust_empty(const struct forwarded_trust *t);

/* True when a falls inside one of the list's networks; false for a NULL
 * or empty list. */
bool forwarded_trusted(const struct forwarded_trust *t,
		       const struct forwarded_addr *a);

/* Converts an AF_INET or AF_INET6 socket address.  Returns false (out
 * untouched) for any other family. */
bool forwarded_addr_of(const struct sockaddr *sa, struct forwarded_addr *out);

/* Parses one address: dotted IPv4 or textual IPv6, optionally
 * "[v6]", "[v6]:port" or "v4:port" (some proxies add the port).  Zone
 * ids ("fe80::1%eth0") are refused.  Returns false (out untouched) on
 * anything else. */
bool forwarded_addr_parse(const char *s, size_t n, struct forwarded_addr *out);

/* Writes the canonical text of a (inet_ntop form) into buf, which holds
 * at least FORWARDED_ADDR_TEXT bytes. */
void forwarded_addr_text(const struct forwarded_addr *a, char *buf,
			 size_t len);

/* The client address from an X-Forwarded-For value xff[0..n) received
 * from a trusted proxy: walking from the right, the first entry that is
 * not in t; when every entry is trusted, the leftmost.  Entries left of
 * the answer are never parsed (they are the sender's to write).  Returns
 * true and sets *out; false (out untouched) when the value is empty, an
 * entry that had to be read is malformed or empty, or more than
 * FORWARDED_HOPS_MAX entries would have to be read: the caller then
 * keeps the peer's address. */
bool forwarded_client(const struct forwarded_trust *t, const char *xff,
		      size_t n, struct forwarded_addr *out);

#endif
