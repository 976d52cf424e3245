/* server.c: see server.h for the contract. */
#define _GNU_SOURCE /* SCHED_BATCH */
#include "http/server.h"
#include "core/arena.h"
#include "core/log.h"
#include "http/forwarded.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/random.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <stddef.h>
#include <unistd.h>

static const char *const method_names[HTTP__MAX] = {
	"GET",    /* HTTP_GET */
	"HEAD",   /* HTTP_HEAD */
	"POST",   /* HTTP_POST */
	"PUT",    /* HTTP_PUT */
	"PATCH",  /* HTTP_PATCH */
	"DELETE", /* HTTP_DELETE */
	"OTHER",  /* HTTP_OTHER */
};

const char *http_method_name(enum http_method m)
{
	return (unsigned)m < HTTP__MAX ? method_names[m] : "OTHER";
}

static const char csp[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; "
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

static const char hsts[] = "max-age=31536000; includeSubDomains";

/* Per-address connection counts: a chained hash keyed by the client's
 * address (an IPv6 client's /64), under http_server.mu. */
#define ADDR_BUCKETS 1024

struct addr_count {
	struct forwarded_addr key;
	unsigned n;         /* connections started (NOTIFY_STARTED) */
	/* accepted by accept_cb but not yet started: counted against the
	 * cap too, or a burst accepted faster than the connections' threads
	 * start passes it.  A reservation MHD never starts (it failed the
	 * connection after accepting) lapses after a second. */
	unsigned pending;
	int64_t pending_at; /* now_ms() of the newest reservation */
	struct addr_count *next;
};

struct conn;

struct http_server {
	struct MHD_Daemon *d;
	struct http_server_config cfg;
	struct forwarded_trust *trust;
	unsigned port;
	_Atomic uint64_t requests;
	_Atomic uint64_t by_class[6];
	_Atomic uint64_t latency_us_sum;
	_Atomic uint64_t latency_buckets[8];
	_Atomic int64_t in_flight;
	_Atomic uint64_t refused;
	_Atomic uint64_t reaped;
	_Atomic uint64_t rid_counter;
	uint64_t rid_salt;
	/* The open connections (for the reaper) and the per-address
	 * counts.  Taken when a connection is accepted, starts and
	 * closes, and by the reaper's sweep: never per request. */
	pthread_mutex_t mu;
	pthread_cond_t wake;         /* the reaper's sleep; signalled to stop */
	struct conn *conns;
	struct addr_count *addrs[ADDR_BUCKETS];
	bool stopping;
	_Atomic bool draining;       /* stopping: answers close their
				      * connections */
	bool reaper_running;
	pthread_t reaper;
};

/* One request: MHD's per-request pointer, which points into the
 * connection's struct conn, so whatever MHD does the connection's close
 * (MHD_CONNECTION_NOTIFY_CLOSED) finds and frees what is left. */
struct req_state {
	struct http_exchange ex;
	struct conn *conn;
	char *path;
	char *query;
	struct sbuf body;
	bool started;   /* the access callback has seen the headers */
	bool answered;  /* a response is queued or written */
	bool chunked;   /* the body has no declared length */
	bool counted;
	bool suspended; /* deferred: waiting for http_exchange_resume */
	struct MHD_Connection *con; /* for MHD_resume_connection */
	struct timespec t0;
	char ip[FORWARDED_ADDR_TEXT];
};

/*
 * One connection: MHD's socket context, from MHD_CONNECTION_NOTIFY_
 * STARTED to MHD_CONNECTION_NOTIFY_CLOSED.  Only the thread serving the
 * connection touches it, except for `deadline_ms`, which the reaper
 * reads and moves to DEADLINE_REAPED (atomically), and `fd`, `key`,
 * `prev` and `next`, which the reaper reads under http_server.mu.  MHD
 * closes the socket only after NOTIFY_CLOSED, which unlinks the
 * connection under mu, so the reaper never shuts down a reused fd.
 */
#define DEADLINE_NONE 0    /* a response is being produced or sent */
#define DEADLINE_REAPED -1 /* the reaper shut the socket down */

struct conn {
	struct http_server *s;
	int fd;
	bool have_key;
	bool trusted;                 /* the peer is a trusted proxy */
	bool active;                  /* req holds a request */
	struct forwarded_addr key;    /* for the per-address count */
	char peer[FORWARDED_ADDR_TEXT];
	_Atomic int64_t deadline_ms;  /* CLOCK_MONOTONIC ms, or the above */
	struct req_state req;
	struct conn *prev, *next;
};

int http_add_header(struct http_exchange *ex, const char *name,
		    const char *value)
{
	if (ex->n_out_headers >= HTTP_MAX_OUT_HEADERS)
		return -1;
	ex->out_headers[ex->n_out_headers][0] = name;
	ex->out_headers[ex->n_out_headers][1] = value;
	ex->n_out_headers++;
	return 0;
}

static enum http_method method_of(const char *m)
{
	for (int i = 0; i < HTTP_OTHER; i++)
		if (strcmp(m, method_names[i]) == 0)
			return (enum http_method)i;
	return HTTP_OTHER;
}

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The request deadline starts again now (connection start, or the end
 * of a response). */
static void deadline_start(struct conn *c)
{
	int64_t d = now_ms() + (int64_t)c->s->cfg.request_deadline_s * 1000;
	int64_t old = atomic_load_explicit(&c->deadline_ms,
					   memory_order_relaxed);
	if (old != DEADLINE_REAPED)
		atomic_store_explicit(&c->deadline_ms, d, memory_order_relaxed);
}

/* The request has arrived: no deadline while it is answered. */
static void deadline_stop(struct conn *c)
{
	int64_t old = atomic_exchange_explicit(&c->deadline_ms, DEADLINE_NONE,
					       memory_order_relaxed);
	if (old == DEADLINE_REAPED)
		atomic_store_explicit(&c->deadline_ms, DEADLINE_REAPED,
				      memory_order_relaxed);
}

/*
 * With a thread per connection, each connection's thread asks the
 * kernel for SCHED_BATCH, the normal time-sharing policy minus wakeup
 * preemption (no privilege needed).  A thread woken by its client's
 * next request then lets the running one finish its request (a few
 * hundred microseconds) instead of preempting it, so fewer requests are
 * half done at once, each holding a store connection whose page cache
 * the next commit spoils; the audit committer keeps the normal policy,
 * and with it the first claim on a core when its fsync returns.
 * Measured: record page at 64 connections, five alternating pairs,
 * 4.6% more requests a second and p99 21 ms rather than 23 ms
 * (docs/decisions.md D20).  The flag is the thread's own: it only saves
 * asking twice.
 */
static __thread bool thread_batch_set;

static void thread_batch(const struct http_server *s)
{
	if (s->cfg.threads != 0 || thread_batch_set)
		return;
	struct sched_param sp = {0};
	if (sched_setscheduler(0, SCHED_BATCH, &sp) != 0)
		log_kv(LOG_WARN, NULL, "http.sched_batch", "error",
		       "sched_setscheduler", NULL);
	thread_batch_set = true;
}

/* ---- connections: counting, the cap, the reaper ---- */

/* The per-address key: the address, or an IPv6 address's /64 (one
 * client usually holds a whole /64). */
static struct forwarded_addr addr_key(const struct forwarded_addr *a)
{
	struct forwarded_addr k = *a;
	if (k.family == 6)
		memset(k.bytes + 8, 0, 8);
	return k;
}

static unsigned addr_hash(const struct forwarded_addr *k)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	h = (h ^ k->family) * 16777619u;
	for (int i = 0; i < 16; i++)
		h = (h ^ k->bytes[i]) * 16777619u;
	return h % ADDR_BUCKETS;
}

