/*
 * e2e_hardening_test.c: the HTTP layer under hostile clients, over
 * loopback against the real server.
 *
 * - requests MHD drops by itself (thousands of query parameters) leave
 *   nothing behind: in-flight back to zero, memory flat;
 * - oversize headers, a missing Host and oversize bodies (declared or
 *   chunked) are answered at once, by our code, with our headers;
 * - HSTS follows cookie_secure;
 * - X-Forwarded-For counts only from trusted_proxies;
 * - one address cannot hold more than max_connections_per_address
 *   connections, and trickled bytes do not stretch a request past
 *   request_deadline_seconds; other clients are served meanwhile;
 * - the same leak and deadline checks with an epoll thread pool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static struct e2e_server srv;

static const char *const conf_default = "";
static const char *const conf_proxy =
	"cookie_secure = false\n"
	"trusted_proxies = 127.0.0.1, ::1\n";
static const char *const conf_slow =
	"max_connections_per_address = 8\n"
	"request_deadline_seconds = 3\n";
static const char *const conf_pool =
	"threads = 2\n"
	"max_connections_per_address = 8\n"
	"request_deadline_seconds = 2\n";

/* The running server's request_deadline_seconds, in ms. */
static long deadline_ms;

static int up_with(const char *conf)
{
	const char *d = strstr(conf, "request_deadline_seconds = ");
	deadline_ms = d ? 1000 * strtol(d + 27, NULL, 10) : 30000;
	return e2e_server_start_conf(&srv, 5, conf);
}

static int up_default(void **state)
{
	(void)state;
	return up_with(conf_default);
}

static int up_proxy(void **state)
{
	(void)state;
	return up_with(conf_proxy);
}

static int up_slow(void **state)
{
	(void)state;
	return up_with(conf_slow);
}

static int up_pool(void **state)
{
	(void)state;
	return up_with(conf_pool);
}

