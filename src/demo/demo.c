/*
 * demo.c: see demo.h for the contract.
 *
 * The generator works in memory first and writes afterwards, so that ids
 * can follow time the way a real system's would:
 *   1. families and children (names, dates of birth, identifiers) and
 *      the times their contacts were received;
 *   2. the undecided cut-off (the newest 1% of contacts), then each
 *      contact's due time (R01), decision and decision time;
 *   3. ids: children numbered by their first contact, contacts by
 *      receipt, referrals by decision; re-referrals (R14);
 *   4. one write transaction: setup rows, then each child with its
 *      addresses, network and flag, then contacts, then referrals.
 * Every random draw comes from one xoshiro256** stream per stage, seeded
 * from the user's seed, and every sort has a total order, so the same
 * options give the same rows.  Only integers are used for chance (no
 * floating point), so results do not depend on the C library's maths.
 */
#include "demo/demo.h"
#include "rules/uktime.h"
#include "domain/actor.h"
#include "domain/due.h"
#include "domain/err.h"
#include "episode/episode.h"
#include "notify/notify.h"
#include "referral/backfill.h"
#include "assess/assess.h"
#include "referral/source.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "child/child.h"
#include "child/ident.h"
#include "child/namematch.h"
#include "core/arena.h"
#include "rules/calendar.h"
#include "rules/holidays.h"

#include "demo/names.c"

/* ---- organisations and teams ------------------------------------------ */

struct org_def {
	const char *name; /* DEMO_ORG_x */
	const char *kind;
	int dfe;          /* establishment number for UPNs; 0 = not a school */
};

static const struct org_def orgs[DEMO_ORG__MAX] = {
	[DEMO_ORG_PRIMARY_NORTHWOLD] = {"Northwold Primary School", "school", 2001},
	[DEMO_ORG_PRIMARY_ST_AIDAN] = {"St Aidan's Church of England Primary School", "school", 3301},
	[DEMO_ORG_PRIMARY_ELMFIELD] = {"Elmfield Primary School", "school", 2002},
	[DEMO_ORG_PRIMARY_CASTLE_HILL] = {"Castle Hill Primary School", "school", 2003},
	[DEMO_ORG_HIGH_NORTHWOLD] = {"Northwold High School", "school", 4001},
	[DEMO_ORG_HIGH_ST_BEDE] = {"St Bede's Catholic High School", "school", 4601},
	[DEMO_ORG_COLLEGE] = {"Northwold Sixth Form College", "school", 4002},
	[DEMO_ORG_GP_HEALTH_CENTRE] = {"Northwold Health Centre", "health", 0},
	[DEMO_ORG_GP_CASTLE_STREET] = {"Castle Street Surgery", "health", 0},
	[DEMO_ORG_HEALTH_VISITING] = {"Northwold Health Visiting Service", "health", 0},
	[DEMO_ORG_CAMHS] = {"Northwold CAMHS", "health", 0},
	[DEMO_ORG_HOSPITAL] = {"Northwold General Hospital", "health", 0},
	[DEMO_ORG_POLICE] = {"Northwold Police Public Protection Unit", "police", 0},
	[DEMO_ORG_EARLY_HELP] = {"Northwold Early Help Service", "council", 0},
};

static const char *const team_names[DEMO_TEAM__MAX] = {
	[DEMO_TEAM_FRONT_DOOR] = "Front Door (MASH)",
	[DEMO_TEAM_ASSESS_1] = "Assessment Team 1",
	[DEMO_TEAM_ASSESS_2] = "Assessment Team 2",
	[DEMO_TEAM_CIN] = "Children in Need Team",
};

const char *demo_strerror(int err)
{
	switch (err) {
	case DEMO_OK: return "ok";
	case DEMO_EINVAL: return "invalid demo options";
	case DEMO_EIO: return "cannot read the code lists";
	case DEMO_EEXISTS: return "council already has data";
	case DEMO_EDB: return "database error";
	default: return "unknown demo error";
	}
}

const char *demo_org_name(enum demo_org o)
{
	if ((int)o < DEMO_ORG_PRIMARY_NORTHWOLD || o >= DEMO_ORG__MAX)
		return NULL;
	return orgs[o].name;
}

const char *demo_team_name(enum demo_team t)
{
	if ((int)t < DEMO_TEAM_FRONT_DOOR || t >= DEMO_TEAM__MAX)
		return NULL;
	return team_names[t];
}

/* ---- statements (DB_ROLE_SYSTEM only) --------------------------------- */

DB_STMT(st_council_ins) = {
	"demo_council_ins",
	"INSERT INTO council (council, name, la_code) VALUES (?1, ?2, ?3)"
	" ON CONFLICT DO NOTHING",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_setting_ins) = {
	"demo_setting_ins",
	"INSERT INTO setting (council, key, value) VALUES (?1, ?2, ?3)"
	" ON CONFLICT DO NOTHING",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_org_ins) = {
	"demo_org_ins",
	"INSERT INTO organisation (council, org_id, name, kind)"
	" VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_team_ins) = {
	"demo_team_ins",
	"INSERT INTO team (council, team_id, name) VALUES (?1, ?2, ?3)"
	" ON CONFLICT DO NOTHING",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_holiday_ins) = {
	"demo_holiday_ins",
	"INSERT INTO bank_holiday (council, day, title) VALUES (?1, ?2, ?3)"
	" ON CONFLICT DO NOTHING",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_child_count) = {
	"demo_child_count",
	"SELECT count(*) FROM child WHERE council = ?1",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_user_team) = {
	"demo_user_team",
	"SELECT team_id FROM app_user WHERE council = ?1 AND user_id = ?2",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_child_ins) = {
	"demo_child_ins",
	"INSERT INTO child (council, child_id, la_ref, given_name, family_name,"
	" other_names, given_key, family_key, dob, expected_dob, gender,"
	" ethnicity, nhs_number, upn, created_at, created_by, updated_at,"
	" version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	" ?13, ?14, ?15, ?16, ?17, 1)",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_address_ins) = {
	"demo_address_ins",
	"INSERT INTO address (council, child_id, address_id, line1, line2, town,"
	" postcode, start_date, end_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	" ?8, ?9)",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_network_ins) = {
	"demo_network_ins",
	"INSERT INTO network_member (council, child_id, member_id, kind,"
	" relationship, name, phone, org_id, linked_child_id,"
	" parental_responsibility, start_date, end_date) VALUES (?1, ?2, ?3,"
	" ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_flag_ins) = {
	"demo_flag_ins",
	"INSERT INTO flag (council, child_id, flag_id, kind, text, review_date,"
	" created_at, created_by, ended_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	" ?8, ?9)",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_contact_ins) = {
	"demo_contact_ins",
	"INSERT INTO contact (council, contact_id, child_id, received_at, source,"
	" referrer_name, referrer_org, worry, due_at, created_at, created_by,"
	" decision, decision_reason, decided_at, decided_by, referral_id,"
	" referrer_phone, referrer_email, family_consent, consent_reason,"
	" acknowledged_at, acknowledged_by, outcome_shared_at,"
	" outcome_shared_by, handled_by, handled_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_referral_ins) = {
	"demo_referral_ins",
	"INSERT INTO referral (council, referral_id, child_id, contact_id,"
	" referral_date, source, rereferral, previous_referral_id, team_id,"
	" worker_id, allocated_at, allocated_by, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	DB_ROLE_SYSTEM,
};

/* Each worker's five newest allocations: what their notifications say
 * (notify/notify.h), the newest first. */
DB_STMT(st_recent_allocations) = {
	"demo_recent_allocations",
	"SELECT referral_id, child_id, worker_id, allocated_at, n FROM"
	" (SELECT referral_id, child_id, worker_id, allocated_at,"
	"  ROW_NUMBER() OVER (PARTITION BY worker_id"
	"  ORDER BY allocated_at DESC, referral_id DESC) AS n FROM referral"
	"  WHERE council = ?1 AND worker_id IS NOT NULL"
	"  AND allocated_at IS NOT NULL) t"
	" WHERE n <= 5 ORDER BY worker_id, n",
	DB_ROLE_SYSTEM,
};
/* The older ones read an hour after they came. */
DB_STMT(st_demo_read) = {
	"demo_notifications_read",
	"UPDATE notification SET read_at = ?4 WHERE council = ?1"
	" AND user_id = ?2 AND kind = 'allocated' AND subject_id = ?3",
	DB_ROLE_SYSTEM,
};

DB_STMT(st_assessment_ins) = {
	"demo_assessment_ins",
	"INSERT INTO assessment (council, assessment_id, child_id,"
	" referral_id, started_on, authorised_on, created_at, created_by,"
	" development, parenting, family, wishes, wishes_how, analysis,"
	" outcome, submitted_at, submitted_by, authorised_by, late_reason,"
	" version)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15, ?16, ?17, ?18, ?19, ?20)",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_assessment_seen_ins) = {
	"demo_assessment_seen_ins",
	"INSERT INTO assessment_seen (council, seen_id, assessment_id,"
	" child_id, seen_on, alone, seen_by, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_assessment_factor_ins) = {
	"demo_assessment_factor_ins",
	"INSERT INTO assessment_factor (council, assessment_id, factor)"
	" VALUES (?1, ?2, ?3)",
	DB_ROLE_SYSTEM,
};

/* ---- errors ----------------------------------------------------------- */

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	if (err != NULL && errlen > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* ---- PRNG: splitmix64 seeding xoshiro256** ---------------------------- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A stream for one stage: the same (seed, stage) always gives the same
 * stream, and stages do not share draws. */
static void rng_init(struct rng *r, uint64_t seed, uint64_t stage)
{
	uint64_t x = seed ^ (stage * 0xd1b54a32d192ed03ull);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in 0..n-1 (n >= 1); the bias for n far below 2^32 is
 * negligible for demo data. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability permille / 1000. */
static bool rng_chance(struct rng *r, unsigned permille)
{
	return rng_below(r, 1000) < permille;
}

/* Index into w[0..n) drawn with the given weights (total > 0). */
static int rng_weighted(struct rng *r, const int *w, int n)
{
	int64_t total = 0;
	for (int i = 0; i < n; i++)
		total += w[i] > 0 ? w[i] : 0;
	if (total <= 0)
		return 0;
	int64_t x = (int64_t)rng_below(r, (uint32_t)total);
	for (int i = 0; i < n; i++) {
		if (w[i] <= 0)
			continue;
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* Picks from a list ordered by popularity: the smaller of two uniform
 * indexes, so early names are commoner (a linear fall-off). */
static const char *pick_name(struct rng *r, const struct name_list *l)
{
	uint32_t a = rng_below(r, l->n), b = rng_below(r, l->n);
	return l->v[a < b ? a : b];
}

/* ---- code lists ------------------------------------------------------- */

#define CODES_MAX 64
#define CODE_LEN 12
#define FILE_MAX ((size_t)1024 * 1024)

struct code_set {
	int n;
	char code[CODES_MAX][CODE_LEN];
};

/* Reads dir/name into a NUL-terminated buffer the caller frees.  Returns
 * NULL (with *n untouched) when the file is missing, unreadable or
 * larger than FILE_MAX. */
static char *read_file(const char *dir, const char *name, size_t *n)
{
	char path[4096];
	int w = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (w < 0 || (size_t)w >= sizeof(path))
		return NULL;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *buf = xmalloc(FILE_MAX + 1);
	size_t got = fread(buf, 1, FILE_MAX + 1, f);
	bool bad = ferror(f) || got > FILE_MAX;
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	buf[got] = '\0';
	*n = got;
	return buf;
}

#define CSV_FIELDS 16
#define CSV_FIELD_MAX 512

struct csv_row {
	int n;
	char f[CSV_FIELDS][CSV_FIELD_MAX];
};

/* Reads the next RFC 4180 record at *pp (before end) into row, with
 * quotes undone.  Returns 1 for a record, 0 at the end, -1 for a
 * malformed record (unterminated quote, too many or too long fields).
 * Blank lines are skipped. */
static int csv_next(const char **pp, const char *end, struct csv_row *row)
{
	const char *p = *pp;
	while (p < end && (*p == '\n' || *p == '\r'))
		p++;
	if (p >= end) {
		*pp = p;
		return 0;
	}
	row->n = 0;
	for (;;) {
		if (row->n == CSV_FIELDS)
			return -1;
		char *out = row->f[row->n++];
		size_t len = 0;
		if (p < end && *p == '"') {
			p++;
			for (;;) {
				if (p >= end)
					return -1;
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"')
						p++;
					else {
						p++;
						break;
					}
				}
				if (len + 1 >= CSV_FIELD_MAX)
					return -1;
				out[len++] = *p++;
			}
		} else {
			while (p < end && *p != ',' && *p != '\n' && *p != '\r') {
				if (len + 1 >= CSV_FIELD_MAX)
					return -1;
				out[len++] = *p++;
			}
		}
		out[len] = '\0';
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		if (p < end && *p != '\n' && *p != '\r')
			return -1; /* text after a closing quote */
		break;
	}
	*pp = p;
	return 1;
}

static bool ascii_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a + 32) : *a;
		char y = (*b >= 'A' && *b <= 'Z') ? (char)(*b + 32) : *b;
		if (x != y)
			return false;
	}
	return *a == *b;
}

/* Loads the current codes of a code-list CSV: the column "code", keeping
 * rows whose status column (the first whose name starts with "status")
 * says "current"; every row when there is no status column.  Returns 0,
 * or DEMO_EIO with a message. */
static int codes_load(const char *dir, const char *name, struct code_set *out,
		      char *err, size_t errlen)
{
	size_t n = 0;
	char *buf = read_file(dir, name, &n);
	if (buf == NULL)
		return fail(err, errlen, DEMO_EIO, "demo: cannot read %s/%s",
			    dir, name);
	struct csv_row *row = xmalloc(sizeof(*row));
	const char *p = buf, *end = buf + n;
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	int rc = DEMO_OK, code_col = -1, status_col = -1;
	out->n = 0;
	int r = csv_next(&p, end, row);
	if (r != 1) {
		rc = fail(err, errlen, DEMO_EIO, "demo: %s has no header", name);
		goto out_free;
	}
	for (int i = 0; i < row->n; i++) {
		if (ascii_ieq(row->f[i], "code"))
			code_col = i;
		else if (status_col < 0 && strncmp(row->f[i], "status", 6) == 0)
			status_col = i;
	}
	if (code_col < 0) {
		rc = fail(err, errlen, DEMO_EIO, "demo: %s has no code column",
			  name);
		goto out_free;
	}
	while ((r = csv_next(&p, end, row)) == 1) {
		if (code_col >= row->n || (status_col >= 0 && status_col >= row->n))
			continue;
		if (status_col >= 0 && !ascii_ieq(row->f[status_col], "current"))
			continue;
		const char *c = row->f[code_col];
		size_t cl = strlen(c);
		if (cl == 0 || cl >= CODE_LEN || out->n == CODES_MAX)
			continue;
		memcpy(out->code[out->n++], c, cl + 1);
	}
	if (r < 0) {
		rc = fail(err, errlen, DEMO_EIO, "demo: %s is malformed", name);
		goto out_free;
	}
	if (out->n == 0)
		rc = fail(err, errlen, DEMO_EIO, "demo: %s has no current codes",
			  name);
out_free:
	free(row);
	free(buf);
	return rc;
}

