/* cli.c: the sub-commands.  See cli.h for exit statuses. */
#include "cli/cli.h"
#include "audit/audit.h"
#include "auth/password.h"
#include "auth/seal.h"
#include "auth/role.h"
#include "auth/token.h"
#include "auth/user.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/str.h"
#include "db/db.h"
#include "episode/episode.h"
#include "rules/calendar.h"
#include "rules/holidays.h"
#include "rules/uktime.h"
#include "web/app.h"

#include <errno.h>
#include <sodium.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* in the code lists' folder, found from the program's place
 * (core/paths.h) */
#define DEFAULT_HOLIDAYS "bank_holidays_england_wales_2018_2027.csv"

static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == n && memcmp(p, name, n) == 0)
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

bool cli_db_has_secret(const char *db)
{
	if (db == NULL)
		return false;
	for (const char *p = db; (p = strchr(p, '=')) != NULL; p++) {
		/* "password=" as a keyword (libpq's "host=... password=...")
		 * or a query parameter (?password=) */
		const char *k = p;
		while (k > db && (k[-1] == ' ' || k[-1] == '\t'))
			k--;
		if (k - db >= 8 && strncasecmp(k - 8, "password", 8) == 0)
			return true;
	}
	const char *s = strstr(db, "://");
	if (s == NULL)
		return false;
	s += 3;
	size_t auth = strcspn(s, "/?#");
	const char *at = NULL; /* the last '@' of the authority */
	for (size_t i = 0; i < auth; i++)
		if (s[i] == '@')
			at = s + i;
	return at != NULL && memchr(s, ':', (size_t)(at - s)) != NULL;
}

/* Options the environment may give when the command line does not. */
static const struct {
	const char *opt;
	const char *env;
} env_opts[] = {
	{"db", "CAIRN_DB"},
	{"listen", "CAIRN_LISTEN"},
	{"config", "CAIRN_CONFIG"},
	{"read-db", "CAIRN_READ_DB"},
};

int cli_parse(int argc, char **argv, const char *known, const char *flags,
	      struct cli_opts *o, const char *cmd)
{
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (o->npos >= 8) {
				fprintf(stderr, "cairn %s: too many arguments\n", cmd);
				return -1;
			}
			o->pos[o->npos++] = a;
			continue;
		}
		const char *name = a + 2;
		/* --today is every command's: the clock it acts at */
		if (!in_list(known, name) && strcmp(name, "today") != 0) {
			fprintf(stderr, "cairn %s: unknown option --%s (see "
				"'cairn %s --help')\n", cmd, name, cmd);
			return -1;
		}
		if (o->n >= CLI_MAX_OPTS) {
			fprintf(stderr, "cairn %s: too many options\n", cmd);
			return -1;
		}
		o->v[o->n].name = name;
		if (!in_list(flags, name)) {
			if (i + 1 >= argc) {
				fprintf(stderr, "cairn %s: --%s needs a value\n",
					cmd, name);
				return -1;
			}
			o->v[o->n].value = argv[++i];
			/* SQLite would open "" as a private temporary
			 * database, dropped on exit: the work would vanish */
			if ((strcmp(name, "db") == 0 ||
			     strcmp(name, "read-db") == 0) &&
			    o->v[o->n].value[0] == '\0') {
				fprintf(stderr, "cairn %s: --%s is empty: give "
					"the database's file or URI\n", cmd, name);
				return -1;
			}
			if ((strcmp(name, "db") == 0 ||
			     strcmp(name, "read-db") == 0) &&
			    cli_db_has_secret(o->v[o->n].value)) {
				fprintf(stderr, "cairn %s: --%s must not carry a "
					"password (every user of this machine can "
					"read a command line): give it in the "
					"environment or the config file, or use "
					"PostgreSQL's password file\n", cmd, name);
				return -1;
			}
		}
		o->n++;
	}
	for (size_t k = 0; k < sizeof(env_opts) / sizeof(env_opts[0]); k++) {
		const char *v = getenv(env_opts[k].env);
		if (v == NULL || v[0] == '\0' || !in_list(known, env_opts[k].opt) ||
		    cli_opt(o, env_opts[k].opt) != NULL)
			continue;
		if (o->n >= CLI_MAX_OPTS) {
			fprintf(stderr, "cairn %s: too many options\n", cmd);
			return -1;
		}
		o->v[o->n].name = env_opts[k].opt;
		o->v[o->n].value = v;
		o->n++;
	}
	const char *today = cli_opt(o, "today");
	struct cal_date d;
	if (today && !cal_date_parse(today, strlen(today), &d)) {
		fprintf(stderr, "cairn %s: --today must be a date as "
			"YYYY-MM-DD\n", cmd);
		return -1;
	}
	return 0;
}

int cli_sub(int argc, char **argv, const char *cmd, const char *usage,
	    const char *const *subs, bool sub_help, int *status)
{
	int k = -1;
	for (int i = 0; argc > 0 && subs[i]; i++)
		if (strcmp(argv[0], subs[i]) == 0)
			k = i;
	if (argc < 1 || ((k < 0 || !sub_help) && cli_wants_help(argc, argv))) {
		puts(usage);
		*status = argc < 1 ? CLI_USAGE : CLI_OK;
		return -1;
	}
	if (k < 0) {
		fprintf(stderr, "cairn %s: unknown sub-command '%s'\n%s\n", cmd,
			argv[0], usage);
		*status = CLI_USAGE;
	}
	return k;
}