/* The count slot for k, made when `make`; NULL when absent.  Under mu. */
static struct addr_count *addr_slot(struct http_server *s,
				    const struct forwarded_addr *k, bool make)
{
	unsigned b = addr_hash(k);
	for (struct addr_count *a = s->addrs[b]; a; a = a->next)
		if (memcmp(&a->key, k, sizeof(*k)) == 0)
			return a;
	if (!make)
		return NULL;
	struct addr_count *a = xcalloc(1, sizeof(*a));
	a->key = *k;
	a->next = s->addrs[b];
	s->addrs[b] = a;
	return a;
}

/* Under mu. */
static void addr_release(struct http_server *s, const struct forwarded_addr *k)
{
	unsigned b = addr_hash(k);
	for (struct addr_count **pp = &s->addrs[b]; *pp; pp = &(*pp)->next) {
		struct addr_count *a = *pp;
		if (memcmp(&a->key, k, sizeof(*k)) != 0)
			continue;
		if (a->n > 0)
			a->n--;
		if (a->n == 0 && a->pending == 0) {
			*pp = a->next;
			free(a);
		}
		return;
	}
}

/* MHD's accept policy callback, before MHD makes anything for the new
 * socket: refuses an address already holding max_conns_per_addr
 * connections (started, or accepted and starting), unless it is a
 * trusted proxy; an accepted one is reserved in the count at once. */
static enum MHD_Result accept_cb(void *cls, const struct sockaddr *addr,
				 socklen_t addrlen)
{
	struct http_server *s = cls;
	struct forwarded_addr a;
	(void)addrlen;
	if (!forwarded_addr_of(addr, &a) || forwarded_trusted(s->trust, &a))
		return MHD_YES;
	struct forwarded_addr k = addr_key(&a);
	int64_t now = now_ms();
	bool ok;
	pthread_mutex_lock(&s->mu);
	struct addr_count *slot = addr_slot(s, &k, true);
	if (slot->pending && now - slot->pending_at > 1000)
		slot->pending = 0; /* accepted but never started */
	ok = slot->n + slot->pending < s->cfg.max_conns_per_addr;
	if (ok) {
		slot->pending++;
		slot->pending_at = now;
	} else if (slot->n == 0 && slot->pending == 0) {
		addr_release(s, &k); /* a cap of 0: no slot kept */
	}
	pthread_mutex_unlock(&s->mu);
	if (ok)
		return MHD_YES;
	atomic_fetch_add(&s->refused, 1);
	return MHD_NO;
}