static int code_index(const struct code_set *s, const char *code)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->code[i], code) == 0)
			return i;
	return -1;
}

/* ---- weights ---------------------------------------------------------- */

/* Ethnicity, roughly England's population aged 0-17 (2021 census), per
 * 10,000, with the origins its children's given and family names come
 * from: g1 (or g2 with chance g2pm per mille), likewise f1/f2. */
struct eth_def {
	const char *code;
	int weight;
	enum demo_origin g1, g2;
	int g2pm;
	enum demo_origin f1, f2;
	int f2pm;
};

static const struct eth_def eth_defs[] = {
	{"WBRI", 6900, ORIGIN_BRITISH, ORIGIN_IRISH, 30, ORIGIN_BRITISH, ORIGIN_IRISH, 60},
	{"WIRI", 40, ORIGIN_IRISH, ORIGIN_BRITISH, 300, ORIGIN_IRISH, ORIGIN_BRITISH, 100},
	{"WIRT", 20, ORIGIN_IRISH, ORIGIN_BRITISH, 200, ORIGIN_IRISH, ORIGIN_IRISH, 0},
	{"WOTH", 650, ORIGIN_EAST_EURO, ORIGIN_BRITISH, 250, ORIGIN_EAST_EURO, ORIGIN_BRITISH, 150},
	{"WROM", 40, ORIGIN_EAST_EURO, ORIGIN_EAST_EURO, 0, ORIGIN_EAST_EURO, ORIGIN_EAST_EURO, 0},
	{"MWBC", 150, ORIGIN_BRITISH, ORIGIN_CARIBBEAN, 400, ORIGIN_BRITISH, ORIGIN_CARIBBEAN, 400},
	{"MWBA", 80, ORIGIN_BRITISH, ORIGIN_AFRICAN, 400, ORIGIN_BRITISH, ORIGIN_AFRICAN, 400},
	{"MWAS", 180, ORIGIN_BRITISH, ORIGIN_SA_MUSLIM, 400, ORIGIN_BRITISH, ORIGIN_SA_MUSLIM, 400},
	{"MOTH", 170, ORIGIN_BRITISH, ORIGIN_EAST_ASIAN, 300, ORIGIN_BRITISH, ORIGIN_AFRICAN, 300},
	{"AIND", 330, ORIGIN_SA_INDIAN, ORIGIN_SA_INDIAN, 0, ORIGIN_SA_INDIAN, ORIGIN_SA_INDIAN, 0},
	{"APKN", 400, ORIGIN_SA_MUSLIM, ORIGIN_SA_MUSLIM, 0, ORIGIN_SA_MUSLIM, ORIGIN_SA_MUSLIM, 0},
	{"ABAN", 150, ORIGIN_SA_MUSLIM, ORIGIN_SA_MUSLIM, 0, ORIGIN_SA_MUSLIM, ORIGIN_SA_MUSLIM, 0},
	{"AOTH", 160, ORIGIN_SA_MUSLIM, ORIGIN_SA_INDIAN, 300, ORIGIN_SA_MUSLIM, ORIGIN_SA_INDIAN, 300},
	{"BCRB", 80, ORIGIN_CARIBBEAN, ORIGIN_BRITISH, 400, ORIGIN_CARIBBEAN, ORIGIN_BRITISH, 300},
	{"BAFR", 350, ORIGIN_AFRICAN, ORIGIN_AFRICAN, 0, ORIGIN_AFRICAN, ORIGIN_AFRICAN, 0},
	{"BOTH", 60, ORIGIN_AFRICAN, ORIGIN_CARIBBEAN, 400, ORIGIN_AFRICAN, ORIGIN_CARIBBEAN, 400},
	{"CHNE", 50, ORIGIN_EAST_ASIAN, ORIGIN_BRITISH, 500, ORIGIN_EAST_ASIAN, ORIGIN_EAST_ASIAN, 0},
	{"OOTH", 200, ORIGIN_SA_MUSLIM, ORIGIN_EAST_EURO, 300, ORIGIN_SA_MUSLIM, ORIGIN_AFRICAN, 300},
	{"REFU", 40, ORIGIN_BRITISH, ORIGIN_SA_MUSLIM, 200, ORIGIN_BRITISH, ORIGIN_BRITISH, 0},
	{"NOBT", 100, ORIGIN_BRITISH, ORIGIN_EAST_EURO, 200, ORIGIN_BRITISH, ORIGIN_EAST_EURO, 200},
};
/* A current code we have no weight for gets this weight and British
 * names. */
#define ETH_OTHER_WEIGHT 10

/* Gender codes per 10,000 births (unborn children always get "0"). */
static const struct {
	const char *code;
	int weight;
} gender_defs[] = {
	{"1", 5100}, {"2", 4880}, {"0", 15}, {"9", 5},
};

/* Where referrals come from: CIN census shares, per 1000, with schools
 * weighted up because they are excluded for children under 4 (so that
 * the overall school share comes out near 20%). */
struct src_def {
	const char *code;
	int weight;
	bool school_age_only; /* never for a child under 4 */
	bool under5_only;     /* health visitors: unborn and under-5s */
};

static const struct src_def src_defs[] = {
	{"6", 265, false, false},
	{"2A", 320, true, false},
	{"2B", 15, true, false},
	{"3A", 30, false, false},
	{"3B", 25, false, true},
	{"3C", 10, true, false},
	{"3D", 25, false, false},
	{"3E", 35, false, false},
	{"3F", 20, false, false},
	{"4", 25, false, false},
	{"5A", 35, false, false},
	{"5B", 30, false, false},
	{"5C", 20, false, false},
	{"5D", 30, false, false},
	{"1A", 45, false, false},
	{"1B", 15, false, false},
	{"1C", 8, true, false},
	{"1D", 7, false, false},
	{"7", 25, false, false},
	{"8", 40, false, false},
	{"9", 20, false, false},
	{"10", 5, false, false},
};
#define SRC_OTHER_WEIGHT 5

enum decision {
	DEC_NFA,
	DEC_ADVICE,
	DEC_EARLY_HELP,
	DEC_REFERRAL,
	DEC_STRATEGY,
	DEC__MAX
};
static const char *const decision_names[DEC__MAX] = {
	"nfa",        /* DEC_NFA */
	"advice",     /* DEC_ADVICE */
	"early_help", /* DEC_EARLY_HELP */
	"referral",   /* DEC_REFERRAL */
	"strategy",   /* DEC_STRATEGY */
};
/* Per 1000: 40% lead to a referral row (referral + strategy). */
static const int decision_weights[DEC__MAX] = {240, 140, 220, 360, 40};

static const struct name_list decision_reasons[DEC__MAX] = {
	LIST(reason_nfa), LIST(reason_advice), LIST(reason_early_help),
	LIST(reason_referral), LIST(reason_strategy),
};

/* Age at `today` in whole years, 0..17, per 1000: more under-5s and
 * teenagers, as in the CIN statistics. */
static const int age_weights[18] = {
	70, 62, 58, 56, 54, 50, 48, 47, 47, 47, 48, 52, 56, 60, 64, 66, 62, 53,
};
static const int family_size_weights[4] = {600, 250, 100, 50};
static const int contact_count_weights[4] = {550, 250, 130, 70};

/* Decisions drawn as late (after due_at, R01), per 1000 of decided
 * contacts; moving decisions into office hours makes a few more late,
 * for about 8% in all. */
#define LATE_PERMILLE 45
/* The newest contacts left undecided, per 1000. */
#define UNDECIDED_PERMILLE 10

/* ---- in-memory model -------------------------------------------------- */

#define NO_TIME INT64_MIN
#define STAFF_PER_ORG 4

struct addr {
	uint8_t stem, kind, building; /* indexes into names.c */
	bool flat;
	uint16_t number;
	char postcode[9];
};

struct family {
	int first_child, nchildren;
	int eth;     /* index into eth codes */
	int eth_def; /* index into eth_defs, or -1 */
	enum demo_origin og, of; /* origins of given and family names */
	const char *family_name;
	const char *mum_given, *mum_family;
	const char *dad_given, *dad_family; /* dad_given NULL: not known */
	bool dad_pr;
	const char *partner_given, *partner_family; /* NULL: none */
	const char *gran_given;                     /* NULL: none */
	const char *adult_sib_given;                /* NULL: none */
	bool adult_sib_male;
	uint16_t mum_phone, dad_phone;
	enum demo_org primary, high, gp;
	struct addr cur, prev;
	int32_t moved; /* day moved to cur; NO_DAY when no previous address */
	int32_t since; /* day the family came to cur when there is no prev */
};
#define NO_DAY INT32_MIN

struct kid {
	int fam;
	int64_t id;
	const char *given, *other;
	bool unborn;
	int32_t dob; /* day number; expected date of birth when unborn */
	char gender[CODE_LEN];
	uint64_t nhs; /* 0: none */
	char upn[14]; /* "": none */
	uint32_t laref;
	int first_contact, ncontacts; /* range in the contact array */
};

struct contact {
	int kid;
	int64_t id;
	int64_t recv, due, decided; /* civil minutes; decided NO_TIME */
	int created_delay;          /* minutes after recv */
	int created_sec;
	int src; /* index into the source code set */
	int decision; /* enum decision, or -1 undecided */
	int ref;      /* index into the referral array, or -1 */
};

struct referral {
	int contact;
	int64_t id, prev_id; /* prev_id 0: none */
	bool rereferral;
	int32_t date;
	int64_t team, worker; /* worker 0: unallocated */
	int64_t allocated;    /* civil minutes, NO_TIME when unallocated */
	int created_sec;
};

/* A set of uint64 keys (open addressing) for unique identifiers. */
struct uset {
	uint64_t *v;
	size_t cap; /* power of two */
};

static void uset_init(struct uset *s, size_t want)
{
	size_t cap = 64;
	while (cap < want * 2)
		cap <<= 1;
	s->v = xcalloc(cap, sizeof(uint64_t));
	s->cap = cap;
}

/* Adds k (never 0).  Returns true when it was not there before. */
static bool uset_add(struct uset *s, uint64_t k)
{
	uint64_t h = k * 0x9e3779b97f4a7c15ull;
	size_t i = (size_t)(h >> 20) & (s->cap - 1);
	while (s->v[i] != 0) {
		if (s->v[i] == k)
			return false;
		i = (i + 1) & (s->cap - 1);
	}
	s->v[i] = k;
	return true;
}

struct gen {
	const struct demo_options *o;
	struct cal *cal;
	struct holidays_list hol;
	struct code_set eth, gender, src, need;
	int eth_w[CODES_MAX], eth_map[CODES_MAX];
	int gender_w[CODES_MAX];
	int src_w[CODES_MAX], src_map[CODES_MAX];
	struct cal_date today;
	int32_t today_day, window_start;
	int64_t now; /* minutes at 00:00 on today */
	int64_t undecided_from;
	int64_t manager;
	int64_t *worker_team;
	const char *staff[DEMO_ORG__MAX][STAFF_PER_ORG];
	char la_prefix[16];

	struct family *fam;
	int nfam;
	struct kid *kid;
	int nkid;
	struct contact *con;
	int ncon, con_cap;
	struct referral *ref;
	int nref;
	int *kid_by_id;      /* id - 1 -> kid index */
	int *con_by_id;      /* id - 1 -> contact index */
	int *ref_by_id;      /* id - 1 -> referral index */
};

/* ---- dates and times -------------------------------------------------- */

static struct cal_date day_date(int32_t day)
{
	return cal_from_days(day);
}

static void fmt_day(int32_t day, char out[11])
{
	cal_date_format(day_date(day), out);
}

static void fmt_civil(int64_t minutes, char out[17])
{
	cal_time_format(cal_time_from_minutes(minutes), out);
}

/* Writes the UTC machine time 'YYYY-MM-DDTHH:MM:SSZ' of a UK civil time
 * (in clock minutes) and a second. */
static void fmt_machine(int64_t civil, int sec, char out[21])
{
	uk_stamp(uk_to_instant(cal_time_from_minutes(civil)) + sec, out);
}

static bool working(const struct gen *g, int32_t day)
{
	return cal_is_working_day(g->cal, day_date(day));
}

static int32_t next_working(const struct gen *g, int32_t day)
{
	do
		day++;
	while (!working(g, day));
	return day;
}

/* Moves t into office hours (08:30-18:30 on a working day): unchanged
 * when already there, otherwise the next working morning. */
static int64_t office_hours(const struct gen *g, struct rng *r, int64_t t)
{
	int32_t day = (int32_t)(t / 1440);
	int64_t mod = t % 1440;
	if (working(g, day) && mod >= 510 && mod < 1110)
		return t;
	if (!working(g, day) || mod >= 1110)
		day = next_working(g, day);
	return (int64_t)day * 1440 + 510 + rng_below(r, 210);
}

static int age_years(int32_t dob, int32_t day)
{
	struct cal_date b = day_date(dob), d = day_date(day);
	int a = d.y - b.y;
	if (d.m < b.m || (d.m == b.m && d.d < b.d))
		a--;
	return a;
}

/* School year group on `day` (0 = reception ... 13 = upper sixth),
 * negative before school. */
static int year_group(int32_t dob, int32_t day)
{
	struct cal_date b = day_date(dob), d = day_date(day);
	int cohort = b.m >= 9 ? b.y + 1 : b.y; /* reception starts cohort+4 */
	int ay = d.m >= 9 ? d.y : d.y - 1;
	return ay - (cohort + 4);
}

/* The school a child attends on `day`, or 0 for none. */
static enum demo_org school_on(const struct gen *g, const struct kid *k,
			       int32_t day)
{
	if (k->unborn)
		return 0;
	int yg = year_group(k->dob, day);
	const struct family *f = &g->fam[k->fam];
	if (yg < 0 || yg > 13)
		return 0;
	if (yg <= 6)
		return f->primary;
	if (yg <= 11)
		return f->high;
	return (k->laref % 10) < 7 ? DEMO_ORG_COLLEGE : f->high;
}

