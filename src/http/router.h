/*
 * router: matching a path against route patterns, and keeping only the
 * parameters a route declares.
 *
 * Patterns are literal segments and "{id}" segments: "/children/{id}".
 * An {id} segment matches a positive decimal id (decode_path_segment_id)
 * and nothing else, so a handler never sees a malformed id.  Parameters
 * (query string or form body) are declared per route with a kind and a
 * maximum length; anything undeclared is dropped; a declared parameter
 * that breaks its kind or length fails the request with the field's
 * name and the reason.  Semantic checks (a real date, a known code) are
 * the domain's, which answers with a form or problem+json naming the
 * field.
 */
#ifndef CAIRN_ROUTER_H
#define CAIRN_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/decode.h"

struct arena;

#define ROUTER_MAX_IDS 4

enum param_kind {
	PARAM_LINE,  /* one line of text: no CR, LF or tab */
	PARAM_TEXT,  /* narrative: several lines allowed */
	PARAM_INT,   /* optional minus sign and digits */
	PARAM_TOKEN, /* base64url characters only (CSRF tokens) */
	PARAM__MAX
};

struct param_spec {
	const char *name;
	enum param_kind kind;
	size_t maxlen;      /* bytes */
	bool multi;         /* may repeat (checkboxes); else the first wins */
};

/* True when path matches pattern; ids[] gets the {id} values in order
 * and *nids their count.  Never reads past either string. */
bool router_match(const char *pattern, const char *path, int64_t ids[],
		  int *nids);

/* Keeps the declared parameters of `in` (specs ends with name == NULL;
 * NULL specs declares none) into *out, allocated from the arena.  On a
 * violation returns false with *field and *why set to static strings or
 * arena text; *out is then unset. */
bool router_filter(struct arena *a, const struct param_spec *specs,
		   const struct decode_params *in, struct decode_params *out,
		   const char **field, const char **why);

#endif
