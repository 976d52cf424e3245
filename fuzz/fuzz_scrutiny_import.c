/*
 * fuzz_scrutiny_import.c: the action-plan importer (scrutiny/import.h)
 * on untrusted bytes.  Checks the contract: on failure the proposal is
 * empty and the message is short text; on success every string is
 * non-NULL valid text, every recommendation has a reference, and the
 * JSON written for the proposal parses and has one element per
 * recommendation and unplaced entry.  The same bytes in a small arena
 * must either parse or fail cleanly ("too complex"), never crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/str.h"
#include "scrutiny/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s)
{
	if (s == NULL || !str_is_text(s, strlen(s)))
		abort();
}

static void check_ok(const struct import_proposal *p)
{
	check_text(p->title);
	if (p->no_recommendations != (p->nrecs == 0))
		abort();
	if ((unsigned)p->format > IMPORT_FORMAT_PROSE ||
	    p->format == IMPORT_FORMAT_UNKNOWN)
		abort();
	for (size_t i = 0; i < p->nrecs; i++) {
		const struct import_rec *r = &p->recs[i];
		check_text(r->ref);
		if (r->ref[0] == '\0' || strlen(r->ref) > 32)
			abort();
		check_text(r->text);
		check_text(r->response);
		if ((unsigned)r->response_kind > IMPORT_RESP_NOT_ACCEPTED)
			abort();
		for (size_t k = 0; k < r->nactions; k++) {
			const struct import_action *x = &r->actions[k];
			check_text(x->text);
			check_text(x->owner);
			check_text(x->budget);
			check_text(x->timescale_text);
			check_text(x->progress);
			if ((unsigned)x->status > IMPORT_STATUS_SUPERSEDED)
				abort();
			if (x->timescale.has_due &&
			    !cal_date_valid(x->timescale.due))
				abort();
		}
	}
	for (size_t i = 0; i < p->nunplaced; i++) {
		check_text(p->unplaced[i].text);
		if (p->unplaced[i].line < 1 || p->unplaced[i].text[0] == '\0')
			abort();
	}

	struct sbuf sb;
	sbuf_init(&sb, (size_t)64 << 20);
	if (import_proposal_json(p, &sb) != 0)
		abort();
	json_error_t je;
	json_t *j = json_loadb(sb.buf, sb.len, 0, &je);
	if (j == NULL ||
	    json_array_size(json_object_get(j, "recommendations")) !=
		    p->nrecs ||
	    json_array_size(json_object_get(j, "unplaced")) != p->nunplaced)
		abort();
	json_decref(j);
	sbuf_release(&sb);
}

static void check_failed(const struct import_proposal *p,
			 const struct import_error *e)
{
	size_t m = strnlen(e->msg, sizeof(e->msg));
	if (m == 0 || m == sizeof(e->msg) || !str_is_text(e->msg, m))
		abort();
	if (p->nrecs || p->recs || p->nunplaced || p->unplaced || p->title ||
	    p->format != IMPORT_FORMAT_UNKNOWN)
		abort();
}

static void run(const char *doc, size_t n, size_t budget)
{
	struct arena *a = arena_new(budget);
	struct import_proposal p;
	struct import_error e;
	if (import_parse(a, doc, n, &p, &e) == 0)
		check_ok(&p);
	else
		check_failed(&p, &e);
	arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run((const char *)data, size, (size_t)64 << 20);
	run((const char *)data, size, 8192);
	return 0;
}
