/* harness.c: see harness.h. */
#include "harness.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/testdb.h"

#ifndef CAIRN_BIN
#error "CAIRN_BIN must name the cairn executable under test"
#endif

static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t l = sizeof(a);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &l) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static int run(const char *stdin_text, char *out, size_t outlen,
	       char *const argv[])
{
	int in[2], outp[2];
	if (pipe(in) != 0 || pipe(outp) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(outp[1], 1);
		close(in[1]);
		close(outp[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(outp[1]);
	if (stdin_text) {
		ssize_t w = write(in[1], stdin_text, strlen(stdin_text));
		(void)w;
	}
	close(in[1]);
	size_t n = 0;
	char buf[4096];
	ssize_t r;
	while ((r = read(outp[0], buf, sizeof(buf))) > 0) {
		if (out && n + (size_t)r < outlen) {
			memcpy(out + n, buf, (size_t)r);
			n += (size_t)r;
		}
	}
	if (out && outlen)
		out[n] = '\0';
	close(outp[0]);
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

int e2e_cairn(struct e2e_server *s, const char *stdin_text, char *out,
	      size_t outlen, ...)
{
	char *argv[32];
	int n = 0;
	argv[n++] = s->cairn;
	va_list ap;
	va_start(ap, outlen);
	const char *a;
	while ((a = va_arg(ap, const char *)) != NULL && n < 31)
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	return run(stdin_text, out, outlen, argv);
}

static int wait_healthy(struct e2e_server *s)
{
	struct e2e_client c;
	e2e_client_init(&c, s);
	for (int i = 0; i < 200; i++) {
		if (e2e_get(&c, "/healthz") == 200) {
			e2e_client_free(&c);
			return 0;
		}
		struct timespec ts = {0, 50 * 1000000L};
		nanosleep(&ts, NULL);
	}
	e2e_client_free(&c);
	return -1;
}

bool e2e_on_postgres(void)
{
	const char *e = getenv("CAIRN_TEST_DB");
	return e != NULL && strcmp(e, "postgres") == 0;
}

bool e2e_sqlite_only(const char *why)
{
	if (!e2e_on_postgres())
		return false;
	printf("skipped on PostgreSQL: %s\n", why);
	return true;
}

static void pg_atexit(void)
{
	testdb_pg_stop();
}

/* One throwaway cluster per test program (issue 10 §2), started at the
 * first database asked for; 77 (skipped) without PostgreSQL. */
static int pg_newdb(char *uri, size_t len)
{
	static int started, seq;
	if (!started) {
		char first[256];
		int rc = testdb_pg_start(first, sizeof(first));
		if (rc == 77) {
			printf("CAIRN_TEST_DB=postgres, but PostgreSQL is not "
			       "installed: skipped\n");
			exit(77);
		}
		if (rc != 0)
			return -1;
		started = 1;
		atexit(pg_atexit);
	}
	char name[32];
	snprintf(name, sizeof(name), "e2e%d", ++seq);
	/* the server connects as an ordinary role that owns the tables, as
	 * in production, so that row-level security by council (D43) holds
	 * in every end-to-end test; the tests' own look behind its back
	 * (pg_query) connects as the cluster's superuser */
	return testdb_pg_createdb_app(name, uri, len);
}

int e2e_new_db(struct e2e_server *s, const char *name, char *out,
	       size_t len)
{
	if (e2e_on_postgres())
		return pg_newdb(out, len);
	int n = snprintf(out, len, "%s/%s.db", s->dir, name);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int e2e_server_start(struct e2e_server *s, int children)
{
	return e2e_server_start_conf(s, children, NULL);
}

int e2e_server_start_conf(struct e2e_server *s, int children,
			  const char *extra_conf)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/cairn-e2e-XXXXXX");
	if (mkdtemp(s->dir) == NULL)
		return -1;
	if (e2e_new_db(s, "e2e", s->db, sizeof(s->db)) != 0) {
		fprintf(stderr, "e2e: cannot make the test's database\n");
		return -1;
	}
	/* SQLite: the key file's default place beside the database (D24);
	 * PostgreSQL: one the server is told of (D42) */
	if (e2e_on_postgres())
		snprintf(s->key, sizeof(s->key), "%s/server.key", s->dir);
	else
		snprintf(s->key, sizeof(s->key), "%s.key", s->db);
	snprintf(s->log, sizeof(s->log), "%s/serve.log", s->dir);
	snprintf(s->cairn, sizeof(s->cairn), "%s", CAIRN_BIN);
	char n[16];
	snprintf(n, sizeof(n), "%d", children);
	int rc = e2e_cairn(s, NULL, NULL, 0, "demo", "--db", s->db,
			   "--children", n, "--seed", "7", "--key-file", s->key,
			   NULL);
	if (rc != 0) {
		fprintf(stderr, "e2e: cairn demo failed (%d)\n", rc);
		return -1;
	}
	return e2e_server_serve(s, extra_conf);
}

int e2e_server_serve(struct e2e_server *s, const char *extra_conf)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		int st;
		waitpid(s->pid, &st, 0);
		s->pid = 0;
	}
	char conf[300];
	snprintf(conf, sizeof(conf), "%s/serve.conf", s->dir);
	FILE *f = fopen(conf, "w");
	if (f == NULL)
		return -1;
	/* the default server threads (a thread per connection), as served */
	fputs("synchronous = normal\n", f);
	fputs("metrics_token = " E2E_METRICS_TOKEN "\n", f);
	if (e2e_on_postgres())
		fprintf(f, "key_file = %s\n", s->key);
	if (extra_conf)
		fputs(extra_conf, f);
	fclose(f);
	s->port = free_port();
	char listen[64];
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", s->port);
	s->pid = fork();
	if (s->pid == 0) {
		FILE *lf = freopen(s->log, "w", stderr);
		(void)lf;
		execl(s->cairn, s->cairn, "serve", "--db", s->db, "--listen",
		      listen, "--config", conf, (char *)NULL);
		_exit(127);
	}
	if (wait_healthy(s) != 0) {
		fprintf(stderr, "e2e: server did not become healthy\n");
		e2e_server_stop(s);
		return -1;
	}
	return 0;
}

void e2e_server_stop(struct e2e_server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		int st;
		waitpid(s->pid, &st, 0);
		s->pid = 0;
	}
	if (getenv("E2E_KEEP") == NULL && s->dir[0]) {
		char cmd[400];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
		int r = system(cmd);
		(void)r;
	}
}

void e2e_client_init(struct e2e_client *c, struct e2e_server *s)
{
	memset(c, 0, sizeof(*c));
	c->srv = s;
}

static void resp_free(struct e2e_resp *r)
{
	free(r->body);
	free(r->headers);
	memset(r, 0, sizeof(*r));
}

void e2e_client_free(struct e2e_client *c)
{
	resp_free(&c->r);
}

struct growbuf {
	char **p;
	size_t *len;
};

static size_t on_body(char *d, size_t sz, size_t n, void *arg)
{
	struct e2e_resp *r = arg;
	size_t add = sz * n;
	r->body = realloc(r->body, r->len + add + 1);
	memcpy(r->body + r->len, d, add);
	r->len += add;
	r->body[r->len] = '\0';
	return add;
}

/* Keeps cookies from Set-Cookie (name=value; attributes ignored; an
 * empty value or Max-Age=0 removes the cookie). */
static void keep_cookie(struct e2e_client *c, const char *line)
{
	const char *v = line + strlen("set-cookie:");
	while (*v == ' ')
		v++;
	const char *eq = strchr(v, '=');
	const char *semi = strchr(v, ';');
	if (eq == NULL)
		return;
	if (semi == NULL)
		semi = v + strcspn(v, "\r\n");
	char name[128], val[512];
	snprintf(name, sizeof(name), "%.*s", (int)(eq - v), v);
	snprintf(val, sizeof(val), "%.*s", (int)(semi - eq - 1), eq + 1);
	bool remove = val[0] == '\0' || strstr(line, "Max-Age=0") != NULL;
	char out[2048] = "";
	char *save = NULL;
	char copy[2048];
	snprintf(copy, sizeof(copy), "%s", c->cookies);
	for (char *tok = strtok_r(copy, ";", &save); tok;
	     tok = strtok_r(NULL, ";", &save)) {
		while (*tok == ' ')
			tok++;
		if (strncmp(tok, name, strlen(name)) == 0 &&
		    tok[strlen(name)] == '=')
			continue;
		size_t o = strlen(out);
		snprintf(out + o, sizeof(out) - o, "%s%s", o ? "; " : "", tok);
	}
	if (!remove) {
		size_t o = strlen(out);
		snprintf(out + o, sizeof(out) - o, "%s%s=%s", o ? "; " : "",
			 name, val);
	}
	snprintf(c->cookies, sizeof(c->cookies), "%s", out);
}

struct hdrctx {
	struct e2e_client *c;
};

static size_t on_header(char *d, size_t sz, size_t n, void *arg)
{
	struct e2e_client *c = arg;
	size_t add = sz * n;
	struct e2e_resp *r = &c->r;
	size_t old = r->headers ? strlen(r->headers) : 0;
	r->headers = realloc(r->headers, old + add + 1);
	memcpy(r->headers + old, d, add);
	r->headers[old + add] = '\0';
	if (add > 11 && strncasecmp(d, "set-cookie:", 11) == 0) {
		char line[2048];
		snprintf(line, sizeof(line), "%.*s", (int)add, d);
		keep_cookie(c, line);
	}
	return add;
}

static void find_csrf(struct e2e_client *c)
{
	if (c->r.body == NULL)
		return;
	const char *p = strstr(c->r.body, "name=\"csrf\" value=\"");
	if (p == NULL)
		return;
	p += strlen("name=\"csrf\" value=\"");
	const char *e = strchr(p, '"');
	if (e && (size_t)(e - p) < sizeof(c->csrf))
		snprintf(c->csrf, sizeof(c->csrf), "%.*s", (int)(e - p), p);
}

long e2e_raw(struct e2e_client *c, const char *method, const char *path,
	     const char *ctype, const char *body, size_t len)
{
	resp_free(&c->r);
	CURL *h = curl_easy_init();
	char url[2048];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", c->srv->port, path);
	struct curl_slist *hd = NULL;
	char line[2300];
	if (c->cookies[0]) {
		snprintf(line, sizeof(line), "Cookie: %s", c->cookies);
		hd = curl_slist_append(hd, line);
	}
	if (c->bearer[0]) {
		snprintf(line, sizeof(line), "Authorization: Bearer %s", c->bearer);
		hd = curl_slist_append(hd, line);
	}
	if (ctype) {
		snprintf(line, sizeof(line), "Content-Type: %s", ctype);
		hd = curl_slist_append(hd, line);
	}
	if (c->extra[0])
		hd = curl_slist_append(hd, c->extra);
	/* A body over 1 MiB asks first (Expect: 100-continue, waited for as
	 * long as the request may take): the server refuses a body too
	 * large before it is sent, where otherwise it closes mid-upload and
	 * a loaded machine may lose the 413 to the reset. */
	if (!body || len <= ((size_t)1 << 20))
		hd = curl_slist_append(hd, "Expect:");
	else
		curl_easy_setopt(h, CURLOPT_EXPECT_100_TIMEOUT_MS, 30000L);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &c->r);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	long status = 0;
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	c->r.status = status;
	curl_slist_free_all(hd);
	curl_easy_cleanup(h);
	if (c->r.body == NULL) {
		c->r.body = calloc(1, 1);
	}
	find_csrf(c);
	return status;
}

