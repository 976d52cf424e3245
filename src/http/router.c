/* router.c: see router.h. */
#include "http/router.h"
#include "core/arena.h"

#include <string.h>

bool router_match(const char *pattern, const char *path, int64_t ids[],
		  int *nids)
{
	const char *p = pattern, *s = path;
	int n = 0;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return false;
		p++;
		s++;
		const char *pe = strchr(p, '/');
		const char *se = strchr(s, '/');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p);
		size_t sl = se ? (size_t)(se - s) : strlen(s);
		if (pl == 4 && memcmp(p, "{id}", 4) == 0) {
			int64_t v;
			if (n >= ROUTER_MAX_IDS ||
			    !decode_path_segment_id(s, sl, &v))
				return false;
			ids[n++] = v;
		} else if (pl != sl || memcmp(p, s, pl) != 0) {
			return false;
		}
		p += pl;
		s += sl;
	}
	if (*p || *s)
		return false;
	*nids = n;
	return true;
}

static bool kind_ok(enum param_kind k, const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		switch (k) {
		case PARAM_LINE:
			if (c == '\r' || c == '\n' || c == '\t')
				return false;
			break;
		case PARAM_TEXT:
			break;
		case PARAM_INT:
			if (!(c >= '0' && c <= '9') && !(c == '-' && i == 0))
				return false;
			break;
		case PARAM_TOKEN:
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '-' || c == '_'))
				return false;
			break;
		default:
			return false;
		}
	}
	return true;
}

static const char *const kind_why[PARAM__MAX] = {
	"must be a single line of text",     /* PARAM_LINE */
	"must be text",                      /* PARAM_TEXT */
	"must be a whole number",            /* PARAM_INT */
	"is not a valid token",              /* PARAM_TOKEN */
};

bool router_filter(struct arena *a, const struct param_spec *specs,
		   const struct decode_params *in, struct decode_params *out,
		   const char **field, const char **why)
{
	size_t nspec = 0;
	while (specs && specs[nspec].name)
		nspec++;
	struct decode_kv *v = NULL;
	if (in->n) {
		v = arena_alloc(a, in->n * sizeof(*v));
		if (v == NULL) {
			*field = "";
			*why = "request too large";
			return false;
		}
	}
	size_t k = 0;
	for (size_t i = 0; i < in->n; i++) {
		const struct param_spec *sp = NULL;
		for (size_t j = 0; j < nspec; j++)
			if (strcmp(specs[j].name, in->v[i].key) == 0)
				sp = &specs[j];
		if (sp == NULL)
			continue; /* undeclared: dropped */
		if (!sp->multi) {
			bool seen = false;
			for (size_t j = 0; j < k; j++)
				if (strcmp(v[j].key, sp->name) == 0)
					seen = true;
			if (seen)
				continue;
		}
		if (in->v[i].vlen > sp->maxlen) {
			*field = sp->name;
			*why = arena_printf(a, "is longer than %zu characters",
					    sp->maxlen);
			if (*why == NULL)
				*why = "is too long";
			return false;
		}
		if (!kind_ok(sp->kind, in->v[i].val, in->v[i].vlen)) {
			*field = sp->name;
			*why = kind_why[sp->kind];
			return false;
		}
		v[k++] = in->v[i];
	}
	out->n = k;
	out->v = v;
	return true;
}
