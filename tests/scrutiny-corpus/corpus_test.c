/*
 * corpus_test: recall and precision of the action-plan import
 * (scrutiny/import.h) over the documents in tests/scrutiny-corpus/
 * (issue 12), each matched against its NAME.expected.json written by
 * hand from the document (README.md there gives the format and the
 * matching rules).
 *
 * It prints, per document and over the corpus, the recall and precision
 * of recommendations and of actions, and how many owners, timescales,
 * statuses, responses and document dates came out right, beside the
 * issue's targets.  It fails when the corpus figures drop below the
 * floors below (today's figures, rounded down: raise them as the import
 * improves; lower one only when adding a document the import cannot
 * read yet, and then to the new corpus figure), when a document or its expected result
 * cannot be read, or when the corpus has fewer than CORPUS_MIN_DOCS
 * documents (so that an emptied folder cannot pass).
 *
 * CORPUS_VERBOSE=1 in the environment lists, per document, the expected
 * recommendations and actions not found and the proposed ones that
 * match nothing (references and text starts only: the corpus is
 * synthetic, so printing it is safe).
 */
#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "scrutiny/docread.h"
#include "scrutiny/import.h"

#define CORPUS_DIR CAIRN_SOURCE_ROOT "/tests/scrutiny-corpus"
#define CORPUS_MIN_DOCS 16
#define CORPUS_ARENA (64u * 1024 * 1024)
#define CORPUS_MAX_DOCS 256

/* Floors, in per cent, over the whole corpus: the figures of the day
 * they were last set (README.md), rounded down, read as `cairn scrutiny
 * import` reads the documents (by content: doc_import).  The issue's
 * targets are printed beside them. */
#define FLOOR_REC_RECALL      100.0
#define FLOOR_REC_PRECISION   100.0
#define FLOOR_ACT_RECALL      100.0
#define FLOOR_ACT_PRECISION   100.0
#define FLOOR_OWNERS          100.0
#define FLOOR_TIMESCALES      100.0
#define FLOOR_DUE_DATES        100.0
#define FLOOR_STATUSES        100.0
#define FLOOR_RESPONSES       100.0
#define FLOOR_DATES           100.0
#define FLOOR_REFS            100.0

#define TARGET_REC 95.0
#define TARGET_ACT 90.0

/* Counts for one document or the whole corpus.  Field counts are over
 * the expected values that the document states (an owner, a timescale,
 * a status, a response other than "none", a date, a due date or its
 * absence where the expected action has "due"): "right" of "stated". */
struct corpus_counts {
	int rec_exp, rec_got, rec_hit;
	int ref_right;        /* matched recommendations with the document's reference */
	int act_exp, act_got, act_hit;
	int own_stated, own_right;
	int ts_stated, ts_right;
	int st_stated, st_right;
	int due_stated, due_right;
	int resp_stated, resp_right;
	int date_stated, date_right;
};

static bool corpus_verbose;

/* ------------------------------------------------------------------ */
/* Normalising                                                         */

/* Lower case (ASCII), runs of white space as one space, trimmed; en and
 * em dashes as "-"; curly quotes as straight ones.  Writes at most
 * cap-1 bytes of s into buf. */
static void corpus_norm(const char *s, char *buf, size_t cap)
{
	size_t n = 0;
	bool space = false;
	for (const unsigned char *p = (const unsigned char *)s; *p && n + 1 < cap; p++) {
		unsigned char c = *p;
		if (c == 0xE2 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94)) {
			c = '-';
			p += 2;
		} else if (c == 0xE2 && p[1] == 0x80 && (p[2] == 0x98 || p[2] == 0x99)) {
			c = '\'';
			p += 2;
		} else if (c == 0xC2 && p[1] == 0xA0) {
			c = ' ';
			p += 1;
		}
		if (isspace(c)) {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < cap)
			buf[n++] = ' ';
		space = false;
		buf[n++] = (char)tolower(c);
	}
	buf[n] = '\0';
}

/* corpus_norm, and trailing ".", ",", ";", ":" dropped: for owners and
 * timescales compared whole. */
static void corpus_norm_field(const char *s, char *buf, size_t cap)
{
	corpus_norm(s, buf, cap);
	size_t n = strlen(buf);
	while (n > 0 && strchr(".,;: ", buf[n - 1]))
		buf[--n] = '\0';
}

/* A reference reduced to its letters and digits, lower case: "R3.1" is
 * "r31", "2(b)" is "2b", "1." is "1". */
