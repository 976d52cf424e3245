/* contact.c: see contact.h for the contract. */
#include "referral/contact.h"
#include "referral/backfill.h"
#include "domain/chron.h"
#include "domain/field.h"
#include "domain/due.h"
#include "domain/rows.h"
#include "notify/notify.h"
#include "auth/role.h"
#include "core/arena.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Allow-lists, mirroring auth/policy.c (PERM_CONTACT_READ,
 * PERM_CONTACT_CREATE, PERM_CONTACT_DECIDE, PERM_FRONT_DOOR_QUEUE). */
#define READ_ROLES (RB_PRACTICE | DB_ROLE_SYSTEM)
#define CREATE_ROLES \
	(RB_FRONT_DOOR | RB_SOCIAL_WORKER | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)
#define DECIDE_ROLES (RB_FRONT_DOOR | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)
#define QUEUE_ROLES (RB_FRONT_DOOR | RB_TEAM_MANAGER | DB_ROLE_SYSTEM)

/*
 * CIN census referral source codes, copied from
 * ../shared/domain/codes/cin_referral_source.csv (every row there has
 * status_in_liia_schemas "current"; source: the DfE CIN schema 2024 as
 * kept in SocialFinanceDigitalLabs/liia-tools).  Labels are the file's
 * descriptions, except that 5D's stray opening parenthesis
 * ("(LA SERVICES – early help") is dropped.  When the file changes,
 * change this table.
 */
static const struct field_code census_sources[] = {
	{"1A", "INDIVIDUAL – family member, relative or carer"},
	{"1B", "INDIVIDUAL – acquaintance (including neighbours and child "
	       "minders)"},
	{"1C", "INDIVIDUAL – self"},
	{"1D", "INDIVIDUAL – other (including strangers)"},
	{"2A", "SCHOOLS"},
	{"2B", "EDUCATION SERVICES"},
	{"3A", "HEALTH SERVICES – general practitioner (GP)"},
	{"3B", "HEALTH SERVICES – health visitor"},
	{"3C", "HEALTH SERVICES – school nurse"},
	{"3D", "HEALTH SERVICES – other primary health services"},
	{"3E", "HEALTH SERVICES – A&E (accident and emergency department)"},
	{"3F", "HEALTH SERVICES – other (for example hospice)"},
	{"4", "HOUSING - local authority housing or housing association"},
	{"5A", "LA SERVICES – social care for example adults social care "
	       "services"},
	{"5B", "LA SERVICES – other internal (department other than social "
	       "care in local authorities, for example, youth offending "
	       "(excluding housing))"},
	{"5C", "LA SERVICES – external, for example, from another local "
	       "authority’s adults social care services"},
	{"6", "POLICE"},
	{"7", "OTHER LEGAL AGENCY – including courts, probation, immigration, "
	      "CAFCASS (Children and Family Court Advisory and Support "
	      "Service) or prison"},
	{"8", "OTHER – including children’s centres, independent agency "
	      "providers or voluntary organisations"},
	{"9", "ANONYMOUS"},
	{"10", "UNKNOWN"},
	{"5D", "LA SERVICES – early help"},
	{NULL, NULL},
};

/* The same codes in the words people read (issue 9: the census's
 * capitals and dashes are for the return), in the order a person looks
 * for them; the code follows the label where it is shown. */
const struct field_code contact_source_codes[] = {
	{"1A", "Family member, relative or carer"},
	{"1B", "Acquaintance, such as a neighbour or childminder"},
	{"1C", "The child or young person themselves"},
	{"1D", "Another individual, such as a stranger"},
	{"2A", "School"},
	{"2B", "Education services"},
	{"3A", "GP"},
	{"3B", "Health visitor"},
	{"3C", "School nurse"},
	{"3D", "Other primary health services"},
	{"3E", "Accident and emergency (A&E)"},
	{"3F", "Other health services, such as a hospice"},
	{"4", "Housing: the council or a housing association"},
	{"5A", "Adult social care"},
	{"5B", "Another council service, such as youth offending"},
	{"5C", "Another council's services"},
	{"5D", "Early help"},
	{"6", "Police"},
	{"7", "Courts, probation, immigration, Cafcass or prison"},
	{"8", "Other, such as a children's centre or a voluntary "
	      "organisation"},
	{"9", "Anonymous"},
	{"10", "Unknown"},
	{NULL, NULL},
};

const struct contact_source *contact_sources(size_t *n)
{
	*n = codes_count(census_sources);
	return (const struct contact_source *)census_sources;
}

const char *contact_source_label(const char *code)
{
	return codes_label(census_sources, code);
}

bool contact_source_professional(const char *code)
{
	/* people, not services: the family, an acquaintance, the child,
	 * another individual; and a referrer not known (anonymous,
	 * unknown), who cannot be told */
	static const char *const individual[] = {"1A", "1B", "1C", "1D", "9",
						  "10"};
	if (contact_source_label(code) == NULL)
		return false;
	for (size_t i = 0; i < sizeof(individual) / sizeof(individual[0]); i++)
		if (strcmp(code, individual[i]) == 0)
			return false;
	return true;
}

/* Whether the family knows about the contact and agreed (issue 9).
 * Working Together: the referrer should usually discuss the worry with
 * the family and seek their agreement, unless that would put the child
 * at risk of harm; so a contact made without it says why. */
const struct field_code contact_consent_codes[] = {
	{"agreed", "Yes, they know about it and agreed"},
	{"not_agreed", "They know about it but did not agree"},
	{"not_aware", "No, they do not know about it"},
	{"not_known", "Not known"},
	{NULL, NULL},
};

bool contact_consent_needs_reason(const char *code)
{
	return code && (strcmp(code, "not_agreed") == 0 ||
			strcmp(code, "not_aware") == 0);
}

/* True when s has something other than white space. */
static bool given(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return true;
	return false;
}

