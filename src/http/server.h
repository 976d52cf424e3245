/*
 * server: the HTTP server on libmicrohttpd, knowing nothing of the domain.
 *
 * It runs MHD with a thread per connection (or, on request, an epoll
 * thread pool), collects one request (method, raw path and query, the
 * headers Cairn reads, the body up to a limit) into a
 * `struct http_exchange`, calls the application's handler once the whole
 * request has arrived (not on MHD's first call, so keep-alive works; the
 * early answers below close the connection instead), and
 * sends what the handler put in the exchange with the security headers
 * every response carries.  It logs one JSON line a request (method,
 * route pattern or "-", status, duration, request id; never the query or
 * body, which may hold personal data) and keeps the counters /metrics
 * shows.
 *
 * Limits (each answered by our code, with the security headers):
 * request line and headers over header_limit get 414 (the URI alone) or
 * 431; MHD's own per-connection memory is four times header_limit so
 * that such requests reach our check.  An HTTP/1.1 request without
 * exactly one Host header gets 400 (RFC 9112 3.2; HTTP/1.0 may omit it).
 * A body declared (Content-Length) over body_limit (or the request's own
 * limit, body_limit_for) is answered at once:
 * the handler runs with body_too_large = true before any of the body is
 * read, and the connection is closed after the answer.  A chunked body
 * is answered the same way as soon as it passes body_limit.
 *
 * Connections: at most max_conns_per_addr open at once from one client
 * address (an IPv6 client's /64), trusted proxies excepted; more are
 * closed as soon as they are accepted.  A request must arrive in full
 * (headers and body) within request_deadline_s of the connection's
 * start or of the end of the previous response on it, however slowly
 * the bytes trickle in; a reaper thread shuts down connections that
 * miss it.  Idle connections also close after timeout_s of silence.
 *
 * Client address: the peer's, or, when the peer is one of
 * trusted_proxies, the one forwarded.h picks from X-Forwarded-For.
 *
 * Request state: everything allocated for a request is tied to its
 * connection and freed when the request completes or, whatever path MHD
 * takes, when the connection closes (MHD_CONNECTION_NOTIFY_CLOSED), so
 * connections MHD closes by itself leak nothing.
 *
 * Threads: the callbacks for one connection run on the thread serving
 * it (its own thread, or the pool thread that accepted it); MHD calls
 * NOTIFY_CLOSED after that thread is done with it.  One mutex guards the
 * list of connections and the per-address counts; it is taken on accept,
 * connection start and close and by the reaper, never per request.  The
 * deadline is one atomic per connection.
 *
 * What MHD 0.9.75 still answers by itself, without our headers (it has
 * no hook for them): a request too big for its per-connection memory
 * even at four times header_limit (measured at 16 KiB: a request line
 * or header over about 63 KiB, a Cookie header over about 31 KiB, which
 * MHD copies once more, or more than about 890 header lines or 920
 * query parameters, at 64 bytes of bookkeeping each) gets MHD's bare 431
 * or 414, or near those sizes and with too many query parameters no
 * answer at all (MHD's error path runs twice and closes; with the epoll
 * pool the connection stays open until the request deadline);
 * malformed request lines, headers or chunked
 * encoding (400); a Content-Length too big for 64 bits (413); an
 * unsupported HTTP version (505).
 */
#ifndef CAIRN_SERVER_H
#define CAIRN_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

enum http_method {
	HTTP_GET,    /* "GET" */
	HTTP_HEAD,   /* "HEAD" */
	HTTP_POST,   /* "POST" */
	HTTP_PUT,    /* "PUT" */
	HTTP_PATCH,  /* "PATCH" */
	HTTP_DELETE, /* "DELETE" */
	HTTP_OTHER,  /* anything else */
	HTTP__MAX
};

const char *http_method_name(enum http_method m);

#define HTTP_MAX_OUT_HEADERS 8

struct http_exchange {
	/* request, read-only for the handler */
	enum http_method method;
	const char *path;         /* raw (still percent-encoded), no query */
	const char *query;        /* raw, "" when none */
	size_t query_len;
	const char *body;         /* NUL-terminated copy; "" when none */
	size_t body_len;
	bool body_too_large;
	size_t body_limit;        /* the limit this request's body was held
				   * to (body_limit, or body_limit_for's) */
	const char *content_type; /* NULL when absent */
	const char *cookie;
	const char *authorization;
	const char *accept;
	const char *ip;           /* client address as text (see
				   * trusted_proxies below) */
	char rid[17];             /* request id, hex */