static int down(void **state)
{
	(void)state;
	e2e_server_stop(&srv);
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Sends req on a fresh connection and reads the answer until the server
 * closes (or timeout_ms); returns the status (0: none) and the time. */
static int exchange(const char *req, size_t n, char *buf, size_t len,
		    int timeout_ms, long *ms)
{
	int fd = e2e_connect(&srv, NULL);
	assert_true(fd >= 0);
	buf[0] = '\0';
	if (e2e_send(fd, req, n) == 0)
		e2e_read_until_close(fd, buf, len, timeout_ms, ms);
	close(fd);
	return e2e_raw_status(buf);
}

/* The answer carries our security headers (and a request id). */
static void assert_ours(const char *buf)
{
	char h[512];
	assert_non_null(e2e_raw_header(buf, "Content-Security-Policy", h,
				       sizeof(h)));
	assert_non_null(strstr(h, "default-src 'none'"));
	assert_non_null(e2e_raw_header(buf, "X-Content-Type-Options", h,
				       sizeof(h)));
	assert_non_null(e2e_raw_header(buf, "X-Request-Id", h, sizeof(h)));
	assert_int_equal(strlen(h), 16);
}

/* The server's in-flight gauge once it has settled: the /metrics
 * request that reads it is itself in flight, so idle reads 1. */
static long long settled_in_flight(void)
{
	long long v = -1;
	for (int i = 0; i < 50; i++) {
		v = e2e_metric(&srv, "cairn_http_in_flight");
		if (v == 1)
			break;
		sleep_ms(100);
	}
	return v;
}

/* Sends req on `count` connections at once, each from its own loopback
 * address (127.0.1.x, so no per-address cap applies), and waits up to
 * timeout_ms for the server to close them all.  Returns how many it
 * closed; *answered gets how many of those had an answer. */
static int exchange_many(const char *req, size_t n, int count, int timeout_ms,
			 int *answered)
{
	enum { MAX = 64 };
	int fds[MAX];
	bool done[MAX] = {false}, got[MAX] = {false};
	assert_true(count <= MAX);
	for (int i = 0; i < count; i++) {
		char from[32];
		snprintf(from, sizeof(from), "127.0.1.%d", i + 1);
		fds[i] = e2e_connect(&srv, from);
		assert_true(fds[i] >= 0);
		if (e2e_send(fds[i], req, n) != 0)
			done[i] = true;
	}
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int closed = 0;
	while (e2e_ms_since(&t0) < timeout_ms) {
		struct pollfd p[MAX];
		int idx[MAX], np = 0;
		for (int i = 0; i < count; i++)
			if (!done[i]) {
				p[np] = (struct pollfd){fds[i], POLLIN, 0};
				idx[np++] = i;
			}
		if (np == 0)
			break;
		if (poll(p, (nfds_t)np, 100) <= 0)
			continue;
		for (int k = 0; k < np; k++) {
			if (!p[k].revents)
				continue;
			char b[4096];
			ssize_t r = recv(fds[idx[k]], b, sizeof(b), 0);
			if (r > 0) {
				got[idx[k]] = true;
				continue;
			}
			done[idx[k]] = true;
		}
	}
	*answered = 0;
	for (int i = 0; i < count; i++) {
		if (done[i])
			closed++;
		if (got[i])
			(*answered)++;
		close(fds[i]);
	}
	return closed;
}

/* Finding 1: a request with more query parameters than MHD stores
 * (3,000 here) is dropped by MHD after our URI callback has set up the
 * request; its state used to leak (about 20 KB, and in-flight + 1,
 * each time).  Now the connection's close frees it.  With a thread per
 * connection MHD closes such a connection at once; in the epoll pool it
 * leaves it open, and the request deadline closes it. */
static void dropped_requests_leak_nothing_n(int rounds, int width)
{
	static char req[40000];
	int o = snprintf(req, sizeof(req), "GET /healthz?");
	for (int i = 0; i < 3000; i++)
		o += snprintf(req + o, sizeof(req) - (size_t)o, "%sp%d=",
			      i ? "&" : "", i);
	o += snprintf(req + o, sizeof(req) - (size_t)o,
		      " HTTP/1.1\r\nHost: localhost\r\n\r\n");
	int answered, total_answered = 0;
	/* warm up: thread stacks and allocator arenas reach their size */
	assert_int_equal(exchange_many(req, (size_t)o, width,
				       (int)deadline_ms + 3000, &answered),
			 width);
	assert_int_equal(settled_in_flight(), 1);
	long rss0 = e2e_rss_kb(&srv);
	assert_true(rss0 > 0);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < rounds; i++) {
		assert_int_equal(exchange_many(req, (size_t)o, width,
					       (int)deadline_ms + 3000,
					       &answered), width);
		total_answered += answered;
	}
	long rss1 = e2e_rss_kb(&srv);
	print_message("%d dropped requests in %ld ms (%d answered); RSS %ld "
		      "-> %ld KiB\n", rounds * width, e2e_ms_since(&t0),
		      total_answered, rss0, rss1);
	assert_int_equal(settled_in_flight(), 1);
#ifndef __SANITIZE_ADDRESS__
	/* (AddressSanitizer's quarantine holds freed memory: no bound) */
	assert_true(rss1 - rss0 < 10 * 1024);
#endif
	/* and the server still serves */
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_int_equal(e2e_get(&c, "/healthz"), 200);
	e2e_client_free(&c);
}

static void dropped_requests_leak_nothing(void **state)
{
	(void)state;
	dropped_requests_leak_nothing_n(100, 50); /* 5,000 requests */
}

static void dropped_requests_leak_nothing_pool(void **state)
{
	(void)state;
	dropped_requests_leak_nothing_n(4, 50); /* each round waits 2 s */
}

/* Finding 11: headers over the limit get 431 (a long address 414) from
 * our code, with the security headers, not MHD's bare answer. */