int cli_format(const struct cli_opts *o, const char *cmd,
	       const char *const *allowed, const char **fmt)
{
	const char *f = cli_opt(o, "format");
	int n = 0;
	while (allowed[n])
		n++;
	for (int i = 0; i < n; i++)
		if (f == NULL || strcmp(f, allowed[i]) == 0) {
			*fmt = allowed[i];
			return 0;
		}
	fprintf(stderr, "cairn %s: --format must be ", cmd);
	for (int i = 0; i < n; i++)
		fprintf(stderr, "%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ",
			allowed[i]);
	fprintf(stderr, ", not '%s'\n", f);
	return -1;
}

int64_t cli_now(const struct cli_opts *o)
{
	const char *today = cli_opt(o, "today");
	struct cal_time t = {{0, 0, 0}, 12, 0};
	if (today && cal_date_parse(today, strlen(today), &t.date))
		return uk_to_instant(t); /* noon in England that day */
	return uk_clock_now();
}

struct actor cli_actor(const struct cli_opts *o, const char *council)
{
	return actor_system(council, cli_now(o));
}

void cli_system_event(struct audit_event *ev, const char *council,
		      const char *action, const char *entity, int64_t id)
{
	struct actor a = actor_system(council, 0);
	act_event(&a, action, entity, id, 0, ev);
}

const char *cli_opt(const struct cli_opts *o, const char *name)
{
	for (int i = o->n - 1; i >= 0; i--)
		if (strcmp(o->v[i].name, name) == 0)
			return o->v[i].value;
	return NULL;
}

int cli_flag(const struct cli_opts *o, const char *name)
{
	for (int i = 0; i < o->n; i++)
		if (strcmp(o->v[i].name, name) == 0)
			return 1;
	return 0;
}

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

struct db *cli_open_db(const char *path, bool must_exist)
{
	if (path == NULL) {
		fprintf(stderr, "cairn: --db FILE is required\n");
		return NULL;
	}
	struct stat st;
	if (must_exist && !db_is_uri(path) && stat(path, &st) != 0) {
		fprintf(stderr, "cairn: %s does not exist (create it with "
			"'cairn init --db %s')\n", path, path);
		return NULL;
	}
	struct db *db = NULL;
	char err[512];
	struct db_options o = {.pool_size = 1, .busy_timeout_ms = 10000, .synchronous_full = true};
	if (db_open(path, &o, &db, err, sizeof(err)) != DB_OK) {
		fprintf(stderr, "cairn: %s\n", err);
		return NULL;
	}
	if (must_exist) {
		struct db_conn *c = db_acquire(db);
		db_set_role(c, DB_ROLE_SYSTEM);
		int v = db_schema_version(c);
		db_release(db, c);
		if (v == 0) {
			fprintf(stderr, "cairn: %s has no Cairn schema (run "
				"'cairn init --db %s')\n", path, path);
			db_close(db);
			return NULL;
		}
	}
	return db;
}

struct db_conn *cli_connect(const char *path, bool must_exist,
			    struct db **db)
{
	struct db *d = cli_open_db(path, must_exist);
	if (d == NULL)
		return NULL;
	struct db_conn *c = db_acquire(d);
	db_set_role(c, DB_ROLE_SYSTEM);
	*db = d;
	return c;
}

int cli_council_open(const struct cli_opts *o, struct cli_council *k)
{
	k->c = cli_connect(cli_opt(o, "db"), true, &k->db);
	if (k->c == NULL)
		return -1;
	k->council = cli_pick_council(k->c, cli_opt(o, "council"), k->buf);
	if (k->council == NULL) {
		cli_close(k->db, k->c);
		return -1;
	}
	return 0;
}

void cli_council_close(struct cli_council *k)
{
	cli_close(k->db, k->c);
}

void cli_close(struct db *db, struct db_conn *c)
{
	db_release(db, c);
	db_close(db);
}

int cli_make_key(const char *db_path, const char *key_file, const char *cmd)
{
	char path[4096], err[512];
	if (password_init() != 0) {
		fprintf(stderr, "cairn %s: libsodium could not start\n", cmd);
		return -1;
	}
	if (key_file == NULL) {
		if (seal_key_default_path(db_path, path, sizeof(path)) < 0) {
			if (db_is_uri(db_path))
				fprintf(stderr, "cairn %s: a PostgreSQL store "
					"needs --key-file FILE (the key is "
					"never kept in the store)\n", cmd);
			else
				fprintf(stderr, "cairn %s: the key file's path "
					"is too long\n", cmd);
			return -1;
		}
		key_file = path;
	}
	int rc = seal_key_create(key_file, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "cairn %s: %s\n", cmd, err);
		return -1;
	}
	if (rc == 1)
		fprintf(stderr, "cairn %s: made the server key %s (keep it "
			"beside the database, out of its backups)\n", cmd, key_file);
	return 0;
}

