/* forwarded.c: see forwarded.h for the contract. */
#include "http/forwarded.h"
#include "core/arena.h"
#include "core/str.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct forwarded_net {
	struct forwarded_addr a;
	unsigned prefix; /* bits: 0..32 or 0..128 */
};

struct forwarded_trust {
	size_t n;
	struct forwarded_net v[];
};

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0,
					    0, 0, 0, 0, 0xff, 0xff};

/* An IPv6 address; an IPv4-mapped one becomes IPv4. */
static void set_v6(struct forwarded_addr *out, const unsigned char b[16])
{
	memset(out, 0, sizeof(*out));
	if (memcmp(b, v4_mapped, 12) == 0) {
		out->family = 4;
		memcpy(out->bytes, b + 12, 4);
	} else {
		out->family = 6;
		memcpy(out->bytes, b, 16);
	}
}

bool forwarded_addr_of(const struct sockaddr *sa, struct forwarded_addr *out)
{
	if (sa == NULL)
		return false;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *v4 = (const struct sockaddr_in *)sa;
		memset(out, 0, sizeof(*out));
		out->family = 4;
		memcpy(out->bytes, &v4->sin_addr, 4);
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)sa;
		set_v6(out, (const unsigned char *)&v6->sin6_addr);
		return true;
	}
	return false;
}

static bool all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* A bare address (no brackets, no port) of either family. */
static bool parse_bare(const char *s, size_t n, struct forwarded_addr *out)
{
	char buf[FORWARDED_ADDR_TEXT];
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	unsigned char b[16];
	if (inet_pton(AF_INET, buf, b) == 1) {
		memset(out, 0, sizeof(*out));
		out->family = 4;
		memcpy(out->bytes, b, 4);
		return true;
	}
	if (inet_pton(AF_INET6, buf, b) == 1) {
		set_v6(out, b);
		return true;
	}
	return false;
}

bool forwarded_addr_parse(const char *s, size_t n, struct forwarded_addr *out)
{
	int64_t port;
	if (n > 0 && s[0] == '[') {
		const char *e = memchr(s, ']', n);
		if (e == NULL)
			return false;
		size_t in = (size_t)(e - s - 1), rest = n - in - 2;
		if (rest != 0 && (e[1] != ':' ||
				  !all_digits(e + 2, rest - 1) ||
				  !str_to_i64(e + 2, rest - 1, 0, 65535, &port)))
			return false;
		struct forwarded_addr a;
		if (!parse_bare(s + 1, in, &a) || a.family != 6)
			return false;
		*out = a;
		return true;
	}
	/* "a.b.c.d:port": exactly one colon and a dot before it */
	const char *c = memchr(s, ':', n);
	if (c != NULL && memchr(c + 1, ':', n - (size_t)(c - s) - 1) == NULL) {
		size_t hn = (size_t)(c - s), pn = n - hn - 1;
		struct forwarded_addr a;
		if (!all_digits(c + 1, pn) ||
		    !str_to_i64(c + 1, pn, 0, 65535, &port) ||
		    !parse_bare(s, hn, &a) || a.family != 4)
			return false;
		*out = a;
		return true;
	}
	return parse_bare(s, n, out);
}

void forwarded_addr_text(const struct forwarded_addr *a, char *buf,
			 size_t len)
{
	if (len == 0)
		return;
	if (inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->bytes, buf,
		      (socklen_t)len) == NULL)
		snprintf(buf, len, "-");
}

static bool in_net(const struct forwarded_net *net,
		   const struct forwarded_addr *a)
{
	if (net->a.family != a->family)
		return false;
	unsigned full = net->prefix / 8, rem = net->prefix % 8;
	if (memcmp(net->a.bytes, a->bytes, full) != 0)
		return false;
	if (rem == 0)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rem));
	return (net->a.bytes[full] & mask) == (a->bytes[full] & mask);
}

bool forwarded_trusted(const struct forwarded_trust *t,
		       const struct forwarded_addr *a)
{
	if (t == NULL)
		return false;
	for (size_t i = 0; i < t->n; i++)
		if (in_net(&t->v[i], a))
			return true;
	return false;
}