long e2e_get(struct e2e_client *c, const char *path)
{
	return e2e_raw(c, "GET", path, NULL, NULL, 0);
}

long e2e_post(struct e2e_client *c, const char *path, const char *form)
{
	return e2e_raw(c, "POST", path, "application/x-www-form-urlencoded",
		       form, strlen(form));
}

long e2e_json(struct e2e_client *c, const char *method, const char *path,
	      const char *json)
{
	return e2e_raw(c, method, path, json ? "application/json" : NULL, json,
		       json ? strlen(json) : 0);
}

const char *e2e_enc(const char *s, char *buf, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < len;
	     p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.') {
			buf[o++] = (char)*p;
		} else if (*p == ' ') {
			buf[o++] = '+';
		} else {
			buf[o++] = '%';
			buf[o++] = hex[*p >> 4];
			buf[o++] = hex[*p & 15];
		}
	}
	buf[o] = '\0';
	return buf;
}

bool e2e_sign_in(struct e2e_client *c, const char *user, const char *pw)
{
	if (e2e_get(c, "/sign-in") != 200)
		return false;
	char form[1024], u[256], p[256];
	snprintf(form, sizeof(form), "csrf=%s&username=%s&password=%s&next=/",
		 c->csrf, e2e_enc(user, u, sizeof(u)), e2e_enc(pw, p, sizeof(p)));
	if (e2e_post(c, "/sign-in", form) != 303)
		return false;
	/* load a page to pick up the session's CSRF token */
	return e2e_get(c, "/") == 200;
}