/* ---- stage 1: families and children ------------------------------------ */

static void make_addr(struct rng *r, struct addr *a)
{
	static const char inward[] = "ABDEFGHJLNPQRSTUWXYZ";
	a->stem = (uint8_t)rng_below(r, NELEM(street_stems));
	a->kind = (uint8_t)rng_below(r, NELEM(street_kinds));
	a->flat = rng_chance(r, 150);
	a->building = (uint8_t)rng_below(r, NELEM(building_names));
	a->number = (uint16_t)(1 + rng_below(r, a->flat ? 40 : 180));
	/* outward code from the street, so a street keeps its district */
	unsigned district = 1 + (a->stem * 7u + a->kind) % 9u;
	snprintf(a->postcode, sizeof(a->postcode), "NQ%u %u%c%c", district,
		 1 + rng_below(r, 9), inward[rng_below(r, sizeof(inward) - 1)],
		 inward[rng_below(r, sizeof(inward) - 1)]);
}

/* A unique NHS number in the 999 test range, or 0 when the range is too
 * full to find one quickly. */
static uint64_t make_nhs(struct rng *r, struct uset *seen)
{
	for (int tries = 0; tries < 200; tries++) {
		char d[11];
		uint32_t x = rng_below(r, 1000000);
		snprintf(d, sizeof(d), "999%06u", x);
		int check = ident_nhs_check_digit(d);
		if (check < 0 || check > 9)
			continue; /* remainder 10: never issued */
		d[9] = (char)('0' + check);
		d[10] = '\0';
		char norm[11];
		if (ident_nhs_check(d, 10, norm) != IDENT_OK)
			continue; /* 9999999999 is reserved */
		uint64_t v = 0;
		for (int i = 0; i < 10; i++)
			v = v * 10 + (uint64_t)(d[i] - '0');
		if (uset_add(seen, v))
			return v;
	}
	return 0;
}

/* A unique UPN allocated at `school` in year `year` into out, or "" when
 * that school's year is too full. */
static void make_upn(struct rng *r, struct uset *seen, int dfe, int year,
		     char out[14])
{
	out[0] = '\0';
	for (int tries = 0; tries < 200; tries++) {
		char b[32];
		snprintf(b, sizeof(b), "%s%04u%02u%03u", DEMO_LA_CODE,
			 (unsigned)dfe % 10000u, (unsigned)year % 100u,
			 rng_below(r, 1000));
		char letter = ident_upn_check_letter(b);
		if (letter == '\0')
			continue;
		uint64_t key = 1;
		for (int i = 0; i < 12; i++)
			key = key * 10 + (uint64_t)(b[i] - '0');
		if (!uset_add(seen, key))
			continue;
		out[0] = letter;
		memcpy(out + 1, b, 12);
		out[13] = '\0';
		return;
	}
}

static int pick_eth(struct gen *g, struct rng *r)
{
	return rng_weighted(r, g->eth_w, g->eth.n);
}

static void make_family(struct gen *g, struct rng *r, struct family *f)
{
	f->eth = pick_eth(g, r);
	f->eth_def = g->eth_map[f->eth];
	const struct eth_def *e = f->eth_def >= 0 ? &eth_defs[f->eth_def] : NULL;
	if (e != NULL) {
		f->og = rng_chance(r, (unsigned)e->g2pm) ? e->g2 : e->g1;
		f->of = rng_chance(r, (unsigned)e->f2pm) ? e->f2 : e->f1;
	} else {
		f->og = ORIGIN_BRITISH;
		f->of = ORIGIN_BRITISH;
	}
	f->family_name = pick_name(r, &family_names[f->of]);
	f->mum_given = pick_name(r, &given_girls[f->og]);
	f->mum_family = rng_chance(r, 700) ? f->family_name
					   : pick_name(r, &family_names[f->of]);
	f->dad_given = NULL;
	f->dad_family = NULL;
	f->dad_pr = false;
	if (rng_chance(r, 750)) {
		f->dad_given = pick_name(r, &given_boys[f->og]);
		f->dad_family = rng_chance(r, 800)
					? f->family_name
					: pick_name(r, &family_names[f->of]);
		f->dad_pr = rng_chance(r, 850);
	}
	f->partner_given = NULL;
	f->partner_family = NULL;
	if (rng_chance(r, 150)) {
		f->partner_given = pick_name(r, &given_boys[ORIGIN_BRITISH]);
		f->partner_family = pick_name(r, &family_names[ORIGIN_BRITISH]);
	}
	f->gran_given = rng_chance(r, 200) ? pick_name(r, &given_girls[f->og])
					   : NULL;
	f->adult_sib_male = rng_chance(r, 500);
	f->adult_sib_given =
		rng_chance(r, 100)
			? pick_name(r, f->adult_sib_male ? &given_boys[f->og]
							 : &given_girls[f->og])
			: NULL;
	f->mum_phone = (uint16_t)rng_below(r, 1000);
	f->dad_phone = (uint16_t)rng_below(r, 1000);
	f->primary = (enum demo_org)(DEMO_ORG_PRIMARY_NORTHWOLD + rng_below(r, 4));
	f->high = rng_chance(r, 700) ? DEMO_ORG_HIGH_NORTHWOLD
				     : DEMO_ORG_HIGH_ST_BEDE;
	f->gp = rng_chance(r, 550) ? DEMO_ORG_GP_HEALTH_CENTRE
				   : DEMO_ORG_GP_CASTLE_STREET;
	make_addr(r, &f->cur);
	make_addr(r, &f->prev);
	if (rng_chance(r, 400)) {
		f->moved = g->window_start +
			   (int32_t)rng_below(r, (uint32_t)(g->today_day -
							    g->window_start));
		f->since = NO_DAY;
	} else {
		f->moved = NO_DAY;
		f->since = g->today_day - 365 * 4 - (int32_t)rng_below(r, 365 * 14);
	}
}