/* The decisions, in the order of enum contact_decision. */
static const struct field_code decision_codes[] = {
	{"nfa", "No further action"},
	{"advice", "Advice or signposting"},
	{"early_help", "Early help"},
	{"referral", "Referral to children's social care"},
	{"strategy", "Strategy discussion"},
	{NULL, NULL},
};

const char *contact_decision_id(enum contact_decision d)
{
	return (unsigned)d < CONTACT_DECISION__MAX ? decision_codes[d].code
						   : NULL;
}

const char *contact_decision_label(enum contact_decision d)
{
	return (unsigned)d < CONTACT_DECISION__MAX ? decision_codes[d].label
						   : NULL;
}

bool contact_decision_parse(const char *s, enum contact_decision *out)
{
	int i = codes_index(decision_codes, s);
	if (i >= 0)
		*out = (enum contact_decision)i;
	return i >= 0;
}

bool contact_decision_opens_referral(enum contact_decision d)
{
	return d == CONTACT_REFERRAL || d == CONTACT_STRATEGY;
}

/* ---- the fields (domain/field.h) ------------------------------------- */

#define IN(m) offsetof(struct contact_input, m)
static const char *const consent_hints[] = {
	NULL, NULL, NULL, "The referrer does not know, or did not say",
};
static const struct field contact_fields[] = {
	{.name = "source", .label = "Where did the contact come from?",
	 .hint = "The CIN census referral source", .type = FT_CODE,
	 .required = true, .what = "where the contact came from",
	 .invalid = "Select a source from the list: '%.8s' is not a current "
		    "CIN referral source code",
	 .codes = contact_source_codes, .show_code = true, .offset = IN(source)},
	{.name = "referrer_name", .label = "Referrer's name", .type = FT_TEXT,
	 .required = true, .max = CONTACT_NAME_MAX,
	 .what = "the name of the person who made the contact",
	 .offset = IN(referrer_name), .width = "govuk-!-width-one-half"},
	{.name = "referrer_org", .label = "Referrer's organisation",
	 .type = FT_TEXT, .max = CONTACT_ORG_MAX, .offset = IN(referrer_org),
	 .width = "govuk-!-width-one-half"},
	{.name = "referrer_phone", .label = "Referrer's phone number",
	 .hint = "For international numbers include the country code",
	 .type = FT_TEXT, .max = CONTACT_PHONE_MAX, .format = FF_PHONE,
	 .called = "The phone number", .offset = IN(referrer_phone),
	 .width = "govuk-input--width-20"},
	{.name = "referrer_email", .label = "Referrer's email address",
	 .type = FT_TEXT, .max = CONTACT_EMAIL_MAX, .format = FF_EMAIL,
	 .called = "The email address", .offset = IN(referrer_email),
	 .width = "govuk-!-width-two-thirds"},
	{.name = "received_at", .label = "Date and time received",
	 .hint = "For example, 27 3 2024", .type = FT_DATETIME,
	 .required = true, .what = "the date and time the contact was "
	 "received", .rules = FR_NOT_FUTURE, .floor = CONTACT_RECEIVED_MIN,
	 .offset = IN(received_at), .form = "received",
	 .time_label = "Time received"},
	{.name = "worry", .label = "What is the referrer worried about?",
	 .hint = "In the referrer's words. Up to 20,000 characters.",
	 .type = FT_LONGTEXT, .required = true, .max = CONTACT_WORRY_MAX,
	 .called = "The worry",
	 .missing = "Enter what the referrer is worried about, in their "
		    "words", .offset = IN(worry)},
	{.name = "family_consent", .label = "Does the family know about the "
	 "contact, and did they agree to it?",
	 .hint = "Ask the referrer. A family should be told and asked to "
		 "agree, unless that could put the child at risk of harm.",
	 .type = FT_CODE, .required = true, .radios = true,
	 .codes = contact_consent_codes, .code_hints = consent_hints,
	 .missing = "Select whether the family knows about the contact and "
		    "agreed to it",
	 .invalid = "Select whether the family knows about the contact and "
		    "agreed to it, from the choices",
	 .offset = IN(family_consent)},
	{.name = "consent_reason", .label = "If the family did not agree, or "
	 "do not know about it: why did the contact go ahead?",
	 .hint = "For example, telling the family could put the child at "
		 "greater risk of harm.",
	 .type = FT_LONGTEXT, .max = CONTACT_REASON_MAX, .rules = FR_SOMETIMES,
	 .called = "The reason the contact went ahead",
	 .offset = IN(consent_reason)},
};
const struct record_type contact_record_type = {
	"contact", contact_fields,
	(int)(sizeof(contact_fields) / sizeof(contact_fields[0])),
};

#define DIN(m) offsetof(struct contact_decision_input, m)
static const char *const decision_hints[] = {
	NULL, NULL, NULL, "Opens a referral",
	"Opens a referral; a strategy discussion is needed",
};
static const struct field decision_fields[] = {
	{.name = "decision", .label = "What response is needed?",
	 .type = FT_CODE, .required = true, .missing = "Select a decision",
	 .invalid = "Select a decision from the list", .codes = decision_codes,
	 .radios = true, .code_hints = decision_hints,
	 .offset = DIN(decision)},
	{.name = "reason", .label = "Threshold reasoning",
	 .hint = "Explain the decision against the threshold guidance.",
	 .type = FT_LONGTEXT, .required = true, .max = CONTACT_REASON_MAX,
	 .called = "The threshold reasoning",
	 .missing = "Enter the threshold reasoning for the decision",
	 .offset = DIN(reason)},
	{.name = "parallel", .label = "If the child already has an open "
	 "referral: why is a second one needed?",
	 .hint = "Only when deciding a referral or a strategy discussion "
		 "while a referral is open. Otherwise add the new information "
		 "to the open referral.",
	 .type = FT_LONGTEXT, .max = CONTACT_REASON_MAX,
	 .called = "The reason for a second referral",
	 .offset = DIN(parallel)},
};
const struct record_type contact_decision_type = {
	"contact_decision", decision_fields,
	(int)(sizeof(decision_fields) / sizeof(decision_fields[0])),
};
/* The same without the last field ("parallel"): the form when the child
 * has no open referral. */