const char *e2e_header(struct e2e_client *c, const char *name, char *buf,
		       size_t len)
{
	if (c->r.headers == NULL)
		return NULL;
	size_t n = strlen(name);
	for (const char *p = c->r.headers; *p;) {
		const char *e = strstr(p, "\r\n");
		if (e == NULL)
			break;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ')
				v++;
			snprintf(buf, len, "%.*s", (int)(e - v), v);
			return buf;
		}
		p = e + 2;
	}
	return NULL;
}

bool e2e_has(struct e2e_client *c, const char *s)
{
	return c->r.body && strstr(c->r.body, s) != NULL;
}

/* PostgreSQL: one query on a new connection.  Returns the result
 * (PQclear it), or NULL on an error, which is printed: a test's SQL that
 * PostgreSQL refuses shows why instead of a bare -1. */
static PGresult *pg_query(struct e2e_server *s, const char *sql)
{
	/* the superuser, whom row-level security does not bind: the
	 * test sees every council's rows (pg_newdb) */
	char su[sizeof(s->db)];
	const char *app = strstr(s->db, "cairn_app@");
	if (app != NULL)
		snprintf(su, sizeof(su), "%.*scairn@%s", (int)(app - s->db),
			 s->db, app + strlen("cairn_app@"));
	else
		snprintf(su, sizeof(su), "%s", s->db);
	PGconn *h = PQconnectdb(su);
	if (PQstatus(h) != CONNECTION_OK) {
		fprintf(stderr, "e2e: %s", PQerrorMessage(h));
		PQfinish(h);
		return NULL;
	}
	PQclear(PQexec(h, "SET client_min_messages = warning"));
	PGresult *r = PQexec(h, sql);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "e2e: %s: %s", sql, PQresultErrorMessage(r));
		PQclear(r);
		r = NULL;
	}
	PQfinish(h);
	return r;
}