DB_STMT(st_council_get) = {
	"cli_council_get", "SELECT council FROM council ORDER BY council",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_council_add) = {
	"cli_council_add",
	"INSERT INTO council (council, name, la_code) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (council) DO NOTHING",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_holiday_put) = {
	"cli_holiday_put",
	"INSERT INTO bank_holiday (council, day, title) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (council, day) DO UPDATE SET title = excluded.title",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_setting_put) = {
	"cli_setting_put",
	"INSERT INTO setting (council, key, value) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (council, key) DO UPDATE SET value = excluded.value",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_org_find) = {
	"cli_org_find",
	"SELECT org_id FROM organisation WHERE council = ?1 AND"
	" (CAST(org_id AS TEXT) = ?2 OR name = ?2)",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_team_find) = {
	"cli_team_find",
	"SELECT team_id FROM team WHERE council = ?1 AND"
	" (CAST(team_id AS TEXT) = ?2 OR name = ?2)",
	DB_ROLE_SYSTEM,
};

/* The council to act on: --council, or the only one in the database. */
const char *cli_pick_council(struct db_conn *c, const char *given,
			     char buf[32])
{
	if (given) {
		snprintf(buf, 32, "%s", given);
		return buf;
	}
	struct db_q *q;
	int n = 0;
	if (db_prepare(c, &st_council_get, &q) != DB_OK)
		return NULL;
	while (db_step(q) == DB_ROW) {
		if (n++ == 0)
			snprintf(buf, 32, "%s", db_col_text(q, 0));
	}
	if (n == 1)
		return buf;
	fprintf(stderr, n == 0 ? "cairn: the database has no council (use "
				 "'cairn init --council CODE')\n"
			       : "cairn: the database holds several councils: "
				 "say which with --council CODE\n");
	return NULL;
}

char *cli_read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	struct sbuf sb;
	sbuf_init(&sb, max);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (sbuf_add(&sb, buf, n) < 0) {
			fclose(f);
			sbuf_release(&sb);
			errno = EFBIG;
			return NULL;
		}
	}
	fclose(f);
	return sbuf_detach(&sb, len);
}

/* Stores a parsed list of holidays for a council, in the caller's tx. */
static int store_holidays(struct db_conn *c, const char *council,
			  const struct holidays_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		char d[11];
		cal_date_format(l->v[i].date, d);
		if (db_exec(c, &st_holiday_put, NULL, council, d,
			   l->v[i].title) < 0)
			return -1;
	}
	return 0;
}

/* The council's starting service directory (episode/episode.h): one
 * entry of each kind, for the closing form to offer; none added when
 * the council already keeps one. */
static int seed_services(struct db_conn *c, const char *council, int64_t now)
{
	struct actor sys = actor_system(council, now);
	return closure_services_seed(c, &sys, NULL);
}

int cli_init(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		puts("usage: cairn init --db FILE|URI [--council CODE] "
		     "[--council-name NAME] [--la-code NNN]\n"
		     "                  [--holidays CSV] [--convention day0|day1]"
		     " [--key-file FILE]\n"
		     "Creates the database or migrates it to this version, and "
		     "the server's secret\nkey (FILE, default the database's "
		     "path + \".key\", mode 0600) when missing. With\n"
		     "--council, also adds that council and imports its bank "
		     "holidays (default\n" DEFAULT_HOLIDAYS " in the "
		     "program's code lists).\n"
		     "URI: a postgres:// or postgresql:// URI (libpq's form) "
		     "is a PostgreSQL\ndatabase; it needs --key-file.");
		return CLI_OK;
	}
	struct cli_opts o;
	if (cli_parse(argc, argv, "db,council,council-name,la-code,holidays,"
		      "convention,key-file", "", &o, "init") < 0)
		return CLI_USAGE;
	const char *council = cli_opt(&o, "council");
	const char *conv = cli_opt(&o, "convention");
	enum cal_convention cv = CAL_DAY0;
	if (conv && !cal_convention_parse(conv, strlen(conv), &cv)) {
		fprintf(stderr, "cairn init: --convention must be day0 or day1\n");
		return CLI_USAGE;
	}
	if (council && (strlen(council) < 2 || strlen(council) > 15)) {
		fprintf(stderr, "cairn init: --council must be 2 to 15 characters\n");
		return CLI_USAGE;
	}
	struct db *db;
	struct db_conn *c = cli_connect(cli_opt(&o, "db"), false, &db);
	if (c == NULL)
		return CLI_RUNTIME;
	int from, to, rc = db_migrate(c, &from, &to);
	if (rc != DB_OK) {
		fprintf(stderr, "cairn init: %s\n", db_strerror(rc));
		goto out_fail;
	}
	if (from == to)
		fprintf(stderr, "cairn init: schema is at version %d\n", to);
	else
		fprintf(stderr, "cairn init: schema migrated from version %d "
			"to %d\n", from, to);
	/* versions 5 and 7 brought the timescale engine and the
	 * chronology, 13 R05 and the assessment's events: make their rows
	 * from the records already there */
	if (from > 0 && from < 13 && to >= 13 &&
	    cli_due_rebuild_all(c, cli_now(&o), from) != 0) {
		fprintf(stderr, "cairn init: cannot make the due items and "
			"chronologies\n");
		goto out_fail;
	}
	if (cli_make_key(cli_opt(&o, "db"), cli_opt(&o, "key-file"),
			 "init") < 0)
		goto out_fail;
	if (council) {
		const char *hpath = cli_opt(&o, "holidays");
		char hbuf[4200];
		if (hpath == NULL) {
			char dir[4096], why[8192];
			if (paths_find(PATHS_CODES, dir, sizeof(dir), why,
				       sizeof(why)) < 0) {
				fprintf(stderr, "cairn init: %s\n", why);
				goto out_fail;
			}
			snprintf(hbuf, sizeof(hbuf), "%s/%s", dir,
				 DEFAULT_HOLIDAYS);
			hpath = hbuf;
		}
		size_t len;
		char *buf = cli_read_file(hpath, 1u << 20, &len);
		if (buf == NULL) {
			fprintf(stderr, "cairn init: cannot read %s\n", hpath);
			goto out_fail;
		}
		struct holidays_list l;
		char err[256];
		rc = holidays_parse_csv(buf, len, &l, err, sizeof(err));
		free(buf);
		if (rc != 0) {
			fprintf(stderr, "cairn init: %s: %s\n", hpath, err);
			goto out_fail;
		}
		const char *name = cli_opt(&o, "council-name");
		struct audit_event ev;
		cli_system_event(&ev, council, "create", "council", 0);
		if (db_begin(c, DB_TX_WRITE) != DB_OK ||
		    db_exec(c, &st_council_add, NULL, council,
			   name ? name : council, cli_opt(&o, "la-code")) < 0 ||
		    (db_changes(c) > 0 && audit_genesis(c, council) != DB_OK) ||
		    store_holidays(c, council, &l) < 0 ||
		    seed_services(c, council, cli_now(&o)) != ERR_OK ||
		    db_exec(c, &st_setting_put, NULL, council,
			   "working_day_convention",
			   cal_convention_name(cv)) < 0 ||
		    audit_append(c, &ev) != DB_OK || db_commit(c) != DB_OK) {
			db_rollback(c);
			holidays_list_free(&l);
			fprintf(stderr, "cairn init: could not add council %s: %s\n",
				council, db_errmsg(c));
			goto out_fail;
		}
		fprintf(stderr, "cairn init: council %s ready, %zu bank holidays\n",
			council, l.n);
		holidays_list_free(&l);
	}
	cli_close(db, c);
	return CLI_OK;