	/* response, filled by the handler */
	int status;                    /* default 500 */
	const char *out_type;          /* Content-Type */
	struct sbuf out;               /* body, unless static_body is set */
	const void *static_body;       /* body that outlives the request */
	size_t static_len;
	const char *cache_control;     /* default "no-store" */
	const char *out_headers[HTTP_MAX_OUT_HEADERS][2];
	int n_out_headers;
	const char *log_route;         /* route pattern for the log line */
	char log_user[24];             /* the signed-in user's id for the
					* log line ("" when none): an id,
					* never a name */
	void *app_state;               /* the handler's own per-request data */

	/* Answering later (http_server_config.deferred): the server sets
	 * can_defer when it can; a handler that sets defer is answered
	 * only after http_exchange_resume(), its response kept until then
	 * (and still changeable by `resumed`). */
	bool can_defer;
	bool defer;
};

/* Lets a deferred exchange be answered: from any thread, exactly once,
 * after `deferred` has been called for it. */
void http_exchange_resume(struct http_exchange *ex);

/* Adds a response header.  name and value must outlive the response
 * being queued (string literals or the handler's arena).  Returns 0, or
 * -1 when the table is full. */
int http_add_header(struct http_exchange *ex, const char *name,
		    const char *value);

struct http_counters {
	uint64_t requests;
	uint64_t by_class[6];   /* 1xx..5xx at [1]..[5] */
	uint64_t latency_us_sum;
	uint64_t latency_buckets[8]; /* <=1,2,5,10,20,50,100,+Inf ms */
	uint64_t in_flight;
	uint64_t refused;       /* connections refused: per-address cap */
	uint64_t reaped;        /* connections closed at the request deadline */
};

struct http_server_config {
	const char *listen;          /* "127.0.0.1:8080" or "[::1]:8080" */
	unsigned threads;            /* 0: a thread per connection; N: a
				      * pool of N threads, each serving the
				      * connections it accepted */
	size_t header_limit;         /* request line and headers, bytes;
				      * default 16 KiB */
	size_t body_limit;           /* bytes; default 1 MiB */
	unsigned timeout_s;          /* idle connection timeout; default 30 */
	unsigned max_conns_per_addr; /* default 256 */
	unsigned request_deadline_s; /* default 30 */
	const char *trusted_proxies; /* forwarded.h list; NULL or "": none */
	bool hsts;                   /* send Strict-Transport-Security */
	unsigned stop_wait_s;        /* http_server_stop waits this long for
				      * requests in flight; default 10 */
	/* called once a request is complete; may not fail (it sets a status) */
	void (*handler)(struct http_exchange *ex, void *arg);
	void *arg;
	/* called after the response is sent or the connection died; frees
	 * app_state.  May be NULL. */
	void (*done)(struct http_exchange *ex, void *arg);
	/* Both or neither (then nothing is deferred).  deferred: called
	 * once the connection of an exchange the handler deferred is
	 * suspended (no thread waits for it); it must see to it that
	 * http_exchange_resume(ex) is called.  resumed: called on a server
	 * thread when it has been, just before the response is sent. */
	void (*deferred)(struct http_exchange *ex, void *arg);
	void (*resumed)(struct http_exchange *ex, void *arg);
	/* May be NULL.  Called with the request's method, path (raw, no
	 * query) and Content-Type (NULL when none) once its headers are
	 * in, before any of its body is read: a nonzero answer is this
	 * request's body limit instead of body_limit (a route that takes
	 * uploaded files; D62).  Must be quick and must not block: it
	 * runs on the server's thread. */
	size_t (*body_limit_for)(enum http_method m, const char *path,
				 const char *content_type, void *arg);
};

struct http_server;

/* Starts listening.  Returns 0 and sets *out, or -1 with a message in
 * err (bad address, port in use, bad trusted_proxies).  Stop with
 * http_server_stop(). */
int http_server_start(const struct http_server_config *cfg,
		      struct http_server **out, char *err, size_t errlen);

/* Stops accepting new connections, waits (up to stop_wait_s) for the
 * requests in flight to be answered, each answer closing its
 * connection, then closes every connection and frees.  A request still
 * running after the wait is cut (its handler still returns before this
 * does).  NULL is a no-op. */
void http_server_stop(struct http_server *s);

/* A snapshot of the counters; all zero when s is NULL. */
void http_server_counters(const struct http_server *s,
			  struct http_counters *out);

/* The port actually bound (useful with port 0). */
unsigned http_server_port(const struct http_server *s);

/* Parses "host:port" / "[v6]:port" into a socket address; returns false
 * on anything malformed.  Exposed for tests. */
struct sockaddr_storage;
bool http_parse_listen(const char *s, struct sockaddr_storage *ss,
		       unsigned *socklen);

#endif
