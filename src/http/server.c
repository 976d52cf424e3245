/* server.c: see server.h for the contract. */
#define _GNU_SOURCE /* SCHED_BATCH */
#include "http/server.h"
#include "core/arena.h"
#include "core/log.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
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

struct http_server {
	struct MHD_Daemon *d;
	struct http_server_config cfg;
	unsigned port;
	_Atomic uint64_t requests;
	_Atomic uint64_t by_class[6];
	_Atomic uint64_t latency_us_sum;
	_Atomic uint64_t latency_buckets[8];
	_Atomic int64_t in_flight;
	_Atomic uint64_t rid_counter;
	uint64_t rid_salt;
};

/* One per request: MHD's per-request pointer. */
struct conn_state {
	struct http_exchange ex;
	char *path;
	char *query;
	struct sbuf body;
	bool started;
	bool counted;
	struct timespec t0;
	char ip[INET6_ADDRSTRLEN];
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

/* MHD_OPTION_URI_LOG_CALLBACK: the first thing MHD tells us about a
 * request, with the raw URI.  Allocates the request's state. */
static void *uri_cb(void *cls, const char *uri, struct MHD_Connection *con)
{
	struct http_server *s = cls;
	thread_batch(s);
	struct conn_state *cs = xcalloc(1, sizeof(*cs));
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
	uint64_t n = atomic_fetch_add(&s->rid_counter, 1);
	snprintf(cs->ex.rid, sizeof(cs->ex.rid), "%016llx",
		 (unsigned long long)((s->rid_salt + n) * 0x9e3779b97f4a7c15ull));
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	memcpy(cs->ip, "-", 2);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET,
				  &((const struct sockaddr_in *)sa)->sin_addr,
				  cs->ip, sizeof(cs->ip));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)sa)->sin6_addr,
				  cs->ip, sizeof(cs->ip));
	}
	cs->ex.ip = cs->ip;
	atomic_fetch_add(&s->in_flight, 1);
	return cs;
}

static void add_security_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(r, "Permissions-Policy",
				"camera=(), microphone=(), geolocation=()");
}

static const uint64_t bucket_ms[7] = {1, 2, 5, 10, 20, 50, 100};

static void account(struct http_server *s, struct conn_state *cs)
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
	       "ms", dur, NULL);
}

static enum MHD_Result respond(struct http_server *s, struct MHD_Connection *con,
			       struct conn_state *cs)
{
	struct http_exchange *ex = &cs->ex;
	struct MHD_Response *r;
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
	add_security_headers(r);
	MHD_add_response_header(r, "Cache-Control",
				ex->cache_control ? ex->cache_control
						  : "no-store");
	if (ex->out_type)
		MHD_add_response_header(r, "Content-Type", ex->out_type);
	MHD_add_response_header(r, "X-Request-Id", ex->rid);
	for (int i = 0; i < ex->n_out_headers; i++)
		MHD_add_response_header(r, ex->out_headers[i][0],
					ex->out_headers[i][1]);
	enum MHD_Result ret = MHD_queue_response(con, (unsigned)ex->status, r);
	MHD_destroy_response(r);
	account(s, cs);
	return ret;
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *con,
				 const char *url, const char *method,
				 const char *version, const char *upload_data,
				 size_t *upload_size, void **req_cls)
{
	struct http_server *s = cls;
	struct conn_state *cs = *req_cls;
	if (cs == NULL)
		return MHD_NO; /* cannot happen: uri_cb always runs first */
	if (!cs->started) {
		/* first call: headers only; answer on a later call */
		cs->started = true;
		cs->ex.method = method_of(method);
		cs->ex.content_type = MHD_lookup_connection_value(
			con, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
		cs->ex.cookie = MHD_lookup_connection_value(
			con, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
		cs->ex.authorization = MHD_lookup_connection_value(
			con, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
		cs->ex.accept = MHD_lookup_connection_value(
			con, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
		const char *cl = MHD_lookup_connection_value(
			con, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		int64_t len;
		if (cl && str_to_i64z(cl, 0, INT64_MAX, &len) &&
		    (uint64_t)len > s->cfg.body_limit)
			cs->ex.body_too_large = true;
		(void)url;
		(void)version;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		if (!cs->ex.body_too_large &&
		    sbuf_add(&cs->body, upload_data, *upload_size) < 0) {
			cs->ex.body_too_large = true;
			sbuf_release(&cs->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (cs->body.buf) {
		cs->ex.body = cs->body.buf;
		cs->ex.body_len = cs->body.len;
	}
	s->cfg.handler(&cs->ex, s->cfg.arg);
	return respond(s, con, cs);
}

static void completed_cb(void *cls, struct MHD_Connection *con,
			 void **req_cls, enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct conn_state *cs = *req_cls;
	(void)con;
	(void)toe;
	if (cs == NULL)
		return;
	if (!cs->counted && cs->started) {
		cs->ex.status = 499; /* client went away before the answer */
		account(s, cs);
	}
	if (s->cfg.done)
		s->cfg.done(&cs->ex, s->cfg.arg);
	sbuf_release(&cs->ex.out);
	sbuf_release(&cs->body);
	free(cs->path);
	free(cs->query);
	free(cs);
	*req_cls = NULL;
	atomic_fetch_sub(&s->in_flight, 1);
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
	struct http_server *s = xcalloc(1, sizeof(*s));
	s->cfg = *cfg;
	if (s->cfg.header_limit == 0)
		s->cfg.header_limit = 32u << 10;
	if (s->cfg.body_limit == 0)
		s->cfg.body_limit = 1u << 20;
	if (s->cfg.timeout_s == 0)
		s->cfg.timeout_s = 30;
	s->rid_salt = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	/* A thread per connection (threads == 0): a handler that waits,
	 * for the audit group commit above all, holds up only its own
	 * connection, and the scheduler shares the cores evenly between
	 * connections.  A pool of threads each owning the connections it
	 * accepted made the connections that shared a thread with others
	 * wait in turn behind each other's waits (docs/decisions.md D20). */
	unsigned flags = MHD_USE_TURBO;
	if (s->cfg.threads == 0)
		flags |= MHD_USE_THREAD_PER_CONNECTION |
			 MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
	else
		flags |= MHD_USE_EPOLL_INTERNAL_THREAD;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->d = MHD_start_daemon(
		flags, 0, NULL, NULL, access_cb, s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		/* 0 (no pool) with a thread per connection */
		MHD_OPTION_THREAD_POOL_SIZE, s->cfg.threads,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, s->cfg.header_limit,
		MHD_OPTION_CONNECTION_TIMEOUT, s->cfg.timeout_s,
		MHD_OPTION_CONNECTION_LIMIT, 4096u,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
		MHD_OPTION_URI_LOG_CALLBACK, uri_cb, s,
		MHD_OPTION_NOTIFY_COMPLETED, completed_cb, s,
		MHD_OPTION_END);
	if (s->d == NULL) {
		snprintf(err, errlen, "cannot listen on %s (in use, or not an "
			 "address of this machine)", cfg->listen);
		free(s);
		return -1;
	}
	const union MHD_DaemonInfo *di =
		MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : 0;
	*out = s;
	return 0;
}

void http_server_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	MHD_stop_daemon(s->d);
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
}

unsigned http_server_port(const struct http_server *s)
{
	return s->port;
}