out_fail:
	cli_close(db, c);
	return CLI_RUNTIME;
}

int cli_serve(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		puts("usage: cairn serve --db FILE|URI [--listen 127.0.0.1:8080] "
		     "[--config FILE]\n"
		     "                   [--read-db URI]\n"
		     "Serves the web pages and the API until SIGINT or SIGTERM "
		     "(then stops\naccepting, finishes the requests in flight "
		     "and commits their audit rows).\n"
		     "--read-db: a PostgreSQL hot standby of --db; reports and "
		     "counts read from it.\n"
		     "Environment: CAIRN_DB, CAIRN_LISTEN, CAIRN_CONFIG, "
		     "CAIRN_READ_DB stand in "
		     "for the options;\nthe command line wins, then the "
		     "environment, then the config file.\n"
		     "Config keys: db, listen, threads, pool_size, "
		     "session_idle_minutes,\nsession_absolute_minutes, "
		     "cookie_secure, synchronous, body_limit,\nmetrics_token, "
		     "trusted_proxies, db_max_megabytes,\n"
		     "max_connections_per_address, request_deadline_seconds,\n"
		     "stop_wait_seconds, assets_dir, static_dir, key_file, "
		     "read_db "
		     "(man cairn).");
		return CLI_OK;
	}
	struct cli_opts o;
	if (cli_parse(argc, argv, "db,listen,config,read-db", "", &o,
		      "serve") < 0)
		return CLI_USAGE;
	struct app_config cfg;
	app_config_defaults(&cfg);
	char err[512];
	int ret = CLI_USAGE;
	if (cli_opt(&o, "config") &&
	    app_config_load(&cfg, cli_opt(&o, "config"), err, sizeof(err)) < 0) {
		fprintf(stderr, "cairn serve: %s\n", err);
		goto out_cfg;
	}
	/* the command line, then the environment (cli_parse), then the
	 * file */
	if (cli_opt(&o, "db"))
		cfg.db_path = cli_opt(&o, "db");
	if (cfg.db_path == NULL) {
		fprintf(stderr, "cairn serve: --db FILE is required (or "
			"CAIRN_DB, or db in the config file)\n");
		goto out_cfg;
	}
	ret = CLI_RUNTIME;
	struct stat st;
	if (!db_is_uri(cfg.db_path) && stat(cfg.db_path, &st) != 0) {
		fprintf(stderr, "cairn serve: %s does not exist (create it with "
			"'cairn init' or 'cairn demo')\n", cfg.db_path);
		goto out_cfg;
	}
	if (cli_opt(&o, "listen"))
		cfg.listen = cli_opt(&o, "listen");
	if (cli_opt(&o, "read-db"))
		cfg.read_db = cli_opt(&o, "read-db");
	/* SIGINT and SIGTERM are blocked before any thread starts (they
	 * inherit the mask) and taken here with sigwait: one arriving
	 * while the server starts waits for it, and none lands in a
	 * worker thread. */
	sigset_t stop_set;
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGINT);
	sigaddset(&stop_set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop_set, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct app app;
	if (app_start(&app, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "cairn serve: %s\n", err);
		goto out_cfg;
	}
	char port[16];
	snprintf(port, sizeof(port), "%u", http_server_port(app.http));
	log_kv(LOG_INFO, NULL, "serve.start", "listen", cfg.listen, "port",
	       port, NULL);
	int sig = 0;
	while (sigwait(&stop_set, &sig) != 0)
		;
	log_kv(LOG_INFO, NULL, "serve.stop", "signal",
	       sig == SIGTERM ? "TERM" : "INT", NULL);
	/* stops accepting, lets the requests in flight finish, commits
	 * the audit batch, closes the store */
	app_stop(&app);
	log_kv(LOG_INFO, NULL, "serve.stopped", NULL);
	ret = CLI_OK;
out_cfg:
	app_config_release(&cfg);
	return ret;
}