static void oversize_headers_answered_by_us(void **state)
{
	(void)state;
	static char req[64 << 10];
	char buf[8192];
	/* a 20 KiB cookie; the limit is 16 KiB */
	int o = snprintf(req, sizeof(req),
			 "GET /healthz HTTP/1.1\r\nHost: localhost\r\n"
			 "Cookie: a=");
	memset(req + o, 'x', 20 << 10);
	o += 20 << 10;
	o += snprintf(req + o, sizeof(req) - (size_t)o, "\r\n\r\n");
	assert_int_equal(exchange(req, (size_t)o, buf, sizeof(buf), 2000, NULL),
			 431);
	assert_ours(buf);
	/* many ordinary headers adding up to 24 KiB */
	o = snprintf(req, sizeof(req), "GET /healthz HTTP/1.1\r\n"
		     "Host: localhost\r\n");
	for (int i = 0; i < 240; i++)
		o += snprintf(req + o, sizeof(req) - (size_t)o,
			      "X-Filler-%03d: %090d\r\n", i, i);
	o += snprintf(req + o, sizeof(req) - (size_t)o, "\r\n");
	assert_int_equal(exchange(req, (size_t)o, buf, sizeof(buf), 2000, NULL),
			 431);
	assert_ours(buf);
	/* a 20 KiB address */
	o = snprintf(req, sizeof(req), "GET /healthz?q=");
	memset(req + o, 'y', 20 << 10);
	o += 20 << 10;
	o += snprintf(req + o, sizeof(req) - (size_t)o,
		      " HTTP/1.1\r\nHost: localhost\r\n\r\n");
	assert_int_equal(exchange(req, (size_t)o, buf, sizeof(buf), 2000, NULL),
			 414);
	assert_ours(buf);
	/* just under the limit is served */
	o = snprintf(req, sizeof(req),
		     "GET /healthz HTTP/1.1\r\nHost: localhost\r\n"
		     "Connection: close\r\nCookie: a=");
	memset(req + o, 'x', 15 << 10);
	o += 15 << 10;
	o += snprintf(req + o, sizeof(req) - (size_t)o, "\r\n\r\n");
	assert_int_equal(exchange(req, (size_t)o, buf, sizeof(buf), 2000, NULL),
			 200);
}

/* Finding 13: HTTP/1.1 needs exactly one Host (RFC 9112 3.2); HTTP/1.0
 * may omit it. */
static void host_header_required(void **state)
{
	(void)state;
	char buf[8192];
	const char *none = "GET /healthz HTTP/1.1\r\n\r\n";
	assert_int_equal(exchange(none, strlen(none), buf, sizeof(buf), 2000,
				  NULL), 400);
	assert_ours(buf);
	const char *two = "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n";
	assert_int_equal(exchange(two, strlen(two), buf, sizeof(buf), 2000,
				  NULL), 400);
	assert_ours(buf);
	const char *one = "GET /healthz HTTP/1.1\r\nHost: a\r\n"
			  "Connection: close\r\n\r\n";
	assert_int_equal(exchange(one, strlen(one), buf, sizeof(buf), 2000,
				  NULL), 200);
	const char *old = "GET /healthz HTTP/1.0\r\n\r\n";
	assert_int_equal(exchange(old, strlen(old), buf, sizeof(buf), 2000,
				  NULL), 200);
}

/* Finding 9: a declared body over body_limit is answered at once, by
 * the application (its 413 page), before any of it is read. */
static void declared_oversize_body_answered_at_once(void **state)
{
	(void)state;
	char buf[16384];
	long ms = 0;
	const char *huge = "POST /sign-in HTTP/1.1\r\nHost: localhost\r\n"
			   "Content-Type: application/x-www-form-urlencoded\r\n"
			   "Content-Length: 99999999999\r\n\r\nab";
	int fd = e2e_connect(&srv, NULL);
	assert_true(fd >= 0);
	assert_int_equal(e2e_send(fd, huge, strlen(huge)), 0);
	e2e_read_until_close(fd, buf, sizeof(buf), 5000, &ms);
	close(fd);
	print_message("Content-Length 99999999999: %d after %ld ms\n",
		      e2e_raw_status(buf), ms);
	assert_int_equal(e2e_raw_status(buf), 413);
	assert_true(ms < 2000);
	assert_ours(buf);
	assert_non_null(strstr(buf, "Request too large"));
	/* an honest 2 MiB body: answered before it is sent */
	const char *honest = "POST /sign-in HTTP/1.1\r\nHost: localhost\r\n"
			     "Content-Type: application/x-www-form-urlencoded\r\n"
			     "Content-Length: 2097152\r\n\r\n";
	fd = e2e_connect(&srv, NULL);
	assert_true(fd >= 0);
	assert_int_equal(e2e_send(fd, honest, strlen(honest)), 0);
	e2e_read_until_close(fd, buf, sizeof(buf), 5000, &ms);
	close(fd);
	assert_int_equal(e2e_raw_status(buf), 413);
	assert_true(ms < 2000);
	/* the API answers its own way (problem+json) */
	const char *api = "POST /api/v1/children HTTP/1.1\r\nHost: localhost\r\n"
			  "Content-Type: application/json\r\n"
			  "Content-Length: 99999999999\r\n\r\n{}";
	assert_int_equal(exchange(api, strlen(api), buf, sizeof(buf), 2000, &ms),
			 413);
	assert_ours(buf);
	assert_true(ms < 2000);
}