/* Receipt time of one contact on a day in [lo, hi]. */
static int64_t contact_time(struct gen *g, struct rng *r, int32_t lo,
			    int32_t hi)
{
	/* four in five contacts on a non-working day are drawn again, so
	 * weekends and bank holidays are quiet without piling up Mondays */
	int32_t day = lo + (int32_t)rng_below(r, (uint32_t)(hi - lo + 1));
	if (!working(g, day) && rng_chance(r, 800))
		for (int tries = 0; tries < 8 && !working(g, day); tries++)
			day = lo + (int32_t)rng_below(r, (uint32_t)(hi - lo + 1));
	int mod;
	if (!working(g, day))
		mod = 420 + (int)rng_below(r, 1020); /* 07:00-23:59 */
	else if (rng_chance(r, 870))
		/* 08:30-17:29, peaking mid-day */
		mod = 510 + (int)((rng_below(r, 540) + rng_below(r, 540)) / 2);
	else if (rng_chance(r, 600))
		mod = 1050 + (int)rng_below(r, 390); /* evening */
	else
		mod = (int)rng_below(r, 510); /* night and early morning */
	return (int64_t)day * 1440 + mod;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Who the child is: date of birth, gender and names. */
static void make_child(struct gen *g, struct rng *r, struct kid *k, int fi,
		       bool unborn)
{
	struct family *f = &g->fam[fi];
	k->fam = fi;
	k->unborn = unborn;
	k->other = NULL;
	k->nhs = 0;
	k->upn[0] = '\0';
	if (unborn) {
		k->dob = g->today_day + 7 + (int32_t)rng_below(r, 140);
		k->given = "Unborn";
		int gi = code_index(&g->gender, "0");
		memcpy(k->gender, g->gender.code[gi >= 0 ? gi : 0], CODE_LEN);
	} else {
		/* exactly `age` whole years old today */
		int age = rng_weighted(r, age_weights, 18);
		int32_t oldest = cal_days(cal_add_months(g->today, -12 * (age + 1))) + 1;
		int32_t youngest = cal_days(cal_add_months(g->today, -12 * age));
		if (youngest >= g->today_day)
			youngest = g->today_day - 1; /* born by yesterday */
		k->dob = oldest + (int32_t)rng_below(r, (uint32_t)(youngest - oldest + 1));
		int gi = rng_weighted(r, g->gender_w, g->gender.n);
		memcpy(k->gender, g->gender.code[gi], CODE_LEN);
		bool boy = strcmp(k->gender, "1") == 0 ||
			   (strcmp(k->gender, "2") != 0 && rng_chance(r, 500));
		const struct name_list *l = boy ? &given_boys[f->og]
						: &given_girls[f->og];
		k->given = pick_name(r, l);
		if (rng_chance(r, 400)) {
			const char *o = pick_name(r, l);
			if (strcmp(o, k->given) != 0)
				k->other = o;
		}
	}
}

/* Identifiers, once the date of birth is final. */
static void make_ids(struct gen *g, struct rng *r, struct uset *nhs_seen,
		     struct uset *upn_seen, struct uset *laref_seen,
		     struct kid *k)
{
	const struct family *f = &g->fam[k->fam];
	do
		k->laref = 1000000 + rng_below(r, 9000000);
	while (!uset_add(laref_seen, k->laref));
	if (k->unborn)
		return;
	if (rng_chance(r, k->dob > g->today_day - 5 * 365 ? 930 : 880))
		k->nhs = make_nhs(r, nhs_seen);
	int yg = year_group(k->dob, g->today_day);
	if (yg >= 0 && yg <= 13 && rng_chance(r, 800)) {
		struct cal_date b = day_date(k->dob);
		int cohort = b.m >= 9 ? b.y + 1 : b.y;
		make_upn(r, upn_seen, orgs[f->primary].dfe, cohort + 4, k->upn);
	}
}

/* Receipt times of the child's 1-4 contacts: from 150 days before birth
 * (pre-birth concerns) or the start of the window, to yesterday. */
static void make_contacts(struct gen *g, struct rng *r, struct kid *k)
{
	int n = 1 + rng_weighted(r, contact_count_weights, 4);
	int32_t lo = k->dob - 150, hi = g->today_day - 1;
	if (lo < g->window_start)
		lo = g->window_start;
	if (lo > hi)
		lo = hi;
	if (g->ncon + n > g->con_cap) {
		g->con_cap = g->con_cap * 2 + 4;
		g->con = xrealloc(g->con, (size_t)g->con_cap * sizeof(*g->con));
	}
	k->first_contact = g->ncon;
	k->ncontacts = n;
	/* Contacts come in episodes: two in three of the later ones follow
	 * the previous within 2 weeks to 9 months (which makes re-referrals,
	 * R14, about as common as in England). */
	int64_t t[4];
	for (int i = 0; i < n; i++) {
		int32_t l2 = lo, h2 = hi;
		if (i > 0 && rng_chance(r, 650)) {
			l2 = (int32_t)(t[i - 1] / 1440) + 14;
			h2 = l2 + 240;
			if (h2 > hi)
				h2 = hi;
			if (l2 > h2)
				l2 = lo, h2 = hi;
		}
		t[i] = contact_time(g, r, l2, h2);
	}
	qsort(t, (size_t)n, sizeof(t[0]), cmp_i64);
	for (int i = 1; i < n; i++)
		if (t[i] <= t[i - 1])
			t[i] = t[i - 1] + 1;
	for (int i = 0; i < n; i++) {
		struct contact *c = &g->con[g->ncon++];
		memset(c, 0, sizeof(*c));
		c->kid = (int)(k - g->kid);
		c->recv = t[i];
		c->decided = NO_TIME;
		c->decision = -1;
		c->ref = -1;
	}
}

/* Sibling dates of birth at least 10 months apart unless twins, all
 * still aged 0-17 and born by yesterday. */
static void space_siblings(struct gen *g, struct rng *r, struct family *f)
{
	int32_t oldest = cal_days(cal_add_months(g->today, -12 * 18)) + 1;
	for (int i = f->first_child + 1; i < f->first_child + f->nchildren; i++) {
		struct kid *a = &g->kid[i - 1], *b = &g->kid[i];
		if (a->unborn || b->unborn)
			continue;
		int32_t gap = b->dob - a->dob;
		if (gap < 0)
			gap = -gap;
		if (gap == 0 || gap >= 300)
			continue;
		int32_t later = a->dob + 300 + (int32_t)rng_below(r, 200);
		int32_t earlier = a->dob - 300 - (int32_t)rng_below(r, 200);
		if (rng_chance(r, 100))
			b->dob = a->dob; /* twins */
		else if (later < g->today_day)
			b->dob = later;
		else if (earlier >= oldest)
			b->dob = earlier;
		else
			b->dob = a->dob;
	}
}

static void stage_people(struct gen *g)
{
	struct rng r;
	rng_init(&r, g->o->seed, 1);
	int n = g->o->children;
	struct uset nhs_seen, upn_seen, laref_seen;
	uset_init(&nhs_seen, (size_t)n);
	uset_init(&upn_seen, (size_t)n);
	uset_init(&laref_seen, (size_t)n);
	g->fam = xcalloc((size_t)n, sizeof(*g->fam));
	g->kid = xcalloc((size_t)n, sizeof(*g->kid));
	g->con_cap = n * 2;
	g->con = xmalloc((size_t)g->con_cap * sizeof(*g->con));
	/* staff of the partner agencies (fixed per run) */
	for (int o = 1; o < DEMO_ORG__MAX; o++)
		for (int s = 0; s < STAFF_PER_ORG; s++) {
			int og = rng_weighted(&r, (const int[]){70, 5, 8, 8, 3, 4, 2, 0}, ORIGIN__MAX);
			g->staff[o][s] = pick_name(&r, &family_names[og]);
		}
	while (g->nkid < n) {
		struct family *f = &g->fam[g->nfam];
		make_family(g, &r, f);
		int size = 1 + rng_weighted(&r, family_size_weights, 4);
		if (size > n - g->nkid)
			size = n - g->nkid;
		f->first_child = g->nkid;
		f->nchildren = size;
		for (int i = 0; i < size; i++) {
			/* about 0.6% of children are unborn: the youngest of
			 * a family, never the only record of a big family */
			bool unborn = i == size - 1 && rng_chance(&r, 12);
			make_child(g, &r, &g->kid[g->nkid++], g->nfam, unborn);
		}
		space_siblings(g, &r, f);
		for (int i = f->first_child; i < g->nkid; i++) {
			make_ids(g, &r, &nhs_seen, &upn_seen, &laref_seen,
				 &g->kid[i]);
			make_contacts(g, &r, &g->kid[i]);
		}
		g->nfam++;
	}
	free(nhs_seen.v);
	free(upn_seen.v);
	free(laref_seen.v);
}

/* ---- stage 2: decisions ----------------------------------------------- */

static int pick_source(struct gen *g, struct rng *r, const struct kid *k,
		       int32_t day)
{
	int age = k->unborn || day < k->dob ? -1 : age_years(k->dob, day);
	int w[CODES_MAX];
	for (int i = 0; i < g->src.n; i++) {
		w[i] = g->src_w[i];
		const struct src_def *d =
			g->src_map[i] >= 0 ? &src_defs[g->src_map[i]] : NULL;
		if (d != NULL && ((d->school_age_only && age < 4) ||
				  (d->under5_only && age >= 5)))
			w[i] = 0;
	}
	return rng_weighted(r, w, g->src.n);
}

static void stage_decisions(struct gen *g)
{
	struct rng r;
	rng_init(&r, g->o->seed, 2);
	/* the newest UNDECIDED_PERMILLE of contacts stay undecided */
	int64_t *t = xmalloc((size_t)g->ncon * sizeof(*t));
	for (int i = 0; i < g->ncon; i++)
		t[i] = g->con[i].recv;
	qsort(t, (size_t)g->ncon, sizeof(*t), cmp_i64);
	int nund = g->ncon * UNDECIDED_PERMILLE / 1000;
	if (nund < 1)
		nund = 1;
	g->undecided_from = t[g->ncon - nund];
	free(t);

	for (int i = 0; i < g->ncon; i++) {
		struct contact *c = &g->con[i];
		const struct kid *k = &g->kid[c->kid];
		int32_t day = (int32_t)(c->recv / 1440);
		c->src = pick_source(g, &r, k, day);
		c->created_delay = 2 + (int)rng_below(&r, 40);
		c->created_sec = (int)rng_below(&r, 60);
		/* R01: a decision within one working day of receipt */
		struct cal_time due = cal_due_working_days(
			g->cal, cal_time_from_minutes(c->recv), 1);
		c->due = cal_minutes(due);
		if (c->recv >= g->undecided_from)
			continue;
		c->decision = rng_weighted(&r, decision_weights, DEC__MAX);
		int64_t span = c->due - c->recv, d;
		if (rng_chance(&r, LATE_PERMILLE))
			d = span + 30 + rng_below(&r, 4 * 1440);
		else if (rng_chance(&r, 700))
			d = 20 + rng_below(&r, 300);
		else
			d = 20 + rng_below(&r, (uint32_t)(span > 40 ? span - 40 : 1));
		int64_t at = office_hours(g, &r, c->recv + d);
		if (at >= g->now)
			at = c->recv + (g->now - c->recv) / 2;
		if (at <= c->recv)
			at = c->recv + 1;
		c->decided = at;
	}
}

/* ---- stage 3: ids and referrals --------------------------------------- */

struct sortkey {
	int64_t a, b;
	int idx;
};

static int cmp_key(const void *x, const void *y)
{
	const struct sortkey *p = x, *q = y;
	if (p->a != q->a)
		return (p->a > q->a) - (p->a < q->a);
	if (p->b != q->b)
		return (p->b > q->b) - (p->b < q->b);
	return (p->idx > q->idx) - (p->idx < q->idx);
}

static void stage_ids(struct gen *g)
{
	struct rng r;
	rng_init(&r, g->o->seed, 3);
	size_t nmax = (size_t)(g->nkid > g->ncon ? g->nkid : g->ncon);
	struct sortkey *s = xmalloc(nmax * sizeof(*s));

	/* children by their first contact */
	for (int i = 0; i < g->nkid; i++) {
		s[i].a = g->con[g->kid[i].first_contact].recv;
		s[i].b = 0;
		s[i].idx = i;
	}
	qsort(s, (size_t)g->nkid, sizeof(*s), cmp_key);
	g->kid_by_id = xmalloc((size_t)g->nkid * sizeof(*g->kid_by_id));
	for (int i = 0; i < g->nkid; i++) {
		g->kid[s[i].idx].id = i + 1;
		g->kid_by_id[i] = s[i].idx;
	}

	/* contacts by receipt */
	for (int i = 0; i < g->ncon; i++) {
		s[i].a = g->con[i].recv;
		s[i].b = g->kid[g->con[i].kid].id;
		s[i].idx = i;
	}
	qsort(s, (size_t)g->ncon, sizeof(*s), cmp_key);
	g->con_by_id = xmalloc((size_t)g->ncon * sizeof(*g->con_by_id));
	for (int i = 0; i < g->ncon; i++) {
		g->con[s[i].idx].id = i + 1;
		g->con_by_id[i] = s[i].idx;
	}

	/* referrals by decision time */
	int nref = 0;
	for (int i = 0; i < g->ncon; i++)
		if (g->con[i].decision == DEC_REFERRAL ||
		    g->con[i].decision == DEC_STRATEGY) {
			s[nref].a = g->con[i].decided;
			s[nref].b = g->con[i].id;
			s[nref].idx = i;
			nref++;
		}
	qsort(s, (size_t)nref, sizeof(*s), cmp_key);
	g->ref = xcalloc((size_t)(nref > 0 ? nref : 1), sizeof(*g->ref));
	g->ref_by_id = xmalloc((size_t)(nref > 0 ? nref : 1) * sizeof(int));
	g->nref = nref;
	int *last = xmalloc((size_t)g->nkid * sizeof(int)); /* kid -> ref */
	for (int i = 0; i < g->nkid; i++)
		last[i] = -1;
	for (int i = 0; i < nref; i++) {
		struct referral *rf = &g->ref[i];
		struct contact *c = &g->con[s[i].idx];
		rf->contact = s[i].idx;
		rf->id = i + 1;
		g->ref_by_id[i] = i;
		c->ref = i;
		rf->date = (int32_t)(c->decided / 1440);
		rf->created_sec = (int)rng_below(&r, 60);
		/* R14: re-referral when the previous referral's date is on or
		 * after the date 12 months before this one */
		int p = last[c->kid];
		if (p >= 0) {
			rf->prev_id = g->ref[p].id;
			struct cal_date lim = cal_add_months(day_date(rf->date), -12);
			rf->rereferral = g->ref[p].date >= cal_days(lim);
		}
		last[c->kid] = i;
		/* allocation: most within a few working days; recent ones
		 * sometimes still waiting */
		bool recent = c->decided >= g->now - 30 * 1440;
		bool unalloc = rng_chance(&r, recent ? 500 : 15);
		int wi = (int)rng_below(&r, (uint32_t)g->o->n_workers);
		rf->team = DEMO_TEAM_ASSESS_1 + (int64_t)rng_below(&r, 2);
		rf->worker = 0;
		rf->allocated = NO_TIME;
		int64_t at = c->decided + 30 + rng_below(&r, 4 * 1440);
		at = office_hours(g, &r, at);
		if (!unalloc && at < g->now) {
			rf->worker = g->o->worker_ids[wi];
			rf->team = g->worker_team[wi];
			rf->allocated = at;
		}
	}
	free(last);
	free(s);
}

/* ---- stage 4: writing -------------------------------------------------- */

/* Binds consecutive parameters, remembering the first failure. */
struct binder {
	struct db_q *q;
	int idx;
	int rc;
};

static void b_i64(struct binder *b, int64_t v)
{
	int rc = db_bind_i64(b->q, ++b->idx, v);
	if (b->rc == 0)
		b->rc = rc;
}

static void b_text(struct binder *b, const char *s)
{
	int rc = db_bind_text(b->q, ++b->idx, s);
	if (b->rc == 0)
		b->rc = rc;
}

/* Binds v, or NULL when v is 0. */
static void b_id(struct binder *b, int64_t v)
{
	int rc = v != 0 ? db_bind_i64(b->q, ++b->idx, v)
			: db_bind_null(b->q, ++b->idx);
	if (b->rc == 0)
		b->rc = rc;
}

static int b_start(struct binder *b, struct db_conn *c,
		   const struct db_stmt *st)
{
	b->idx = 0;
	b->rc = db_prepare(c, st, &b->q);
	return b->rc;
}

static int b_exec(struct binder *b)
{
	if (b->rc != 0)
		return b->rc;
	int rc = db_step(b->q);
	return rc < 0 ? rc : 0;
}

/* Replaces each "{name}" in tmpl with name. */
static void fill(char *out, size_t cap, const char *tmpl, const char *name)
{
	size_t n = 0, nl = strlen(name);
	for (const char *p = tmpl; *p && n + 1 < cap;) {
		if (strncmp(p, "{name}", 6) == 0) {
			size_t take = nl < cap - 1 - n ? nl : cap - 1 - n;
			memcpy(out + n, name, take);
			n += take;
			p += 6;
		} else
			out[n++] = *p++;
	}
	out[n] = '\0';
}

static const char *const titles[] = {"Mrs", "Mr", "Ms", "Miss"};

static void staff_name(struct gen *g, struct rng *r, enum demo_org org,
		       const char *prefix, char *out, size_t cap)
{
	unsigned s = rng_below(r, STAFF_PER_ORG);
	const char *fam = g->staff[org][s];
	if (prefix == NULL)
		prefix = titles[(org + s) % NELEM(titles)];
	snprintf(out, cap, "%s %c. %s", prefix, "ACDEHJKLMNPRST"[(org * 5 + s * 3) % 14],
		 fam);
}

static int write_setup(struct db_conn *c, const struct demo_options *o,
		       const struct holidays_list *hol)
{
	int rc;
	if ((rc = db_exec(c, &st_council_ins, NULL, o->council,
			 o->council_name, DEMO_LA_CODE)) < 0)
		return rc;
	/* a new council's audit chain starts here (audit/audit.h) */
	if (db_changes(c) > 0 && (rc = audit_genesis(c, o->council)) < 0)
		return rc;
	if ((rc = db_exec(c, &st_setting_ins, NULL, o->council,
			 "working_day_convention", "day0")) < 0)
		return rc;
	for (int i = DEMO_ORG_PRIMARY_NORTHWOLD; i < DEMO_ORG__MAX; i++)
		if ((rc = db_exec(c, &st_org_ins, NULL, o->council,
				 i, orgs[i].name, orgs[i].kind)) < 0)
			return rc;
	for (int i = DEMO_TEAM_FRONT_DOOR; i < DEMO_TEAM__MAX; i++)
		if ((rc = db_exec(c, &st_team_ins, NULL, o->council,
				 i, team_names[i])) < 0)
			return rc;
	for (size_t i = 0; i < hol->n; i++) {
		char day[11];
		cal_date_format(hol->v[i].date, day);
		if ((rc = db_exec(c, &st_holiday_ins, NULL, o->council,
				 day, hol->v[i].title)) < 0)
			return rc;
	}
	return 0;
}

static int insert_network(struct gen *g, struct db_conn *c,
			  const struct kid *k, int *member, const char *kind,
			  const char *rel, const char *name, const char *phone,
			  int64_t org, int64_t linked, bool pr, int32_t start)
{
	struct binder b;
	char sd[11];
	if (start != NO_DAY)
		fmt_day(start, sd);
	b_start(&b, c, &st_network_ins);
	b_text(&b, g->o->council);
	b_i64(&b, k->id);
	b_i64(&b, ++*member);
	b_text(&b, kind);
	b_text(&b, rel);
	b_text(&b, name);
	b_text(&b, phone);
	b_id(&b, org);
	b_id(&b, linked);
	b_i64(&b, pr ? 1 : 0);
	b_text(&b, start != NO_DAY ? sd : NULL);
	b_text(&b, NULL);
	return b_exec(&b);
}

static void addr_lines(const struct addr *a, char *l1, size_t c1, char *l2,
		       size_t c2)
{
	if (a->flat) {
		snprintf(l1, c1, "Flat %u, %s", a->number,
			 building_names[a->building]);
		snprintf(l2, c2, "%s %s", street_stems[a->stem],
			 street_kinds[a->kind]);
	} else {
		snprintf(l1, c1, "%u %s %s", a->number, street_stems[a->stem],
			 street_kinds[a->kind]);
		l2[0] = '\0';
	}
}

static int insert_address(struct gen *g, struct db_conn *c,
			  const struct kid *k, int id, const struct addr *a,
			  int32_t start, int32_t end)
{
	char l1[96], l2[96], sd[11], ed[11];
	addr_lines(a, l1, sizeof(l1), l2, sizeof(l2));
	fmt_day(start, sd);
	if (end != NO_DAY)
		fmt_day(end, ed);
	struct binder b;
	b_start(&b, c, &st_address_ins);
	b_text(&b, g->o->council);
	b_i64(&b, k->id);
	b_i64(&b, id);
	b_text(&b, l1);
	b_text(&b, l2[0] ? l2 : NULL);
	b_text(&b, "Northwold");
	b_text(&b, a->postcode);
	b_text(&b, sd);
	b_text(&b, end != NO_DAY ? ed : NULL);
	return b_exec(&b);
}

static int write_child(struct gen *g, struct db_conn *c, struct rng *r,
		       const struct kid *k)
{
	const struct family *f = &g->fam[k->fam];
	const struct contact *first = &g->con[k->first_contact];
	char laref[32], gkey[NAMEMATCH_KEY_MAX], fkey[NAMEMATCH_KEY_MAX];
	char fold[NAMEMATCH_NAME_MAX], day[11], created[21], nhs[24];
	int rc;

	snprintf(laref, sizeof(laref), "%s%07u", g->la_prefix, k->laref);
	size_t fl = namematch_fold(k->given, strlen(k->given), fold, sizeof(fold));
	namematch_key(fold, fl, gkey, sizeof(gkey));
	fl = namematch_fold(f->family_name, strlen(f->family_name), fold,
			    sizeof(fold));
	namematch_key(fold, fl, fkey, sizeof(fkey));
	fmt_day(k->dob, day);
	/* the record was made just before its first contact was saved */
	fmt_machine(first->recv + first->created_delay - 1, first->created_sec,
		    created);
	if (k->nhs != 0)
		snprintf(nhs, sizeof(nhs), "%010llu", (unsigned long long)k->nhs);

	struct binder b;
	b_start(&b, c, &st_child_ins);
	b_text(&b, g->o->council);
	b_i64(&b, k->id);
	b_text(&b, laref);
	b_text(&b, k->given);
	b_text(&b, f->family_name);
	b_text(&b, k->other);
	b_text(&b, gkey);
	b_text(&b, fkey);
	b_text(&b, k->unborn ? NULL : day);
	b_text(&b, k->unborn ? day : NULL);
	b_text(&b, k->gender);
	b_text(&b, g->eth.code[f->eth]);
	b_text(&b, k->nhs != 0 ? nhs : NULL);
	b_text(&b, k->upn[0] ? k->upn : NULL);
	b_text(&b, created);
	b_i64(&b, g->o->front_door_user_id);
	b_text(&b, created);
	if ((rc = b_exec(&b)) < 0)
		return rc;

	/* addresses: a previous one when the family moved after the birth */
	int32_t born = k->unborn ? (int32_t)(first->recv / 1440) : k->dob;
	if (f->moved != NO_DAY && born < f->moved) {
		if ((rc = insert_address(g, c, k, 1, &f->prev, born, f->moved)) < 0 ||
		    (rc = insert_address(g, c, k, 2, &f->cur, f->moved, NO_DAY)) < 0)
			return rc;
	} else {
		int32_t start = f->moved != NO_DAY ? f->moved : f->since;
		if (start < born)
			start = born;
		if ((rc = insert_address(g, c, k, 1, &f->cur, start, NO_DAY)) < 0)
			return rc;
	}

	/* network */
	int m = 0;
	char name[160], phone[16];
	snprintf(name, sizeof(name), "%s %s", f->mum_given, f->mum_family);
	snprintf(phone, sizeof(phone), "07700 900%03u", f->mum_phone);
	if ((rc = insert_network(g, c, k, &m, "parent", "Mother", name, phone,
				 0, 0, true, NO_DAY)) < 0)
		return rc;
	if (f->dad_given != NULL) {
		snprintf(name, sizeof(name), "%s %s", f->dad_given, f->dad_family);
		snprintf(phone, sizeof(phone), "07700 900%03u", f->dad_phone);
		if ((rc = insert_network(g, c, k, &m, "parent", "Father", name,
					 rng_chance(r, 700) ? phone : NULL, 0, 0,
					 f->dad_pr, NO_DAY)) < 0)
			return rc;
	}
	if (f->partner_given != NULL) {
		snprintf(name, sizeof(name), "%s %s", f->partner_given,
			 f->partner_family);
		if ((rc = insert_network(g, c, k, &m, "carer",
					 "Mother's partner", name, NULL, 0, 0,
					 false, NO_DAY)) < 0)
			return rc;
	}
	if (f->gran_given != NULL) {
		snprintf(name, sizeof(name), "%s %s", f->gran_given, f->mum_family);
		if ((rc = insert_network(g, c, k, &m, "significant_adult",
					 "Maternal grandmother", name, NULL, 0,
					 0, false, NO_DAY)) < 0)
			return rc;
	}
	for (int i = f->first_child; i < f->first_child + f->nchildren; i++) {
		const struct kid *s = &g->kid[i];
		if (s == k)
			continue;
		const char *rel = strcmp(s->gender, "1") == 0   ? "Brother"
				  : strcmp(s->gender, "2") == 0 ? "Sister"
								: "Sibling";
		snprintf(name, sizeof(name), "%s %s", s->given, f->family_name);
		if ((rc = insert_network(g, c, k, &m, "sibling", rel, name,
					 NULL, 0, s->id, false,
					 s->unborn ? NO_DAY : s->dob)) < 0)
			return rc;
	}
	if (f->adult_sib_given != NULL) {
		snprintf(name, sizeof(name), "%s %s", f->adult_sib_given,
			 f->mum_family);
		if ((rc = insert_network(g, c, k, &m, "sibling",
					 f->adult_sib_male ? "Half-brother"
							   : "Half-sister",
					 name, NULL, 0, 0, false, NO_DAY)) < 0)
			return rc;
	}
	/* professionals: the org_id rows are what give partners access */
	char pphone[16];
	snprintf(pphone, sizeof(pphone), "01632 960%03u",
		 (unsigned)(f->gp * 37 % 1000));
	staff_name(g, r, f->gp, "Dr", name, sizeof(name));
	if ((rc = insert_network(g, c, k, &m, "professional", "GP", name,
				 pphone, f->gp, 0, false,
				 k->unborn ? NO_DAY : k->dob)) < 0)
		return rc;
	enum demo_org school = school_on(g, k, g->today_day);
	if (school != 0) {
		staff_name(g, r, school, NULL, name, sizeof(name));
		snprintf(pphone, sizeof(pphone), "01632 960%03u",
			 (unsigned)(school * 41 % 1000));
		struct cal_date d = day_date(g->today_day);
		int yg = year_group(k->dob, g->today_day);
		int first_yg = school == f->primary ? 0 : school == f->high ? 7 : 12;
		struct cal_date sd = {(d.m >= 9 ? d.y : d.y - 1) - (yg - first_yg), 9, 1};
		if ((rc = insert_network(g, c, k, &m, "professional",
					 "Designated safeguarding lead", name,
					 pphone, school, 0, false,
					 cal_days(sd))) < 0)
			return rc;
	}
	if (k->unborn) {
		staff_name(g, r, DEMO_ORG_HOSPITAL, NULL, name, sizeof(name));
		if ((rc = insert_network(g, c, k, &m, "professional",
					 "Midwife", name, NULL, DEMO_ORG_HOSPITAL,
					 0, false, NO_DAY)) < 0)
			return rc;
	} else if (age_years(k->dob, g->today_day) < 5) {
		staff_name(g, r, DEMO_ORG_HEALTH_VISITING, NULL, name, sizeof(name));
		if ((rc = insert_network(g, c, k, &m, "professional",
					 "Health visitor", name, NULL,
					 DEMO_ORG_HEALTH_VISITING, 0, false,
					 k->dob)) < 0)
			return rc;
	} else if (age_years(k->dob, g->today_day) >= 11 && rng_chance(r, 80)) {
		staff_name(g, r, DEMO_ORG_CAMHS, NULL, name, sizeof(name));
		if ((rc = insert_network(g, c, k, &m, "professional",
					 "CAMHS practitioner", name, NULL,
					 DEMO_ORG_CAMHS, 0, false, NO_DAY)) < 0)
			return rc;
	}
	bool early_help = false;
	for (int i = 0; i < k->ncontacts; i++)
		if (g->con[k->first_contact + i].decision == DEC_EARLY_HELP)
			early_help = true;
	if (early_help) {
		staff_name(g, r, DEMO_ORG_EARLY_HELP, NULL, name, sizeof(name));
		if ((rc = insert_network(g, c, k, &m, "professional",
					 "Early help key worker", name, NULL,
					 DEMO_ORG_EARLY_HELP, 0, false,
					 NO_DAY)) < 0)
			return rc;
	}

	/* a flag for about 5% of children */
	if (rng_chance(r, 50)) {
		int w[NELEM(flag_templates)];
		for (size_t i = 0; i < NELEM(flag_templates); i++)
			w[i] = flag_templates[i].share;
		const struct flag_template *ft =
			&flag_templates[rng_weighted(r, w, (int)NELEM(flag_templates))];
		int64_t at = office_hours(g, r, first->recv + 60 +
						       rng_below(r, 20 * 1440));
		if (at >= g->now)
			at = first->recv + first->created_delay + 1;
		char fc[21], rd[11], ended[21];
		fmt_machine(at, (int)rng_below(r, 60), fc);
		struct cal_date review =
			cal_add_months(day_date((int32_t)(at / 1440)),
				       rng_chance(r, 500) ? 6 : 12);
		cal_date_format(review, rd);
		bool end = cal_days(review) < g->today_day && rng_chance(r, 300);
		if (end)
			fmt_machine((int64_t)cal_days(review) * 1440 + 600,
				    (int)rng_below(r, 60), ended);
		struct binder b2;
		b_start(&b2, c, &st_flag_ins);
		b_text(&b2, g->o->council);
		b_i64(&b2, k->id);
		b_i64(&b2, 1);
		b_text(&b2, child_flag_kind_id(ft->kind));
		b_text(&b2, ft->text);
		b_text(&b2, rd);
		b_text(&b2, fc);
		b_i64(&b2, g->o->front_door_user_id);
		b_text(&b2, end ? ended : NULL);
		if ((rc = b_exec(&b2)) < 0)
			return rc;
	}
	return 0;
}

/* True when `code` is one of the space-separated words of `list`, or
 * list is "*". */
static bool code_in(const char *list, const char *code)
{
	if (strcmp(list, "*") == 0)
		return true;
	size_t n = strlen(code);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && memcmp(p, code, n) == 0)
			return true;
		p += len;
		while (*p == ' ')
			p++;
	}
	return false;
}