/* Reads one line from stdin (the password), without its newline. */
static int read_password(char *buf, size_t cap)
{
	if (fgets(buf, (int)cap, stdin) == NULL)
		return -1;
	size_t n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return 0;
}

static int lookup_id(struct db_conn *c, const struct db_stmt *st,
		     const char *council, const char *what, int64_t *out)
{
	struct db_q *q;
	int rc = db_exec(c, st, &q, council, what);
	if (rc == DB_ROW) {
		*out = db_col_i64(q, 0);
		return 0;
	}
	return -1;
}

static int print_user(const struct user *u, void *arg)
{
	(void)arg;
	printf("%-24s %-14s %-9s org=%lld team=%lld  %s\n", u->username,
	       role_id(u->role), u->disabled ? "disabled" : "active",
	       (long long)u->org_id, (long long)u->team_id, u->display_name);
	return 0;
}

int cli_user(int argc, char **argv)
{
	const char *usage =
		"usage: cairn user add --db FILE --username U --role ROLE "
		"[--name \"Display Name\"]\n"
		"                      [--org ORG] [--team TEAM] [--council C] "
		"--password-stdin\n"
		"       cairn user list --db FILE [--council C]\n"
		"       cairn user disable|enable --db FILE --username U "
		"[--council C]\n"
		"       cairn user reset-password --db FILE --username U "
		"[--council C]\n"
		"                                 --password-stdin\n"
		"--council is needed when the database holds more than one "
		"council.\n"
		"Roles: front-door, social-worker, team-manager, iro, partner, "
		"analyst,\ncouncillor, admin.  A partner needs --org (id or "
		"name).";
	int status;
	int which = cli_sub(argc, argv, "user", usage,
			(const char *const[]){"add", "list", "disable", "enable",
					      "reset-password", NULL},
			false, &status);
	if (which < 0)
		return status;
	const char *sub = argv[0];
	struct cli_opts o;
	if (cli_parse(argc - 1, argv + 1,
		      "db,username,role,name,org,team,council,password-stdin",
		      "password-stdin", &o, "user") < 0)
		return CLI_USAGE;
	bool add = which == 0, list = which == 1, dis = which == 2,
	     reset = which == 4;
	const char *username = cli_opt(&o, "username");
	if (!list && username == NULL) {
		fprintf(stderr, "cairn user %s: --username is required\n", sub);
		return CLI_USAGE;
	}
	enum role role = ROLE__MAX;
	if (add) {
		const char *r = cli_opt(&o, "role");
		if (r == NULL || !role_parse(r, &role)) {
			fprintf(stderr, "cairn user add: --role must be one of "
				"front-door, social-worker, team-manager, iro, "
				"partner, analyst, councillor, admin\n");
			return CLI_USAGE;
		}
	}
	char pw[1100] = "";
	if (add || reset) {
		if (!cli_flag(&o, "password-stdin")) {
			fprintf(stderr, "cairn user %s: give the password on "
				"standard input with --password-stdin\n", sub);
			return CLI_USAGE;
		}
		if (read_password(pw, sizeof(pw)) < 0) {
			fprintf(stderr, "cairn user %s: no password on standard "
				"input\n", sub);
			return CLI_USAGE;
		}
	}
	if (password_init() != 0)
		return CLI_RUNTIME;
	struct cli_council k;
	if (cli_council_open(&o, &k) < 0)
		return CLI_RUNTIME;
	struct db_conn *c = k.c;
	const char *council = k.council;
	int ret = CLI_RUNTIME;
	if (list) {
		ret = user_list(c, council, print_user, NULL) < 0 ? CLI_RUNTIME
								  : CLI_OK;
		goto out;
	}
	char err[256] = "";
	int64_t id = 0;
	struct audit_event ev;
	if (add) {
		int64_t org = 0, team = 0;
		if (cli_opt(&o, "org") &&
		    lookup_id(c, &st_org_find, council, cli_opt(&o, "org"), &org) < 0) {
			fprintf(stderr, "cairn user add: no organisation '%s' in "
				"council %s\n", cli_opt(&o, "org"), council);
			ret = CLI_USAGE;
			goto out;
		}
		if (cli_opt(&o, "team") &&
		    lookup_id(c, &st_team_find, council, cli_opt(&o, "team"), &team) < 0) {
			fprintf(stderr, "cairn user add: no team '%s' in council "
				"%s\n", cli_opt(&o, "team"), council);
			ret = CLI_USAGE;
			goto out;
		}
		const char *name = cli_opt(&o, "name");
		if (db_begin(c, DB_TX_WRITE) != DB_OK)
			goto out;
		int rc = user_add(c, council, username, name ? name : username,
				  role, org, team, pw, &id, err, sizeof(err));
		cli_system_event(&ev, council, "create", "user", id);
		if (rc != 0 || audit_append(c, &ev) != DB_OK ||
		    db_commit(c) != DB_OK) {
			db_rollback(c);
			fprintf(stderr, "cairn user add: %s\n",
				err[0] ? err : user_strerror(rc));
			ret = rc == USER_EDB || rc == USER_EBUSY ? CLI_RUNTIME
								 : CLI_USAGE;
			goto out;
		}
		fprintf(stderr, "cairn user add: %s added as %s\n", username,
			role_id(role));
		ret = CLI_OK;
		goto out;
	}
	cli_system_event(&ev, council, reset ? "reset-password" : dis ? "disable" : "enable",
		     "user", 0);
	if (db_begin(c, DB_TX_WRITE) != DB_OK)
		goto out;
	int rc;
	if (reset)
		rc = user_set_password(c, council, username, pw, err, sizeof(err));
	else
		rc = user_set_disabled(c, council, username, dis);
	if (rc != 0 || audit_append(c, &ev) != DB_OK || db_commit(c) != DB_OK) {
		db_rollback(c);
		fprintf(stderr, "cairn user %s: %s\n", sub,
			err[0] ? err : user_strerror(rc));
		ret = rc == USER_ENOTFOUND || rc == USER_EPASSWORD ? CLI_USAGE
								    : CLI_RUNTIME;
		goto out;
	}
	fprintf(stderr, "cairn user %s: done for %s\n", sub, username);
	ret = CLI_OK;
out:
	sodium_memzero(pw, sizeof(pw));
	cli_council_close(&k);
	return ret;
}