static void finish_request(struct http_server *s, struct conn *c);

/* MHD_OPTION_NOTIFY_CONNECTION: a connection starts or has closed. */
static void conn_cb(void *cls, struct MHD_Connection *con,
		    void **socket_context,
		    enum MHD_ConnectionNotificationCode code)
{
	struct http_server *s = cls;
	struct conn *c = *socket_context;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		c = xcalloc(1, sizeof(*c));
		c->s = s;
		c->fd = -1;
		memcpy(c->peer, "-", 2);
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
			con, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (ci)
			c->fd = ci->connect_fd;
		ci = MHD_get_connection_info(con,
					     MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		struct forwarded_addr a;
		if (ci && forwarded_addr_of(ci->client_addr, &a)) {
			forwarded_addr_text(&a, c->peer, sizeof(c->peer));
			c->trusted = forwarded_trusted(s->trust, &a);
			c->key = addr_key(&a);
			c->have_key = true;
		}
		deadline_start(c);
		pthread_mutex_lock(&s->mu);
		if (c->have_key) {
			struct addr_count *slot = addr_slot(s, &c->key, true);
			slot->n++;
			if (slot->pending > 0) /* its reservation (accept_cb) */
				slot->pending--;
		}
		c->next = s->conns;
		if (s->conns)
			s->conns->prev = c;
		s->conns = c;
		pthread_mutex_unlock(&s->mu);
		*socket_context = c;
		return;
	}
	if (code != MHD_CONNECTION_NOTIFY_CLOSED || c == NULL)
		return;
	/* a request MHD dropped without telling completed_cb */
	if (c->active)
		finish_request(s, c);
	pthread_mutex_lock(&s->mu);
	if (c->have_key)
		addr_release(s, &c->key);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&s->mu);
	free(c);
	*socket_context = NULL;
}

/* Shuts down every connection past its request deadline; the thread
 * serving it sees the end of the stream and closes it (MHD frees it in
 * its own thread, as for any client that hangs up). */