static void corpus_norm_ref(const char *s, char *buf, size_t cap)
{
	size_t n = 0;
	for (; *s && n + 1 < cap; s++)
		if (isalnum((unsigned char)*s))
			buf[n++] = (char)tolower((unsigned char)*s);
	buf[n] = '\0';
}

static bool corpus_starts(const char *s, const char *pre)
{
	return strncmp(s, pre, strlen(pre)) == 0;
}

/* Whether the expected start want matches text: text, or any of its
 * paragraphs, starts with it after normalising; a paragraph may first
 * have a short leading reference ("1.", "a)", "R2") that is skipped. */
static bool corpus_text_matches(const char *text, const char *want)
{
	static char w[1024], para[8192];
	corpus_norm(want, w, sizeof(w));
	if (w[0] == '\0')
		return false;
	const char *p = text;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char raw[8192];
		if (len >= sizeof(raw))
			len = sizeof(raw) - 1;
		memcpy(raw, p, len);
		raw[len] = '\0';
		corpus_norm(raw, para, sizeof(para));
		if (corpus_starts(para, w))
			return true;
		const char *sp = strchr(para, ' ');
		if (sp && sp - para <= 6 && corpus_starts(sp + 1, w))
			return true;
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

static bool corpus_ref_matches(const char *got, const char *want)
{
	char g[64], w[64];
	corpus_norm_ref(got, g, sizeof(g));
	corpus_norm_ref(want, w, sizeof(w));
	return w[0] != '\0' && strcmp(g, w) == 0;
}

static bool corpus_field_equal(const char *got, const char *want)
{
	char g[1024], w[1024];
	corpus_norm_field(got, g, sizeof(g));
	corpus_norm_field(want, w, sizeof(w));
	return strcmp(g, w) == 0;
}

static const char *corpus_response_word(enum import_response r)
{
	switch (r) {
	case IMPORT_RESP_ACCEPTED: return "accepted";
	case IMPORT_RESP_PARTLY: return "partially accepted";
	case IMPORT_RESP_NOT_ACCEPTED: return "not accepted";
	case IMPORT_RESP_UNKNOWN: break;
	}
	return "none";
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

static const char *corpus_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* ------------------------------------------------------------------ */
/* Matching                                                            */

/* Whether the expected action states its due date ("due": a date, or
 * null for a timescale that names none). */
static bool corpus_due_stated(json_t *w)
{
	return json_object_get(w, "due") != NULL;
}

/* Whether the action's parsed due date is the expected one. */
static bool corpus_due_right(json_t *w, const struct import_action *a)
{
	const char *want = json_string_value(json_object_get(w, "due"));
	if (!a->timescale.has_due)
		return want == NULL;
	char got[16];
	snprintf(got, sizeof(got), "%04d-%02d-%02d", a->timescale.due.y % 10000,
		 a->timescale.due.m % 100, a->timescale.due.d % 100);
	return want && strcmp(got, want) == 0;
}

/* Matches the expected actions of one recommendation against the
 * proposed ones: by text start, then those expected without text of
 * their own by position (the first unused action). */
static void corpus_match_actions(json_t *want, const struct import_rec *got,
				 struct corpus_counts *c, const char *ref)
{
	size_t nw = json_array_size(want);
	bool used[512] = {false};
	int match[512];
	size_t ng = got->nactions < 512 ? got->nactions : 512;
	for (size_t i = 0; i < nw && i < 512; i++) {
		match[i] = -1;
		const char *t = corpus_str(json_array_get(want, i), "text");
		for (size_t j = 0; t[0] && j < ng; j++)
			if (!used[j] && corpus_text_matches(got->actions[j].text, t)) {
				used[j] = true;
				match[i] = (int)j;
				break;
			}
	}
	for (size_t i = 0; i < nw && i < 512; i++) {
		const char *t = corpus_str(json_array_get(want, i), "text");
		if (t[0] || match[i] >= 0)
			continue;
		for (size_t j = 0; j < ng; j++)
			if (!used[j]) {
				used[j] = true;
				match[i] = (int)j;
				break;
			}
	}
	for (size_t i = 0; i < nw && i < 512; i++) {
		json_t *w = json_array_get(want, i);
		const char *owner = corpus_str(w, "owner");
		const char *ts = corpus_str(w, "timescale");
		const char *st = json_string_value(json_object_get(w, "status"));
		c->own_stated += owner[0] != '\0';
		c->ts_stated += ts[0] != '\0';
		c->st_stated += st != NULL;
		c->due_stated += corpus_due_stated(w);
		if (match[i] < 0) {
			if (corpus_verbose)
				printf("    missed action of %s: \"%s\"\n", ref,
				       corpus_str(w, "text"));
			continue;
		}
		const struct import_action *a = &got->actions[match[i]];
		c->act_hit++;
		bool ok_o = owner[0] && corpus_field_equal(a->owner, owner);
		bool ok_t = ts[0] && corpus_field_equal(a->timescale_text, ts);
		const char *gs = import_status_name(a->status);
		bool ok_s = st && gs && strcmp(gs, st) == 0;
		c->own_right += ok_o;
		c->ts_right += ok_t;
		c->st_right += ok_s;
		bool ok_d = corpus_due_stated(w) && corpus_due_right(w, a);
		c->due_right += ok_d;
		if (corpus_verbose && corpus_due_stated(w) && !ok_d)
			printf("    action of %s: due date of \"%s\" wrong\n", ref, ts);
		if (corpus_verbose && ((owner[0] && !ok_o) || (ts[0] && !ok_t) || (st && !ok_s)))
			printf("    action of %s: owner \"%.40s\" want \"%s\"; timescale \"%.40s\" want \"%s\"; status %s want %s\n",
			       ref, a->owner, owner, a->timescale_text, ts,
			       gs ? gs : "none", st ? st : "none");
	}
}

/* Matches one document's proposal against its expected result. */
static void corpus_match(json_t *exp, const struct import_proposal *p,
			 struct corpus_counts *c)
{
	json_t *recs = json_object_get(exp, "recommendations");
	size_t nw = json_array_size(recs);
	c->rec_exp = (int)nw;
	c->rec_got = (int)p->nrecs;
	for (size_t i = 0; i < nw; i++)
		c->act_exp += (int)json_array_size(json_object_get(json_array_get(recs, i), "actions"));
	for (size_t j = 0; j < p->nrecs; j++)
		c->act_got += (int)p->recs[j].nactions;

	bool *used = calloc(p->nrecs + 1, sizeof(bool));
	int *match = malloc((nw + 1) * sizeof(int));
	if (!used || !match) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	/* Pass 0: reference and text; 1: text; 2: reference. */
	for (size_t i = 0; i < nw; i++)
		match[i] = -1;
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < nw; i++) {
			if (match[i] >= 0)
				continue;
			json_t *w = json_array_get(recs, i);
			const char *ref = corpus_str(w, "ref"), *t = corpus_str(w, "text");
			for (size_t j = 0; j < p->nrecs; j++) {
				if (used[j])
					continue;
				bool r = corpus_ref_matches(p->recs[j].ref, ref);
				bool x = corpus_text_matches(p->recs[j].text, t);
				if ((pass == 0 && r && x) || (pass == 1 && x) || (pass == 2 && r)) {
					used[j] = true;
					match[i] = (int)j;
					break;
				}
			}
		}
	}
	for (size_t i = 0; i < nw; i++) {
		json_t *w = json_array_get(recs, i);
		const char *ref = corpus_str(w, "ref");
		const char *resp = corpus_str(w, "response");
		json_t *acts = json_object_get(w, "actions");
		bool stated = resp[0] && strcmp(resp, "none") != 0;
		c->resp_stated += stated;
		if (match[i] < 0) {
			size_t na = json_array_size(acts);
			for (size_t k = 0; k < na; k++) {
				json_t *a = json_array_get(acts, k);
				c->own_stated += corpus_str(a, "owner")[0] != '\0';
				c->ts_stated += corpus_str(a, "timescale")[0] != '\0';
				c->st_stated += json_string_value(json_object_get(a, "status")) != NULL;
				c->due_stated += corpus_due_stated(a);
			}
			if (corpus_verbose)
				printf("    missed %s \"%s\"\n", ref, corpus_str(w, "text"));
			continue;
		}
		const struct import_rec *g = &p->recs[match[i]];
		c->rec_hit++;
		bool refok = corpus_ref_matches(g->ref, ref);
		c->ref_right += refok;
		if (corpus_verbose && !refok)
			printf("    reference of %s: \"%s\"\n", ref, g->ref);
		if (stated) {
			bool ok = strcmp(corpus_response_word(g->response_kind), resp) == 0;
			c->resp_right += ok;
			if (corpus_verbose && !ok)
				printf("    response of %s: %s, want %s\n", ref,
				       corpus_response_word(g->response_kind), resp);
		}
		corpus_match_actions(acts, g, c, ref);
	}
	if (corpus_verbose)
		for (size_t j = 0; j < p->nrecs; j++)
			if (!used[j])
				printf("    extra %s \"%.60s\"\n", p->recs[j].ref, p->recs[j].text);
	free(used);
	free(match);
}