int cli_token(int argc, char **argv)
{
	const char *usage =
		"usage: cairn token create --db FILE --username U [--council C] [--days N]\n"
		"       cairn token revoke --db FILE --id N [--council C]\n"
		"create prints a new API bearer token on standard output; it is "
		"stored only\nas a hash, so keep it: it cannot be shown again.  "
		"It works for N days\n(default 90, at most 366), until it is "
		"revoked, its user is disabled or\ngiven a new password.  "
		"--council is needed when the database holds more\nthan one "
		"council.";
	int status;
	int which = cli_sub(argc, argv, "token", usage,
			(const char *const[]){"create", "revoke", NULL}, false,
			&status);
	if (which < 0)
		return status;
	bool create = which == 0;
	struct cli_opts o;
	if (cli_parse(argc - 1, argv + 1, "db,username,id,council,days", "", &o,
		      "token") < 0)
		return CLI_USAGE;
	int64_t id = 0, days = 90;
	if (create && cli_opt(&o, "days") &&
	    !str_to_i64z(cli_opt(&o, "days"), 1, 366, &days)) {
		fprintf(stderr, "cairn token create: --days must be a whole "
			"number from 1 to 366\n");
		return CLI_USAGE;
	}
	if (create && cli_opt(&o, "username") == NULL) {
		fprintf(stderr, "cairn token create: --username is required\n");
		return CLI_USAGE;
	}
	if (!create && (cli_opt(&o, "id") == NULL ||
			!str_to_i64z(cli_opt(&o, "id"), 1, INT64_MAX, &id))) {
		fprintf(stderr, "cairn token revoke: --id N is required\n");
		return CLI_USAGE;
	}
	if (password_init() != 0)
		return CLI_RUNTIME;
	struct db *db;
	struct db_conn *c = cli_connect(cli_opt(&o, "db"), true, &db);
	if (c == NULL)
		return CLI_RUNTIME;
	int ret = CLI_RUNTIME;
	struct audit_event ev;
	if (create) {
		struct user u;
		int rc = user_find(c, cli_opt(&o, "council"),
				   cli_opt(&o, "username"), &u);
		if (rc == 2) {
			fprintf(stderr, "cairn token create: more than one "
				"council has a user '%s': give --council\n",
				cli_opt(&o, "username"));
			ret = CLI_USAGE;
			goto out;
		}
		if (rc != 1 || u.disabled) {
			fprintf(stderr, "cairn token create: no active user '%s'\n",
				cli_opt(&o, "username"));
			ret = rc < 0 ? CLI_RUNTIME : CLI_USAGE;
			goto out;
		}
		char tok[TOKEN_LEN + 1];
		if (db_begin(c, DB_TX_WRITE) != DB_OK ||
		    apitoken_create(c, u.council, u.user_id,
				    cli_now(&o) + days * 86400, tok,
				    &id) != 0 ||
		    (cli_system_event(&ev, u.council, "create", "api-token", id),
		     audit_append(c, &ev)) != DB_OK ||
		    db_commit(c) != DB_OK) {
			db_rollback(c);
			fprintf(stderr, "cairn token create: could not store the "
				"token\n");
			goto out;
		}
		printf("%s\n", tok);
		fprintf(stderr, "cairn token create: token %lld for %s, valid "
			"for %lld days (revoke with 'cairn token revoke --id "
			"%lld --council %s')\n", (long long)id, u.username,
			(long long)days, (long long)id, u.council);
		sodium_memzero(tok, sizeof(tok));
		ret = CLI_OK;
		goto out;
	}
	char cbuf[32];
	const char *council = cli_pick_council(c, cli_opt(&o, "council"), cbuf);
	if (council == NULL)
		goto out;
	cli_system_event(&ev, council, "revoke", "api-token", id);
	int rc;
	if (db_begin(c, DB_TX_WRITE) != DB_OK ||
	    (rc = apitoken_revoke(c, council, id)) != 0 ||
	    audit_append(c, &ev) != DB_OK || db_commit(c) != DB_OK) {
		db_rollback(c);
		fprintf(stderr, "cairn token revoke: no token %lld in council "
			"%s\n", (long long)id, council);
		ret = CLI_USAGE;
		goto out;
	}
	fprintf(stderr, "cairn token revoke: token %lld revoked\n", (long long)id);
	ret = CLI_OK;
out:
	cli_close(db, c);
	return ret;
}