/* A tick (the acknowledgement, the outcome shared): no fields; the API's
 * body is an empty object. */
const struct record_type contact_tick_type = {"contact_tick", NULL, 0};

const struct record_type contact_decision_form = {
	"contact_decision", decision_fields,
	(int)(sizeof(decision_fields) / sizeof(decision_fields[0])) - 1,
};

/* A contact as read: the columns of CONTACT_COLS, in order, then what
 * contact_derive works out. */
#define V(m) offsetof(struct contact, m)
static const struct field view_fields[] = {
	{.name = "id", .type = FT_INT, .offset = V(contact_id)},
	{.name = "child_id", .type = FT_INT, .offset = V(child_id)},
	{.name = "child_name", .type = FT_TEXT, .out = FO_HIDDEN,
	 .offset = V(child_name)},
	{.name = "received_at", .label = "Received", .type = FT_DATETIME,
	 .offset = V(received_at)},
	{.name = "due_at", .label = "Decision due", .type = FT_DATETIME,
	 .offset = V(due_at)},
	{.name = "source", .label = "Source", .type = FT_CODE,
	 .codes = contact_source_codes, .show_code = true, .out = FO_LABEL,
	 .offset = V(source)},
	{.name = "referrer_name", .label = "Referrer", .type = FT_TEXT,
	 .offset = V(referrer_name)},
	{.name = "referrer_org", .label = "Referrer's organisation",
	 .type = FT_TEXT, .offset = V(referrer_org)},
	{.name = "referrer_phone", .label = "Phone number", .type = FT_TEXT,
	 .offset = V(referrer_phone)},
	{.name = "referrer_email", .label = "Email address", .type = FT_TEXT,
	 .offset = V(referrer_email)},
	{.name = "family_consent", .label = "Does the family know and agree?",
	 .type = FT_CODE, .codes = contact_consent_codes, .out = FO_LABEL,
	 .offset = V(family_consent)},
	{.name = "worry", .type = FT_LONGTEXT, .out = FO_OMIT,
	 .offset = V(worry)},
	{.name = "decision_reason", .type = FT_LONGTEXT, .out = FO_OMIT,
	 .offset = V(decision_reason)},
	{.name = "consent_reason", .label = "Why the contact went ahead",
	 .type = FT_LONGTEXT, .out = FO_OMIT, .offset = V(consent_reason)},
	{.name = "decision", .label = "Decision", .type = FT_CODE,
	 .codes = decision_codes, .out = FO_LABEL, .offset = V(decision_id)},
	{.name = "decided_at", .label = "Decided", .type = FT_DATETIME,
	 .offset = V(decided_at)},
	{.name = "decided_by", .label = "Decided by", .type = FT_TEXT,
	 .out = FO_HIDDEN, .offset = V(decided_by_name)},
	{.name = "referral_id", .label = "Referral", .type = FT_REF,
	 .offset = V(referral_id)},
	{.name = "created_by", .label = "Recorded by", .type = FT_TEXT,
	 .out = FO_HIDDEN, .offset = V(created_by_name)},
	{.name = "child_dob", .type = FT_DATE, .out = FO_HIDDEN,
	 .offset = V(child_dob)},
	{.name = "worry_excerpt", .type = FT_TEXT, .out = FO_HIDDEN | FO_OMIT,
	 .offset = V(worry_excerpt)},
	{.name = "acknowledged_at", .label = "Acknowledgement sent",
	 .type = FT_DATETIME, .offset = V(acknowledged_at)},
	{.name = "acknowledged_by", .type = FT_TEXT, .out = FO_HIDDEN,
	 .offset = V(acknowledged_by_name)},
	{.name = "outcome_shared_at", .label = "Outcome shared",
	 .type = FT_DATETIME, .offset = V(outcome_shared_at)},
	{.name = "outcome_shared_by", .type = FT_TEXT, .out = FO_HIDDEN,
	 .offset = V(outcome_shared_by_name)},
	{.name = "handled_by", .label = "Handled by", .type = FT_TEXT,
	 .out = FO_HIDDEN, .offset = V(handled_by_name)},
	{.name = "handled_at", .label = "Handled since", .type = FT_DATETIME,
	 .offset = V(handled_at)},
	{.name = "handled_by_id", .type = FT_INT, .out = FO_HIDDEN,
	 .offset = V(handled_by_id)},
	{.name = "decided", .type = FT_BOOL, .out = FO_DERIVED,
	 .offset = V(decided)},
	{.name = "overdue", .type = FT_BOOL, .out = FO_DERIVED,
	 .offset = V(overdue)},
	{.name = "late", .type = FT_BOOL, .out = FO_DERIVED, .offset = V(late)},
	{.name = "acknowledged", .type = FT_BOOL, .out = FO_DERIVED | FO_HIDDEN,
	 .offset = V(acknowledged)},
	{.name = "acknowledgement_overdue", .type = FT_BOOL,
	 .out = FO_DERIVED, .offset = V(acknowledgement_overdue)},
	{.name = "acknowledgement_late", .type = FT_BOOL, .out = FO_DERIVED,
	 .offset = V(acknowledgement_late)},
	{.name = "referrer_professional", .type = FT_BOOL, .out = FO_DERIVED,
	 .offset = V(professional)},
};
const struct record_type contact_view = {
	"contact_view", view_fields,
	(int)(sizeof(view_fields) / sizeof(view_fields[0])),
};

/* ---- the chronology's lines (live and backfilled alike) -------------- */

void contact_summary(const char *source, char *out, size_t n)
{
	const char *label = codes_label(contact_source_codes, source);
	snprintf(out, n, "Contact received (source: %s)", label ? label
		 : "not known");
}