/* A worry sentence that suits the source and the child's age (-1:
 * unborn), falling back to the sentences for any source. */
static void pick_worry(struct rng *r, const char *code, int age, const char *name,
		       char *out, size_t cap)
{
	int fit[NELEM(worries)], n = 0;
	for (int pass = 0; pass < 2 && n == 0; pass++)
		for (size_t i = 0; i < NELEM(worries); i++) {
			const struct worry_template *w = &worries[i];
			bool any = strcmp(w->codes, "*") == 0;
			if ((pass == 0 ? !any && code_in(w->codes, code) : any) &&
			    age >= w->min_age && age <= w->max_age)
				fit[n++] = (int)i;
		}
	if (n == 0) {
		/* cannot happen with the table above: "*" covers -1..17 */
		fill(out, cap, worries[NELEM(worries) - 1].text, name);
		return;
	}
	fill(out, cap, worries[fit[rng_below(r, (uint32_t)n)]].text, name);
}

/* Who made the contact, in words. */
static void referrer(struct gen *g, struct rng *r, const struct contact *ct,
		     const char *code, char *name, size_t ncap, char *org,
		     size_t ocap)
{
	const struct kid *k = &g->kid[ct->kid];
	const struct family *f = &g->fam[k->fam];
	int32_t day = (int32_t)(ct->recv / 1440);
	org[0] = '\0';
	if (strcmp(code, "6") == 0) {
		static const char *const ranks[] = {"PC", "DC", "DS", "PS"};
		snprintf(name, ncap, "%s %s", ranks[rng_below(r, 4)],
			 g->staff[DEMO_ORG_POLICE][rng_below(r, STAFF_PER_ORG)]);
		snprintf(org, ocap, "%s", orgs[DEMO_ORG_POLICE].name);
	} else if (strcmp(code, "2A") == 0) {
		enum demo_org s = school_on(g, k, day);
		if (s == 0)
			s = f->primary;
		staff_name(g, r, s, NULL, name, ncap);
		snprintf(org, ocap, "%s", orgs[s].name);
	} else if (strcmp(code, "2B") == 0) {
		snprintf(name, ncap, "Education welfare officer");
		snprintf(org, ocap, "Northwold Education Welfare Service");
	} else if (strcmp(code, "3A") == 0) {
		staff_name(g, r, f->gp, "Dr", name, ncap);
		snprintf(org, ocap, "%s", orgs[f->gp].name);
	} else if (strcmp(code, "3B") == 0) {
		staff_name(g, r, DEMO_ORG_HEALTH_VISITING, NULL, name, ncap);
		snprintf(org, ocap, "%s", orgs[DEMO_ORG_HEALTH_VISITING].name);
	} else if (strcmp(code, "3C") == 0) {
		snprintf(name, ncap, "School nurse");
		snprintf(org, ocap, "Northwold School Nursing Service");
	} else if (strcmp(code, "3E") == 0) {
		staff_name(g, r, DEMO_ORG_HOSPITAL, "Dr", name, ncap);
		snprintf(org, ocap, "%s Emergency Department",
			 orgs[DEMO_ORG_HOSPITAL].name);
	} else if (code[0] == '3') {
		staff_name(g, r, DEMO_ORG_HOSPITAL, NULL, name, ncap);
		snprintf(org, ocap, "%s", orgs[DEMO_ORG_HOSPITAL].name);
	} else if (strcmp(code, "4") == 0) {
		snprintf(name, ncap, "Housing officer");
		snprintf(org, ocap, "Northwold Housing Services");
	} else if (strcmp(code, "5A") == 0) {
		snprintf(name, ncap, "Adult social care duty worker");
		snprintf(org, ocap, "Northwold Adult Social Care");
	} else if (strcmp(code, "5B") == 0) {
		bool yj = !k->unborn && day >= k->dob && age_years(k->dob, day) >= 10;
		snprintf(name, ncap, yj ? "Youth justice worker" : "Welfare rights adviser");
		snprintf(org, ocap, yj ? "Northwold Youth Justice Service"
				       : "Northwold Welfare Rights Team");
	} else if (strcmp(code, "5C") == 0) {
		snprintf(name, ncap, "Duty social worker");
		snprintf(org, ocap, "Eastmarsh Council (fictional)");
	} else if (strcmp(code, "5D") == 0) {
		staff_name(g, r, DEMO_ORG_EARLY_HELP, NULL, name, ncap);
		snprintf(org, ocap, "%s", orgs[DEMO_ORG_EARLY_HELP].name);
	} else if (strcmp(code, "1A") == 0) {
		if (f->gran_given != NULL)
			snprintf(name, ncap, "%s %s (grandmother)", f->gran_given,
				 f->mum_family);
		else
			snprintf(name, ncap, "%s %s (aunt)",
				 pick_name(r, &given_girls[f->og]), f->mum_family);
	} else if (strcmp(code, "1B") == 0) {
		snprintf(name, ncap, "%s %s (neighbour)",
			 pick_name(r, &given_girls[ORIGIN_BRITISH]),
			 pick_name(r, &family_names[ORIGIN_BRITISH]));
	} else if (strcmp(code, "1C") == 0) {
		snprintf(name, ncap, "%s %s (self)", k->given, f->family_name);
	} else if (strcmp(code, "1D") == 0) {
		snprintf(name, ncap, "Member of the public");
	} else if (strcmp(code, "7") == 0) {
		static const char *const legal[] = {
			"Probation Service", "Cafcass", "Northwold Family Court"};
		snprintf(name, ncap, "Duty officer");
		snprintf(org, ocap, "%s", legal[rng_below(r, 3)]);
	} else if (strcmp(code, "8") == 0) {
		static const char *const other[] = {
			"Northwold Children's Centre",
			"Northwold Family Support Trust (fictional)",
			"Wold Women's Refuge (fictional)"};
		snprintf(name, ncap, "Family support worker");
		snprintf(org, ocap, "%s", other[rng_below(r, 3)]);
	} else if (strcmp(code, "9") == 0) {
		snprintf(name, ncap, "Anonymous");
	} else {
		snprintf(name, ncap, "Not recorded");
	}
}

