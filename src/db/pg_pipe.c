/*
 * pg_pipe.c: pipelined writes on PostgreSQL (db_set_bulk).
 *
 * Bulk writing (db_set_bulk, for the demo's generator).  One statement
 * at a time costs a round trip to the server each, and a bulk load's
 * time was nearly all round trips (50,000 children took minutes).  On a
 * connection set to bulk, inside a transaction, a statement that writes
 * and returns no rows (no RETURNING) is only sent, in libpq's pipeline
 * mode, and db_step answers DB_DONE at once; the queue is sent and its
 * answers read (pg_pipe_end) before anything that needs an answer: a
 * statement that returns rows, db_changes, a prepare, the commit, or
 * every PIPE_MAX statements.  The first error among them is returned
 * there and aborts the transaction, which then cannot commit: what
 * changes is only *where* an error is reported, never whether.
 */
#include "db/pg_int.h"
#include "core/log.h"

#include <stdlib.h>

/* Reads the answers of the pipelined statements and leaves pipeline
 * mode (see "Bulk writing").  Returns 0, or the first statement's error
 * (which aborted the transaction; it is also its tx_failed). */
int pg_pipe_end(struct pg_conn *c)
{
	if (!c->pipe)
		return DB_OK;
	int rc = DB_OK;
	if (!PQpipelineSync(c->h))
		rc = pg_result_rc(c, NULL);
	while (c->pending > 0) {
		PGresult *res = PQgetResult(c->h);
		if (res == NULL) { /* the end of one statement's answer */
			c->pending--;
			if (PQstatus(c->h) == CONNECTION_BAD) {
				if (rc == DB_OK)
					rc = pg_result_rc(c, NULL);
				c->pending = 0;
			}
			continue;
		}
		ExecStatusType s = PQresultStatus(res);
		if (s == PGRES_COMMAND_OK) {
			const char *t = PQcmdTuples(res);
			c->changes = *t ? strtoll(t, NULL, 10) : 0;
		} else if (s != PGRES_PIPELINE_ABORTED && rc == DB_OK) {
			rc = pg_result_rc(c, res);
			log_kv(LOG_ERROR, NULL, "db.step", "stmt", "(bulk)",
			       "error", c->msg, NULL);
		}
		PQclear(res);
	}
	for (;;) { /* the sync's own answer */
		PGresult *res = PQgetResult(c->h);
		if (res == NULL)
			break;
		ExecStatusType s = PQresultStatus(res);
		PQclear(res);
		if (s == PGRES_PIPELINE_SYNC)
			break;
	}
	c->pipe = false;
	if (!PQexitPipelineMode(c->h)) {
		/* answers we could not read: this session cannot be trusted
		 * for anything more (its transaction is lost with it) */
		pg_reconnect(c);
		snprintf(c->msg, sizeof(c->msg), "pipeline not ended");
		c->base.storage_failed = true;
		if (rc == DB_OK)
			rc = DB_EIO;
	}
	if (rc != DB_OK && c->base.in_tx && c->tx_failed == DB_OK)
		c->tx_failed = rc;
	return rc;
}

/* Queues a plain write in the pipeline (bulk mode): DB_OK once sent. */
int pg_pipe_send(struct pg_conn *c, struct pg_q *p)
{
	if (!c->pipe) {
		if (!PQenterPipelineMode(c->h))
			return pg_result_rc(c, NULL);
		c->pipe = true;
	}
	pg_q_values(p);
	if (!PQsendQueryPrepared(c->h, p->name, p->nparams, p->vals, p->lens,
				 p->fmts, 0)) {
		int rc = pg_pipe_end(c);
		return rc != DB_OK ? rc : pg_result_rc(c, NULL);
	}
	c->pending++;
	return c->pending >= PIPE_MAX ? pg_pipe_end(c) : DB_OK;
}


void pg_set_bulk(struct db_conn *base, bool on)
{
	struct pg_conn *c = pgc(base);
	if (!on)
		pg_pipe_end(c); /* an error stays the transaction's (tx_failed) */
	c->bulk = on;
}

int64_t pg_changes(struct db_conn *c)
{
	pg_pipe_end(pgc(c)); /* the last statement's answer is in the queue */
	return pgc(c)->changes;
}
