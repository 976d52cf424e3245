/*
 * cli: the `cairn` command's sub-commands.
 *
 * Each cli_* function takes the arguments after its sub-command name and
 * returns the process exit status:
 *   0  success
 *   1  the thing checked is not right (audit verify found a broken chain)
 *   2  usage error (unknown option, missing value, bad value)
 *   3  runtime error (cannot open the database, store error, I/O)
 * Messages go to stderr, results to stdout.  No personal data is printed
 * except what the user asked for (user list prints usernames).
 */
#ifndef CAIRN_CLI_H
#define CAIRN_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/actor.h"

enum cli_exit {
	CLI_OK = 0,
	CLI_CHECK_FAILED = 1,
	CLI_USAGE = 2,
	CLI_RUNTIME = 3,
};

int cli_init(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_token(int argc, char **argv);
int cli_calendar(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_scrutiny(int argc, char **argv);
int cli_due(int argc, char **argv);
/* migrate_cmd.c: `cairn migrate` (a whole database into another store)
 * and `cairn backup` (an online copy of a SQLite file). */
int cli_migrate(int argc, char **argv);
int cli_backup(int argc, char **argv);

/* Makes what a database migrated from schema `from` lacks, from the
 * records already there, for every council (one transaction a council,
 * acting at now): the timescale engine's due items (from < 5, audited)
 * and the children's chronologies (from < 7).  `cairn init` calls it
 * after a migration.  Returns 0 or a negative enum err. */
struct db_conn;
int cli_due_rebuild_all(struct db_conn *c, int64_t now, int from);
/* db_cmd.c: `cairn db statements` (the DPIA report, --check). */
int cli_db(int argc, char **argv);

/* True when argv holds --help or -h. */
bool cli_wants_help(int argc, char **argv);

/* The sub-command argv[0] of `cmd`: its index in subs (NULL-ended).
 * With no word, or --help anywhere (unless sub_help and argv[0] is a
 * sub-command: it answers its own --help), prints usage on stdout and
 * returns -1 with *status CLI_USAGE (no word) or CLI_OK (help); a word
 * not in subs is refused on stderr with the usage, -1 and CLI_USAGE. */
int cli_sub(int argc, char **argv, const char *cmd, const char *usage,
	    const char *const *subs, bool sub_help, int *status);

/* Opens the database at path (a pool of one connection); when
 * must_exist, refuses a missing file or one without Cairn's schema.
 * NULL after saying why on stderr. */
struct db;
struct db_conn;
struct db *cli_open_db(const char *path, bool must_exist);

/* The same, and borrows the pool's one connection acting for the command
 * line (DB_ROLE_SYSTEM).  NULL after saying why on stderr; otherwise
 * *db is set, and cli_close(*db, c) gives back both. */
struct db_conn *cli_connect(const char *path, bool must_exist,
			    struct db **db);

/* What a command acting on one council holds: the database (a pool of
 * one connection), that connection, and the council. */
struct cli_opts;
struct cli_council {
	struct db *db;
	struct db_conn *c;
	const char *council; /* --council, or the only one; in buf */
	char buf[32];
};

/* cli_connect to the --db of o (which must exist), then the council to
 * act on: --council, or the only one (cli_pick_council).  Returns 0
 * with k filled, given back by cli_council_close; -1 after saying why on
 * stderr, with nothing held. */
int cli_council_open(const struct cli_opts *o, struct cli_council *k);
void cli_council_close(struct cli_council *k);

/* Returns c to db and closes db. */
void cli_close(struct db *db, struct db_conn *c);

/* Makes the server's secret key file (auth/seal.h) unless it exists:
 * key_file, or NULL for the database's path + ".key".  Says on stderr
 * when it made one.  Returns 0, or -1 after saying why (as "cairn CMD:
 * ..."). */
int cli_make_key(const char *db_path, const char *key_file, const char *cmd);

/* The council to act on: given (--council), or the only one in the
 * database; NULL after saying why on stderr.  buf holds the result. */
const char *cli_pick_council(struct db_conn *c, const char *given,
			     char buf[32]);

/* The whole file, NUL-terminated, in a malloc'd buffer (*len without the
 * NUL); NULL with errno set (EFBIG when larger than max). */
char *cli_read_file(const char *path, size_t max, size_t *len);


/* Options: "--name value" pairs and flags.  Exposed for tests. */
#define CLI_MAX_OPTS 16
struct cli_opts {
	int n;
	struct {
		const char *name;  /* without the leading "--" */
		const char *value; /* NULL for a flag */
	} v[CLI_MAX_OPTS];
	int npos;
	const char *pos[8];
};

/* Parses argv into opts.  `flags` lists the option names that take no
 * value ("dry-run,password-stdin"); `known` lists all option names.
 * The environment stands in for an option the command knows but the
 * command line lacks: CAIRN_DB for --db, CAIRN_LISTEN for --listen,
 * CAIRN_CONFIG for --config (the command line wins; see
 * docs/operations.md).  A --db on the command line that carries a
 * password (cli_db_has_secret) is refused: a command line is readable
 * by every user of the machine.  Returns 0, or -1 after printing what
 * is wrong. */
int cli_parse(int argc, char **argv, const char *known, const char *flags,
	      struct cli_opts *o, const char *cmd);
const char *cli_opt(const struct cli_opts *o, const char *name);

/* True when a database name carries a password: a URI's user
 * information with one (postgres://u:secret@host/db) or a `password=`
 * keyword or query parameter. */
bool cli_db_has_secret(const char *db);
int cli_flag(const struct cli_opts *o, const char *name);

/* The --format of o, one of `allowed` (NULL-ended; the first is the
 * default) into *fmt.  Returns 0, or -1 after saying on stderr "cairn
 * CMD: --format must be table, csv or json, not 'xml'". */
int cli_format(const struct cli_opts *o, const char *cmd,
	       const char *const *allowed, const char **fmt);

/* The instant a command acts at: noon in England on --today YYYY-MM-DD
 * (every command accepts it; cli_parse checks it), else the system
 * clock (rules/uktime.h). */
int64_t cli_now(const struct cli_opts *o);

/* The actor for a change made from the command line: user "system",
 * role "system", request id "cli", address "-", at cli_now(o). */
struct actor cli_actor(const struct cli_opts *o, const char *council);

/* Fills ev for a change made from the command line that is not a
 * domain call (users, tokens, calendars): actor "system", role
 * "system", request id "cli", address "-". */
struct audit_event;
void cli_system_event(struct audit_event *ev, const char *council,
		      const char *action, const char *entity, int64_t id);

#endif