void contact_decision_summary(enum contact_decision d, char *out, size_t n)
{
	const char *label = contact_decision_label(d);
	snprintf(out, n, "Decision on the contact: %s", label ? label : "");
}

/* ---- the backfill (domain/chron.h) ----------------------------------- */

/* The records of ?1 with no entry of kind K for their link L yet. */
#define NO_ENTRY(t, id, L, K)                                             \
	" NOT EXISTS (SELECT 1 FROM chronology e WHERE e.council = " t      \
	".council AND e.link_kind = '" L "' AND e.link_id = " t "." id      \
	" AND e.kind = '" K "')"

DB_STMT(st_bf_contacts) = {
	"contact_chron_backfill",
	"SELECT child_id, contact_id, received_at, source FROM contact k"
	" WHERE council = ?1 AND" NO_ENTRY("k", "contact_id", "contact",
					   "contact") " ORDER BY contact_id",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_bf_decisions) = {
	"contact_decision_chron_backfill",
	"SELECT child_id, contact_id, decided_at, decision FROM contact k"
	" WHERE council = ?1 AND decided_at IS NOT NULL AND"
	NO_ENTRY("k", "contact_id", "contact", "decision")
	" ORDER BY contact_id",
	DB_ROLE_SYSTEM,
};
/* At the decision that made it, as live writes note it; on its date
 * alone when that is not known. */
DB_STMT(st_bf_referrals) = {
	"referral_chron_backfill",
	"SELECT r.child_id, r.referral_id,"
	" COALESCE(k.decided_at, r.referral_date), r.rereferral FROM referral r"
	" LEFT JOIN contact k ON k.council = r.council"
	"  AND k.contact_id = r.contact_id"
	" WHERE r.council = ?1 AND" NO_ENTRY("r", "referral_id", "referral",
					     "referral")
	" ORDER BY r.referral_id",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_bf_allocations) = {
	"allocation_chron_backfill",
	"SELECT r.child_id, r.referral_id, r.allocated_at, u.display_name,"
	" t.name FROM referral r"
	" LEFT JOIN app_user u ON u.council = r.council"
	"  AND u.user_id = r.worker_id"
	" LEFT JOIN team t ON t.council = r.council AND t.team_id = r.team_id"
	" WHERE r.council = ?1 AND r.allocated_at IS NOT NULL AND"
	NO_ENTRY("r", "referral_id", "referral", "allocation")
	" ORDER BY r.referral_id",
	DB_ROLE_SYSTEM,
};

DB_STMT(st_bf_acks) = {
	"contact_ack_chron_backfill",
	"SELECT child_id, contact_id, acknowledged_at FROM contact k"
	" WHERE council = ?1 AND acknowledged_at IS NOT NULL AND"
	NO_ENTRY("k", "contact_id", "contact", "acknowledgement")
	" ORDER BY contact_id",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_bf_shared) = {
	"contact_shared_chron_backfill",
	"SELECT child_id, contact_id, outcome_shared_at FROM contact k"
	" WHERE council = ?1 AND outcome_shared_at IS NOT NULL AND"
	NO_ENTRY("k", "contact_id", "contact", "outcome_shared")
	" ORDER BY contact_id",
	DB_ROLE_SYSTEM,
};

static bool bf_ack(struct db_q *q, char *out, size_t n)
{
	(void)q;
	snprintf(out, n, "%s", CONTACT_ACK_SUMMARY);
	return true;
}

static bool bf_shared(struct db_q *q, char *out, size_t n)
{
	(void)q;
	snprintf(out, n, "%s", CONTACT_SHARED_SUMMARY);
	return true;
}

static bool bf_contact(struct db_q *q, char *out, size_t n)
{
	contact_summary(db_col_text(q, 3), out, n);
	return true;
}

static bool bf_decision(struct db_q *q, char *out, size_t n)
{
	enum contact_decision d;
	if (!contact_decision_parse(db_col_text(q, 3), &d))
		return false;
	contact_decision_summary(d, out, n);
	return true;
}

static bool bf_referral(struct db_q *q, char *out, size_t n)
{
	snprintf(out, n, "%s", referral_summary(db_col_i64(q, 3) != 0));
	return true;
}

static bool bf_allocation(struct db_q *q, char *out, size_t n)
{
	const char *w = db_col_text(q, 3), *t = db_col_text(q, 4);
	referral_allocation_summary(w ? w : "a worker", t ? t : "", out, n);
	return true;
}

int frontdoor_chron_backfill(struct db_conn *c, const struct actor *act,
			     int64_t *made)
{
	static const struct chron_source sources[] = {
		{&st_bf_contacts, "contact", "contact", bf_contact},
		{&st_bf_decisions, "decision", "contact", bf_decision},
		{&st_bf_referrals, "referral", "referral", bf_referral},
		{&st_bf_allocations, "allocation", "referral", bf_allocation},
		{&st_bf_acks, "acknowledgement", "contact", bf_ack},
		{&st_bf_shared, "outcome_shared", "contact", bf_shared},
	};
	return chron_backfill(c, act, sources,
			      sizeof(sources) / sizeof(sources[0]), made);
}

/* ---- statements ------------------------------------------------------ */

/* The view's columns; lists leave out the narrative. */
#define CONTACT_COLS(narrative, excerpt)                                  \
	"k.contact_id, k.child_id, ch.given_name || ' ' || ch.family_name," \
	" k.received_at, k.due_at, k.source, k.referrer_name,"              \
	" k.referrer_org, k.referrer_phone, k.referrer_email,"              \
	" k.family_consent, " narrative ", k.decision, k.decided_at,"       \
	" d.display_name, k.referral_id, cb.display_name, ch.dob, " excerpt \
	", k.acknowledged_at, ak.display_name, k.outcome_shared_at,"         \
	" os.display_name, hb.display_name, k.handled_at, k.handled_by"     \
	" FROM contact k"                                                    \
	" JOIN child ch ON ch.council = k.council AND ch.child_id = k.child_id" \
	" LEFT JOIN app_user d ON d.council = k.council"                     \
	"  AND d.user_id = k.decided_by"                                     \
	" LEFT JOIN app_user cb ON cb.council = k.council"                   \
	"  AND cb.user_id = k.created_by"                                    \
	" LEFT JOIN app_user ak ON ak.council = k.council"                   \
	"  AND ak.user_id = k.acknowledged_by"                               \
	" LEFT JOIN app_user os ON os.council = k.council"                   \
	"  AND os.user_id = k.outcome_shared_by"                             \
	" LEFT JOIN app_user hb ON hb.council = k.council"                   \
	"  AND hb.user_id = k.handled_by"