static void *reaper_main(void *arg)
{
	struct http_server *s = arg;
	int64_t tick = (int64_t)s->cfg.request_deadline_s * 1000 / 8;
	if (tick < 100)
		tick = 100;
	if (tick > 1000)
		tick = 1000;
	pthread_mutex_lock(&s->mu);
	while (!s->stopping) {
		int64_t now = now_ms();
		unsigned n = 0;
		for (struct conn *c = s->conns; c; c = c->next) {
			int64_t d = atomic_load_explicit(&c->deadline_ms,
							 memory_order_relaxed);
			if (d <= 0 || now < d)
				continue;
			if (atomic_compare_exchange_strong(&c->deadline_ms, &d,
							   DEADLINE_REAPED) &&
			    c->fd >= 0) {
				shutdown(c->fd, SHUT_RDWR);
				n++;
			}
		}
		if (n) {
			atomic_fetch_add(&s->reaped, n);
			pthread_mutex_unlock(&s->mu);
			char cnt[16];
			snprintf(cnt, sizeof(cnt), "%u", n);
			log_kv(LOG_WARN, NULL, "http.deadline", "closed", cnt,
			       NULL);
			pthread_mutex_lock(&s->mu);
		}
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += tick / 1000;
		until.tv_nsec += (tick % 1000) * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		if (!s->stopping)
			pthread_cond_timedwait(&s->wake, &s->mu, &until);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* ---- requests ---- */

/* MHD_OPTION_URI_LOG_CALLBACK: the first thing MHD tells us about a
 * request, with the raw URI.  Sets up the request's state in its
 * connection. */
static void *uri_cb(void *cls, const char *uri, struct MHD_Connection *con)
{
	struct http_server *s = cls;
	thread_batch(s);
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(con, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *c = ci ? ci->socket_context : NULL;
	if (c == NULL)
		return NULL; /* cannot happen: NOTIFY_STARTED ran */
	if (c->active)
		finish_request(s, c); /* cannot happen either */
	struct req_state *cs = &c->req;
	memset(cs, 0, sizeof(*cs));
	cs->conn = c;
	c->active = true;
	clock_gettime(CLOCK_MONOTONIC, &cs->t0);
	const char *q = strchr(uri, '?');
	size_t plen = q ? (size_t)(q - uri) : strlen(uri);
	cs->path = xmalloc(plen + 1);
	memcpy(cs->path, uri, plen);
	cs->path[plen] = '\0';
	cs->query = xstrdup(q ? q + 1 : "");
	cs->ex.path = cs->path;
	cs->ex.query = cs->query;
	cs->ex.query_len = strlen(cs->query);
	cs->ex.status = 500;
	cs->ex.body = "";
	sbuf_init(&cs->ex.out, 16u << 20);
	sbuf_init(&cs->body, s->cfg.body_limit);
	cs->ex.body_limit = s->cfg.body_limit;
	uint64_t n = atomic_fetch_add(&s->rid_counter, 1);
	snprintf(cs->ex.rid, sizeof(cs->ex.rid), "%016llx",
		 (unsigned long long)((s->rid_salt + n) * 0x9e3779b97f4a7c15ull));
	memcpy(cs->ip, c->peer, sizeof(cs->ip));
	cs->ex.ip = cs->ip;
	atomic_fetch_add(&s->in_flight, 1);
	return cs;
}

typedef void (*header_fn)(void *ctx, const char *name, const char *value);

/* Every header of a response, ours then the handler's: the one list
 * both MHD responses and written-out answers use. */
static void each_header(const struct http_server *s,
			const struct http_exchange *ex, header_fn add,
			void *ctx)
{
	add(ctx, "Content-Security-Policy", csp);
	add(ctx, "X-Content-Type-Options", "nosniff");
	add(ctx, "X-Frame-Options", "DENY");
	add(ctx, "Referrer-Policy", "no-referrer");
	add(ctx, "Cross-Origin-Opener-Policy", "same-origin");
	add(ctx, "Cross-Origin-Resource-Policy", "same-origin");
	add(ctx, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
	if (s->cfg.hsts)
		add(ctx, "Strict-Transport-Security", hsts);
	add(ctx, "Cache-Control",
	    ex->cache_control ? ex->cache_control : "no-store");
	if (ex->out_type)
		add(ctx, "Content-Type", ex->out_type);
	add(ctx, "X-Request-Id", ex->rid);
	for (int i = 0; i < ex->n_out_headers; i++)
		add(ctx, ex->out_headers[i][0], ex->out_headers[i][1]);
}

static void add_mhd_header(void *ctx, const char *name, const char *value)
{
	MHD_add_response_header(ctx, name, value);
}

static const uint64_t bucket_ms[7] = {1, 2, 5, 10, 20, 50, 100};

static void account(struct http_server *s, struct req_state *cs)
{
	if (cs->counted)
		return;
	cs->counted = true;
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	uint64_t us = (uint64_t)(t1.tv_sec - cs->t0.tv_sec) * 1000000u +
		      (uint64_t)((t1.tv_nsec - cs->t0.tv_nsec) / 1000);
	atomic_fetch_add(&s->requests, 1);
	int cls = cs->ex.status / 100;
	if (cls >= 1 && cls <= 5)
		atomic_fetch_add(&s->by_class[cls], 1);
	atomic_fetch_add(&s->latency_us_sum, us);
	int b = 0;
	while (b < 7 && us > bucket_ms[b] * 1000)
		b++;
	atomic_fetch_add(&s->latency_buckets[b], 1);
	char st[8], dur[24];
	snprintf(st, sizeof(st), "%d", cs->ex.status);
	snprintf(dur, sizeof(dur), "%.3f", (double)us / 1000.0);
	log_kv(LOG_INFO, cs->ex.rid, "http.request", "method",
	       http_method_name(cs->ex.method), "route",
	       cs->ex.log_route ? cs->ex.log_route : "-", "status", st,
	       "ms", dur, "user",
	       cs->ex.log_user[0] ? cs->ex.log_user : "-", NULL);
}

static enum MHD_Result respond(struct http_server *s, struct MHD_Connection *con,
			       struct req_state *cs)
{
	struct http_exchange *ex = &cs->ex;
	struct MHD_Response *r;
	cs->answered = true;
	if (ex->static_body != NULL) {
		r = MHD_create_response_from_buffer(ex->static_len,
						    (void *)ex->static_body,
						    MHD_RESPMEM_PERSISTENT);
	} else {
		size_t len;
		char *body = sbuf_detach(&ex->out, &len);
		r = MHD_create_response_from_buffer(len, body,
						    MHD_RESPMEM_MUST_FREE);
		if (r == NULL)
			free(body);
	}
	if (r == NULL)
		return MHD_NO;
	each_header(s, ex, add_mhd_header, r);
	if (atomic_load(&s->draining))
		/* the server is stopping: no next request on this one */
		MHD_add_response_header(r, "Connection", "close");
	enum MHD_Result ret = MHD_queue_response(con, (unsigned)ex->status, r);
	MHD_destroy_response(r);
	account(s, cs);
	return ret;
}

/* Answers before the request has been read in full, from the server
 * itself (431, 414, 400): MHD sends it and closes the connection. */
static enum MHD_Result answer_now(struct http_server *s,
				  struct MHD_Connection *con,
				  struct req_state *cs, int status,
				  const char *text)
{
	deadline_stop(cs->conn);
	cs->ex.status = status;
	cs->ex.out_type = "text/plain; charset=utf-8";
	sbuf_reset(&cs->ex.out);
	sbuf_adds(&cs->ex.out, text);
	return respond(s, con, cs);
}

/* Calls the handler and sends its response, or, when it deferred the
 * answer (http_exchange.defer), suspends the connection: the thread goes
 * on to other connections, and MHD calls access_cb again once
 * http_exchange_resume has been called (cs->suspended). */
static enum MHD_Result run_handler(struct http_server *s,
				   struct MHD_Connection *con,
				   struct req_state *cs)
{
	cs->ex.can_defer = s->cfg.threads > 0 && s->cfg.deferred != NULL &&
			   s->cfg.resumed != NULL;
	s->cfg.handler(&cs->ex, s->cfg.arg);
	if (cs->ex.defer && cs->ex.can_defer) {
		cs->ex.defer = false;
		cs->suspended = true;
		cs->con = con;
		MHD_suspend_connection(con);
		s->cfg.deferred(&cs->ex, s->cfg.arg);
		return MHD_YES;
	}
	return respond(s, con, cs);
}

void http_exchange_resume(struct http_exchange *ex)
{
	struct req_state *cs =
		(struct req_state *)((char *)ex - offsetof(struct req_state, ex));
	MHD_resume_connection(cs->con);
}

/* Answers through the handler before the body has been read (it sees
 * body_too_large): MHD sends it and closes the connection. */
static enum MHD_Result handle_now(struct http_server *s,
				  struct MHD_Connection *con,
				  struct req_state *cs)
{
	deadline_stop(cs->conn);
	sbuf_release(&cs->body);
	cs->ex.body = "";
	cs->ex.body_len = 0;
	return run_handler(s, con, cs);
}

static void add_raw_header(void *ctx, const char *name, const char *value)
{
	if (strpbrk(name, "\r\n") || strpbrk(value, "\r\n"))
		return;
	sbuf_printf(ctx, "%s: %s\r\n", name, value);
}

/* Sends as much of p[0..n) as the socket takes now, never waiting. */
static bool send_now(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/*
 * Answers through the handler while the body is still arriving: a
 * chunked body has just passed body_limit.  MHD 0.9.75 queues responses
 * only before the body or after all of it (MHD_queue_response refuses
 * in between), so the answer is written to the socket here, with the
 * same headers as any other, and the caller then returns MHD_NO, which
 * makes MHD close the connection without writing anything more.  The
 * socket is fresh for this request (nothing of ours is unsent unless the
 * client stopped reading earlier answers), so the write does not wait;
 * whatever does not fit is dropped with the connection.
 */
static void handle_now_raw(struct http_server *s, struct req_state *cs)
{
	struct http_exchange *ex = &cs->ex;
	deadline_stop(cs->conn);
	cs->answered = true;
	sbuf_release(&cs->body);
	ex->body = "";
	ex->body_len = 0;
	s->cfg.handler(ex, s->cfg.arg);
	const char *reason = MHD_get_reason_phrase_for((unsigned)ex->status);
	const char *body = ex->static_body ? ex->static_body : ex->out.buf;
	size_t len = ex->static_body ? ex->static_len : ex->out.len;
	struct sbuf h;
	sbuf_init(&h, 64u << 10);
	sbuf_printf(&h, "HTTP/1.1 %d %s\r\n", ex->status,
		    reason && reason[0] ? reason : "Unknown");
	each_header(s, ex, add_raw_header, &h);
	sbuf_printf(&h, "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		    ex->method == HTTP_HEAD ? 0 : len);
	if (send_now(cs->conn->fd, h.buf ? h.buf : "", h.len) &&
	    ex->method != HTTP_HEAD && len > 0)
		send_now(cs->conn->fd, body ? body : "", len);
	sbuf_release(&h);
	/* FIN after the answer; then take what the client has already
	 * sent, so that closing the socket does not turn into a reset
	 * that could destroy the answer before the client reads it */
	shutdown(cs->conn->fd, SHUT_WR);
	char sink[4096];
	for (int i = 0; i < 64; i++)
		if (recv(cs->conn->fd, sink, sizeof(sink), MSG_DONTWAIT) <= 0)
			break;
	account(s, cs);
}

/* What the first access call needs from the headers, in one pass. */
struct header_scan {
	struct req_state *cs;
	const char *content_length;
	const char *transfer_encoding;
	int hosts;
	int nxff;
	const char *xff[8];
};

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind,
				   const char *key, const char *value)
{
	struct header_scan *h = cls;
	struct http_exchange *ex = &h->cs->ex;
	(void)kind;
	if (key == NULL || value == NULL)
		return MHD_YES;
	switch (key[0] | 0x20) {
	case 'a':
		if (strcasecmp(key, "Accept") == 0 && ex->accept == NULL)
			ex->accept = value;
		else if (strcasecmp(key, "Authorization") == 0 &&
			 ex->authorization == NULL)
			ex->authorization = value;
		break;
	case 'c':
		if (strcasecmp(key, "Content-Type") == 0 &&
		    ex->content_type == NULL)
			ex->content_type = value;
		else if (strcasecmp(key, "Cookie") == 0 && ex->cookie == NULL)
			ex->cookie = value;
		else if (strcasecmp(key, "Content-Length") == 0 &&
			 h->content_length == NULL)
			h->content_length = value;
		break;
	case 'h':
		if (strcasecmp(key, "Host") == 0)
			h->hosts++;
		break;
	case 't':
		if (strcasecmp(key, "Transfer-Encoding") == 0)
			h->transfer_encoding = value;
		break;
	case 'x':
		if (strcasecmp(key, "X-Forwarded-For") == 0) {
			if (h->nxff < (int)(sizeof(h->xff) / sizeof(h->xff[0])))
				h->xff[h->nxff] = value;
			h->nxff++;
		}
		break;
	default:
		break;
	}
	return MHD_YES;
}

/* Believes X-Forwarded-For when the peer is a trusted proxy.  Several
 * header lines are one list, in order (RFC 9110 5.3). */
static void forwarded_ip(struct http_server *s, struct req_state *cs,
			 const struct header_scan *h)
{
	if (!cs->conn->trusted || h->nxff == 0)
		return;
	if (h->nxff > (int)(sizeof(h->xff) / sizeof(h->xff[0])))
		return; /* malformed: keep the peer */
	char joined[2048];
	const char *v = h->xff[0];
	size_t n = strlen(v);
	if (h->nxff > 1) {
		n = 0;
		for (int i = 0; i < h->nxff; i++) {
			size_t l = strlen(h->xff[i]);
			if (n + l + 2 > sizeof(joined))
				return;
			if (i)
				joined[n++] = ',';
			memcpy(joined + n, h->xff[i], l);
			n += l;
		}
		v = joined;
	}
	struct forwarded_addr a;
	if (forwarded_client(s->trust, v, n, &a))
		forwarded_addr_text(&a, cs->ip, sizeof(cs->ip));
}

/* The first access call: headers only.  Answers at once what needs no
 * body (too big, no Host, a declared body over the limit); otherwise
 * the answer comes on a later call, so keep-alive works. */
static enum MHD_Result first_call(struct http_server *s,
				  struct MHD_Connection *con,
				  struct req_state *cs, const char *method,
				  const char *version)
{
	cs->started = true;
	cs->ex.method = method_of(method);
	struct header_scan h = {0};
	h.cs = cs;
	MHD_get_connection_values(con, MHD_HEADER_KIND, scan_header, &h);
	forwarded_ip(s, cs, &h);
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		con, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	if (strlen(cs->path) + 1 + cs->ex.query_len > s->cfg.header_limit)
		return answer_now(s, con, cs, 414, "The address is too long.\n");
	if (ci && ci->header_size > s->cfg.header_limit)
		return answer_now(s, con, cs, 431,
				  "The request's headers are too large.\n");
	if (h.hosts > 1 ||
	    (h.hosts == 0 && strcmp(version, MHD_HTTP_VERSION_1_0) != 0))
		return answer_now(s, con, cs, 400,
				  "Send exactly one Host header.\n");
	/* the request's own limit (an upload route's, D62) */
	size_t limit = s->cfg.body_limit;
	if (s->cfg.body_limit_for) {
		size_t l = s->cfg.body_limit_for(cs->ex.method, cs->path,
						 cs->ex.content_type,
						 s->cfg.arg);
		if (l)
			limit = l;
	}
	cs->body.max = limit;
	cs->ex.body_limit = limit;
	if (h.transfer_encoding != NULL) {
		cs->chunked = true;
	} else if (h.content_length != NULL) {
		/* MHD has checked the digits; only too big fails here */
		int64_t len;
		if (!str_to_i64z(h.content_length, 0, INT64_MAX, &len) ||
		    (uint64_t)len > limit) {
			cs->ex.body_too_large = true;
			return handle_now(s, con, cs);
		}
	}
	return MHD_YES;
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *con,
				 const char *url, const char *method,
				 const char *version, const char *upload_data,
				 size_t *upload_size, void **req_cls)
{
	struct http_server *s = cls;
	struct req_state *cs = *req_cls;
	(void)url;
	if (cs == NULL)
		return MHD_NO; /* cannot happen: uri_cb always runs first */
	if (!cs->started)
		return first_call(s, con, cs, method, version);
	if (cs->answered) {
		*upload_size = 0; /* MHD discards the rest itself */
		return MHD_YES;
	}
	if (cs->suspended) {
		/* called again after http_exchange_resume */
		cs->suspended = false;
		s->cfg.resumed(&cs->ex, s->cfg.arg);
		return respond(s, con, cs);
	}
	if (*upload_size != 0) {
		if (sbuf_add(&cs->body, upload_data, *upload_size) < 0) {
			/* a chunked body (a declared one was checked in
			 * first_call) has passed body_limit */
			cs->ex.body_too_large = true;
			handle_now_raw(s, cs);
			return MHD_NO;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	deadline_stop(cs->conn);
	if (cs->body.buf) {
		cs->ex.body = cs->body.buf;
		cs->ex.body_len = cs->body.len;
	}
	return run_handler(s, con, cs);
}

/* Ends the connection's current request, whether MHD completed it or
 * dropped it: logs one never answered, calls `done`, frees. */
static void finish_request(struct http_server *s, struct conn *c)
{
	struct req_state *cs = &c->req;
	if (!cs->counted && cs->started) {
		/* the deadline passed, or the client went away */
		cs->ex.status = atomic_load(&c->deadline_ms) == DEADLINE_REAPED
					? 408 : 499;
		account(s, cs);
	}
	if (s->cfg.done)
		s->cfg.done(&cs->ex, s->cfg.arg);
	sbuf_release(&cs->ex.out);
	sbuf_release(&cs->body);
	free(cs->path);
	free(cs->query);
	cs->path = cs->query = NULL;
	c->active = false;
	atomic_fetch_sub(&s->in_flight, 1);
}

static void completed_cb(void *cls, struct MHD_Connection *con,
			 void **req_cls, enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct req_state *cs = *req_cls;
	(void)con;
	(void)toe;
	if (cs == NULL)
		return;
	*req_cls = NULL;
	if (!cs->conn->active)
		return;
	finish_request(s, cs->conn);
	deadline_start(cs->conn); /* for the next request on it */
}

bool http_parse_listen(const char *str, struct sockaddr_storage *ss,
		       unsigned *socklen)
{
	char host[64];
	const char *port;
	memset(ss, 0, sizeof(*ss));
	if (str[0] == '[') {
		const char *e = strchr(str, ']');
		if (e == NULL || e[1] != ':' || (size_t)(e - str - 1) >= sizeof(host))
			return false;
		memcpy(host, str + 1, (size_t)(e - str - 1));
		host[e - str - 1] = '\0';
		port = e + 2;
	} else {
		const char *c = strrchr(str, ':');
		if (c == NULL || (size_t)(c - str) >= sizeof(host))
			return false;
		memcpy(host, str, (size_t)(c - str));
		host[c - str] = '\0';
		port = c + 1;
	}
	int64_t p;
	if (!str_to_i64z(port, 0, 65535, &p))
		return false;
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)p);
		*socklen = sizeof(*v4);
		return true;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)p);
		*socklen = sizeof(*v6);
		return true;
	}
	return false;
}

int http_server_start(const struct http_server_config *cfg,
		      struct http_server **out, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	unsigned slen;
	if (!http_parse_listen(cfg->listen, &ss, &slen)) {
		snprintf(err, errlen,
			 "--listen %s: expected HOST:PORT, e.g. 127.0.0.1:8080",
			 cfg->listen);
		return -1;
	}
	struct forwarded_trust *trust;
	char why[160];
	if (forwarded_trust_parse(cfg->trusted_proxies ? cfg->trusted_proxies
						       : "",
				  &trust, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "trusted_proxies: %s", why);
		return -1;
	}
	struct http_server *s = xcalloc(1, sizeof(*s));
	s->cfg = *cfg;
	s->trust = trust;
	if (s->cfg.header_limit == 0)
		s->cfg.header_limit = 16u << 10;
	if (s->cfg.body_limit == 0)
		s->cfg.body_limit = 1u << 20;
	if (s->cfg.timeout_s == 0)
		s->cfg.timeout_s = 30;
	if (s->cfg.max_conns_per_addr == 0)
		s->cfg.max_conns_per_addr = 256;
	if (s->cfg.request_deadline_s == 0)
		s->cfg.request_deadline_s = 30;
	if (s->cfg.stop_wait_s == 0)
		s->cfg.stop_wait_s = 10;
	if (getrandom(&s->rid_salt, sizeof(s->rid_salt), 0) !=
	    (ssize_t)sizeof(s->rid_salt))
		s->rid_salt = (uint64_t)getpid() << 32;
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->wake, &ca);
	pthread_condattr_destroy(&ca);
	/* A thread per connection (threads == 0): a handler that waits,
	 * for the audit group commit above all, holds up only its own
	 * connection, and the scheduler shares the cores evenly between
	 * connections.  A pool of threads each owning the connections it
	 * accepted made the connections that shared a thread with others
	 * wait in turn behind each other's waits (docs/decisions.md D20). */
	/* MHD_USE_ITC: http_server_stop stops accepting first
	 * (MHD_quiesce_daemon), and lets the requests in flight finish */
	unsigned flags = MHD_USE_TURBO | MHD_USE_ITC;
	if (s->cfg.threads == 0)
		flags |= MHD_USE_THREAD_PER_CONNECTION |
			 MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
	else
		flags |= MHD_USE_EPOLL_INTERNAL_THREAD |
			 MHD_ALLOW_SUSPEND_RESUME;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* MHD keeps the request line, the headers (with a record for each
	 * header, cookie and query parameter) and its read buffer in one
	 * pool per connection.  Four times our limit lets a request just
	 * over the limit arrive whole, so that our check answers it (with
	 * our headers) rather than MHD's. */
	size_t pool = 4 * s->cfg.header_limit;
	s->d = MHD_start_daemon(
		flags, 0, accept_cb, s, access_cb, s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		/* 0 (no pool) with a thread per connection */
		MHD_OPTION_THREAD_POOL_SIZE, s->cfg.threads,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool,
		MHD_OPTION_CONNECTION_TIMEOUT, s->cfg.timeout_s,
		MHD_OPTION_CONNECTION_LIMIT, 4096u,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
		MHD_OPTION_URI_LOG_CALLBACK, uri_cb, s,
		MHD_OPTION_NOTIFY_CONNECTION, conn_cb, s,
		MHD_OPTION_NOTIFY_COMPLETED, completed_cb, s,
		MHD_OPTION_END);
	if (s->d == NULL) {
		snprintf(err, errlen, "cannot listen on %s (in use, or not an "
			 "address of this machine)", cfg->listen);
		goto out_free;
	}
	if (pthread_create(&s->reaper, NULL, reaper_main, s) != 0) {
		snprintf(err, errlen, "cannot start the connection reaper");
		MHD_stop_daemon(s->d);
		goto out_free;
	}
	s->reaper_running = true;
	const union MHD_DaemonInfo *di =
		MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : 0;
	*out = s;
	return 0;
out_free:
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->mu);
	forwarded_trust_free(s->trust);
	free(s);
	return -1;
}