/* Finding 9: a chunked body is answered as soon as it passes
 * body_limit, though the client has not finished it. */
static void chunked_oversize_body_answered_at_once(void **state)
{
	(void)state;
	size_t limit = 1u << 20, over = limit + 1;
	char *body = malloc(over);
	assert_non_null(body);
	memset(body, 'z', over);
	char head[512];
	/* one chunk declared at 4 MiB; the client stops just past the
	 * limit and waits */
	int n = snprintf(head, sizeof(head),
			 "POST /sign-in HTTP/1.1\r\nHost: localhost\r\n"
			 "Content-Type: application/x-www-form-urlencoded\r\n"
			 "Transfer-Encoding: chunked\r\n\r\n400000\r\n");
	int fd = e2e_connect(&srv, NULL);
	assert_true(fd >= 0);
	assert_int_equal(e2e_send(fd, head, (size_t)n), 0);
	assert_int_equal(e2e_send(fd, body, over), 0);
	char buf[16384];
	long ms = 0;
	e2e_read_until_close(fd, buf, sizeof(buf), 5000, &ms);
	close(fd);
	free(body);
	print_message("chunked past the limit: %d after %ld ms\n",
		      e2e_raw_status(buf), ms);
	assert_int_equal(e2e_raw_status(buf), 413);
	assert_true(ms < 2000);
	assert_ours(buf);
	assert_non_null(strstr(buf, "Request too large"));
	/* a small chunked body is still read and handled */
	const char *small = "POST /sign-in HTTP/1.1\r\nHost: localhost\r\n"
			    "Content-Type: application/x-www-form-urlencoded\r\n"
			    "Transfer-Encoding: chunked\r\nConnection: close\r\n"
			    "\r\n5\r\na=b&c\r\n0\r\n\r\n";
	int st = exchange(small, strlen(small), buf, sizeof(buf), 2000, NULL);
	assert_true(st == 403 || st == 422); /* no sign-in token: refused */
}

/* Finding 11: HSTS on every response while cookie_secure is on. */
static void hsts_with_cookie_secure(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	char h[256];
	const char *paths[] = {"/healthz", "/sign-in", "/nope",
			       "/assets/govuk-frontend.min.css"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		assert_true(e2e_get(&c, paths[i]) > 0);
		assert_non_null(e2e_header(&c, "Strict-Transport-Security", h,
					   sizeof(h)));
		assert_string_equal(h, "max-age=31536000; includeSubDomains");
	}
	e2e_client_free(&c);
	/* and on the answers the server gives before the handler */
	char buf[8192];
	const char *none = "GET /healthz HTTP/1.1\r\n\r\n";
	assert_int_equal(exchange(none, strlen(none), buf, sizeof(buf), 2000,
				  NULL), 400);
	assert_non_null(e2e_raw_header(buf, "Strict-Transport-Security", h,
				       sizeof(h)));
}

static void no_hsts_without_cookie_secure(void **state)
{
	(void)state;
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	char h[256];
	assert_int_equal(e2e_get(&c, "/healthz"), 200);
	assert_null(e2e_header(&c, "Strict-Transport-Security", h, sizeof(h)));
	assert_non_null(e2e_header(&c, "Content-Security-Policy", h, sizeof(h)));
	e2e_client_free(&c);
}

/* Signs in with an X-Forwarded-For header (or none) and returns how
 * many sign-in audit rows carry the address `ip`. */
static long long sign_in_from(const char *xff, const char *ip)
{
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	if (xff)
		snprintf(c.extra, sizeof(c.extra), "X-Forwarded-For: %s", xff);
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	e2e_client_free(&c);
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE "
		 "action = 'sign-in' AND ip = '%s'", ip);
	return e2e_sql_int(&srv, sql);
}

/* Failed sign-ins are not audited; what records their address is the
 * per-address throttle (50 failures in 15 minutes).  Fails 50 times as
 * different unknown users (so no account throttle) from `xff`, and
 * returns the status of one more failure from `then_xff`. */
