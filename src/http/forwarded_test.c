/* forwarded_test.c: trusted-proxy lists and X-Forwarded-For, good and bad. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "http/forwarded.h"

static struct forwarded_trust *trust(const char *list)
{
	struct forwarded_trust *t = NULL;
	char err[128];
	if (forwarded_trust_parse(list, &t, err, sizeof(err)) != 0)
		fail_msg("'%s' refused: %s", list, err);
	return t;
}

/* The client address forwarded_client() picks, as text, or "keep". */
static const char *client(const struct forwarded_trust *t, const char *xff,
			  char *buf, size_t len)
{
	struct forwarded_addr a;
	if (!forwarded_client(t, xff, strlen(xff), &a))
		return "keep";
	forwarded_addr_text(&a, buf, len);
	return buf;
}

static bool trusted_text(const struct forwarded_trust *t, const char *addr)
{
	struct forwarded_addr a;
	assert_true(forwarded_addr_parse(addr, strlen(addr), &a));
	return forwarded_trusted(t, &a);
}

static void trust_lists_good(void **state)
{
	(void)state;
	struct forwarded_trust *t = trust("");
	assert_true(forwarded_trust_empty(t));
	assert_false(trusted_text(t, "127.0.0.1"));
	forwarded_trust_free(t);
	t = trust("   ");
	assert_true(forwarded_trust_empty(t));
	forwarded_trust_free(t);
	assert_true(forwarded_trust_empty(NULL));
	forwarded_trust_free(NULL);

	t = trust(" 10.1.2.3 ,192.168.0.0/16,\t::1, 2001:db8::/32, 0.0.0.0/0 ");
	assert_false(forwarded_trust_empty(t));
	forwarded_trust_free(t);

	t = trust("10.1.2.3, 192.168.0.0/16, 2001:db8::/32, 172.16.0.0/12");
	assert_true(trusted_text(t, "10.1.2.3"));
	assert_false(trusted_text(t, "10.1.2.4"));
	assert_true(trusted_text(t, "192.168.255.1"));
	assert_false(trusted_text(t, "192.169.0.1"));
	assert_true(trusted_text(t, "172.31.255.255"));
	assert_false(trusted_text(t, "172.32.0.0"));
	assert_true(trusted_text(t, "2001:db8:ffff::1"));
	assert_false(trusted_text(t, "2001:db9::1"));
	/* an IPv4-mapped IPv6 address is the IPv4 address */
	assert_true(trusted_text(t, "::ffff:10.1.2.3"));
	assert_false(trusted_text(t, "::1"));
	forwarded_trust_free(t);

	t = trust("::ffff:10.0.0.0/104, 0.0.0.0/0");
	assert_true(trusted_text(t, "10.200.0.1"));
	assert_true(trusted_text(t, "203.0.113.9"));
	assert_false(trusted_text(t, "2001:db8::1"));
	forwarded_trust_free(t);
}

static void trust_lists_bad(void **state)
{
	(void)state;
	const char *bad[] = {
		"10.0.0.1,",           /* empty item */
		",10.0.0.1",
		"10.0.0.1,,10.0.0.2",
		"10.0.0.256",
		"10.0.0.1/33",
		"10.0.0.1/",
		"10.0.0.0/+8",
		"10.0.0.0/8/8",
		"192.168.1.0/16",      /* host bits past the prefix */
		"2001:db8::1/32",
		"::1/129",
		"example.org",
		"10.0.0.1:80",         /* a port is no network */
		"[::1]",
		"fe80::1%eth0",
		"010.0.0.1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct forwarded_trust *t = (struct forwarded_trust *)1;
		char err[128] = "";
		assert_int_equal(forwarded_trust_parse(bad[i], &t, err,
						       sizeof(err)), -1);
		assert_ptr_equal(t, (struct forwarded_trust *)1);
		assert_true(err[0] != '\0');
	}
	char many[2048] = "";
	for (int i = 0; i < FORWARDED_TRUST_MAX + 1; i++) {
		size_t o = strlen(many);
		snprintf(many + o, sizeof(many) - o, "%s10.0.0.%d", i ? "," : "",
			 i);
	}
	struct forwarded_trust *t = NULL;
	char err[128];
	assert_int_equal(forwarded_trust_parse(many, &t, err, sizeof(err)), -1);
	assert_null(t);
}