bool forwarded_trust_empty(const struct forwarded_trust *t)
{
	return t == NULL || t->n == 0;
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Trims optional white space from both ends of s[0..*n). */
static const char *trim(const char *s, size_t *n)
{
	while (*n > 0 && is_ows(s[0])) {
		s++;
		(*n)--;
	}
	while (*n > 0 && is_ows(s[*n - 1]))
		(*n)--;
	return s;
}

/* One list item: "address" or "address/prefix", host bits clear. */
static bool parse_net(const char *s, size_t n, struct forwarded_net *net,
		      const char **why)
{
	const char *slash = memchr(s, '/', n);
	size_t an = slash ? (size_t)(slash - s) : n;
	if (!parse_bare(s, an, &net->a)) {
		*why = "is not an IPv4 or IPv6 address";
		return false;
	}
	unsigned max = net->a.family == 4 ? 32 : 128;
	/* a mapped v6 network ("::ffff:10.0.0.0/104") is its v4 network */
	bool mapped = net->a.family == 4 && memchr(s, ':', an) != NULL;
	net->prefix = max;
	if (slash) {
		int64_t p;
		size_t pn = n - an - 1;
		if (!all_digits(slash + 1, pn) ||
		    !str_to_i64(slash + 1, pn, mapped ? 96 : 0,
				mapped ? 128 : max, &p)) {
			*why = "has a bad prefix length";
			return false;
		}
		net->prefix = mapped ? (unsigned)p - 96 : (unsigned)p;
	}
	struct forwarded_net masked = *net;
	unsigned full = net->prefix / 8, rem = net->prefix % 8;
	if (rem) {
		masked.a.bytes[full] &= (unsigned char)(0xff << (8 - rem));
		full++;
	}
	memset(masked.a.bytes + full, 0, 16 - full);
	if (memcmp(&masked.a, &net->a, sizeof(net->a)) != 0) {
		*why = "has address bits set past its prefix length";
		return false;
	}
	return true;
}

int forwarded_trust_parse(const char *list, struct forwarded_trust **out,
			  char *err, size_t errlen)
{
	struct forwarded_trust *t =
		xcalloc(1, sizeof(*t) + FORWARDED_TRUST_MAX * sizeof(t->v[0]));
	size_t len = strlen(list);
	size_t blank = len;
	trim(list, &blank);
	const char *p = list, *end = list + len;
	while (blank > 0 && p <= end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t n = comma ? (size_t)(comma - p) : (size_t)(end - p);
		const char *item = trim(p, &n);
		const char *why = NULL;
		if (n == 0)
			why = "has an empty item";
		else if (t->n == FORWARDED_TRUST_MAX)
			why = "has too many items (at most 64)";
		else if (parse_net(item, n, &t->v[t->n], &why))
			t->n++;
		if (why) {
			snprintf(err, errlen, "'%.*s' %s", (int)(n > 60 ? 60 : n),
				 item, why);
			free(t);
			return -1;
		}
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	*out = t;
	return 0;
}

void forwarded_trust_free(struct forwarded_trust *t)
{
	free(t);
}

bool forwarded_client(const struct forwarded_trust *t, const char *xff,
		      size_t n, struct forwarded_addr *out)
{
	size_t end = n;
	struct forwarded_addr a;
	bool have = false;
	for (int hops = 0; hops < FORWARDED_HOPS_MAX; hops++) {
		size_t start = end;
		while (start > 0 && xff[start - 1] != ',')
			start--;
		size_t len = end - start;
		const char *item = trim(xff + start, &len);
		if (len == 0 || !forwarded_addr_parse(item, len, &a))
			return false;
		have = true;
		if (!forwarded_trusted(t, &a) || start == 0)
			break;
		end = start - 1; /* the comma */
		if (hops == FORWARDED_HOPS_MAX - 1)
			return false;
	}
	if (!have)
		return false;
	*out = a;
	return true;
}