static long failures_then(const char *xff, const char *then_xff)
{
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	for (int i = 0; i <= 50; i++) {
		const char *from = i < 50 ? xff : then_xff;
		c.extra[0] = '\0';
		if (from)
			snprintf(c.extra, sizeof(c.extra),
				 "X-Forwarded-For: %s", from);
		assert_int_equal(e2e_get(&c, "/sign-in"), 200);
		char form[512];
		snprintf(form, sizeof(form), "csrf=%s&username=nobody%d"
			 "&password=wrong&next=/", c.csrf, i);
		long st = e2e_post(&c, "/sign-in", form);
		if (i < 50)
			assert_int_equal(st, 401);
		else {
			e2e_client_free(&c);
			return st;
		}
	}
	e2e_client_free(&c);
	return 0;
}

/* Without trusted_proxies, X-Forwarded-For is the sender's own claim
 * and changes nothing. */
static void forwarded_for_ignored_by_default(void **state)
{
	(void)state;
	assert_int_equal(sign_in_from("203.0.113.9", "203.0.113.9"), 0);
	assert_int_equal(sign_in_from("203.0.113.9", "127.0.0.1"), 2);
	/* failures from "different" forwarded addresses all count
	 * against the peer, which is then throttled whatever it claims */
	assert_int_equal(failures_then("198.51.100.1", "198.51.100.2"), 429);
}

/* From a trusted proxy, the client is the rightmost untrusted entry of
 * X-Forwarded-For: the audit records it, and the throttle counts it. */
static void forwarded_for_believed_from_trusted_proxy(void **state)
{
	(void)state;
	assert_int_equal(sign_in_from("198.51.100.7, 203.0.113.9",
				      "203.0.113.9"), 1);
	assert_int_equal(sign_in_from("198.51.100.7, 203.0.113.9",
				      "198.51.100.7"), 0);
	/* entries added by trusted proxies are skipped */
	assert_int_equal(sign_in_from("203.0.113.10, 127.0.0.1",
				      "203.0.113.10"), 1);
	/* malformed: the peer's address */
	assert_int_equal(sign_in_from("203.0.113.11, unknown", "127.0.0.1"), 1);
	assert_int_equal(sign_in_from(NULL, "127.0.0.1"), 2);
	/* 50 failures from one forwarded client throttle that client, not
	 * the next one behind the same proxy */
	assert_int_equal(failures_then("203.0.113.20", "203.0.113.20"), 429);
	assert_int_equal(failures_then("203.0.113.21", "203.0.113.22"), 401);
}

/* A connection that sends a header line now and then, as slowloris
 * does.  Returns the socket (non-blocking). */