/* The referrer's details and the two ticks (issue 9), drawn from the
 * contact's own stream, so the rest of the demo is as before. */
struct referrer_extra {
	char phone[16], email[96];
	const char *consent, *reason;
	int64_t ack, shared; /* civil minutes; NO_TIME: not recorded */
};

/* Ofcom's numbers for drama (01632 960xxx, 07700 900xxx): never a
 * real person's. */
static void drama_phone(struct rng *r, bool mobile, char out[16])
{
	snprintf(out, 16, mobile ? "07700 900 %03u" : "01632 960 %03u",
		 rng_below(r, 1000));
}

/* "PC Smith" -> "pc.smith@example.org" (example.org: never delivered). */
static void example_email(const char *name, char *out, size_t n)
{
	size_t k = 0;
	for (const char *p = name; *p && k + 13 < n; p++) {
		char ch = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			out[k++] = ch;
		else if (k && out[k - 1] != '.')
			out[k++] = '.';
	}
	while (k && out[k - 1] == '.')
		k--;
	snprintf(out + k, n - k, "%s@example.org", k ? "" : "referrals");
}

static const int consent_weights[4] = {55, 10, 20, 15};
static const char *const consent_ids[4] = {"agreed", "not_agreed",
					   "not_aware", "not_known"};
static const char *const not_agreed_reasons[] = {
	"Synthetic: the parents refused, but the worry for the child's "
	"safety could not wait.",
	"Synthetic: the family did not agree; the referrer judged the child "
	"at risk of significant harm.",
};
static const char *const not_aware_reasons[] = {
	"Synthetic: telling the family could put the child at greater risk "
	"of harm.",
	"Synthetic: the referrer could not reach the family before making "
	"the contact.",
	"Synthetic: the police asked that the family are not told while "
	"they make enquiries.",
};

/* A tick between from and to (civil minutes), moved into office hours
 * (perhaps the next working morning), after from and before the demo's
 * now; NO_TIME when there is no room. */
static int64_t tick_between(struct gen *g, struct rng *r, int64_t from,
			    int64_t to)
{
	if (to > g->now - 1)
		to = g->now - 1;
	if (to <= from)
		return NO_TIME;
	int64_t t = office_hours(g, r, from + 1 +
				 (int64_t)rng_below(r, (uint32_t)(to - from)));
	return t > from && t < g->now ? t : NO_TIME;
}

static void referrer_extra(struct gen *g, const struct contact *ct,
			   const char *code, const char *name,
			   struct referrer_extra *x)
{
	struct rng r;
	rng_init(&r, g->o->seed ^ ((uint64_t)ct->id << 20), 10);
	bool pro = contact_source_professional(code);
	bool known = strcmp(code, "9") != 0 && strcmp(code, "10") != 0;
	x->phone[0] = x->email[0] = '\0';
	if (known && rng_chance(&r, pro ? 900 : 800))
		drama_phone(&r, !pro || rng_chance(&r, 300), x->phone);
	if (pro && rng_chance(&r, 850))
		example_email(name, x->email, sizeof(x->email));
	int cs = rng_weighted(&r, consent_weights, 4);
	if (!known && rng_chance(&r, 700))
		cs = 3; /* an anonymous referrer seldom says */
	x->consent = consent_ids[cs];
	x->reason = cs == 1 ? not_agreed_reasons[rng_below(&r, 2)]
		  : cs == 2 ? not_aware_reasons[rng_below(&r, 3)] : NULL;
	/* the acknowledgement: on most decided contacts (a few after the
	 * decision's due time: late, as R01 counts it), on half of those
	 * still waiting */
	x->ack = x->shared = NO_TIME;
	bool decided = ct->decision >= 0;
	if (rng_chance(&r, decided ? 920 : 500))
		x->ack = rng_chance(&r, 950)
				 ? tick_between(g, &r, ct->recv, ct->due)
				 : tick_between(g, &r, ct->due, ct->due + 2 * 1440);
	/* the outcome, shared with most professional referrers once
	 * decided */
	if (decided && pro && rng_chance(&r, 800))
		x->shared = tick_between(g, &r, ct->decided,
					 ct->decided + 3 * 1440);
}

static int write_contact(struct gen *g, struct db_conn *c, struct rng *r,
			 const struct contact *ct)
{
	const struct kid *k = &g->kid[ct->kid];
	const char *code = g->src.code[ct->src];
	char worry[512], reason[512], rname[160], rorg[128];
	char recv[17], due[17], decided[17], created[21];
	int32_t day = (int32_t)(ct->recv / 1440);
	bool born = !k->unborn && day >= k->dob;
	pick_worry(r, code, born ? age_years(k->dob, day) : -1,
		   born ? k->given : "the baby", worry, sizeof(worry));
	referrer(g, r, ct, code, rname, sizeof(rname), rorg, sizeof(rorg));
	struct referrer_extra x;
	char ack[17], shared[17];
	referrer_extra(g, ct, code, rname, &x);
	if (x.ack != NO_TIME)
		fmt_civil(x.ack, ack);
	if (x.shared != NO_TIME)
		fmt_civil(x.shared, shared);
	fmt_civil(ct->recv, recv);
	fmt_civil(ct->due, due);
	fmt_machine(ct->recv + ct->created_delay, ct->created_sec, created);
	bool done = ct->decision >= 0;
	if (done) {
		const struct name_list *rl = &decision_reasons[ct->decision];
		snprintf(reason, sizeof(reason), "%s", rl->v[rng_below(r, rl->n)]);
		fmt_civil(ct->decided, decided);
	}
	struct binder b;
	b_start(&b, c, &st_contact_ins);
	b_text(&b, g->o->council);
	b_i64(&b, ct->id);
	b_i64(&b, k->id);
	b_text(&b, recv);
	b_text(&b, code);
	b_text(&b, rname);
	b_text(&b, rorg[0] ? rorg : NULL);
	b_text(&b, worry);
	b_text(&b, due);
	b_text(&b, created);
	b_i64(&b, g->o->front_door_user_id);
	b_text(&b, done ? decision_names[ct->decision] : NULL);
	b_text(&b, done ? reason : NULL);
	b_text(&b, done ? decided : NULL);
	b_id(&b, done ? g->o->front_door_user_id : 0);
	b_id(&b, ct->ref >= 0 ? g->ref[ct->ref].id : 0);
	b_text(&b, x.phone[0] ? x.phone : NULL);
	b_text(&b, x.email[0] ? x.email : NULL);
	b_text(&b, x.consent);
	b_text(&b, x.reason);
	b_text(&b, x.ack != NO_TIME ? ack : NULL);
	b_id(&b, x.ack != NO_TIME ? g->o->front_door_user_id : 0);
	b_text(&b, x.shared != NO_TIME ? shared : NULL);
	b_id(&b, x.shared != NO_TIME ? g->o->front_door_user_id : 0);
	/* who handles it (issue 9): the front door took on every other
	 * contact as it came in; the rest wait for someone (by the id, so
	 * the random streams are as before) */
	bool handled = ct->id % 2 == 1;
	b_id(&b, handled ? g->o->front_door_user_id : 0);
	b_text(&b, handled ? recv : NULL);
	return b_exec(&b);
}

static int write_assessment(struct gen *g, struct db_conn *c,
			    const struct referral *rf, int64_t child_id);

static int write_referral(struct gen *g, struct db_conn *c,
			  const struct referral *rf)
{
	const struct contact *ct = &g->con[rf->contact];
	char date[11], alloc[17], created[21];
	fmt_day(rf->date, date);
	if (rf->allocated != NO_TIME)
		fmt_civil(rf->allocated, alloc);
	fmt_machine(ct->decided + 1, rf->created_sec, created);
	struct binder b;
	b_start(&b, c, &st_referral_ins);
	b_text(&b, g->o->council);
	b_i64(&b, rf->id);
	b_i64(&b, g->kid[ct->kid].id);
	b_i64(&b, ct->id);
	b_text(&b, date);
	b_text(&b, g->src.code[ct->src]);
	b_i64(&b, rf->rereferral ? 1 : 0);
	b_id(&b, rf->prev_id);
	b_id(&b, rf->team);
	b_id(&b, rf->worker);
	b_text(&b, rf->allocated != NO_TIME ? alloc : NULL);
	b_id(&b, rf->allocated != NO_TIME ? g->manager : 0);
	b_text(&b, created);
	b_i64(&b, g->o->front_door_user_id);
	int rc = b_exec(&b);
	if (rc < 0 || rf->worker == 0)
		return rc;
	return write_assessment(g, c, rf, g->kid[ct->kid].id);
}

/* The assessment's synthetic words: generic, naming no one. */
static const char *const demo_development[] = {
	"Synthetic: meeting most milestones; attendance at school has fallen "
	"this term and the child is often tired.",
	"Synthetic: healthy and growing well; speech is a little behind and a "
	"referral to speech and language therapy is waiting.",
	"Synthetic: doing well at school; anxious at night and not sleeping.",
};
static const char *const demo_parenting[] = {
	"Synthetic: warm and caring; routines break down when the parent is "
	"unwell, and health appointments have been missed.",
	"Synthetic: basic care is good; boundaries are inconsistent and the "
	"parent asks for help with behaviour.",
	"Synthetic: the parent recognises the concerns and has engaged with "
	"every visit.",
};
static const char *const demo_family[] = {
	"Synthetic: the family lives in an overcrowded flat; a grandparent "
	"helps with school runs.",
	"Synthetic: rent arrears and the threat of eviction; few friends or "
	"family nearby.",
	"Synthetic: a supportive extended family; the household has moved "
	"twice this year.",
};
static const char *const demo_wishes[] = {
	"Synthetic: said they want things at home to be calmer and to keep "
	"seeing their friends.",
	"Synthetic: drew their family with everyone smiling except one adult; "
	"said they feel safe at school.",
	"Synthetic: through their advocate, asked to stay at the same school "
	"whatever happens.",
};
static const char *const demo_analysis[] = {
	"Synthetic: the child's needs are met with support; the risks are low "
	"and the family is willing to work with services.",
	"Synthetic: cumulative neglect is affecting the child's health and "
	"learning; a plan is needed to make change last.",
	"Synthetic: no evidence of harm was found; universal services can meet "
	"the child's needs.",
};
static const char *const demo_late[] = {
	("Synthetic: the child was in hospital for two weeks and could not "
	 "be seen."),
	"Synthetic: the family moved out of the area during the assessment.",
	"Synthetic: waiting for information from health services.",
};
static const char *const demo_how[] = {"words", "drawing", "advocate", "app",
				       "words"};
/* outcomes with the factors that go with them */
static const struct {
	const char *outcome;
	const char *factors[3];
} demo_outcomes[] = {
	{"cin_plan", {"16A", "4B", NULL}},
	{"family_help", {"3B", "2B", NULL}},
	{"nfa", {"21", NULL, NULL}},
	{"strategy", {"18C", "3A", NULL}},
	{"step_down", {"6B", NULL, NULL}},
	{"cin_plan", {"17A", "1B", "3A"}},
};

/* The single assessment of an allocated referral (R02: 45 working days
 * from the referral): started within a few days of allocation, and
 * authorised by a manager mostly in time (about 3 in 4; late ones with
 * a reason), sometimes late, or not yet.  Written, with the child seen
 * (R05: mostly within 5 working days, some later, some open ones not
 * yet), its factors and outcome.  Its own random stream (by the
 * referral's id), so the rest of the council is the same as before
 * assessments were written. */
static int write_assessment(struct gen *g, struct db_conn *c,
			    const struct referral *rf, int64_t child_id)
{
	struct rng r;
	rng_init(&r, g->o->seed ^ ((uint64_t)rf->id << 20), 9);
	int32_t start = (int32_t)(rf->allocated / 1440) +
			(int32_t)rng_below(&r, 3);
	uint32_t pick = rng_below(&r, 100);
	int wd = pick < 75 ? 10 + (int)rng_below(&r, 35)   /* in time */
	       : pick < 92 ? 46 + (int)rng_below(&r, 30)   /* late */
			   : -1;                            /* still open */
	/* an assessment left open is a recent one: older ones were
	 * authorised, if late */
	if (wd < 0 && rf->date < g->today_day - 120)
		wd = 46 + (int)rng_below(&r, 40);
	struct cal_date auth = {0, 0, 0};
	if (wd > 0)
		auth = cal_add_working_days(g->cal, day_date(rf->date), wd);
	bool done = wd > 0 && cal_days(auth) <= g->today_day &&
		    cal_days(auth) >= start;
	if (start > g->today_day)
		return 0; /* allocated today: not started */
	/* the child seen: within R05's 5 working days mostly, 2 in 10
	 * later; an open assessment 1 in 3 times not yet */
	uint32_t s = rng_below(&r, 100);
	int seen_wd = s < 80 ? 1 + (int)rng_below(&r, 5)
				 : 6 + (int)rng_below(&r, 10);
	int32_t seen = cal_days(cal_add_working_days(g->cal, day_date(rf->date),
						     seen_wd));
	if (seen > g->today_day || (!done && rng_below(&r, 3) == 0))
		seen = -1;
	if (done && (seen < 0 || seen > cal_days(auth)))
		seen = start; /* seen at the start, as a worker would */
	/* written: all of it when authorised; an open one part way */
	uint32_t k = rng_below(&r, 3), o = rng_below(&r, 6);
	int part = done ? 6 : (int)rng_below(&r, 7); /* sections written */
	bool late = done && wd > 45;
	bool submitted = done || (part == 6 && rng_below(&r, 2) == 0);
	char started[11], authorised[11], created[21], sub[17];
	fmt_day(start, started);
	if (done)
		cal_date_format(auth, authorised);
	fmt_machine((int64_t)start * 1440 + 600, (int)rng_below(&r, 60),
		    created);
	int32_t sub_day = done ? cal_days(auth) : g->today_day;
	fmt_civil((int64_t)sub_day * 1440 + 540, sub);
	struct binder b;
	b_start(&b, c, &st_assessment_ins);
	b_text(&b, g->o->council);
	b_i64(&b, rf->id);
	b_i64(&b, child_id);
	b_i64(&b, rf->id);
	b_text(&b, started);
	b_text(&b, done ? authorised : NULL);
	b_text(&b, created);
	b_i64(&b, rf->worker);
	b_text(&b, part > 0 ? demo_development[k] : NULL);
	b_text(&b, part > 1 ? demo_parenting[k] : NULL);
	b_text(&b, part > 2 ? demo_family[k] : NULL);
	b_text(&b, part > 3 && seen >= 0 ? demo_wishes[k] : NULL);
	b_text(&b, part > 3 && seen >= 0 ? demo_how[rng_below(&r, 5)] : NULL);
	b_text(&b, part > 4 ? demo_analysis[k] : NULL);
	b_text(&b, part > 5 ? demo_outcomes[o].outcome : NULL);
	b_text(&b, submitted ? sub : NULL);
	b_id(&b, submitted ? rf->worker : 0);
	b_id(&b, done ? g->manager : 0);
	b_text(&b, late ? demo_late[rng_below(&r, 3)] : NULL);
	b_i64(&b, 1 + part);
	int rc = b_exec(&b);
	if (rc < 0)
		return rc;
	if (seen >= 0) {
		char on[11];
		fmt_day(seen, on);
		b_start(&b, c, &st_assessment_seen_ins);
		b_text(&b, g->o->council);
		b_i64(&b, rf->id);
		b_i64(&b, rf->id);
		b_i64(&b, child_id);
		b_text(&b, on);
		b_i64(&b, rng_below(&r, 4) != 0 ? 1 : 0);
		b_i64(&b, rf->worker);
		b_text(&b, created);
		b_i64(&b, rf->worker);
		if ((rc = b_exec(&b)) < 0)
			return rc;
	}
	for (int i = 0; part > 5 && i < 3 && demo_outcomes[o].factors[i]; i++) {
		b_start(&b, c, &st_assessment_factor_ins);
		b_text(&b, g->o->council);
		b_i64(&b, rf->id);
		b_text(&b, demo_outcomes[o].factors[i]);
		if ((rc = b_exec(&b)) < 0)
			return rc;
	}
	return 0;
}