DB_STMT(st_get) = {
	"contact_get",
	"SELECT " CONTACT_COLS("k.worry, k.decision_reason, k.consent_reason",
			       "NULL")
	" WHERE k.council = ?1 AND k.contact_id = ?2",
	READ_ROLES,
};
DB_STMT(st_queue) = {
	"contact_queue",
	"SELECT " CONTACT_COLS("NULL, NULL, NULL", "substr(k.worry, 1, "
			       CONTACT_EXCERPT_S ")")
	" WHERE k.council = ?1 AND k.decision IS NULL AND (?2 = 0"
	" OR k.due_at > (SELECT due_at FROM contact"
	"  WHERE council = ?1 AND contact_id = ?2)"
	" OR (k.due_at = (SELECT due_at FROM contact"
	"  WHERE council = ?1 AND contact_id = ?2) AND k.contact_id > ?2))"
	/* the filters (struct contact_filter): overdue as of ?5, a source,
	 * recorded by a user */
	" AND (?4 = 0 OR k.due_at < ?5) AND (CAST(?6 AS TEXT) IS NULL OR k.source = ?6)"
	" AND (?7 = 0 OR k.created_by = ?7)"
	" ORDER BY k.due_at, k.contact_id LIMIT ?3",
	QUEUE_ROLES,
};
/* Only what the child's page shows, with no joins (the page has the
 * child; the list names no one) and no ORDER BY: a LIMIT with ORDER BY
 * makes SQLite build a temporary b-tree, costlier than sorting the few
 * rows here (cmp_child_row). */
DB_STMT(st_child) = {
	"contact_list_child",
	"SELECT contact_id, child_id, '', received_at, due_at, source, '', '',"
	" '', '', family_consent, NULL, NULL, NULL, decision, decided_at, '',"
	" referral_id, '', NULL, NULL, acknowledged_at, '', outcome_shared_at,"
	" '', '', NULL, NULL FROM contact WHERE council = ?1 AND child_id = ?2",
	READ_ROLES,
};
DB_STMT(st_counts) = {
	"contact_queue_counts",
	"SELECT count(*),"
	" COALESCE(SUM(CASE WHEN due_at < ?2 THEN 1 ELSE 0 END), 0),"
	" COALESCE(SUM(CASE WHEN due_at >= ?2 AND due_at <= ?3"
	"  THEN 1 ELSE 0 END), 0)"
	" FROM contact WHERE council = ?1 AND decision IS NULL",
	QUEUE_ROLES,
};
DB_STMT(st_child_exists) = {
	"contact_child_exists",
	"SELECT 1 FROM child WHERE council = ?1 AND child_id = ?2",
	CREATE_ROLES,
};
DB_STMT(st_ins) = {
	"contact_ins",
	"INSERT INTO contact (council, contact_id, child_id, received_at,"
	" source, referrer_name, referrer_org, worry, due_at, created_at,"
	" created_by, referrer_phone, referrer_email, family_consent,"
	" consent_reason, handled_by, handled_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15, ?16, ?17)",
	CREATE_ROLES,
};
DB_STMT(st_decide_state) = {
	"contact_decide_state",
	"SELECT child_id, source, decision, decided_at FROM contact"
	" WHERE council = ?1 AND contact_id = ?2",
	DECIDE_ROLES,
};
DB_STMT(st_decide) = {
	"contact_decide",
	"UPDATE contact SET decision = ?3, decision_reason = ?4,"
	" decided_at = ?5, decided_by = ?6, referral_id = ?7,"
	" parallel_reason = ?8"
	" WHERE council = ?1 AND contact_id = ?2 AND decision IS NULL",
	DECIDE_ROLES,
};
/* The ticks (issue 9): the contact's state, and each recorded once. */
DB_STMT(st_tick_state) = {
	"contact_tick_state",
	"SELECT k.child_id, k.source, k.decision, k.acknowledged_at,"
	" a.display_name, k.outcome_shared_at, o.display_name FROM contact k"
	" LEFT JOIN app_user a ON a.council = k.council"
	"  AND a.user_id = k.acknowledged_by"
	" LEFT JOIN app_user o ON o.council = k.council"
	"  AND o.user_id = k.outcome_shared_by"
	" WHERE k.council = ?1 AND k.contact_id = ?2",
	CREATE_ROLES,
};
DB_STMT(st_acknowledge) = {
	"contact_acknowledge",
	"UPDATE contact SET acknowledged_at = ?3, acknowledged_by = ?4"
	" WHERE council = ?1 AND contact_id = ?2 AND acknowledged_at IS NULL",
	CREATE_ROLES,
};
DB_STMT(st_share) = {
	"contact_share_outcome",
	"UPDATE contact SET outcome_shared_at = ?3, outcome_shared_by = ?4"
	" WHERE council = ?1 AND contact_id = ?2 AND outcome_shared_at IS NULL"
	" AND decision IS NOT NULL",
	CREATE_ROLES,
};
/* Who handles a contact (issue 9).  A role that may decide a contact
 * (DECIDE_ROLES) is the one that handles it. */
static bool role_may_decide(const struct actor *who)
{
	enum role r;
	return who->role && role_parse(who->role, &r) &&
	       (RB(r) & DECIDE_ROLES) != 0;
}


