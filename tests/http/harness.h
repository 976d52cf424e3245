/*
 * harness: end-to-end tests over loopback.
 *
 * e2e_server_start() makes a temporary folder, builds a database with
 * the real command (`cairn demo`), starts `cairn serve` on a free
 * loopback port and waits for /healthz; e2e_server_stop() ends it and
 * removes the folder.  A `struct e2e_client` is one browser-like client
 * with its own cookies; e2e_get/e2e_post/e2e_json send a request and
 * keep the status, headers and body of the answer.
 *
 * The store (issue 10 §2): a SQLite file in the folder, or, with
 * CAIRN_TEST_DB=postgres in the environment, a new database in a
 * throwaway cluster the test program starts at its first server
 * (src/db/testdb.h, scripts/pg-tmp) and stops at exit.  s->db is then
 * the database's URI, s->key the key file the server needs there
 * (`cairn demo --key-file`, `key_file` in the config), and the
 * e2e_sql_* helpers run on it through libpq.  Without PostgreSQL
 * installed the program exits 77 (skipped).
 */
#ifndef CAIRN_E2E_HARNESS_H
#define CAIRN_E2E_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct e2e_server {
	char dir[256];
	char db[300];  /* a file, or a PostgreSQL URI (e2e_on_postgres) */
	char key[320]; /* the server's key file (SQLite: the db's default) */
	char cairn[512];
	char log[300];
	int port;
	pid_t pid;
};

struct e2e_resp {
	long status;
	char *body;
	size_t len;
	char *headers;
};

struct e2e_client {
	struct e2e_server *srv;
	char cookies[2048]; /* "a=b; c=d" */
	char csrf[128];     /* the last csrf hidden field seen */
	char bearer[128];
	char extra[512];    /* one more request header ("Name: value"), or "" */
	struct e2e_resp r;
};

/* Returns 0, or -1 with a message on stderr. */
int e2e_server_start(struct e2e_server *s, int children);
/* The same, with extra "key = value" lines (each ending in a newline)
 * appended to the server's config file; NULL for none. */
int e2e_server_start_conf(struct e2e_server *s, int children,
			  const char *extra_conf);
/* (Re)starts `cairn serve` on s's database (stopping the running one
 * first) with that config, on a new port; waits for /healthz. */
int e2e_server_serve(struct e2e_server *s, const char *extra_conf);
void e2e_server_stop(struct e2e_server *s);

/* True when the tests run on PostgreSQL (CAIRN_TEST_DB=postgres). */
bool e2e_on_postgres(void);

/* A new empty store for a test's own `cairn demo`/`init` (pass them
 * "--key-file", s->key): a file NAME.db in s's folder, or a new
 * database in the cluster.  Its path or URI into out; 0, or -1. */
int e2e_new_db(struct e2e_server *s, const char *name, char *out,
	       size_t len);

/* Prints why a test does not apply on PostgreSQL (an inherently
 * SQLite-file test) and returns true there; the test then skips. */
bool e2e_sqlite_only(const char *why);

/* Runs the cairn command with args (NULL-terminated) and optional
 * stdin text; returns the exit status, stdout copied into out. */
int e2e_cairn(struct e2e_server *s, const char *stdin_text, char *out,
	      size_t outlen, ...) __attribute__((sentinel));

void e2e_client_init(struct e2e_client *c, struct e2e_server *s);
void e2e_client_free(struct e2e_client *c);

/* Requests; return the status (0 when the request could not be made). */
long e2e_get(struct e2e_client *c, const char *path);
long e2e_post(struct e2e_client *c, const char *path, const char *form);
long e2e_json(struct e2e_client *c, const char *method, const char *path,
	      const char *json);
long e2e_raw(struct e2e_client *c, const char *method, const char *path,
	     const char *ctype, const char *body, size_t len);

/* Signs in through the form; returns true on a 303 to the next page. */
bool e2e_sign_in(struct e2e_client *c, const char *user, const char *pw);

/* The value of a response header (case-insensitive), copied into buf. */
const char *e2e_header(struct e2e_client *c, const char *name, char *buf,
		       size_t len);

/* The body contains s. */
bool e2e_has(struct e2e_client *c, const char *s);

/* A single integer from SQL on the test database (read-only), or -1. */
long long e2e_sql_int(struct e2e_server *s, const char *sql);

/* Runs SQL that changes the database behind the server's back. */
int e2e_sql_exec(struct e2e_server *s, const char *sql);

/* Makes an API token for username (`cairn token create`) and sets it as
 * c's bearer; false when the command failed. */
bool e2e_bearer(struct e2e_client *c, const char *username);

/* The first column of the first row of a read-only query as text
 * (malloc'd; free it), or NULL when there is none. */
char *e2e_sql_text(struct e2e_server *s, const char *sql);

/* The first column of the first row as bytes (a BLOB, BYTEA on
 * PostgreSQL; malloc'd, its length in *len; free it), or NULL. */
unsigned char *e2e_sql_blob(struct e2e_server *s, const char *sql,
			    size_t *len);

/* Percent-encodes s for a form body into buf. */
const char *e2e_enc(const char *s, char *buf, size_t len);

/* A gauge or counter from /metrics (read with the metrics token), or -1
 * when it cannot be read. */
long long e2e_metric(struct e2e_server *s, const char *name);

/* The server process's resident set (VmRSS), in KiB, or -1. */
long e2e_rss_kb(struct e2e_server *s);

/* A raw TCP connection to the server, from the loopback address `from`
 * ("127.0.0.2"; NULL: the default).  Returns the socket, or -1. */
int e2e_connect(struct e2e_server *s, const char *from);

/* Sends all of p[0..n) on fd; returns 0, or -1 when the peer is gone. */
int e2e_send(int fd, const void *p, size_t n);

/* Reads from fd into buf (NUL-terminated, at most len - 1 bytes kept;
 * the rest is read and dropped) until the peer closes or timeout_ms
 * passes.  Returns the bytes read (a reset after data counts as the
 * end), or -1 on a reset before any data; *ms_out (may be NULL) gets
 * the milliseconds waited. */
long e2e_read_until_close(int fd, char *buf, size_t len, int timeout_ms,
			  long *ms_out);

/* The status of a raw HTTP answer in buf ("HTTP/1.1 413 ..."), or 0. */
int e2e_raw_status(const char *buf);

/* A header's value from a raw HTTP answer, copied into out, or NULL. */
const char *e2e_raw_header(const char *buf, const char *name, char *out,
			   size_t len);

/* Milliseconds since t0 (CLOCK_MONOTONIC). */
struct timespec;
long e2e_ms_since(const struct timespec *t0);

#define DEMO_PASSWORD "cairn-demo-password"
/* every test server's metrics_token: /metrics needs it as a bearer */
#define E2E_METRICS_TOKEN "e2e-metrics-0123456789abcdef0123456789"

#endif