/* ---- cases (episodes of need) ------------------------------------------
 * About half the children whose single assessment was authorised have a
 * case opened on the day it was (their latest assessment's): most Family
 * Help (most of those a section 17 plan), some child protection.  About
 * one in seven is left unallocated; most older ones are closed.  A
 * Family Help plan has two or three outcomes, an action each, and
 * reviews every three months (L01's default), a few days either side of
 * the due date, the latest one sometimes missed (overdue).  Each case its
 * own random stream (by the assessment's id), so the rest of the
 * council is as before cases were written. */

DB_STMT(st_demo_assessed) = {
	"demo_assessed",
	"SELECT a.assessment_id, a.child_id, a.referral_id, a.authorised_on,"
	" r.worker_id, r.team_id FROM assessment a JOIN referral r"
	"  ON r.council = a.council AND r.referral_id = a.referral_id"
	" WHERE a.council = ?1 AND a.authorised_on IS NOT NULL"
	" ORDER BY a.child_id, a.assessment_id",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_demo_episode) = {
	"demo_episode_ins",
	"INSERT INTO episode (council, episode_id, child_id, case_type,"
	" section17, plan_start, plan_end, primary_need, referral_id,"
	" assessment_id, opened_on, closed_on, closure_reason, team_id,"
	" worker_id, manager_id, allocated_at, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15, ?16, ?17, ?18, ?19)",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_demo_ep_alloc) = {
	"demo_episode_allocation_ins",
	"INSERT INTO episode_allocation (council, allocation_id, episode_id,"
	" child_id, team_id, worker_id, manager_id, allocated_at, allocated_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_demo_outcome) = {
	"demo_episode_outcome_ins",
	"INSERT INTO episode_plan_outcome (council, outcome_id, episode_id,"
	" child_id, outcome, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_demo_action) = {
	"demo_episode_action_ins",
	"INSERT INTO episode_plan_action (council, action_id, episode_id,"
	" child_id, outcome_id, action, owner, due_on, created_at, created_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_demo_review) = {
	"demo_episode_review_ins",
	"INSERT INTO episode_review (council, review_id, episode_id, child_id,"
	" review_date, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_demo_progress) = {
	"demo_episode_progress_ins",
	"INSERT INTO episode_progress (council, review_id, outcome_id, child_id,"
	" progress) VALUES (?1, ?2, ?3, ?4, ?5)",
	DB_ROLE_SYSTEM,
};

struct assessed {
	int64_t id, child, referral, worker, team;
	int32_t day; /* authorised */
};

/* Synthetic words of a plan: no real family's. */
static const char *const demo_plan_outcomes[] = {
	"The children go to school every day and on time.",
	"The home is safe and warm, with food in the cupboards.",
	"The parents work together on a routine for bedtime.",
	"The young person knows who to talk to when worried.",
	"The family are linked to their local family hub.",
	"The parents get support with their own health.",
};
static const char *const demo_actions[][2] = {
	{"Make a morning routine chart with the family.", "School"},
	{"Visit at home each fortnight.", "Lead practitioner"},
	{"Offer a parenting course place.", "Family hub"},
	{"Refer to the young people's wellbeing service.", "Health"},
	{"Help apply for the household support fund.", "Housing"},
	{"Book a GP appointment and go with the parent.", "Family support worker"},
};
/* Primary need weights, by code (the rest 1). */
static const struct {
	const char *code;
	int w;
} need_w[] = {{"N1", 50}, {"N2", 8}, {"N3", 8}, {"N4", 10}, {"N5", 12},
	      {"N6", 4}, {"N7", 2}, {"N8", 3}, {"N0", 3}};

static const char *pick_need(struct gen *g, struct rng *r)
{
	int w[CODES_MAX];
	for (int i = 0; i < g->need.n; i++) {
		w[i] = 1;
		for (size_t j = 0; j < NELEM(need_w); j++)
			if (strcmp(need_w[j].code, g->need.code[i]) == 0)
				w[i] = need_w[j].w;
	}
	return g->need.n ? g->need.code[rng_weighted(r, w, g->need.n)] : "N0";
}

struct ep_ids {
	int64_t episode, alloc, outcome, action, review;
};

static int write_episode(struct gen *g, struct db_conn *c,
			 const struct assessed *as, struct ep_ids *ids)
{
	const char *council = g->o->council;
	struct rng r;
	rng_init(&r, g->o->seed ^ ((uint64_t)as->id << 24), 11);
	if (rng_below(&r, 100) >= 50)
		return 0; /* no case: advice, early help elsewhere, nothing */
	bool fh = rng_below(&r, 100) < 80;
	int32_t open = as->day, today = g->today_day;
	bool s17 = fh && rng_below(&r, 100) < 70;
	int32_t plan = fh ? open + (int32_t)rng_below(&r, 8) : 0;
	if (plan > today)
		plan = today;
	/* closed: most of those open for more than nine months */
	int32_t closed = 0;
	if (open < today - 270 && rng_below(&r, 100) < 70) {
		closed = open + 90 + (int32_t)rng_below(&r, 270);
		if (closed > today)
			closed = 0;
	}
	bool allocated = as->worker > 0 && rng_below(&r, 100) >= 15;
	char od[11], pd[11], cd[11], at[17], created[21];
	fmt_day(open, od);
	if (fh)
		fmt_day(plan, pd);
	if (closed)
		fmt_day(closed, cd);
	fmt_civil((int64_t)open * 1440 + 600, at);
	fmt_machine((int64_t)open * 1440 + 540, (int)rng_below(&r, 60),
		    created);
	int64_t id = ++ids->episode;
	struct binder b;
	b_start(&b, c, &st_demo_episode);
	b_text(&b, council);
	b_i64(&b, id);
	b_i64(&b, as->child);
	b_text(&b, fh ? "family_help" : "child_protection");
	b_i64(&b, s17 ? 1 : 0);
	b_text(&b, fh ? pd : NULL);
	b_text(&b, closed && fh ? cd : NULL);
	b_text(&b, pick_need(g, &r));
	b_id(&b, as->referral);
	b_id(&b, as->id);
	b_text(&b, od);
	b_text(&b, closed ? cd : NULL);
	b_text(&b, closed ? (rng_below(&r, 10) ? "RC7" : "RC4") : NULL);
	b_id(&b, allocated ? as->team : 0);
	b_id(&b, allocated ? as->worker : 0);
	b_id(&b, allocated ? g->manager : 0);
	b_text(&b, allocated ? at : NULL);
	b_text(&b, created);
	b_i64(&b, as->worker > 0 ? as->worker : g->manager);
	int rc = b_exec(&b);
	if (rc == 0 && allocated) {
		b_start(&b, c, &st_demo_ep_alloc);
		b_text(&b, council);
		b_i64(&b, ++ids->alloc);
		b_i64(&b, id);
		b_i64(&b, as->child);
		b_i64(&b, as->team);
		b_i64(&b, as->worker);
		b_i64(&b, g->manager);
		b_text(&b, at);
		b_i64(&b, g->manager);
		rc = b_exec(&b);
	}
	if (rc != 0 || !fh)
		return rc;
	/* the plan: two or three outcomes, an action each */
	int no = 2 + (int)rng_below(&r, 2);
	int64_t outs[3];
	unsigned first = rng_below(&r, (uint32_t)NELEM(demo_plan_outcomes));
	for (int i = 0; rc == 0 && i < no; i++) {
		unsigned k = (first + (unsigned)i) % NELEM(demo_plan_outcomes);
		outs[i] = ++ids->outcome;
		b_start(&b, c, &st_demo_outcome);
		b_text(&b, council);
		b_i64(&b, outs[i]);
		b_i64(&b, id);
		b_i64(&b, as->child);
		b_text(&b, demo_plan_outcomes[k]);
		b_text(&b, created);
		b_i64(&b, as->worker > 0 ? as->worker : g->manager);
		rc = b_exec(&b);
		if (rc != 0)
			break;
		char due[11];
		fmt_day(plan + 28 + (int32_t)rng_below(&r, 28), due);
		b_start(&b, c, &st_demo_action);
		b_text(&b, council);
		b_i64(&b, ++ids->action);
		b_i64(&b, id);
		b_i64(&b, as->child);
		b_i64(&b, outs[i]);
		b_text(&b, demo_actions[k][0]);
		b_text(&b, demo_actions[k][1]);
		b_text(&b, due);
		b_text(&b, created);
		b_i64(&b, as->worker > 0 ? as->worker : g->manager);
		rc = b_exec(&b);
	}
	/* reviews every three months from the plan's start, a few days
	 * early or late; the latest due sometimes missed */
	int32_t end = closed ? closed : today, prev = plan;
	bool miss = !closed && rng_below(&r, 100) < 20;
	static const char *const prog[] = {"achieved", "progressing",
					   "no_change", "worse"};
	static const int prog_w[] = {20, 50, 20, 10};
	for (int n = 0; rc == 0 && n < 40; n++) {
		int32_t due = cal_days(cal_add_months(day_date(prev), 3));
		int32_t day = due - 7 + (int32_t)rng_below(&r, 21);
		if (day < prev)
			day = prev;
		if (day > end)
			break;
		if (miss && cal_days(cal_add_months(day_date(day), 3)) > end)
			break; /* the next would be due after today: skip it */
		char rd[11];
		fmt_day(day, rd);
		int64_t rid = ++ids->review;
		b_start(&b, c, &st_demo_review);
		b_text(&b, council);
		b_i64(&b, rid);
		b_i64(&b, id);
		b_i64(&b, as->child);
		b_text(&b, rd);
		b_text(&b, created);
		b_i64(&b, as->worker > 0 ? as->worker : g->manager);
		rc = b_exec(&b);
		for (int i = 0; rc == 0 && i < no; i++) {
			b_start(&b, c, &st_demo_progress);
			b_text(&b, council);
			b_i64(&b, rid);
			b_i64(&b, outs[i]);
			b_i64(&b, as->child);
			b_text(&b, prog[rng_weighted(&r, prog_w, 4)]);
			rc = b_exec(&b);
		}
		prev = day;
	}
	return rc;
}

/* After the first STATS_AT rows of a kind, the store's statistics are
 * refreshed (db_analyze), so that the checks of the foreign keys to
 * those rows are planned on the index, not on a table thought empty. */
#define STATS_AT 1000

static int write_episodes(struct gen *g, struct db_conn *c)
{
	struct db_q *q;
	size_t n = 0, cap = 0;
	struct assessed *v = NULL;
	int rc = db_exec(c, &st_demo_assessed, &q, g->o->council);
	for (; rc == DB_ROW; rc = db_step(q)) {
		struct cal_date d;
		const char *s = db_col_text(q, 3);
		int64_t child = db_col_i64(q, 1);
		if (s == NULL || !cal_date_parse(s, strlen(s), &d))
			continue;
		/* the child's latest assessment (rows by child, then id) */
		if (n > 0 && v[n - 1].child == child)
			n--;
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = (struct assessed){
			db_col_i64(q, 0), child, db_col_i64(q, 2),
			db_col_null(q, 4) ? 0 : db_col_i64(q, 4),
			db_col_null(q, 5) ? 0 : db_col_i64(q, 5), cal_days(d)};
	}
	struct ep_ids ids = {0, 0, 0, 0, 0};
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		rc = write_episode(g, c, &v[i], &ids);
		/* the cases' plans, outcomes and reviews (see STATS_AT: the
		 * 50,000-child demo on PostgreSQL checked each progress row's
		 * outcome by reading them all) */
		if (rc >= 0 && i + 1 == STATS_AT)
			rc = db_analyze(c);
	}
	free(v);
	return rc < 0 ? rc : 0;
}

/* Notifications for the demo's workers, so that their list is not
 * empty: each one's five newest allocations, as referral_allocate would
 * have made them (the older three read).  The front door's list needs
 * none: its overdue contacts are worked out when read, and its officer
 * decided every contact it recorded (no one is told of their own
 * decision). */
static int write_notifications(struct db_conn *c, const char *council)
{
	struct {
		int64_t referral, child, worker, n;
		char at[17];
	} v[64];
	int k = 0;
	struct db_q *q;
	int rc = db_exec(c, &st_recent_allocations, &q, council);
	for (; rc == DB_ROW && k < 64; rc = db_step(q), k++) {
		v[k].referral = db_col_i64(q, 0);
		v[k].child = db_col_i64(q, 1);
		v[k].worker = db_col_i64(q, 2);
		snprintf(v[k].at, sizeof(v[k].at), "%s",
			 db_col_text(q, 3) ? db_col_text(q, 3) : "");
		v[k].n = db_col_i64(q, 4);
	}
	if (rc < 0)
		return rc;
	for (int i = 0; i < k; i++) {
		struct cal_time t;
		if (!cal_time_parse(v[i].at, strlen(v[i].at), &t))
			continue;
		struct actor act = actor_system(council, uk_to_instant(t));
		act.request_id = "demo";
		if (notify_allocated(c, &act, v[i].worker, v[i].referral,
				     v[i].child) != ERR_OK)
			return DB_EIO;
		if (v[i].n <= 2)
			continue;
		char read[UK_STAMP_LEN];
		uk_stamp(act.now + 3600, read);
		if ((rc = db_exec(c, &st_demo_read, NULL, council, v[i].worker,
				  v[i].referral, read)) < 0)
			return rc;
	}
	return 0;
}