DB_STMT(st_handle_state) = {
	"contact_handle_state",
	"SELECT child_id, decision, handled_by FROM contact"
	" WHERE council = ?1 AND contact_id = ?2",
	DECIDE_ROLES,
};
DB_STMT(st_handle) = {
	"contact_handle",
	"UPDATE contact SET handled_by = ?3, handled_at = ?4"
	" WHERE council = ?1 AND contact_id = ?2 AND decision IS NULL",
	DECIDE_ROLES,
};
/* The child's newest referral whose assessment is not done (R02 not
 * met): an open referral. */
DB_STMT(st_open_referral) = {
	"contact_open_referral",
	"SELECT r.referral_date FROM referral r"
	" JOIN due_item di ON di.council = r.council AND di.rule = 'R02'"
	"  AND di.subject = 'referral' AND di.subject_id = r.referral_id"
	"  AND di.seq = 1 AND di.met_at IS NULL"
	" WHERE r.council = ?1 AND r.child_id = ?2"
	" ORDER BY r.referral_date DESC, r.referral_id DESC LIMIT 1",
	DECIDE_ROLES,
};

/* What a contact's row does not say: the decision as an enum, and the
 * times against due_at as of the actor's (arg) civil now (see struct
 * contact).  A row_map's `each`. */
static int contact_derive(struct arena *a, struct db_q *q, void *item,
			  void *arg)
{
	(void)a;
	(void)q;
	struct contact *k = item;
	struct cal_time now = ((const struct actor *)arg)->civil, due;
	if (cal_time_parse(k->due_at, strlen(k->due_at), &due))
		k->minutes_left = cal_minutes(due) - cal_minutes(now);
	k->decided = contact_decision_parse(k->decision_id, &k->decision);
	if (k->decided)
		k->late = strcmp(k->decided_at, k->due_at) > 0;
	else
		k->overdue = k->minutes_left < 0;
	/* R01: the acknowledgement is due with the decision */
	k->acknowledged = k->acknowledged_at && k->acknowledged_at[0];
	k->acknowledgement_overdue = !k->acknowledged && k->minutes_left < 0;
	k->acknowledgement_late = k->acknowledged &&
				  strcmp(k->acknowledged_at, k->due_at) > 0;
	k->professional = contact_source_professional(k->source);
	return ERR_OK;
}

static const struct row_map contact_rows = {
	sizeof(struct contact), NULL, 0, contact_derive, &contact_view,
};
static const struct rows_list_shown contact_shown = {
	"contact", offsetof(struct contact, child_id),
	offsetof(struct contact, contact_id),
};

/* ---- contacts -------------------------------------------------------- */

int contact_record(struct db_conn *c, const struct actor *who,
		   const struct cal *cal, int64_t child_id,
		   const struct contact_input *in, int64_t *contact_id,
		   struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	struct cal_time received = {0}, due;
	if (fields_check(&contact_record_type, in, who, e) == ERR_OK)
		cal_time_parse(in->received_at, strlen(in->received_at),
			       &received);
	/* issue 9: a contact made without the family's agreement, or
	 * without their knowing, says why it went ahead */
	bool reason = given(in->consent_reason);
	if (contact_consent_needs_reason(in->family_consent) && !reason)
		fe_set(e, "consent_reason",
		       strcmp(in->family_consent, "not_aware") == 0
			       ? "Enter why the contact went ahead without the "
				 "family knowing"
			       : "Enter why the contact went ahead without the "
				 "family's agreement");
	/* "agreed" needs no reason: one typed anyway is not kept */
	if (in->family_consent && strcmp(in->family_consent, "agreed") == 0)
		reason = false;
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	int k = db_exec(c, &st_child_exists, NULL, who->council, child_id);
	rc = k < 0 ? err_from_db(k) : k != DB_ROW ? ERR_NOTFOUND
		   : e->n ? ERR_INVALID : ERR_OK;
	char rec_s[17], due_s[17], created[21], line[300], now_s[17];
	int64_t id = 0;
	/* whoever records a contact they may decide is handling it, until
	 * a colleague takes it on (contact_handle) */
	bool handles = role_may_decide(who);
	cal_time_format(who->civil, now_s);
	const char *handler_since = handles ? now_s : NULL;
	if (rc == ERR_OK)
		rc = err_from_db(db_next_id(c, who->council, "contact", &id));
	/* R01: the timescale engine starts the decision's clock; the due
	 * time is also kept on the contact, for the queue's order */
	if (rc == ERR_OK)
		rc = due_start(c, who, "R01", cal, "contact", id, child_id,
			       received, &due);
	if (rc == ERR_OK) {
		contact_summary(in->source, line, sizeof(line));
		rc = chron_note(c, who, child_id, received, true, "contact",
				line, "contact", id);
	}
	if (rc == ERR_OK) {
		cal_time_format(received, rec_s);
		cal_time_format(due, due_s);
		act_stamp(who, created);
		const char *org = in->referrer_org && in->referrer_org[0]
					  ? in->referrer_org : NULL;
		const char *phone = given(in->referrer_phone)
					    ? in->referrer_phone : NULL;
		const char *email = given(in->referrer_email)
					    ? in->referrer_email : NULL;
		rc = err_from_db(db_exec(c, &st_ins, NULL, who->council, id,
					 child_id, rec_s, in->source,
					 in->referrer_name, org, in->worry,
					 due_s, created, who->user_id, phone,
					 email, in->family_consent,
					 reason ? in->consent_reason : NULL,
					 db_id(handles ? who->user_id : 0),
					 handler_since));
	}
	if (rc == ERR_OK)
		rc = act_audit(c, who, "create", "contact", id, child_id);
	if (rc == ERR_OK && contact_id)
		*contact_id = id;
	return tx_end(c, own, rc);
}