/* Reads NAME.expected.json and its document, imports the document and
 * adds the figures to *c.  Returns false when a file cannot be read. */
static bool corpus_one(const char *expname, struct corpus_counts *c)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, expname);
	json_error_t jerr;
	json_t *exp = json_load_file(path, 0, &jerr);
	if (!exp || !json_is_array(json_object_get(exp, "recommendations"))) {
		fprintf(stderr, "%s: not an expected result (%s, line %d)\n",
			expname, jerr.text, jerr.line);
		json_decref(exp);
		return false;
	}
	const char *docname = corpus_str(exp, "document");
	snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, docname);
	size_t n = 0;
	char *doc = docname[0] ? cli_read_file(path, 64u << 20, &n) : NULL;
	if (!doc) {
		fprintf(stderr, "%s: cannot read the document \"%s\"\n", expname, docname);
		json_decref(exp);
		return false;
	}
	struct arena *a = arena_new(CORPUS_ARENA);
	struct import_proposal p;
	struct import_error e;
	struct doc_error de = {0};
	/* read as `cairn scrutiny import` reads it: by its content */
	int rc = doc_import(a, doc, n, NULL, &p, &e, &de);
	if (rc != 0) {
		/* Not read, or the import refused it: nothing proposed. */
		printf("    (%s: %s)\n", docname, rc == -1 ? de.msg : e.msg);
		memset(&p, 0, sizeof(p));
	}
	if (corpus_verbose)
		printf("  %s\n", docname);
	corpus_match(exp, &p, c);
	const char *date = json_string_value(json_object_get(exp, "date"));
	if (date) {
		char got[16];
		snprintf(got, sizeof(got), "%04d-%02d-%02d", p.date.y % 10000,
			 p.date.m % 100, p.date.d % 100);
		c->date_stated = 1;
		c->date_right = strcmp(got, date) == 0;
	}
	arena_free(a);
	free(doc);
	json_decref(exp);
	return true;
}