/* ---- options, setup ---------------------------------------------------- */

static bool council_ok(const char *s)
{
	if (s == NULL)
		return false;
	size_t n = strlen(s);
	if (n == 0 || n > 15)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

static int check_setup_options(const struct demo_options *o, char *err,
			       size_t errlen)
{
	if (o == NULL || !council_ok(o->council))
		return fail(err, errlen, DEMO_EINVAL,
			    "demo: the council code must be 1 to 15 lower-case letters or digits");
	if (o->council_name == NULL || o->council_name[0] == '\0')
		return fail(err, errlen, DEMO_EINVAL, "demo: the council name is missing");
	if (o->codes_dir == NULL || o->codes_dir[0] == '\0')
		return fail(err, errlen, DEMO_EINVAL, "demo: the codes directory is missing");
	return 0;
}

static int load_holidays(const char *dir, struct holidays_list *out, char *err,
			 size_t errlen)
{
	static const char file[] = "bank_holidays_england_wales_2018_2027.csv";
	size_t n = 0;
	char *buf = read_file(dir, file, &n);
	if (buf == NULL)
		return fail(err, errlen, DEMO_EIO, "demo: cannot read %s/%s", dir,
			    file);
	char msg[160];
	int rc = holidays_parse_csv(buf, n, out, msg, sizeof(msg));
	free(buf);
	if (rc != 0)
		return fail(err, errlen, DEMO_EIO, "demo: %s: %s", file, msg);
	return 0;
}

static int db_fail(char *err, size_t errlen, int rc, const char *what)
{
	return fail(err, errlen, DEMO_EDB, "demo: %s: %s", what,
		    db_strerror(rc));
}

int demo_setup(struct db *db, const struct demo_options *o, char *err,
	       size_t errlen)
{
	int rc = check_setup_options(o, err, errlen);
	if (rc != 0)
		return rc;
	struct holidays_list hol = {0, NULL};
	if ((rc = load_holidays(o->codes_dir, &hol, err, errlen)) != 0)
		return rc;
	struct db_conn *c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	if ((rc = db_begin(c, DB_TX_WRITE)) < 0) {
		rc = db_fail(err, errlen, rc, "cannot begin");
		goto out_release;
	}
	if ((rc = write_setup(c, o, &hol)) < 0) {
		db_rollback(c);
		rc = db_fail(err, errlen, rc, "cannot write the council");
		goto out_release;
	}
	if ((rc = db_commit(c)) < 0)
		rc = db_fail(err, errlen, rc, "cannot commit");
out_release:
	db_release(db, c);
	holidays_list_free(&hol);
	return rc;
}

/* Loads the code lists and builds the weight tables. */
static int load_codes(struct gen *g, char *err, size_t errlen)
{
	const char *dir = g->o->codes_dir;
	int rc;
	if ((rc = codes_load(dir, "ethnicity_cin_903.csv", &g->eth, err,
			     errlen)) != 0 ||
	    (rc = codes_load(dir, "cin_gender_pre2025.csv", &g->gender, err,
			     errlen)) != 0 ||
	    (rc = codes_load(dir, "cin_referral_source.csv", &g->src, err,
			     errlen)) != 0 ||
	    (rc = codes_load(dir, "cin_primary_need.csv", &g->need, err,
			     errlen)) != 0)
		return rc;
	for (int i = 0; i < g->eth.n; i++) {
		g->eth_map[i] = -1;
		g->eth_w[i] = ETH_OTHER_WEIGHT;
		for (size_t j = 0; j < NELEM(eth_defs); j++)
			if (strcmp(eth_defs[j].code, g->eth.code[i]) == 0) {
				g->eth_map[i] = (int)j;
				g->eth_w[i] = eth_defs[j].weight;
			}
	}
	bool any = false;
	for (int i = 0; i < g->gender.n; i++) {
		g->gender_w[i] = 0;
		for (size_t j = 0; j < NELEM(gender_defs); j++)
			if (strcmp(gender_defs[j].code, g->gender.code[i]) == 0)
				g->gender_w[i] = gender_defs[j].weight;
		any |= g->gender_w[i] > 0;
	}
	if (!any)
		return fail(err, errlen, DEMO_EIO,
			    "demo: cin_gender_pre2025.csv has none of the codes 0, 1, 2, 9");
	for (int i = 0; i < g->src.n; i++) {
		g->src_map[i] = -1;
		g->src_w[i] = SRC_OTHER_WEIGHT;
		for (size_t j = 0; j < NELEM(src_defs); j++)
			if (strcmp(src_defs[j].code, g->src.code[i]) == 0) {
				g->src_map[i] = (int)j;
				g->src_w[i] = src_defs[j].weight;
			}
	}
	return 0;
}

static void gen_free(struct gen *g)
{
	cal_free(g->cal);
	holidays_list_free(&g->hol);
	free(g->worker_team);
	free(g->fam);
	free(g->kid);
	free(g->con);
	free(g->ref);
	free(g->kid_by_id);
	free(g->con_by_id);
	free(g->ref_by_id);
}

/* Reads each worker's team; fails when a user id is unknown. */
static int load_users(struct gen *g, struct db_conn *c, char *err,
		      size_t errlen)
{
	const struct demo_options *o = g->o;
	int64_t ids[2] = {o->front_door_user_id, g->manager};
	struct db_q *q;
	for (int i = 0; i < 2 + o->n_workers; i++) {
		int64_t id = i < 2 ? ids[i] : o->worker_ids[i - 2];
		int rc = db_exec(c, &st_user_team, &q, o->council, id);
		if (rc < 0)
			return db_fail(err, errlen, rc, "cannot read users");
		if (rc != DB_ROW)
			return fail(err, errlen, DEMO_EINVAL,
				    "demo: user %lld does not exist in council %s",
				    (long long)id, o->council);
		if (i >= 2) {
			int64_t team = db_col_null(q, 0) ? 0 : db_col_i64(q, 0);
			if (team <= 0)
				team = (i - 2) % 2 == 0 ? DEMO_TEAM_ASSESS_1
							: DEMO_TEAM_ASSESS_2;
			g->worker_team[i - 2] = team;
		}
	}
	return 0;
}

static int write_all(struct gen *g, struct db_conn *c, char *err,
		     size_t errlen)
{
	const struct demo_options *o = g->o;
	struct rng r;
	rng_init(&r, o->seed, 4);
	int rc;
	if ((rc = write_setup(c, o, &g->hol)) < 0)
		return db_fail(err, errlen, rc, "cannot write the council");
	int step = g->nkid / 100 > 0 ? g->nkid / 100 : 1;
	for (int i = 0; i < g->nkid; i++) {
		if ((rc = write_child(g, c, &r, &g->kid[g->kid_by_id[i]])) < 0)
			return db_fail(err, errlen, rc, "cannot write a child");
		if (i + 1 == STATS_AT && (rc = db_analyze(c)) < 0)
			return db_fail(err, errlen, rc, "cannot refresh statistics");
		if (o->progress != NULL && (i + 1) % step == 0 && i + 1 < g->nkid)
			o->progress(i + 1, g->nkid, o->progress_arg);
	}
	for (int i = 0; i < g->ncon; i++) {
		if ((rc = write_contact(g, c, &r, &g->con[g->con_by_id[i]])) < 0)
			return db_fail(err, errlen, rc, "cannot write a contact");
		if (i + 1 == STATS_AT && (rc = db_analyze(c)) < 0)
			return db_fail(err, errlen, rc, "cannot refresh statistics");
	}
	for (int i = 0; i < g->nref; i++) {
		if ((rc = write_referral(g, c, &g->ref[g->ref_by_id[i]])) < 0)
			return db_fail(err, errlen, rc, "cannot write a referral");
		/* the referrals' assessments: their factors and the days the
		 * child was seen check the assessment by its key */
		if (i + 1 == STATS_AT && (rc = db_analyze(c)) < 0)
			return db_fail(err, errlen, rc, "cannot refresh statistics");
	}
	if ((rc = write_episodes(g, c)) < 0)
		return db_fail(err, errlen, rc, "cannot write the cases");
	return 0;
}

int demo_batch(struct db_conn *c, int done)
{
	if (done <= 0 || done % DEMO_BATCH != 0)
		return DB_OK;
	int rc = db_commit(c);
	if (rc != DB_OK)
		return rc;
	/* the statistics at 1, 2, 4, 8... batches: the tables the stage
	 * fills keep statistics within twice their size, and the plans
	 * made from them (PostgreSQL) read by index */
	int k = done / DEMO_BATCH;
	if ((k & (k - 1)) == 0) {
		unsigned role = db_role(c);
		db_set_role(c, DB_ROLE_SYSTEM);
		rc = db_analyze(c);
		db_set_role(c, role);
		if (rc != DB_OK)
			return rc;
	}
	return db_begin(c, DB_TX_WRITE);
}

int demo_generate(struct db *db, const struct demo_options *o, char *err,
		  size_t errlen)
{
	int rc = check_setup_options(o, err, errlen);
	if (rc != 0)
		return rc;
	if (o->children < 1 || o->children > DEMO_CHILDREN_MAX)
		return fail(err, errlen, DEMO_EINVAL,
			    "demo: the number of children must be 1 to %d",
			    DEMO_CHILDREN_MAX);
	struct cal_date today;
	if (o->today == NULL || !cal_date_parse(o->today, strlen(o->today), &today))
		return fail(err, errlen, DEMO_EINVAL,
			    "demo: today must be a date written YYYY-MM-DD");
	if (o->worker_ids == NULL || o->n_workers < 1 ||
	    o->front_door_user_id <= 0 || o->manager_user_id < 0)
		return fail(err, errlen, DEMO_EINVAL,
			    "demo: the front door user and at least one worker are needed");
	for (int i = 0; i < o->n_workers; i++)
		if (o->worker_ids[i] <= 0)
			return fail(err, errlen, DEMO_EINVAL,
				    "demo: worker ids must be positive");

	struct gen g;
	struct db_conn *c = NULL;
	struct db_q *q;
	memset(&g, 0, sizeof(g));
	g.o = o;
	g.today = today;
	g.today_day = cal_days(today);
	g.window_start = cal_days(cal_add_months(today, -48));
	g.now = (int64_t)g.today_day * 1440;
	g.manager = o->manager_user_id > 0 ? o->manager_user_id
					   : o->front_door_user_id;
	for (size_t i = 0; o->council[i] && i + 1 < sizeof(g.la_prefix); i++) {
		char ch = o->council[i];
		g.la_prefix[i] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 32) : ch;
	}
	g.worker_team = xcalloc((size_t)o->n_workers, sizeof(int64_t));
	g.cal = cal_new(CAL_DAY0);
	if ((rc = load_holidays(o->codes_dir, &g.hol, err, errlen)) != 0 ||
	    (rc = load_codes(&g, err, errlen)) != 0)
		goto out_free;
	if (holidays_add_to_cal(&g.hol, g.cal) != 0) {
		rc = fail(err, errlen, DEMO_EIO, "demo: too many bank holidays");
		goto out_free;
	}

	c = db_acquire(db);
	db_set_role(c, DB_ROLE_SYSTEM);
	if ((rc = db_begin(c, DB_TX_WRITE)) < 0) {
		rc = db_fail(err, errlen, rc, "cannot begin");
		goto out_release;
	}
	/* millions of plain inserts: no round trip each on PostgreSQL (an
	 * error still fails the commit, db.h) */
	db_set_bulk(c, true);
	/* From here on every failure must roll back. */
	rc = db_exec(c, &st_child_count, &q, o->council);
	if (rc != DB_ROW) {
		rc = db_fail(err, errlen, rc < 0 ? rc : DB_EIO, "cannot count children");
		goto out_rollback;
	}
	if (db_col_i64(q, 0) > 0) {
		rc = fail(err, errlen, DEMO_EEXISTS,
			  "demo: council %s already has data; use a new database",
			  o->council);
		goto out_rollback;
	}
	if ((rc = load_users(&g, c, err, errlen)) != 0)
		goto out_rollback;

	stage_people(&g);
	stage_decisions(&g);
	stage_ids(&g);
	if ((rc = write_all(&g, c, err, errlen)) != 0)
		goto out_rollback;
	/* the timescale engine's items, made from the records written, in
	 * the same transaction (as the live writes keep them) */
	struct actor act = actor_system(o->council,
					uk_to_instant((struct cal_time){today,
									12, 0}));
	if (due_rebuild(c, &act, g.cal, NULL, NULL) != ERR_OK) {
		rc = fail(err, errlen, DEMO_EIO, "demo: cannot make due items");
		goto out_rollback;
	}
	/* and the children's chronologies */
	if (frontdoor_chron_backfill(c, &act, NULL) != ERR_OK ||
	    assess_chron_backfill(c, &act, NULL) != ERR_OK ||
	    episode_chron_backfill(c, &act, NULL) != ERR_OK) {
		rc = fail(err, errlen, DEMO_EIO, "demo: cannot write the "
			  "chronologies");
		goto out_rollback;
	}
	if ((rc = write_notifications(c, o->council)) < 0) {
		rc = db_fail(err, errlen, rc, "cannot write the notifications");
		goto out_rollback;
	}
	/* the bulk insert chose its own ids: move the council's counters
	 * past them, so records made later get fresh ones (db.h) */
	if ((rc = db_ids_sync(c, o->council)) < 0) {
		rc = db_fail(err, errlen, rc, "cannot set the id counters");
		goto out_rollback;
	}
	if ((rc = db_commit(c)) < 0) {
		rc = db_fail(err, errlen, rc, "cannot commit");
		goto out_rollback;
	}
	/* a bulk load's tidy-up: PostgreSQL's VACUUM (ANALYZE) (db.h) */
	if ((rc = db_vacuum(c)) < 0) {
		rc = db_fail(err, errlen, rc, "the demo is written, but the "
			     "store's statistics could not be refreshed");
		goto out_release;
	}
	if (o->progress != NULL)
		o->progress(g.nkid, g.nkid, o->progress_arg);
	rc = 0;
	goto out_release;
out_rollback:
	db_rollback(c);
out_release:
	db_release(db, c);
out_free:
	gen_free(&g);
	return rc;
}