int contact_read(struct db_conn *c, const struct actor *who,
		 int64_t contact_id, struct arena *a, struct contact *out)
{
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	struct contact ct = {0};
	int k = db_exec(c, &st_get, &q, who->council, contact_id);
	rc = k < 0 ? err_from_db(k) : k != DB_ROW ? ERR_NOTFOUND : ERR_OK;
	if (rc == ERR_OK) {
		fields_row(q, 0, &contact_view, &ct, a);
		contact_derive(NULL, NULL, &ct, (void *)who);
		rc = act_audit(c, who, "read", "contact", ct.contact_id,
			       ct.child_id);
	}
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK)
		*out = ct;
	return rc;
}

int contact_decide(struct db_conn *c, const struct actor *who,
		   const struct cal *cal, int64_t contact_id,
		   const struct contact_decision_input *in,
		   int64_t *referral_id, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	int k = db_exec(c, &st_decide_state, &q, who->council, contact_id);
	rc = k < 0 ? err_from_db(k) : k != DB_ROW ? ERR_NOTFOUND : ERR_OK;
	if (rc != ERR_OK)
		return tx_end(c, own, rc);
	int64_t child_id = db_col_i64(q, 0), rid = 0;
	char source[4], when[32], line[300], at[17];
	snprintf(source, sizeof(source), "%s", db_col_text(q, 1));
	enum contact_decision d = CONTACT_NFA;
	if (contact_decision_parse(db_col_text(q, 2), &d)) {
		cal_words(db_col_text(q, 3), when);
		fe_addf(e, "decision", "This contact was already decided (%s) "
			"on %s; a contact can be decided once",
			contact_decision_label(d), when);
		return tx_end(c, own, ERR_CONFLICT);
	}
	fields_check(&contact_decision_type, in, who, e);
	contact_decision_parse(in->decision, &d);
	bool parallel = in->parallel && in->parallel[0];
	if (e->n == 0 && contact_decision_opens_referral(d)) {
		/* issue 9: a second referral while one is open needs a
		 * reason; the officer is asked to add to the open one */
		k = db_exec(c, &st_open_referral, &q, who->council, child_id);
		if (k < 0)
			return tx_end(c, own, err_from_db(k));
		if (k == DB_ROW && !parallel) {
			cal_words(db_col_text(q, 0), when);
			fe_addf(e, "parallel", "This child has an open referral "
				"(%s); add the new information to it, or say why "
				"a second referral is needed", when);
		}
		if (k == DB_ROW)
			db_done(q);
		else
			parallel = false; /* none open: nothing to explain */
	} else {
		parallel = false;
	}
	if (e->n)
		return tx_end(c, own, ERR_INVALID);
	struct cal_time now = who->civil;
	cal_time_format(now, at);
	/* the decision's chronology entry comes before the referral's it
	 * may open (the same minute: the entries' order is the ids') */
	contact_decision_summary(d, line, sizeof(line));
	rc = chron_note(c, who, child_id, now, true, "decision", line,
			"contact", contact_id);
	if (rc == ERR_OK && contact_decision_opens_referral(d))
		rc = referral_open(c, who, cal, child_id, contact_id, now.date,
				   source, &rid);
	if (rc == ERR_OK)
		rc = err_from_db(db_exec(c, &st_decide, NULL, who->council,
					 contact_id, contact_decision_id(d),
					 in->reason, at, who->user_id,
					 db_id(rid),
					 parallel ? in->parallel : NULL));
	/* decided meanwhile: impossible inside our write lock, but never
	 * record two decisions */
	if (rc == ERR_OK && db_changes(c) != 1) {
		fe_addf(e, "decision", "This contact was already decided; a "
			"contact can be decided once");
		rc = ERR_CONFLICT;
	}
	/* R01 met: the decision's clock stops */
	if (rc == ERR_OK)
		rc = due_meet(c, who, "R01", cal, "contact", contact_id, now);
	/* R06: a strategy discussion decided on starts its clock */
	if (rc == ERR_OK && rid && strcmp(contact_decision_id(d), "strategy") == 0)
		rc = due_refresh(c, who, cal, "R06", child_id);
	if (rc == ERR_OK)
		rc = notify_decided(c, who, contact_id, child_id,
				    contact_decision_id(d));
	if (rc == ERR_OK)
		rc = act_audit(c, who, "decide", "contact", contact_id,
			       child_id);
	rc = tx_end(c, own, rc);
	if (rc == ERR_OK && referral_id)
		*referral_id = rid;
	return rc;
}

/* A tick on the contact (ack: the acknowledgement; else the outcome
 * shared), once: see contact_acknowledge and contact_share_outcome. */
static int tick(struct db_conn *c, const struct actor *who,
		int64_t contact_id, bool ack, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	const char *field = ack ? "acknowledgement" : "outcome_shared";
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	rc = rows_get(c, &st_tick_state, &q, who->council, contact_id);
	if (rc != ERR_OK)
		return tx_end(c, own, rc);
	int64_t child_id = db_col_i64(q, 0);
	const char *at = db_col_text(q, ack ? 3 : 5);
	const char *by = db_col_text(q, ack ? 4 : 6);
	char when[32];
	if (at && at[0]) {
		cal_words(at, when);
		fe_addf(e, field, "%s already recorded as %s on %s%s%s",
			ack ? "The acknowledgement was" : "The outcome was",
			ack ? "sent" : "shared", when, by ? " by " : "",
			by ? by : "");
	} else if (!ack && db_col_null(q, 2)) {
		fe_set(e, field, "Record the decision on the contact before "
		       "recording that its outcome was shared");
	} else if (!ack && !contact_source_professional(db_col_text(q, 1))) {
		fe_set(e, field, "The outcome is shared only with a professional "
		       "referrer, such as a school, the police or a health "
		       "service");
	}
	db_done(q);
	if (e->n)
		return tx_end(c, own, ERR_CONFLICT);
	char now[17], line[128];
	cal_time_format(who->civil, now);
	rc = rows_change(c, ack ? &st_acknowledge : &st_share, who->council,
			 contact_id, now, db_id(who->user_id));
	if (rc == ERR_CONFLICT) /* recorded meanwhile: never twice */
		fe_addf(e, field, "%s already recorded", ack
			? "The acknowledgement was" : "The outcome was");
	if (rc == ERR_OK) {
		snprintf(line, sizeof(line), "%s", ack ? CONTACT_ACK_SUMMARY
						       : CONTACT_SHARED_SUMMARY);
		rc = chron_note(c, who, child_id, who->civil, true,
				ack ? "acknowledgement" : "outcome_shared", line,
				"contact", contact_id);
	}
	return tx_end_audit(c, own, rc, who, ack ? "acknowledge"
						 : "share_outcome",
			    "contact", contact_id, child_id);
}