/* ------------------------------------------------------------------ */
/* Figures                                                             */

static double corpus_pct(int num, int den)
{
	return den ? 100.0 * num / den : 100.0;
}

/* Precision: with nothing proposed it is 0 when something was expected
 * (an import that finds nothing is not precise), 100 otherwise. */
static double corpus_prec(int hit, int got, int exp)
{
	if (got == 0)
		return exp ? 0.0 : 100.0;
	return 100.0 * hit / got;
}

static void corpus_frac(char *buf, size_t cap, int num, int den)
{
	if (den)
		snprintf(buf, cap, "%d/%d", num, den);
	else
		snprintf(buf, cap, "-");
}

static void corpus_row(const char *name, const struct corpus_counts *c)
{
	char rr[16], rp[16], ar[16], ap[16], o[16], t[16], u[16], s[16], r[16], d[16];
	corpus_frac(rr, sizeof(rr), c->rec_hit, c->rec_exp);
	corpus_frac(rp, sizeof(rp), c->rec_hit, c->rec_got);
	corpus_frac(ar, sizeof(ar), c->act_hit, c->act_exp);
	corpus_frac(ap, sizeof(ap), c->act_hit, c->act_got);
	corpus_frac(o, sizeof(o), c->own_right, c->own_stated);
	corpus_frac(t, sizeof(t), c->ts_right, c->ts_stated);
	corpus_frac(u, sizeof(u), c->due_right, c->due_stated);
	corpus_frac(s, sizeof(s), c->st_right, c->st_stated);
	corpus_frac(r, sizeof(r), c->resp_right, c->resp_stated);
	corpus_frac(d, sizeof(d), c->date_right, c->date_stated);
	printf("%-38.38s %7s %7s %7s %7s %7s %7s %5s %7s %7s %5s\n",
	       name, rr, rp, ar, ap, o, t, u, s, r, d);
}

static void corpus_add(struct corpus_counts *s, const struct corpus_counts *c)
{
#define CORPUS_ADD(f) s->f += c->f
	CORPUS_ADD(rec_exp); CORPUS_ADD(rec_got); CORPUS_ADD(rec_hit);
	CORPUS_ADD(ref_right);
	CORPUS_ADD(act_exp); CORPUS_ADD(act_got); CORPUS_ADD(act_hit);
	CORPUS_ADD(own_stated); CORPUS_ADD(own_right);
	CORPUS_ADD(ts_stated); CORPUS_ADD(ts_right);
	CORPUS_ADD(st_stated); CORPUS_ADD(st_right);
	CORPUS_ADD(due_stated); CORPUS_ADD(due_right);
	CORPUS_ADD(resp_stated); CORPUS_ADD(resp_right);
	CORPUS_ADD(date_stated); CORPUS_ADD(date_right);
#undef CORPUS_ADD
}