int cli_calendar(int argc, char **argv)
{
	const char *usage =
		"usage: cairn calendar import --db FILE [--council C] "
		"[--division D] [--dry-run] FILE.json\n"
		"Reads the GOV.UK bank-holidays JSON "
		"({\"england-and-wales\": {\"events\": [...]}}) and\nadds or "
		"updates the council's non-working days; a running server "
		"picks them up\nwhen restarted.  D defaults to "
		"england-and-wales.";
	int status;
	if (cli_sub(argc, argv, "calendar", usage,
		    (const char *const[]){"import", NULL}, false, &status) < 0)
		return status;
	struct cli_opts o;
	if (cli_parse(argc - 1, argv + 1, "db,council,division,dry-run",
		      "dry-run", &o, "calendar") < 0)
		return CLI_USAGE;
	if (o.npos != 1) {
		fprintf(stderr, "cairn calendar import: name one JSON file\n");
		return CLI_USAGE;
	}
	size_t len;
	char *buf = cli_read_file(o.pos[0], 1u << 20, &len);
	if (buf == NULL) {
		fprintf(stderr, "cairn calendar import: cannot read %s%s\n",
			o.pos[0], errno == EFBIG ? " (larger than 1 MiB)" : "");
		return CLI_USAGE;
	}
	struct holidays_list l;
	char err[256];
	int rc = holidays_parse_govuk_json(buf, len, cli_opt(&o, "division"),
					   &l, err, sizeof(err));
	free(buf);
	if (rc != 0) {
		fprintf(stderr, "cairn calendar import: %s: %s\n", o.pos[0], err);
		return CLI_USAGE;
	}
	if (cli_flag(&o, "dry-run")) {
		printf("%zu bank holidays read; nothing saved (--dry-run)\n", l.n);
		holidays_list_free(&l);
		return CLI_OK;
	}
	struct cli_council k;
	if (cli_council_open(&o, &k) < 0) {
		holidays_list_free(&l);
		return CLI_RUNTIME;
	}
	struct db_conn *c = k.c;
	const char *council = k.council;
	int ret = CLI_RUNTIME;
	struct audit_event ev;
	cli_system_event(&ev, council, "import", "calendar", (int64_t)l.n);
	if (db_begin(c, DB_TX_WRITE) != DB_OK ||
	    store_holidays(c, council, &l) < 0 ||
	    audit_append(c, &ev) != DB_OK || db_commit(c) != DB_OK) {
		db_rollback(c);
		fprintf(stderr, "cairn calendar import: could not save: %s\n",
			db_errmsg(c));
		goto out;
	}
	printf("%zu bank holidays imported for council %s\n", l.n, council);
	ret = CLI_OK;
out:
	holidays_list_free(&l);
	cli_council_close(&k);
	return ret;
}

/* One line a council for `audit verify`. */
static void print_chain(const struct audit_chain *ch, void *arg)
{
	(void)arg;
	if (!ch->ok) {
		if (ch->bad_seq >= 0)
			printf("council %s: BROKEN at row %lld: %s\n", ch->council,
			       (long long)ch->bad_seq, ch->reason);
		else
			printf("council %s: BROKEN: %s\n", ch->council,
			       ch->reason);
		return;
	}
	printf("council %s: intact; %lld row%s, head seq %lld, hash %s",
	       ch->council, (long long)ch->rows, ch->rows == 1 ? "" : "s",
	       (long long)ch->head_seq, ch->hash);
	if (ch->anchor)
		printf("; anchored row %lld holds", (long long)ch->anchor->seq);
	putchar('\n');
}

/* One anchor line a council, gathered in an sbuf (arg). */
static void anchor_chain(const struct audit_chain *ch, void *arg)
{
	sbuf_printf(arg, "%s %lld %lld %s\n", ch->council,
		    (long long)ch->head_seq, (long long)ch->rows, ch->hash);
}