void http_server_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	/* Stop accepting; let the requests in flight finish, for a while.
	 * The reaper keeps running meanwhile, so a client that stopped
	 * sending is still cut at its deadline. */
	atomic_store(&s->draining, true);
	MHD_socket lfd = MHD_quiesce_daemon(s->d);
	if (lfd != MHD_INVALID_SOCKET)
		/* no longer listening: new connections are refused, not
		 * left in the backlog (the socket stays open, as MHD asks,
		 * until the daemon has stopped) */
		shutdown(lfd, SHUT_RDWR);
	int64_t until = now_ms() + (int64_t)s->cfg.stop_wait_s * 1000;
	int64_t left;
	while ((left = atomic_load(&s->in_flight)) > 0 && now_ms() < until) {
		struct timespec ts = {0, 10 * 1000000L};
		nanosleep(&ts, NULL);
	}
	if (left > 0) {
		char n[24];
		snprintf(n, sizeof(n), "%lld", (long long)left);
		log_kv(LOG_WARN, NULL, "http.stop", "unfinished", n, NULL);
	}
	if (s->reaper_running) {
		pthread_mutex_lock(&s->mu);
		s->stopping = true;
		pthread_cond_signal(&s->wake);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->reaper, NULL);
	}
	/* closes every connection (idle ones, and any request still
	 * running after the wait): NOTIFY_CLOSED frees each */
	MHD_stop_daemon(s->d);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	for (int i = 0; i < ADDR_BUCKETS; i++) {
		while (s->addrs[i]) {
			struct addr_count *a = s->addrs[i];
			s->addrs[i] = a->next;
			free(a);
		}
	}
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->mu);
	forwarded_trust_free(s->trust);
	free(s);
}

void http_server_counters(const struct http_server *s,
			  struct http_counters *o)
{
	memset(o, 0, sizeof(*o));
	if (s == NULL)
		return;
	struct http_server *m = (struct http_server *)s;
	o->requests = atomic_load(&m->requests);
	for (int i = 0; i < 6; i++)
		o->by_class[i] = atomic_load(&m->by_class[i]);
	o->latency_us_sum = atomic_load(&m->latency_us_sum);
	for (int i = 0; i < 8; i++)
		o->latency_buckets[i] = atomic_load(&m->latency_buckets[i]);
	int64_t f = atomic_load(&m->in_flight);
	o->in_flight = f > 0 ? (uint64_t)f : 0;
	o->refused = atomic_load(&m->refused);
	o->reaped = atomic_load(&m->reaped);
}

unsigned http_server_port(const struct http_server *s)
{
	return s->port;
}