/* Runs sql on the server's SQLite file (read-only) and hands its first
 * row, if any, to row(st, arg).  -1 when the file cannot be opened or
 * the SQL is refused (said on stderr), else 0. */
static int lite_first(struct e2e_server *s, const char *sql,
		      void (*row)(sqlite3_stmt *st, void *arg), void *arg)
{
	sqlite3 *h;
	if (sqlite3_open_v2(s->db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(h, 5000);
	sqlite3_stmt *st;
	int rc = -1;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			row(st, arg);
		sqlite3_finalize(st);
		rc = 0;
	} else {
		fprintf(stderr, "e2e: %s: %s\n", sql, sqlite3_errmsg(h));
	}
	sqlite3_close(h);
	return rc;
}

static void row_int(sqlite3_stmt *st, void *arg)
{
	*(long long *)arg = sqlite3_column_int64(st, 0);
}

static void row_text(sqlite3_stmt *st, void *arg)
{
	const unsigned char *t = sqlite3_column_text(st, 0);
	if (t)
		*(char **)arg = strdup((const char *)t);
}

struct blob_out {
	unsigned char *v;
	size_t *len;
};

static void row_blob(sqlite3_stmt *st, void *arg)
{
	struct blob_out *o = arg;
	if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		return;
	const void *b = sqlite3_column_blob(st, 0);
	size_t n = (size_t)sqlite3_column_bytes(st, 0);
	if ((o->v = malloc(n + 1)) != NULL) {
		if (n)
			memcpy(o->v, b, n);
		*o->len = n;
	}
}

long long e2e_sql_int(struct e2e_server *s, const char *sql)
{
	long long v = -1;
	if (db_is_uri(s->db)) {
		PGresult *r = pg_query(s, sql);
		if (r && PQntuples(r) > 0 && PQnfields(r) > 0) {
			/* as sqlite3_column_int64: NULL is 0; a boolean
			 * (PostgreSQL's answer to a comparison) is 1 or 0 */
			const char *t = PQgetvalue(r, 0, 0);
			if (PQgetisnull(r, 0, 0))
				v = 0;
			else if (strcmp(t, "t") == 0 || strcmp(t, "f") == 0)
				v = t[0] == 't';
			else
				v = strtoll(t, NULL, 10);
		}
		PQclear(r);
		return v;
	}
	if (lite_first(s, sql, row_int, &v) < 0)
		return -1;
	return v;
}

bool e2e_bearer(struct e2e_client *c, const char *username)
{
	char tok[128];
	if (e2e_cairn(c->srv, NULL, tok, sizeof(tok), "token", "create", "--db",
		      c->srv->db, "--username", username, NULL) != 0)
		return false;
	tok[strcspn(tok, "\n")] = '\0';
	snprintf(c->bearer, sizeof(c->bearer), "%s", tok);
	return tok[0] != '\0';
}

char *e2e_sql_text(struct e2e_server *s, const char *sql)
{
	char *v = NULL;
	if (db_is_uri(s->db)) {
		PGresult *r = pg_query(s, sql);
		if (r && PQntuples(r) > 0 && PQnfields(r) > 0 &&
		    !PQgetisnull(r, 0, 0))
			v = strdup(PQgetvalue(r, 0, 0));
		PQclear(r);
		return v;
	}
	lite_first(s, sql, row_text, &v);
	return v;
}

unsigned char *e2e_sql_blob(struct e2e_server *s, const char *sql,
			    size_t *len)
{
	unsigned char *v = NULL;
	*len = 0;
	if (db_is_uri(s->db)) {
		PGresult *r = pg_query(s, sql);
		if (r && PQntuples(r) > 0 && PQnfields(r) > 0 &&
		    !PQgetisnull(r, 0, 0)) {
			/* text format: BYTEA arrives escaped (\x...) */
			unsigned char *u = PQunescapeBytea(
				(const unsigned char *)PQgetvalue(r, 0, 0), len);
			if (u && (v = malloc(*len + 1)) != NULL)
				memcpy(v, u, *len);
			PQfreemem(u);
		}
		PQclear(r);
		return v;
	}
	struct blob_out o = {NULL, len};
	lite_first(s, sql, row_blob, &o);
	return o.v;
}

int e2e_sql_exec(struct e2e_server *s, const char *sql)
{
	if (db_is_uri(s->db)) {
		PGresult *r = pg_query(s, sql);
		PQclear(r);
		return r ? 0 : -1;
	}
	sqlite3 *h;
	if (sqlite3_open(s->db, &h) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(h, 5000);
	char *err = NULL;
	int rc = sqlite3_exec(h, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fprintf(stderr, "e2e: %s: %s\n", sql, err ? err : "error");
	sqlite3_free(err);
	sqlite3_close(h);
	return rc == SQLITE_OK ? 0 : -1;
}

long long e2e_metric(struct e2e_server *s, const char *name)
{
	struct e2e_client c;
	e2e_client_init(&c, s);
	snprintf(c.bearer, sizeof(c.bearer), "%s", E2E_METRICS_TOKEN);
	long long v = -1;
	if (e2e_get(&c, "/metrics") == 200) {
		size_t n = strlen(name);
		for (const char *p = c.r.body; p && *p;) {
			if (strncmp(p, name, n) == 0 && p[n] == ' ') {
				v = strtoll(p + n + 1, NULL, 10);
				break;
			}
			p = strchr(p, '\n');
			if (p)
				p++;
		}
	}
	e2e_client_free(&c);
	return v;
}

long e2e_rss_kb(struct e2e_server *s)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)s->pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

int e2e_connect(struct e2e_server *s, const char *from)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	if (from) {
		inet_pton(AF_INET, from, &a.sin_addr);
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
			close(fd);
			return -1;
		}
	}
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)s->port);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int e2e_send(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

long e2e_ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	       (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

long e2e_read_until_close(int fd, char *buf, size_t len, int timeout_ms,
			  long *ms_out)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	size_t n = 0;
	long total = 0;
	bool reset = false;
	for (;;) {
		long left = timeout_ms - e2e_ms_since(&t0);
		if (left <= 0)
			break;
		struct pollfd p = {fd, POLLIN, 0};
		int pr = poll(&p, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			break;
		char tmp[8192];
		ssize_t r = recv(fd, tmp, sizeof(tmp), 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			reset = true;
			break;
		}
		if (r == 0)
			break;
		if (len > 0 && n < len - 1) {
			size_t k = (size_t)r < len - 1 - n ? (size_t)r
							  : len - 1 - n;
			memcpy(buf + n, tmp, k);
			n += k;
		}
		total += r;
	}
	if (len > 0)
		buf[n] = '\0';
	if (ms_out)
		*ms_out = e2e_ms_since(&t0);
	return reset && total == 0 ? -1 : total;
}

int e2e_raw_status(const char *buf)
{
	if (strncmp(buf, "HTTP/1.", 7) != 0 || buf[8] != ' ')
		return 0;
	return (int)strtol(buf + 9, NULL, 10);
}

const char *e2e_raw_header(const char *buf, const char *name, char *out,
			   size_t len)
{
	size_t n = strlen(name);
	const char *end = strstr(buf, "\r\n\r\n");
	for (const char *p = strstr(buf, "\r\n"); p && (!end || p < end);
	     p = strstr(p + 2, "\r\n")) {
		const char *h = p + 2;
		if (strncasecmp(h, name, n) == 0 && h[n] == ':') {
			const char *v = h + n + 1;
			while (*v == ' ')
				v++;
			const char *e = strstr(v, "\r\n");
			snprintf(out, len, "%.*s", (int)(e ? e - v : (long)strlen(v)),
				 v);
			return out;
		}
	}
	return NULL;
}