int contact_handle(struct db_conn *c, const struct actor *who,
		   int64_t contact_id, struct field_errors *e)
{
	struct field_errors local = {0};
	if (e == NULL)
		e = &local;
	bool own;
	int rc = tx_begin(c, &own);
	if (rc != ERR_OK)
		return rc;
	struct db_q *q;
	rc = rows_get(c, &st_handle_state, &q, who->council, contact_id);
	if (rc != ERR_OK)
		return tx_end(c, own, rc);
	int64_t child_id = db_col_i64(q, 0);
	if (!db_col_null(q, 1))
		fe_set(e, "handler", "This contact is decided, so no one needs "
		       "to take it on");
	else if (!db_col_null(q, 2) && db_col_i64(q, 2) == who->user_id)
		fe_set(e, "handler", "You are already handling this contact");
	db_done(q);
	if (e->n)
		return tx_end(c, own, ERR_CONFLICT);
	char now[17];
	cal_time_format(who->civil, now);
	rc = rows_change(c, &st_handle, who->council, contact_id,
			 db_id(who->user_id), now);
	if (rc == ERR_CONFLICT) /* decided meanwhile */
		fe_set(e, "handler", "This contact is decided, so no one needs "
		       "to take it on");
	return tx_end_audit(c, own, rc, who, "handle", "contact", contact_id,
			    child_id);
}

int contact_acknowledge(struct db_conn *c, const struct actor *who,
			int64_t contact_id, struct field_errors *e)
{
	return tick(c, who, contact_id, true, e);
}

int contact_share_outcome(struct db_conn *c, const struct actor *who,
			  int64_t contact_id, struct field_errors *e)
{
	return tick(c, who, contact_id, false, e);
}

int contact_queue(struct db_conn *c, const struct actor *who,
		  int64_t limit, int64_t cursor, struct arena *a,
		  struct contact **rows, int *n, int64_t *next)
{
	static const struct contact_filter none = {false, NULL, 0};
	return contact_queue_filtered(c, who, &none, limit, cursor, a, rows, n,
				      next);
}

int contact_queue_filtered(struct db_conn *c, const struct actor *who,
			   const struct contact_filter *f, int64_t limit,
			   int64_t cursor, struct arena *a,
			   struct contact **rows, int *n, int64_t *next)
{
	char now[17];
	cal_time_format(who->civil, now);
	limit = limit < 1 ? 1 : limit > 200 ? 200 : limit;
	const char *source = f->source && f->source[0] ? f->source : NULL;
	return rows_shown(c, who, a, &st_queue, &contact_rows, &contact_shown,
			  (void *)who, limit, rows, n, next, who->council,
			  cursor > 0 ? cursor : 0, limit + 1, f->overdue_only,
			  now, source, f->recorded_by > 0 ? f->recorded_by : 0);
}

int contact_queue_counts(struct db_conn *c, const struct actor *who,
			 struct contact_counts *out)
{
	struct cal_time t = who->civil;
	char now_s[17], end_s[17];
	cal_time_format(t, now_s);
	t.hh = 23;
	t.mm = 59;
	cal_time_format(t, end_s);
	struct db_q *q;
	int rc = db_exec(c, &st_counts, &q, who->council, now_s, end_s);
	if (rc != DB_ROW)
		return rc < 0 ? err_from_db(rc) : ERR_STORE;
	out->undecided = db_col_i64(q, 0);
	out->overdue = db_col_i64(q, 1);
	out->due_today = db_col_i64(q, 2);
	return ERR_OK;
}

/* Newest received first, then the higher contact_id first (the order
 * the list has always had). */
static int cmp_child_row(const void *pa, const void *pb)
{
	const struct contact *x = pa, *y = pb;
	int c = strcmp(y->received_at, x->received_at);
	if (c != 0)
		return c;
	return (y->contact_id > x->contact_id) - (y->contact_id < x->contact_id);
}

int contact_list_child(struct db_conn *c, const struct actor *who,
		       int64_t child_id, struct arena *a,
		       struct contact **rows, int *n)
{
	struct contact *v = NULL;
	int k = 0;
	int rc = rows_list(c, a, &st_child, &contact_rows, (void *)who, &v, &k,
			   who->council, child_id);
	if (rc != ERR_OK)
		return rc;
	if (k > 1)
		qsort(v, (size_t)k, sizeof(*v), cmp_child_row);
	*rows = v;
	*n = k > CONTACT_CHILD_ROWS ? CONTACT_CHILD_ROWS : k;
	return ERR_OK;
}

bool contact_due_text(struct cal_time now, struct cal_time due, char *out,
		      size_t n)
{
	int64_t left = cal_minutes(due) - cal_minutes(now);
	int64_t m = left < 0 ? -left : left;
	const char *verb = left > 0 ? "due in" : "overdue by";
	if (left == 0)
		snprintf(out, n, "due now");
	else if (m < 60)
		snprintf(out, n, "%s %lld minute%s", verb, (long long)m,
			 m == 1 ? "" : "s");
	else if (m < 48 * 60)
		snprintf(out, n, "%s %lld hour%s", verb, (long long)(m / 60),
			 m / 60 == 1 ? "" : "s");
	else
		snprintf(out, n, "%s %lld days", verb, (long long)(m / 1440));
	return left < 0;
}