static int slow_open(const char *from)
{
	int fd = e2e_connect(&srv, from);
	if (fd < 0)
		return -1;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	const char *start = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n";
	if (send(fd, start, strlen(start), MSG_NOSIGNAL) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* True when the server has closed fd (end of stream or reset); a live
 * connection gets one more header line. */
static bool slow_closed(int fd)
{
	char b[256];
	ssize_t r = recv(fd, b, sizeof(b), MSG_DONTWAIT);
	if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
		return true;
	if (r > 0)
		return true; /* an answer: not trickling any more */
	return send(fd, "X-Slow: 1\r\n", 11, MSG_NOSIGNAL) < 0;
}

/* One /healthz from 127.0.0.1; returns the milliseconds it took, or
 * -1 when it failed. */
static long probe(void)
{
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long st = e2e_get(&c, "/healthz");
	long ms = e2e_ms_since(&t0);
	e2e_client_free(&c);
	return st == 200 ? ms : -1;
}

/* Finding 4: 40 trickling connections from one address; only 8 (the
 * cap) stay open, probes from another address are answered at once,
 * and the 8 are cut at the deadline though they keep sending. */
static void slow_clients_capped_and_cut(void **state)
{
	(void)state;
	enum { N = 40, CAP = 8 };
	int fds[N];
	long closed_at[N];
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < N; i++) {
		fds[i] = slow_open("127.0.0.2");
		closed_at[i] = fds[i] < 0 ? 0 : -1;
	}
	long worst = 0;
	int open_at_1s = -1;
	while (e2e_ms_since(&t0) < deadline_ms + 4000) {
		int open = 0;
		for (int i = 0; i < N; i++) {
			if (closed_at[i] >= 0)
				continue;
			if (slow_closed(fds[i]))
				closed_at[i] = e2e_ms_since(&t0);
			else
				open++;
		}
		if (open_at_1s < 0 && e2e_ms_since(&t0) >= 1000)
			open_at_1s = open;
		long p = probe();
		assert_true(p >= 0);
		if (p > worst)
			worst = p;
		if (open == 0)
			break;
		sleep_ms(250);
	}
	int survivors = 0;
	long last = 0;
	for (int i = 0; i < N; i++) {
		if (closed_at[i] > 1000)
			survivors++;
		if (closed_at[i] > last)
			last = closed_at[i];
		if (fds[i] >= 0)
			close(fds[i]);
	}
	print_message("open after 1 s: %d; held past 1 s: %d; last closed at "
		      "%ld ms; slowest probe %ld ms\n", open_at_1s, survivors,
		      last, worst);
	assert_true(open_at_1s >= 1 && open_at_1s <= CAP);
	assert_true(survivors >= 1 && survivors <= CAP);
	/* the deadline (checked every deadline / 8), not the 30 s
	 * timeout */
	assert_true(last >= deadline_ms - 500 && last < deadline_ms + 2000);
	assert_true(worst < 1000);
	/* and /metrics counts both */
	assert_true(e2e_metric(&srv, "cairn_http_connections_refused_total") >=
		    N - CAP);
	assert_true(e2e_metric(&srv, "cairn_http_connections_reaped_total") >= 1);
	/* the closed ones are gone from the count: the address may
	 * connect again */
	sleep_ms(300);
	int fd = slow_open("127.0.0.2");
	assert_true(fd >= 0);
	sleep_ms(200);
	assert_false(slow_closed(fd));
	close(fd);
}

/* Finding 4: a client that trickles one header line every 200 ms is
 * cut at the deadline; idle keep-alive is bounded the same way. */
static void trickle_cut_at_deadline(void **state)
{
	(void)state;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int fd = slow_open("127.0.0.3");
	assert_true(fd >= 0);
	long closed = -1;
	while (e2e_ms_since(&t0) < deadline_ms + 5000) {
		if (slow_closed(fd)) {
			closed = e2e_ms_since(&t0);
			break;
		}
		sleep_ms(200);
	}
	close(fd);
	print_message("trickling connection closed at %ld ms\n", closed);
	assert_true(closed >= deadline_ms - 500 && closed < deadline_ms + 2000);
	/* a request that is sent in time on the same kind of connection is
	 * answered as usual */
	char buf[4096];
	const char *ok = "GET /healthz HTTP/1.1\r\nHost: a\r\n"
			 "Connection: close\r\n\r\n";
	assert_int_equal(exchange(ok, strlen(ok), buf, sizeof(buf), 2000, NULL),
			 200);
	assert_int_equal(settled_in_flight(), 1);
}

int main(void)
{
	const struct CMUnitTest by_default[] = {
		cmocka_unit_test(dropped_requests_leak_nothing),
		cmocka_unit_test(oversize_headers_answered_by_us),
		cmocka_unit_test(host_header_required),
		cmocka_unit_test(declared_oversize_body_answered_at_once),
		cmocka_unit_test(chunked_oversize_body_answered_at_once),
		cmocka_unit_test(hsts_with_cookie_secure),
		cmocka_unit_test(forwarded_for_ignored_by_default),
	};
	const struct CMUnitTest behind_proxy[] = {
		cmocka_unit_test(no_hsts_without_cookie_secure),
		cmocka_unit_test(forwarded_for_believed_from_trusted_proxy),
	};
	const struct CMUnitTest slow[] = {
		cmocka_unit_test(slow_clients_capped_and_cut),
		cmocka_unit_test(trickle_cut_at_deadline),
	};
	const struct CMUnitTest pool[] = {
		cmocka_unit_test(dropped_requests_leak_nothing_pool),
		cmocka_unit_test(slow_clients_capped_and_cut),
		cmocka_unit_test(trickle_cut_at_deadline),
	};
	int rc = 0;
	rc |= cmocka_run_group_tests_name("default", by_default, up_default,
					  down);
	rc |= cmocka_run_group_tests_name("behind_proxy", behind_proxy,
					  up_proxy, down);
	rc |= cmocka_run_group_tests_name("slow", slow, up_slow, down);
	rc |= cmocka_run_group_tests_name("pool", pool, up_pool, down);
	return rc;
}
