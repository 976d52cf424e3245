/* actor.c: see actor.h for the contract. */
#include "domain/actor.h"
#include "audit/audit.h"
#include "db/db.h"
#include "domain/err.h"
#include "rules/uktime.h"

#include <stdlib.h>
#include <string.h>

void actor_at(struct actor *a, int64_t now)
{
	a->now = now;
	a->civil = uk_civil(now);
	a->today = a->civil.date;
}

struct actor actor_system(const char *council, int64_t now)
{
	struct actor a = {0};
	a.council = council;
	a.username = "system";
	a.role = "system";
	a.request_id = "cli";
	a.ip = "-";
	actor_at(&a, now);
	return a;
}

void act_event(const struct actor *a, const char *action, const char *entity,
	       int64_t entity_id, int64_t child_id, struct audit_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->council = a->council;
	ev->user_id = a->user_id;
	ev->username = a->username ? a->username : "system";
	ev->role = a->role ? a->role : "system";
	ev->request_id = a->request_id ? a->request_id : "-";
	ev->ip = a->ip ? a->ip : "-";
	ev->action = action;
	ev->entity = entity;
	ev->entity_id = entity_id;
	ev->child_id = child_id;
	ev->status = a->status;
}

int act_audit(struct db_conn *c, const struct actor *a, const char *action,
	      const char *entity, int64_t entity_id, int64_t child_id)
{
	struct audit_event ev;
	act_event(a, action, entity, entity_id, child_id, &ev);
	return err_from_db(audit_append(c, &ev));
}

/* The list's event, its children's ids in *ids (malloc'd; the caller
 * frees). */
static int list_event(const struct actor *a, const char *entity,
		      const void *rows, size_t stride, size_t child_off, int n,
		      int64_t **ids_out, struct audit_event *ev)
{
	int64_t *ids = n > 0 ? malloc((size_t)n * sizeof(*ids)) : NULL;
	if (n > 0 && ids == NULL)
		return ERR_NOMEM;
	int k = 0;
	for (int i = 0; i < n; i++) {
		int64_t id;
		memcpy(&id, (const char *)rows + (size_t)i * stride + child_off,
		       sizeof(id));
		if (id > 0)
			ids[k++] = id;
	}
	act_event(a, "list", entity, 0, 0, ev);
	ev->children = ids;
	ev->nchildren = k;
	*ids_out = ids;
	return ERR_OK;
}

int act_audit_list(struct db_conn *c, const struct actor *a,
		   const char *entity, const void *rows, size_t stride,
		   size_t child_off, int n)
{
	struct audit_event ev;
	int64_t *ids;
	int rc = list_event(a, entity, rows, stride, child_off, n, &ids, &ev);
	if (rc != ERR_OK)
		return rc;
	rc = err_from_db(audit_append(c, &ev));
	free(ids);
	return rc;
}

int act_audit_shown(struct db_conn *c, const struct actor *a,
		    const char *entity, const void *rows, size_t stride,
		    size_t child_off, int n)
{
	if (a->audit_read == NULL)
		return act_audit_list(c, a, entity, rows, stride, child_off, n);
	struct audit_event ev;
	int64_t *ids;
	int rc = list_event(a, entity, rows, stride, child_off, n, &ids, &ev);
	if (rc != ERR_OK)
		return rc;
	rc = err_from_db(a->audit_read(a->audit_arg, &ev));
	free(ids);
	return rc;
}

int tx_begin(struct db_conn *c, bool *own)
{
	*own = false;
	if (db_in_tx(c))
		return ERR_OK;
	int rc = db_begin(c, DB_TX_WRITE);
	if (rc != DB_OK)
		return err_from_db(rc);
	*own = true;
	return ERR_OK;
}

int tx_end(struct db_conn *c, bool own, int rc)
{
	if (!own)
		return rc;
	if (rc != ERR_OK) {
		db_rollback(c);
		return rc;
	}
	int k = db_commit(c);
	if (k != DB_OK) {
		db_rollback(c);
		return err_from_db(k);
	}
	return ERR_OK;
}

int tx_end_audit(struct db_conn *c, bool own, int rc, const struct actor *a,
		 const char *action, const char *entity, int64_t entity_id,
		 int64_t child_id)
{
	if (rc == ERR_OK)
		rc = act_audit(c, a, action, entity, entity_id, child_id);
	return tx_end(c, own, rc);
}

void act_stamp(const struct actor *a, char out[21])
{
	uk_stamp(a->now, out);
}