/* Prints one figure beside its floor and target; false when below the
 * floor. */
static bool corpus_check(const char *what, double got, double floor_, double target)
{
	bool ok = got >= floor_;
	if (target > 0)
		printf("  %-26s %6.1f%%  (floor %5.1f%%, issue 12 target %5.1f%%)%s\n",
		       what, got, floor_, target, ok ? "" : "  BELOW THE FLOOR");
	else
		printf("  %-26s %6.1f%%  (floor %5.1f%%)%s\n", what, got, floor_,
		       ok ? "" : "  BELOW THE FLOOR");
	return ok;
}

static int corpus_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	const char *v = getenv("CORPUS_VERBOSE");
	corpus_verbose = v && v[0] && strcmp(v, "0") != 0;

	DIR *d = opendir(CORPUS_DIR);
	if (!d) {
		fprintf(stderr, "cannot open %s\n", CORPUS_DIR);
		return 1;
	}
	char *names[CORPUS_MAX_DOCS];
	size_t nn = 0;
	struct dirent *de;
	const char *suffix = ".expected.json";
	while ((de = readdir(d)) != NULL && nn < CORPUS_MAX_DOCS) {
		size_t l = strlen(de->d_name), ls = strlen(suffix);
		if (l > ls && strcmp(de->d_name + l - ls, suffix) == 0)
			names[nn++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, nn, sizeof(names[0]), corpus_cmp);

	printf("%-38s %7s %7s %7s %7s %7s %7s %5s %7s %7s %5s\n", "document",
	       "rec-R", "rec-P", "act-R", "act-P", "owner", "time", "due",
	       "status", "resp", "date");
	struct corpus_counts sum = {0};
	bool ok = true;
	for (size_t i = 0; i < nn; i++) {
		struct corpus_counts c = {0};
		if (!corpus_one(names[i], &c))
			ok = false;
		char stem[128];
		snprintf(stem, sizeof(stem), "%.*s", (int)(strlen(names[i]) - strlen(suffix)), names[i]);
		corpus_row(stem, &c);
		corpus_add(&sum, &c);
		free(names[i]);
	}
	corpus_row("ALL", &sum);
	printf("\n(R recall, P precision; owner/time/due/status/resp/date: right of those the document states)\n");
	printf("%zu documents, %d recommendations and %d actions expected; %d and %d proposed\n",
	       nn, sum.rec_exp, sum.act_exp, sum.rec_got, sum.act_got);
	if (nn < CORPUS_MIN_DOCS) {
		fprintf(stderr, "only %zu documents in %s (at least %d)\n", nn,
			CORPUS_DIR, CORPUS_MIN_DOCS);
		ok = false;
	}
	ok &= corpus_check("recommendations recall", corpus_pct(sum.rec_hit, sum.rec_exp), FLOOR_REC_RECALL, TARGET_REC);
	ok &= corpus_check("recommendations precision", corpus_prec(sum.rec_hit, sum.rec_got, sum.rec_exp), FLOOR_REC_PRECISION, TARGET_REC);
	ok &= corpus_check("actions recall", corpus_pct(sum.act_hit, sum.act_exp), FLOOR_ACT_RECALL, TARGET_ACT);
	ok &= corpus_check("actions precision", corpus_prec(sum.act_hit, sum.act_got, sum.act_exp), FLOOR_ACT_PRECISION, TARGET_ACT);
	ok &= corpus_check("owners right", corpus_pct(sum.own_right, sum.own_stated), FLOOR_OWNERS, 0);
	ok &= corpus_check("timescales right", corpus_pct(sum.ts_right, sum.ts_stated), FLOOR_TIMESCALES, 0);
	ok &= corpus_check("due dates right", corpus_pct(sum.due_right, sum.due_stated), FLOOR_DUE_DATES, 0);
	ok &= corpus_check("statuses right", corpus_pct(sum.st_right, sum.st_stated), FLOOR_STATUSES, 0);
	ok &= corpus_check("responses right", corpus_pct(sum.resp_right, sum.resp_stated), FLOOR_RESPONSES, 0);
	ok &= corpus_check("document dates right", corpus_pct(sum.date_right, sum.date_stated), FLOOR_DATES, 0);
	ok &= corpus_check("references as written", corpus_pct(sum.ref_right, sum.rec_hit), FLOOR_REFS, 0);
	printf("%s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