/* Writes the anchor of an intact log to out (stdout when NULL). */
static int audit_anchor_write(struct db_conn *c, const char *out)
{
	struct audit_verify_result res;
	struct sbuf lines;
	sbuf_init(&lines, 16u << 20);
	if (audit_verify_chains(c, NULL, NULL, 0, anchor_chain, &lines,
				&res) != 0 || lines.toobig) {
		sbuf_release(&lines);
		fprintf(stderr, "cairn audit anchor: could not read the log\n");
		return CLI_RUNTIME;
	}
	if (!res.ok || res.councils == 0) {
		sbuf_release(&lines);
		if (res.ok)
			fprintf(stderr, "cairn audit anchor: the database has "
				"no council\n");
		else
			fprintf(stderr, "cairn audit anchor: not anchoring a "
				"broken chain: council %s: %s\n", res.council,
				res.reason);
		return CLI_CHECK_FAILED;
	}
	FILE *f = out ? fopen(out, "w") : stdout;
	if (f == NULL) {
		sbuf_release(&lines);
		fprintf(stderr, "cairn audit anchor: cannot write %s\n", out);
		return CLI_RUNTIME;
	}
	char at[UK_STAMP_LEN];
	uk_stamp(uk_clock_now(), at);
	fprintf(f, "# cairn audit anchor, written %s\n"
		   "# keep it away from the server; check with 'cairn audit "
		   "verify --anchor FILE'\n"
		   "# council seq count hash\n", at);
	fwrite(lines.buf, 1, lines.len, f);
	sbuf_release(&lines);
	int bad = fflush(f) != 0 || ferror(f);
	if (out && fclose(f) != 0)
		bad = 1;
	if (bad) {
		fprintf(stderr, "cairn audit anchor: could not write %s\n",
			out ? out : "the anchor");
		return CLI_RUNTIME;
	}
	if (out)
		fprintf(stderr, "cairn audit anchor: %lld councils anchored in "
			"%s\n", (long long)res.councils, out);
	return CLI_OK;
}

int cli_audit(int argc, char **argv)
{
	const char *usage =
		"usage: cairn audit verify --db FILE [--anchor FILE]\n"
		"       cairn audit anchor --db FILE [--out FILE]\n"
		"verify checks every council's audit chain and prints a line a "
		"council\n(rows, head seq, hash of the newest row); with "
		"--anchor it also checks that\neach anchored row is still "
		"there, unchanged.  Exit 0 intact, 1 broken\n(naming the "
		"council, the row and why), 2 usage or a bad anchor file.\n"
		"anchor writes each council's newest row (council seq count "
		"hash), to\nstdout or --out FILE: keep it away from the "
		"server.";
	int status;
	int which = cli_sub(argc, argv, "audit", usage,
			(const char *const[]){"verify", "anchor", NULL}, false,
			&status);
	if (which < 0)
		return status;
	bool verify = which == 0;
	struct cli_opts o;
	if (cli_parse(argc - 1, argv + 1, verify ? "db,anchor" : "db,out", "",
		      &o, "audit") < 0)
		return CLI_USAGE;
	if (o.npos) {
		fprintf(stderr, "cairn audit: unexpected argument '%s'\n",
			o.pos[0]);
		return CLI_USAGE;
	}
	struct audit_anchor *anchors = NULL;
	size_t nanchors = 0;
	const char *apath = cli_opt(&o, "anchor");
	if (apath) {
		size_t len;
		char err[160];
		char *text = cli_read_file(apath, 1u << 20, &len);
		if (text == NULL) {
			fprintf(stderr, "cairn audit verify: cannot read %s\n",
				apath);
			return CLI_USAGE;
		}
		int rc = audit_anchor_parse(text, len, &anchors, &nanchors, err,
					    sizeof(err));
		free(text);
		if (rc != 0) {
			fprintf(stderr, "cairn audit verify: %s %s\n", apath,
				err);
			return CLI_USAGE;
		}
	}
	struct db *db;
	struct db_conn *c = cli_connect(cli_opt(&o, "db"), true, &db);
	if (c == NULL) {
		free(anchors);
		return CLI_RUNTIME;
	}
	struct audit_verify_result res;
	int ret;
	/* the chain's v2 columns arrive with schema version 3 */
	int version = db_schema_version(c);
	if (version < 3) {
		fprintf(stderr, "cairn audit: the database is at schema version "
			"%d; migrate it first with 'cairn init --db FILE'\n",
			version);
		ret = CLI_RUNTIME;
	} else if (db_begin(c, DB_TX_READ) != DB_OK) {
		fprintf(stderr, "cairn audit: could not read the log\n");
		ret = CLI_RUNTIME;
	} else if (!verify) {
		ret = audit_anchor_write(c, cli_opt(&o, "out"));
	} else if (audit_verify_chains(c, NULL, anchors, nanchors, print_chain,
				       NULL, &res) != 0) {
		fprintf(stderr, "cairn audit verify: could not read the log\n");
		ret = CLI_RUNTIME;
	} else if (res.ok) {
		printf("audit chain intact: %lld council%s, %lld rows%s\n",
		       (long long)res.councils, res.councils == 1 ? "" : "s",
		       (long long)res.rows,
		       anchors ? ", every anchor holds" : "");
		ret = CLI_OK;
	} else {
		if (res.bad_seq >= 0)
			printf("audit chain BROKEN: council %s, row %lld: %s\n",
			       res.council, (long long)res.bad_seq, res.reason);
		else
			printf("audit chain BROKEN: council %s: %s\n",
			       res.council, res.reason);
		ret = CLI_CHECK_FAILED;
	}
	db_rollback(c);
	cli_close(db, c);
	free(anchors);
	return ret;
}