static void addresses(void **state)
{
	(void)state;
	struct forwarded_addr a;
	char buf[FORWARDED_ADDR_TEXT];
	const char *good[][2] = {
		{"203.0.113.9", "203.0.113.9"},
		{"203.0.113.9:4711", "203.0.113.9"},
		{"2001:DB8:0:0::7", "2001:db8::7"},
		{"[2001:db8::7]", "2001:db8::7"},
		{"[2001:db8::7]:443", "2001:db8::7"},
		{"::ffff:198.51.100.1", "198.51.100.1"},
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_true(forwarded_addr_parse(good[i][0], strlen(good[i][0]),
						 &a));
		forwarded_addr_text(&a, buf, sizeof(buf));
		assert_string_equal(buf, good[i][1]);
	}
	const char *bad[] = {
		"", "unknown", "203.0.113", "203.0.113.9:", "203.0.113.9:x",
		"203.0.113.9:65536", "[203.0.113.9]", "[2001:db8::7",
		"[2001:db8::7]443", "[2001:db8::7]:", "2001:db8::7:", "_hidden",
		"fe80::1%eth0", " 203.0.113.9", "1.2.3.4.5",
		"0000000000000000000000000000000000000000000000000000000000001",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&a, 0x5a, sizeof(a));
		assert_false(forwarded_addr_parse(bad[i], strlen(bad[i]), &a));
		assert_int_equal(a.family, 0x5a);
	}
	/* counted input: the bytes past n are never read */
	assert_true(forwarded_addr_parse("10.0.0.1XXXX", 8, &a));
	forwarded_addr_text(&a, buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.1");

	struct sockaddr_in v4 = {0};
	v4.sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &v4.sin_addr);
	assert_true(forwarded_addr_of((struct sockaddr *)&v4, &a));
	forwarded_addr_text(&a, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.1");
	struct sockaddr_in6 v6 = {0};
	v6.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "::ffff:192.0.2.2", &v6.sin6_addr);
	assert_true(forwarded_addr_of((struct sockaddr *)&v6, &a));
	assert_int_equal(a.family, 4);
	struct sockaddr other = {0};
	other.sa_family = AF_UNIX;
	assert_false(forwarded_addr_of(&other, &a));
	assert_false(forwarded_addr_of(NULL, &a));
}

static void client_address(void **state)
{
	(void)state;
	char buf[FORWARDED_ADDR_TEXT];
	struct forwarded_trust *t = trust("127.0.0.1, 10.0.0.0/8, fd00::/8");
	/* the rightmost entry not a trusted proxy */
	assert_string_equal(client(t, "203.0.113.9", buf, sizeof(buf)),
			    "203.0.113.9");
	assert_string_equal(client(t, "203.0.113.9, 10.0.0.5", buf,
				   sizeof(buf)), "203.0.113.9");
	assert_string_equal(client(t, "198.51.100.1,203.0.113.9,10.1.1.1,"
				   "fd00::2", buf, sizeof(buf)),
			    "203.0.113.9");
	/* what the sender wrote left of the answer is never read */
	assert_string_equal(client(t, "garbage, <script>, 203.0.113.9", buf,
				   sizeof(buf)), "203.0.113.9");
	assert_string_equal(client(t, "1.2.3.4, 203.0.113.9", buf,
				   sizeof(buf)), "203.0.113.9");
	/* ports, brackets and white space */
	assert_string_equal(client(t, " [2001:db8::9]:1234 ,\t10.0.0.1 ", buf,
				   sizeof(buf)), "2001:db8::9");
	assert_string_equal(client(t, "203.0.113.9:80", buf, sizeof(buf)),
			    "203.0.113.9");
	/* every entry trusted: the leftmost (a client on our own network) */
	assert_string_equal(client(t, "10.0.0.7, 10.0.0.5", buf, sizeof(buf)),
			    "10.0.0.7");
	/* malformed where it had to be read: keep the peer's address */
	const char *keep[] = {
		"", " ", ",", "203.0.113.9,", "203.0.113.9, ",
		"203.0.113.9, unknown", "203.0.113.9,,10.0.0.1",
		"unknown, 10.0.0.1", "203.0.113.9 10.0.0.1",
		"fe80::1%eth0", "203.0.113.9;10.0.0.1",
	};
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		assert_string_equal(client(t, keep[i], buf, sizeof(buf)),
				    "keep");
	/* more trusted hops than we read */
	char many[1024] = "203.0.113.9";
	for (int i = 0; i < FORWARDED_HOPS_MAX; i++) {
		size_t o = strlen(many);
		snprintf(many + o, sizeof(many) - o, ", 10.0.0.%d", i + 1);
	}
	assert_string_equal(client(t, many, buf, sizeof(buf)), "keep");
	/* one fewer and the client is found */
	char *last = strrchr(many, ',');
	*last = '\0';
	assert_string_equal(client(t, many, buf, sizeof(buf)), "203.0.113.9");
	forwarded_trust_free(t);

	/* nothing trusted: the rightmost entry (the caller only asks when
	 * the peer itself is a trusted proxy) */
	t = trust("");
	assert_string_equal(client(t, "198.51.100.1, 203.0.113.9", buf,
				   sizeof(buf)), "203.0.113.9");
	forwarded_trust_free(t);
	assert_string_equal(client(NULL, "203.0.113.9", buf, sizeof(buf)),
			    "203.0.113.9");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(trust_lists_good),
		cmocka_unit_test(trust_lists_bad),
		cmocka_unit_test(addresses),
		cmocka_unit_test(client_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
