/*
 * schema.c: versioned migrations.
 *
 * Each step is constant DDL applied in one transaction together with the
 * version bump, so a database is always at exactly one version.  Every
 * table's primary key starts with `council`, the council's code, so one
 * deployment can hold several councils and PostgreSQL can later be
 * sharded by council.  The one exception is `schema_version`, which
 * describes the file itself.
 *
 * Dates are TEXT 'YYYY-MM-DD'.  Civil times entered by people (when a
 * contact was received) are TEXT 'YYYY-MM-DDTHH:MM' in UK local time, as
 * written on the form.  Machine times (created, audit) are TEXT
 * 'YYYY-MM-DDTHH:MM:SSZ' in UTC.  Epoch seconds appear only in session
 * and draft bookkeeping, as BIGINT (64 bits on PostgreSQL too).  No
 * time is stored in 32 bits (db_test.c checks the schema).
 */
#include "db/db_int.h"

#include <stddef.h>

static const char *const migrations[] = {
	/* 1: foundation */
	"CREATE TABLE council ("
	" council TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" la_code TEXT,"
	" PRIMARY KEY (council));"

	"CREATE TABLE setting ("
	" council TEXT NOT NULL REFERENCES council(council),"
	" key TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" PRIMARY KEY (council, key));"

	"CREATE TABLE organisation ("
	" council TEXT NOT NULL REFERENCES council(council),"
	" org_id INTEGER NOT NULL,"
	" name TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN"
	"  ('school','health','police','council','other')),"
	" PRIMARY KEY (council, org_id));"

	"CREATE TABLE team ("
	" council TEXT NOT NULL REFERENCES council(council),"
	" team_id INTEGER NOT NULL,"
	" name TEXT NOT NULL,"
	" PRIMARY KEY (council, team_id));"

	"CREATE TABLE app_user ("
	" council TEXT NOT NULL REFERENCES council(council),"
	" user_id INTEGER NOT NULL,"
	" username TEXT NOT NULL,"
	" display_name TEXT NOT NULL,"
	" role TEXT NOT NULL,"
	" org_id INTEGER,"
	" team_id INTEGER,"
	" pw_hash TEXT NOT NULL,"
	" disabled INTEGER NOT NULL DEFAULT 0,"
	" created_at TEXT NOT NULL,"
	" PRIMARY KEY (council, user_id));"
	"CREATE UNIQUE INDEX app_user_username ON app_user (username);"

	"CREATE TABLE session ("
	" council TEXT NOT NULL,"
	" token_hash TEXT NOT NULL,"
	" user_id INTEGER NOT NULL,"
	" csrf TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" seen_at INTEGER NOT NULL,"
	" PRIMARY KEY (council, token_hash));"
	"CREATE UNIQUE INDEX session_token ON session (token_hash);"

	"CREATE TABLE api_token ("
	" council TEXT NOT NULL,"
	" token_id INTEGER NOT NULL,"
	" user_id INTEGER NOT NULL,"
	" token_hash TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" revoked_at TEXT,"
	" PRIMARY KEY (council, token_id));"
	"CREATE UNIQUE INDEX api_token_hash ON api_token (token_hash);"

	"CREATE TABLE audit ("
	" council TEXT NOT NULL,"
	" seq INTEGER NOT NULL,"
	" at TEXT NOT NULL,"
	" user_id INTEGER,"
	" username TEXT NOT NULL,"
	" role TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" entity TEXT NOT NULL,"
	" entity_id INTEGER,"
	" child_id INTEGER,"
	" request_id TEXT NOT NULL,"
	" ip TEXT NOT NULL,"
	" prev_hash TEXT NOT NULL,"
	" hash TEXT NOT NULL,"
	" PRIMARY KEY (council, seq));"
	"CREATE INDEX audit_child ON audit (council, child_id, seq);"

	/* the chain's head, written in the same transaction as each audit
	 * row, so that deleting the newest rows is detected too */
	"CREATE TABLE audit_head ("
	" council TEXT NOT NULL,"
	" seq INTEGER NOT NULL,"
	" hash TEXT NOT NULL,"
	" PRIMARY KEY (council));"

	"CREATE TABLE bank_holiday ("
	" council TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" title TEXT NOT NULL,"
	" PRIMARY KEY (council, day));"

	"CREATE TABLE child ("
	" council TEXT NOT NULL REFERENCES council(council),"
	" child_id INTEGER NOT NULL,"
	" la_ref TEXT NOT NULL,"
	" given_name TEXT NOT NULL,"
	" family_name TEXT NOT NULL,"
	" other_names TEXT,"
	" given_key TEXT NOT NULL,"
	" family_key TEXT NOT NULL,"
	" dob TEXT,"
	" expected_dob TEXT,"
	" gender TEXT NOT NULL DEFAULT '0',"
	" ethnicity TEXT,"
	" nhs_number TEXT,"
	" upn TEXT,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" updated_at TEXT NOT NULL,"
	" version INTEGER NOT NULL DEFAULT 1,"
	" PRIMARY KEY (council, child_id));"
	"CREATE UNIQUE INDEX child_la_ref ON child (council, la_ref);"
	"CREATE INDEX child_family_key ON child (council, family_key);"
	"CREATE INDEX child_given_key ON child (council, given_key);"
	"CREATE INDEX child_dob ON child (council, dob);"
	"CREATE INDEX child_nhs ON child (council, nhs_number);"
	"CREATE INDEX child_upn ON child (council, upn);"
	/* covers the name search's fallback scan (no table lookups) */
	"CREATE INDEX child_names ON child (council, given_name, family_name,"
	" child_id);"

	"CREATE TABLE child_history ("
	" council TEXT NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" seq INTEGER NOT NULL,"
	" field TEXT NOT NULL,"
	" old_value TEXT,"
	" new_value TEXT,"
	" user_id INTEGER NOT NULL,"
	" at TEXT NOT NULL,"
	" PRIMARY KEY (council, child_id, seq),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"

	"CREATE TABLE address ("
	" council TEXT NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" address_id INTEGER NOT NULL,"
	" line1 TEXT NOT NULL,"
	" line2 TEXT,"
	" town TEXT,"
	" postcode TEXT NOT NULL,"
	" start_date TEXT NOT NULL,"
	" end_date TEXT,"
	" PRIMARY KEY (council, child_id, address_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"

	"CREATE TABLE network_member ("
	" council TEXT NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" member_id INTEGER NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('parent','carer','sibling',"
	"  'significant_adult','professional')),"
	" relationship TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" phone TEXT,"
	" org_id INTEGER,"
	" linked_child_id INTEGER,"
	" parental_responsibility INTEGER NOT NULL DEFAULT 0,"
	" start_date TEXT,"
	" end_date TEXT,"
	" PRIMARY KEY (council, child_id, member_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX network_org ON network_member (council, org_id, child_id);"

	"CREATE TABLE flag ("
	" council TEXT NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" flag_id INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" text TEXT NOT NULL,"
	" review_date TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" ended_at TEXT,"
	" PRIMARY KEY (council, child_id, flag_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"

	"CREATE TABLE contact ("
	" council TEXT NOT NULL,"
	" contact_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" received_at TEXT NOT NULL,"
	" source TEXT NOT NULL,"
	" referrer_name TEXT NOT NULL,"
	" referrer_org TEXT,"
	" worry TEXT NOT NULL,"
	" due_at TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" decision TEXT CHECK (decision IN ('nfa','advice','early_help',"
	"  'referral','strategy')),"
	" decision_reason TEXT,"
	" decided_at TEXT,"
	" decided_by INTEGER,"
	" referral_id INTEGER,"
	" PRIMARY KEY (council, contact_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX contact_queue ON contact (council, decision, due_at);"
	"CREATE INDEX contact_child ON contact (council, child_id);"

	"CREATE TABLE referral ("
	" council TEXT NOT NULL,"
	" referral_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" contact_id INTEGER,"
	" referral_date TEXT NOT NULL,"
	" source TEXT NOT NULL,"
	" rereferral INTEGER NOT NULL DEFAULT 0,"
	" previous_referral_id INTEGER,"
	" team_id INTEGER,"
	" worker_id INTEGER,"
	" allocated_at TEXT,"
	" allocated_by INTEGER,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" PRIMARY KEY (council, referral_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX referral_child ON referral (council, child_id, referral_date);"
	/* at most one referral opened by each contact's decision */
	"CREATE UNIQUE INDEX referral_contact ON referral (council, contact_id);"
	"CREATE INDEX referral_worker ON referral (council, worker_id);"
	"CREATE INDEX referral_unallocated ON referral (council, worker_id, referral_date);",

	/* 2: scrutiny and improvement plans (scrutiny/scrutiny.h).  No
	 * child's data is ever stored in these tables. */
	"CREATE TABLE scrutiny_review ("
	" council TEXT NOT NULL REFERENCES council(council),"
	" review_id INTEGER NOT NULL,"
	" body_kind TEXT NOT NULL CHECK (body_kind IN ('scrutiny-panel',"
	"  'committee','inspection','peer-review','practice-review',"
	"  'improvement-board')),"
	" body_name TEXT NOT NULL,"
	" topic TEXT NOT NULL,"
	" started_on TEXT,"
	" reported_on TEXT,"
	" report_title TEXT NOT NULL DEFAULT '',"
	" schedule_months INTEGER NOT NULL DEFAULT 6"
	"  CHECK (schedule_months BETWEEN 0 AND 24),"
	" next_report_due TEXT,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" PRIMARY KEY (council, review_id));"

	"CREATE TABLE scrutiny_rec ("
	" council TEXT NOT NULL,"
	" rec_id INTEGER NOT NULL,"
	" review_id INTEGER NOT NULL,"
	" position INTEGER NOT NULL,"
	" ref TEXT NOT NULL,"
	" text TEXT NOT NULL,"
	" response_kind TEXT CHECK (response_kind IN ('accepted',"
	"  'partly-accepted','not-accepted')),"
	" response TEXT NOT NULL DEFAULT '',"
	" PRIMARY KEY (council, rec_id),"
	" FOREIGN KEY (council, review_id)"
	"  REFERENCES scrutiny_review(council, review_id));"
	"CREATE UNIQUE INDEX scrutiny_rec_ref ON scrutiny_rec"
	" (council, review_id, ref);"

	"CREATE TABLE scrutiny_action ("
	" council TEXT NOT NULL,"
	" action_id INTEGER NOT NULL,"
	" rec_id INTEGER NOT NULL,"
	" review_id INTEGER NOT NULL,"
	" position INTEGER NOT NULL,"
	" text TEXT NOT NULL,"
	" owner TEXT NOT NULL DEFAULT '',"
	" budget TEXT NOT NULL DEFAULT '',"
	" timescale_text TEXT NOT NULL DEFAULT '',"
	" due_on TEXT,"
	" recurrence TEXT CHECK (recurrence IN ('ongoing','weekly',"
	"  'monthly','quarterly','termly','six-monthly','annually')),"
	" timescale_checked INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (council, action_id),"
	" FOREIGN KEY (council, rec_id) REFERENCES scrutiny_rec(council, rec_id));"
	"CREATE INDEX scrutiny_action_rec ON scrutiny_action"
	" (council, rec_id, position);"
	"CREATE INDEX scrutiny_action_review ON scrutiny_action"
	" (council, review_id);"

	"CREATE TABLE scrutiny_update ("
	" council TEXT NOT NULL,"
	" update_id INTEGER NOT NULL,"
	" action_id INTEGER NOT NULL,"
	" review_id INTEGER NOT NULL,"
	" on_date TEXT NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN ('not-started',"
	"  'in-progress','delayed','ongoing','completed','superseded')),"
	" narrative TEXT NOT NULL DEFAULT '',"
	" user_id INTEGER NOT NULL,"
	" author TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" PRIMARY KEY (council, update_id),"
	" FOREIGN KEY (council, action_id)"
	"  REFERENCES scrutiny_action(council, action_id));"
	"CREATE INDEX scrutiny_update_action ON scrutiny_update"
	" (council, action_id, on_date, update_id);"

	"CREATE TABLE scrutiny_comment ("
	" council TEXT NOT NULL,"
	" comment_id INTEGER NOT NULL,"
	" review_id INTEGER NOT NULL,"
	" rec_id INTEGER,"
	" text TEXT NOT NULL,"
	" user_id INTEGER NOT NULL,"
	" author TEXT NOT NULL,"
	" role TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" PRIMARY KEY (council, comment_id),"
	" FOREIGN KEY (council, review_id)"
	"  REFERENCES scrutiny_review(council, review_id));"
	"CREATE INDEX scrutiny_comment_review ON scrutiny_comment"
	" (council, review_id, comment_id);"

	/* progress reports presented to the body, for "what changed since
	 * the last report" and the next report's due date */
	"CREATE TABLE scrutiny_report ("
	" council TEXT NOT NULL,"
	" review_id INTEGER NOT NULL,"
	" presented_on TEXT NOT NULL,"
	" user_id INTEGER NOT NULL,"
	" created_at TEXT NOT NULL,"
	" PRIMARY KEY (council, review_id, presented_on),"
	" FOREIGN KEY (council, review_id)"
	"  REFERENCES scrutiny_review(council, review_id));",

	/* 3: audit chain v2 (audit/audit.h, decision D21): each row's hash
	 * version (rows already written stay hv 1) and the request's
	 * outcome; the head's row count and head hash (NULL on a legacy
	 * head until its next row).  A list's row names the children it
	 * showed (children, in the hash), indexed by child in audit_seen for
	 * "who has viewed".  And API tokens may expire. */
	"ALTER TABLE audit ADD COLUMN status INTEGER;"
	"ALTER TABLE audit ADD COLUMN hv INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE audit ADD COLUMN children TEXT;"
	"CREATE TABLE audit_seen ("
	" council TEXT NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" seq INTEGER NOT NULL,"
	" PRIMARY KEY (council, child_id, seq));"
	"ALTER TABLE audit_head ADD COLUMN count INTEGER;"
	"ALTER TABLE audit_head ADD COLUMN head_hash TEXT;"
	"ALTER TABLE api_token ADD COLUMN expires_at TEXT;",

	/* 4: drafts (draft/draft.h, decision D24).  A separate entry on
	 * purpose: another branch also adds a version 4, and whoever merges
	 * second renumbers this one.  Typed work kept for a person when
	 * their session expired, or saved on purpose, for at most 24 hours:
	 * the fields are sealed with the server's key (nonce, ciphertext);
	 * times are epoch seconds, like sessions'. */
	"CREATE TABLE draft ("
	" council TEXT NOT NULL,"
	" draft_id INTEGER NOT NULL,"
	" user_id INTEGER NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('kept','saved')),"
	" path TEXT NOT NULL,"
	" form_path TEXT NOT NULL,"
	" form_query TEXT NOT NULL DEFAULT '',"
	" created_at BIGINT NOT NULL,"
	" expires_at BIGINT NOT NULL,"
	" nonce BLOB NOT NULL,"
	" ciphertext BLOB NOT NULL,"
	" PRIMARY KEY (council, draft_id));"
	"CREATE INDEX draft_user ON draft (council, user_id, form_path);"
	"CREATE INDEX draft_expires ON draft (expires_at);"
	/* the last draft id given out, so ids are never reused */
	"CREATE TABLE draft_seq ("
	" council TEXT NOT NULL,"
	" last_id INTEGER NOT NULL,"
	" PRIMARY KEY (council));",

	/* 5: the timescale engine's due items (domain/due.h).  `cairn
	 * init` fills due_item from the records when it migrates from an
	 * older version. */
	"CREATE TABLE due_item ("
	" council TEXT NOT NULL,"
	" rule TEXT NOT NULL,"
	" subject TEXT NOT NULL,"
	" subject_id INTEGER NOT NULL,"
	" seq INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" started_at TEXT NOT NULL,"
	" due_at TEXT NOT NULL,"
	" soon_at TEXT NOT NULL,"
	" met_at TEXT,"
	" worker_id INTEGER,"
	" team_id INTEGER,"
	" PRIMARY KEY (council, rule, subject, subject_id, seq));"
	"CREATE INDEX due_open ON due_item (council, met_at, due_at);"
	"CREATE INDEX due_worker ON due_item (council, worker_id, met_at, due_at);"
	"CREATE INDEX due_team ON due_item (council, team_id, met_at, due_at);"
	"CREATE INDEX due_child ON due_item (council, child_id);"
	/* the single assessment's dates: when it started and when a manager
	 * authorised it (R02 is met then).  The rest of the record (the
	 * child seen, the analysis, the outcome) comes with the assessment
	 * module; the demo writes these two dates. */
	"CREATE TABLE assessment ("
	" council TEXT NOT NULL,"
	" assessment_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" referral_id INTEGER,"
	" started_on TEXT NOT NULL,"
	" authorised_on TEXT,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" PRIMARY KEY (council, assessment_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX assessment_referral ON assessment (council, referral_id);",

	/* ------------------------------------------------------------------
	 * 6: PostgreSQL-safe ids and per-council uniqueness (docs/decisions.md
	 * D25, D26).
	 *
	 * id_counter: each council's next id of each kind (kind: the table's
	 * name), taken by db_next_id's upsert in the writer's transaction
	 * instead of MAX(id) + 1.  Seeded here from what each table holds.
	 *
	 * Usernames and API token hashes are unique within a council, not
	 * across councils (a unique index across councils cannot be enforced
	 * on a store sharded by council); the sign-in, session and token
	 * lookups that find a council from a username or token keep an
	 * ordinary index on it.
	 * ------------------------------------------------------------------ */
	"CREATE TABLE id_counter ("
	" council TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" next INTEGER NOT NULL,"
	" PRIMARY KEY (council, kind));"
	"INSERT INTO id_counter (council, kind, next)"
	" SELECT council, 'app_user', MAX(user_id) + 1 FROM app_user GROUP BY council;"
	"INSERT INTO id_counter (council, kind, next)"
	" SELECT council, 'api_token', MAX(token_id) + 1 FROM api_token GROUP BY council;"
	"INSERT INTO id_counter (council, kind, next)"
	" SELECT council, 'child', MAX(child_id) + 1 FROM child GROUP BY council;"
	"INSERT INTO id_counter (council, kind, next)"
	" SELECT council, 'child_history', MAX(seq) + 1 FROM child_history GROUP BY council;"
	"INSERT INTO id_counter (council, kind, next)"
	" SELECT council, 'address', MAX(address_id) + 1 FROM address GROUP BY council;"
	"INSERT INTO id_counter (council, kind, next)"
	" SELECT council, 'network_member', MAX(member_id) + 1 FROM network_member GROUP BY council;"
	"INSERT INTO id_counter (council, kind, next)"
	" SELECT council, 'flag', MAX(flag_id) + 1 FROM flag GROUP BY council;"
	"INSERT INTO id_counter (council, kind, next)"
	" SELECT council, 'contact', MAX(contact_id) + 1 FROM contact GROUP BY council;"
	"INSERT INTO id_counter (council, kind, next)"
	" SELECT council, 'referral', MAX(referral_id) + 1 FROM referral GROUP BY council;"
	"INSERT INTO id_counter (council, kind, next)"
	" SELECT council, 'scrutiny_review', MAX(review_id) + 1 FROM scrutiny_review GROUP BY council;"
	"INSERT INTO id_counter (council, kind, next)"
	" SELECT council, 'scrutiny_rec', MAX(rec_id) + 1 FROM scrutiny_rec GROUP BY council;"
	"INSERT INTO id_counter (council, kind, next)"
	" SELECT council, 'scrutiny_action', MAX(action_id) + 1 FROM scrutiny_action GROUP BY council;"
	"INSERT INTO id_counter (council, kind, next)"
	" SELECT council, 'scrutiny_update', MAX(update_id) + 1 FROM scrutiny_update GROUP BY council;"
	"INSERT INTO id_counter (council, kind, next)"
	" SELECT council, 'scrutiny_comment', MAX(comment_id) + 1 FROM scrutiny_comment GROUP BY council;"
	"INSERT INTO id_counter (council, kind, next)"
	" SELECT council, 'assessment', MAX(assessment_id) + 1 FROM assessment GROUP BY council;"
	"DROP INDEX app_user_username;"
	"CREATE UNIQUE INDEX app_user_username ON app_user (council, username);"
	"CREATE INDEX app_user_by_username ON app_user (username);"
	"DROP INDEX api_token_hash;"
	"CREATE UNIQUE INDEX api_token_hash ON api_token (council, token_hash);"
	"CREATE INDEX api_token_by_hash ON api_token (token_hash);"
	/* session: times in epoch seconds become BIGINT (PostgreSQL's
	 * INTEGER is 32 bits and would end in 2038; SQLite's is 64 either
	 * way); rebuilt with its rows, and its token index per council */
	"CREATE TABLE session_v4 ("
	" council TEXT NOT NULL,"
	" token_hash TEXT NOT NULL,"
	" user_id INTEGER NOT NULL,"
	" csrf TEXT NOT NULL,"
	" created_at BIGINT NOT NULL,"
	" seen_at BIGINT NOT NULL,"
	" PRIMARY KEY (council, token_hash));"
	"INSERT INTO session_v4 (council, token_hash, user_id, csrf,"
	" created_at, seen_at) SELECT council, token_hash, user_id, csrf,"
	" created_at, seen_at FROM session;"
	"DROP TABLE session;"
	"ALTER TABLE session_v4 RENAME TO session;"
	"CREATE INDEX session_by_token ON session (token_hash);",
	/* ------------------------------------------------------------------ */

	/* 7: the child's chronology (domain/chron.h): an entry for every
	 * significant write about a child, and entries made by hand with
	 * their source, significance and an analysis.  `cairn init` makes
	 * the entries for the records already there. */
	"CREATE TABLE chronology ("
	" council TEXT NOT NULL,"
	" entry_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" occurred TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" summary TEXT NOT NULL,"
	" link_kind TEXT,"
	" link_id INTEGER,"
	" source TEXT,"
	" significance TEXT CHECK (significance IN ('high','medium','low')),"
	" analysis TEXT,"
	" analysis_by INTEGER,"
	" analysis_at TEXT,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" PRIMARY KEY (council, entry_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX chronology_child ON chronology (council, child_id, occurred);"
	"CREATE INDEX chronology_link ON chronology (council, link_kind, link_id);",

	/* 8: why a contact was referred while the child already had an open
	 * referral (issue 9: a parallel referral needs a reason). */
	"ALTER TABLE contact ADD COLUMN parallel_reason TEXT;",

	/* 9: the referrer's phone and email; whether the family knows about
	 * the contact and agreed (and if not, why it went ahead); the
	 * acknowledgement sent to the referrer (R01) and the outcome shared
	 * with a professional referrer, each when (UK civil time, as
	 * decided_at) and by whom.  NULL on contacts recorded before. */
	"ALTER TABLE contact ADD COLUMN referrer_phone TEXT;"
	"ALTER TABLE contact ADD COLUMN referrer_email TEXT;"
	"ALTER TABLE contact ADD COLUMN family_consent TEXT CHECK"
	" (family_consent IN ('agreed','not_agreed','not_aware','not_known'));"
	"ALTER TABLE contact ADD COLUMN consent_reason TEXT;"
	"ALTER TABLE contact ADD COLUMN acknowledged_at TEXT;"
	"ALTER TABLE contact ADD COLUMN acknowledged_by INTEGER;"
	"ALTER TABLE contact ADD COLUMN outcome_shared_at TEXT;"
	"ALTER TABLE contact ADD COLUMN outcome_shared_by INTEGER;",

	/* 10: notifications (notify/notify.h, decision D39): what needs a
	 * person's attention.  Codes and ids only, never a name or
	 * narrative: the words are made when the list is read.  created_at
	 * and read_at are UTC stamps.  The contacts overdue in a front-door
	 * officer's queue are worked out from due_item, not stored until
	 * read; due_rule_open serves that count from the index alone. */
	"CREATE TABLE notification ("
	" council TEXT NOT NULL,"
	" notification_id INTEGER NOT NULL,"
	" user_id INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" subject TEXT NOT NULL,"
	" subject_id INTEGER NOT NULL,"
	" detail TEXT,"
	" child_id INTEGER,"
	" created_at TEXT NOT NULL,"
	" read_at TEXT,"
	" PRIMARY KEY (council, notification_id));"
	"CREATE INDEX notification_unread ON notification"
	" (council, user_id, read_at, created_at);"
	"CREATE INDEX notification_subject ON notification"
	" (council, user_id, kind, subject_id);"
	"CREATE INDEX due_rule_open ON due_item"
	" (council, rule, met_at, due_at, team_id, subject_id);",

	/* 11: who is handling a contact in the front door's queue (issue
	 * 9): whoever recorded it when they may decide it, or whoever took
	 * it on since (contact_handle), and since when (UK civil time, as
	 * decided_at). */
	"ALTER TABLE contact ADD COLUMN handled_by INTEGER;"
	"ALTER TABLE contact ADD COLUMN handled_at TEXT;",

	/* 12: several server processes on one store (issue 10 §1, D43).
	 * login_throttle: sign-in failures and lockouts (auth/throttle.h,
	 * D6), shared by every process.  The key is known before the
	 * council, so its rows are the pseudo-council '-'; key_hash is a
	 * keyed hash of "u:<username>" or "a:<address>", never the name
	 * or address itself.  Times in epoch seconds.  name_change: a
	 * number each council's writers raise in the transaction of every
	 * change to a child's names, which a process's name index compares
	 * with what it has read (child/names.c); child.name_seq is that
	 * number as the child's last rename raised it, so a process reads
	 * the children renamed since its snapshot by an index range. */
	"CREATE TABLE login_throttle ("
	" council TEXT NOT NULL,"
	" key_hash TEXT NOT NULL,"
	" first_at BIGINT NOT NULL,"
	" failures INTEGER NOT NULL,"
	" pending INTEGER NOT NULL,"
	" pending_at BIGINT NOT NULL,"
	" locked_until BIGINT NOT NULL,"
	" seen_at BIGINT NOT NULL,"
	" PRIMARY KEY (council, key_hash));"
	"CREATE INDEX login_throttle_seen ON login_throttle (council, seen_at);"
	"CREATE TABLE name_change ("
	" council TEXT NOT NULL,"
	" n INTEGER NOT NULL,"
	" PRIMARY KEY (council));"
	"ALTER TABLE child ADD COLUMN name_seq INTEGER;"
	"CREATE INDEX child_name_seq ON child (council, name_seq);",

	/* 13: the single assessment, written (issue 11 §2, assess/assess.h).
	 * The record's narrative (the child's developmental needs,
	 * parenting capacity, family and environmental factors, the
	 * summary analysis), the child's wishes and feelings and how they
	 * were gathered, the outcome, submission, the manager's
	 * authorisation and, when it was after R02's due date, the reason;
	 * a version raised by every change, so a manager authorises what
	 * they read.  case_id: the open case (episode of need) it was
	 * started from, when not a referral (no foreign key yet).  The
	 * factors are tags (CIN census codes), never instead of the
	 * narrative; each time the child was seen is a row (R05 is met by
	 * the first).  One assessment a referral: the index becomes
	 * unique. */
	"ALTER TABLE assessment ADD COLUMN case_id INTEGER;"
	"ALTER TABLE assessment ADD COLUMN development TEXT;"
	"ALTER TABLE assessment ADD COLUMN parenting TEXT;"
	"ALTER TABLE assessment ADD COLUMN family TEXT;"
	"ALTER TABLE assessment ADD COLUMN analysis TEXT;"
	"ALTER TABLE assessment ADD COLUMN wishes TEXT;"
	"ALTER TABLE assessment ADD COLUMN wishes_how TEXT CHECK (wishes_how IN"
	" ('words','drawing','advocate','app','other'));"
	"ALTER TABLE assessment ADD COLUMN outcome TEXT CHECK (outcome IN"
	" ('nfa','family_help','cin_plan','strategy','step_down'));"
	"ALTER TABLE assessment ADD COLUMN submitted_at TEXT;"
	"ALTER TABLE assessment ADD COLUMN submitted_by INTEGER;"
	"ALTER TABLE assessment ADD COLUMN authorised_by INTEGER;"
	"ALTER TABLE assessment ADD COLUMN late_reason TEXT;"
	"ALTER TABLE assessment ADD COLUMN version INTEGER NOT NULL DEFAULT 1;"
	"DROP INDEX assessment_referral;"
	"CREATE UNIQUE INDEX assessment_referral ON assessment"
	" (council, referral_id);"
	"CREATE INDEX assessment_child ON assessment (council, child_id);"
	"CREATE TABLE assessment_factor ("
	" council TEXT NOT NULL,"
	" assessment_id INTEGER NOT NULL,"
	" factor TEXT NOT NULL,"
	" PRIMARY KEY (council, assessment_id, factor),"
	" FOREIGN KEY (council, assessment_id)"
	"  REFERENCES assessment(council, assessment_id));"
	"CREATE TABLE assessment_seen ("
	" council TEXT NOT NULL,"
	" seen_id INTEGER NOT NULL,"
	" assessment_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" seen_on TEXT NOT NULL,"
	" alone INTEGER NOT NULL,"
	" seen_by INTEGER NOT NULL,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" PRIMARY KEY (council, seen_id),"
	" FOREIGN KEY (council, assessment_id)"
	"  REFERENCES assessment(council, assessment_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX assessment_seen_of ON assessment_seen"
	" (council, assessment_id, seen_on);",

	/* ------------------------------------------------------------------
	 * 14: visits, case notes and the child's voice (practice/practice.h,
	 * issue 11 section 4).
	 *
	 * case_note is append-only: no statement in the catalogue updates or
	 * deletes it (practice_test checks).  A correction is a row of its
	 * own naming the note it corrects (`corrects`, always the original),
	 * with why; the original stays as it was written.
	 *
	 * child_voice gathers what the child said wherever it was heard: on
	 * its own, or at a visit, an assessment, a conference or a review
	 * (link_kind, link_id).
	 * ------------------------------------------------------------------ */
	"CREATE TABLE visit ("
	" council TEXT NOT NULL,"
	" visit_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" visited_at TEXT NOT NULL,"
	" place TEXT NOT NULL,"
	" place_detail TEXT,"
	" child_seen INTEGER NOT NULL,"
	" seen_alone INTEGER NOT NULL,"
	" others_present TEXT,"
	" observations TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" PRIMARY KEY (council, visit_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX visit_child ON visit (council, child_id, visited_at);"
	"CREATE TABLE case_note ("
	" council TEXT NOT NULL,"
	" note_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" occurred TEXT NOT NULL,"
	" subject TEXT NOT NULL,"
	" body TEXT NOT NULL,"
	" corrects INTEGER,"
	" reason TEXT,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" PRIMARY KEY (council, note_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX case_note_child ON case_note (council, child_id, note_id);"
	"CREATE TABLE child_voice ("
	" council TEXT NOT NULL,"
	" voice_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" heard_on TEXT NOT NULL,"
	" how TEXT NOT NULL,"
	" said TEXT NOT NULL,"
	" heard_by INTEGER NOT NULL,"
	" link_kind TEXT,"
	" link_id INTEGER,"
	" created_at TEXT NOT NULL,"
	" PRIMARY KEY (council, voice_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX child_voice_child ON child_voice (council, child_id, heard_on);",

	/* 15: the case (episode of need, issue 11 §1 and §6; episode/
	 * episode.h).  A case of one type (Family Help, child protection,
	 * looked after) from its opening to its closing; at most one open
	 * case of a type for a child (the partial unique index).  Family
	 * Help keeps the census's CIN plan dates in plan_start/plan_end
	 * when section17 is set.  referral_id and assessment_id say what
	 * it was opened from (no foreign key to assessment: that module
	 * comes separately).  The allocation in force is on the row (the
	 * unallocated list and caseloads read it by index); every
	 * allocation is kept in episode_allocation.  Members are the
	 * child's network members or other children; the plan is outcomes
	 * and actions; each review records progress on every outcome.
	 * Dates 'YYYY-MM-DD'; allocated_at UK civil 'YYYY-MM-DDTHH:MM'. */
	"CREATE TABLE episode ("
	" council TEXT NOT NULL,"
	" episode_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" case_type TEXT NOT NULL CHECK (case_type IN"
	"  ('family_help','child_protection','looked_after')),"
	" section17 INTEGER NOT NULL DEFAULT 0,"
	" plan_start TEXT,"
	" plan_end TEXT,"
	" primary_need TEXT NOT NULL,"
	" referral_id INTEGER,"
	" assessment_id INTEGER,"
	" opened_on TEXT NOT NULL,"
	" closed_on TEXT,"
	" closure_reason TEXT,"
	" team_id INTEGER,"
	" worker_id INTEGER,"
	" manager_id INTEGER,"
	" allocated_at TEXT,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" CHECK (closed_on IS NULL OR closed_on >= opened_on),"
	" CHECK ((closed_on IS NULL) = (closure_reason IS NULL)),"
	" CHECK (plan_end IS NULL OR (plan_start IS NOT NULL"
	"  AND plan_end >= plan_start)),"
	" CHECK (section17 = 0 OR case_type = 'family_help'),"
	" PRIMARY KEY (council, episode_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE UNIQUE INDEX episode_one_open ON episode"
	" (council, child_id, case_type) WHERE closed_on IS NULL;"
	"CREATE INDEX episode_child ON episode (council, child_id);"
	"CREATE INDEX episode_worker ON episode (council, worker_id, closed_on);"
	"CREATE INDEX episode_team ON episode (council, team_id, closed_on);"
	"CREATE TABLE episode_allocation ("
	" council TEXT NOT NULL,"
	" allocation_id INTEGER NOT NULL,"
	" episode_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" team_id INTEGER NOT NULL,"
	" worker_id INTEGER NOT NULL,"
	" manager_id INTEGER NOT NULL,"
	" allocated_at TEXT NOT NULL,"
	" allocated_by INTEGER NOT NULL,"
	" PRIMARY KEY (council, allocation_id),"
	" FOREIGN KEY (council, episode_id) REFERENCES episode(council, episode_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX episode_allocation_episode ON episode_allocation"
	" (council, episode_id);"
	"CREATE TABLE episode_member ("
	" council TEXT NOT NULL,"
	" member_id INTEGER NOT NULL,"
	" episode_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" network_member_id INTEGER,"
	" member_child_id INTEGER,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" CHECK ((network_member_id IS NULL) <> (member_child_id IS NULL)),"
	" PRIMARY KEY (council, member_id),"
	" FOREIGN KEY (council, episode_id) REFERENCES episode(council, episode_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id),"
	" FOREIGN KEY (council, child_id, network_member_id)"
	"  REFERENCES network_member(council, child_id, member_id),"
	" FOREIGN KEY (council, member_child_id) REFERENCES child(council, child_id));"
	"CREATE UNIQUE INDEX episode_member_network ON episode_member"
	" (council, episode_id, network_member_id)"
	" WHERE network_member_id IS NOT NULL;"
	"CREATE UNIQUE INDEX episode_member_child ON episode_member"
	" (council, episode_id, member_child_id) WHERE member_child_id IS NOT NULL;"
	"CREATE TABLE episode_plan_outcome ("
	" council TEXT NOT NULL,"
	" outcome_id INTEGER NOT NULL,"
	" episode_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" outcome TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" PRIMARY KEY (council, outcome_id),"
	" FOREIGN KEY (council, episode_id) REFERENCES episode(council, episode_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX episode_outcome_episode ON episode_plan_outcome"
	" (council, episode_id);"
	"CREATE TABLE episode_plan_action ("
	" council TEXT NOT NULL,"
	" action_id INTEGER NOT NULL,"
	" episode_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" outcome_id INTEGER NOT NULL,"
	" action TEXT NOT NULL,"
	" owner TEXT NOT NULL,"
	" due_on TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" PRIMARY KEY (council, action_id),"
	" FOREIGN KEY (council, outcome_id)"
	"  REFERENCES episode_plan_outcome(council, outcome_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX episode_action_episode ON episode_plan_action"
	" (council, episode_id);"
	"CREATE TABLE episode_review ("
	" council TEXT NOT NULL,"
	" review_id INTEGER NOT NULL,"
	" episode_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" review_date TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" PRIMARY KEY (council, review_id),"
	" FOREIGN KEY (council, episode_id) REFERENCES episode(council, episode_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX episode_review_episode ON episode_review"
	" (council, episode_id, review_date);"
	"CREATE TABLE episode_progress ("
	" council TEXT NOT NULL,"
	" review_id INTEGER NOT NULL,"
	" outcome_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" progress TEXT NOT NULL CHECK (progress IN"
	"  ('achieved','progressing','no_change','worse')),"
	" PRIMARY KEY (council, review_id, outcome_id),"
	" FOREIGN KEY (council, review_id) REFERENCES episode_review(council, review_id),"
	" FOREIGN KEY (council, outcome_id)"
	"  REFERENCES episode_plan_outcome(council, outcome_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));",

	/* 16: child protection (issue 11 §3; cp/cp.h).  The chain:
	 * strategy discussion (who took part, from which agency, what
	 * each shared), section 47 enquiry (one a discussion), initial
	 * and review conferences with their attendees, the plan (one a
	 * conference; one open a child) and its core group meetings.  A
	 * review conference's plan_id has no foreign key (the plan refers
	 * to its initial conference; the two would be circular).  Dates
	 * 'YYYY-MM-DD'. */
	"CREATE TABLE cp_strategy ("
	" council TEXT NOT NULL,"
	" strategy_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" held_on TEXT NOT NULL,"
	" decision TEXT NOT NULL CHECK (decision IN ('s47','nfa','other')),"
	" decision_note TEXT,"
	" lead_id INTEGER NOT NULL,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" PRIMARY KEY (council, strategy_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX cp_strategy_child ON cp_strategy (council, child_id);"
	"CREATE TABLE cp_participant ("
	" council TEXT NOT NULL,"
	" participant_id INTEGER NOT NULL,"
	" strategy_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" agency TEXT NOT NULL CHECK (agency IN"
	"  ('police','health','education','social_care','other')),"
	" name TEXT NOT NULL,"
	" role TEXT,"
	" shared TEXT,"
	" org_id INTEGER,"
	" PRIMARY KEY (council, participant_id),"
	" FOREIGN KEY (council, strategy_id)"
	"  REFERENCES cp_strategy(council, strategy_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX cp_participant_of ON cp_participant"
	" (council, strategy_id);"
	"CREATE INDEX cp_participant_org ON cp_participant (council, org_id);"
	"CREATE TABLE cp_s47 ("
	" council TEXT NOT NULL,"
	" s47_id INTEGER NOT NULL,"
	" strategy_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" started_on TEXT NOT NULL,"
	" concluded_on TEXT,"
	" findings TEXT,"
	" substantiated INTEGER,"
	" conference INTEGER,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" CHECK (concluded_on IS NULL OR concluded_on >= started_on),"
	" PRIMARY KEY (council, s47_id),"
	" FOREIGN KEY (council, strategy_id)"
	"  REFERENCES cp_strategy(council, strategy_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE UNIQUE INDEX cp_s47_strategy ON cp_s47 (council, strategy_id);"
	"CREATE INDEX cp_s47_child ON cp_s47 (council, child_id);"
	"CREATE TABLE cp_conference ("
	" council TEXT NOT NULL,"
	" conference_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('initial','review')),"
	" s47_id INTEGER,"
	" plan_id INTEGER,"
	" held_on TEXT NOT NULL,"
	" pre_birth INTEGER NOT NULL DEFAULT 0,"
	" decision TEXT NOT NULL CHECK (decision IN"
	"  ('plan','no_plan','continue','end')),"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" CHECK ((kind = 'initial') = (s47_id IS NOT NULL)),"
	" CHECK ((kind = 'review') = (plan_id IS NOT NULL)),"
	" PRIMARY KEY (council, conference_id),"
	" FOREIGN KEY (council, s47_id) REFERENCES cp_s47(council, s47_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE UNIQUE INDEX cp_conference_s47 ON cp_conference"
	" (council, s47_id) WHERE s47_id IS NOT NULL;"
	"CREATE INDEX cp_conference_child ON cp_conference (council, child_id);"
	"CREATE INDEX cp_conference_plan ON cp_conference"
	" (council, plan_id, held_on);"
	"CREATE TABLE cp_attendee ("
	" council TEXT NOT NULL,"
	" attendee_id INTEGER NOT NULL,"
	" conference_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" agency TEXT NOT NULL CHECK (agency IN"
	"  ('police','health','education','social_care','other')),"
	" name TEXT NOT NULL,"
	" role TEXT,"
	" report INTEGER NOT NULL,"
	" PRIMARY KEY (council, attendee_id),"
	" FOREIGN KEY (council, conference_id)"
	"  REFERENCES cp_conference(council, conference_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX cp_attendee_of ON cp_attendee (council, conference_id);"
	"CREATE TABLE cp_plan ("
	" council TEXT NOT NULL,"
	" plan_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" conference_id INTEGER NOT NULL,"
	" episode_id INTEGER,"
	" category TEXT NOT NULL CHECK (category IN"
	"  ('NEG','PHY','SAB','EMO','MUL')),"
	" started_on TEXT NOT NULL,"
	" ended_on TEXT,"
	" end_reason TEXT,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" CHECK (ended_on IS NULL OR ended_on >= started_on),"
	" CHECK ((ended_on IS NULL) = (end_reason IS NULL)),"
	" PRIMARY KEY (council, plan_id),"
	" FOREIGN KEY (council, conference_id)"
	"  REFERENCES cp_conference(council, conference_id),"
	" FOREIGN KEY (council, episode_id) REFERENCES episode(council, episode_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE UNIQUE INDEX cp_plan_conference ON cp_plan"
	" (council, conference_id);"
	"CREATE UNIQUE INDEX cp_plan_one_open ON cp_plan (council, child_id)"
	" WHERE ended_on IS NULL;"
	"CREATE INDEX cp_plan_child ON cp_plan (council, child_id, started_on);"
	"CREATE TABLE cp_core_group ("
	" council TEXT NOT NULL,"
	" meeting_id INTEGER NOT NULL,"
	" plan_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" held_on TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" PRIMARY KEY (council, meeting_id),"
	" FOREIGN KEY (council, plan_id) REFERENCES cp_plan(council, plan_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE INDEX cp_core_group_plan ON cp_core_group"
	" (council, plan_id, held_on);",

	/* 17: closure and step-down, transition to adulthood (issue 11 §8
	 * and §7; episode/episode.h, "Closing").  The council's directory
	 * of universal services (service_entry: a kind, a name, how to
	 * reach it; withdrawn entries kept for the closures that name
	 * them).  Before a case that had an assessment closes, each
	 * partner agency involved with the child is consulted
	 * (episode_consultation: who, when, their view).  The closing
	 * itself (episode_closure, one row a closed case closed through
	 * the module): the agency keeping watch on the family, what it
	 * watches for and until when (the partner rule reads it:
	 * child/visible.c), the manager who approved; and the services the
	 * family was connected to (episode_closure_service).  A case
	 * reopened within 12 months names the closed one (reopened_from).
	 * A young person's transition to adult services (transition_plan,
	 * one a child): the adult-services contact, the agreed support,
	 * the handover; starts_on, the 17th birthday, starts L02 (the
	 * 18th-birthday check that the handover happened). */
	"CREATE TABLE service_entry ("
	" council TEXT NOT NULL,"
	" service_id INTEGER NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('money_advice',"
	"  'financial_inclusion','parenting','childrens_centre','early_help',"
	"  'careers_advice')),"
	" name TEXT NOT NULL,"
	" contact TEXT NOT NULL,"
	" withdrawn INTEGER NOT NULL DEFAULT 0,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" PRIMARY KEY (council, service_id));"
	"CREATE UNIQUE INDEX service_entry_name ON service_entry"
	" (council, kind, name);"
	"CREATE TABLE episode_consultation ("
	" council TEXT NOT NULL,"
	" consultation_id INTEGER NOT NULL,"
	" episode_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" org_id INTEGER NOT NULL,"
	" person TEXT NOT NULL,"
	" consulted_on TEXT NOT NULL,"
	" view TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" PRIMARY KEY (council, consultation_id),"
	" FOREIGN KEY (council, episode_id) REFERENCES episode(council, episode_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id),"
	" FOREIGN KEY (council, org_id) REFERENCES organisation(council, org_id));"
	"CREATE INDEX episode_consultation_episode ON episode_consultation"
	" (council, episode_id, org_id);"
	"CREATE TABLE episode_closure ("
	" council TEXT NOT NULL,"
	" episode_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" assessed INTEGER NOT NULL,"
	" watch_org_id INTEGER,"
	" watch_for TEXT,"
	" watch_until TEXT,"
	" approved_by INTEGER,"
	" approved_at TEXT,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" CHECK ((watch_org_id IS NULL) = (watch_until IS NULL)),"
	" CHECK (assessed = 0 OR (watch_org_id IS NOT NULL"
	"  AND approved_by IS NOT NULL)),"
	" PRIMARY KEY (council, episode_id),"
	" FOREIGN KEY (council, episode_id) REFERENCES episode(council, episode_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id),"
	" FOREIGN KEY (council, watch_org_id)"
	"  REFERENCES organisation(council, org_id));"
	"CREATE INDEX episode_closure_watch ON episode_closure"
	" (council, watch_org_id, watch_until);"
	"CREATE INDEX episode_closure_child ON episode_closure"
	" (council, child_id);"
	"CREATE TABLE episode_closure_service ("
	" council TEXT NOT NULL,"
	" episode_id INTEGER NOT NULL,"
	" service_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" PRIMARY KEY (council, episode_id, service_id),"
	" FOREIGN KEY (council, episode_id)"
	"  REFERENCES episode_closure(council, episode_id),"
	" FOREIGN KEY (council, service_id)"
	"  REFERENCES service_entry(council, service_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"ALTER TABLE episode ADD COLUMN reopened_from INTEGER;"
	"CREATE TABLE transition_plan ("
	" council TEXT NOT NULL,"
	" transition_id INTEGER NOT NULL,"
	" child_id INTEGER NOT NULL,"
	" adult_contact TEXT NOT NULL,"
	" adult_service TEXT NOT NULL,"
	" support TEXT NOT NULL,"
	" handover_on TEXT,"
	" starts_on TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" updated_at TEXT NOT NULL,"
	" PRIMARY KEY (council, transition_id),"
	" FOREIGN KEY (council, child_id) REFERENCES child(council, child_id));"
	"CREATE UNIQUE INDEX transition_plan_child ON transition_plan"
	" (council, child_id);",

	/* 18: R11, visits to a child on a child protection plan: the
	 * plan's own frequency in working days (NULL: the council's
	 * setting cp_visit_working_days; domain/due.c). */
	"ALTER TABLE cp_plan ADD COLUMN visit_days INTEGER"
	" CHECK (visit_days BETWEEN 1 AND 60);"
	/* due_refresh reads a child's items of one rule: an index SQLite
	 * prefers to the primary key's (council, rule, subject), which
	 * read all of the council's items of the rule on every visit */
	"DROP INDEX due_child;"
	"CREATE INDEX due_child ON due_item (council, child_id, rule, subject);"
	/* due_assign moves a subject's items whatever their rule: without
	 * this index every allocation read all of the council's items (the
	 * 50,000-child demo spent minutes in it) */
	"CREATE INDEX due_subject ON due_item (council, subject, subject_id);"
	/* a case's plans, for due_assign's moving their clocks */
	"CREATE INDEX cp_plan_episode ON cp_plan (council, episode_id);",

	/* 19: the family (issue 11 section 5, D55).  An adult in a child's
	 * life is a family_person entered once; each child's link to them
	 * is that child's network_member row pointing at the person
	 * (person_id), with the child's own relationship (rel_code, a code
	 * of family/family.h; relationship keeps the words, the free text
	 * for "other").  Professionals and links to a brother's or sister's
	 * own record stay network_member rows without a person, so the
	 * partner rule (child/visible.c) is unchanged.  A person is linked
	 * to a child once.  family_factor: a parental factor (an assessment
	 * factor code about a parent, carer or another adult of the
	 * household) recorded against a person, who recorded it, when, and
	 * its source (an assessment of a child of the family, or words).
	 * Every family row already kept becomes a person of its own,
	 * numbered in each council by child and member (member ids need not
	 * be the council's: the demo's generator numbers each child's
	 * network from 1), in one UPDATE ... FROM (SQLite 3.33, PostgreSQL)
	 * rather than a subquery a row. */
	"CREATE TABLE family_person ("
	" council TEXT NOT NULL,"
	" person_id INTEGER NOT NULL,"
	" name TEXT NOT NULL,"
	" phone TEXT,"
	" created_at TEXT NOT NULL,"
	" created_by INTEGER NOT NULL,"
	" PRIMARY KEY (council, person_id));"
	"ALTER TABLE network_member ADD COLUMN person_id INTEGER;"
	"ALTER TABLE network_member ADD COLUMN rel_code TEXT;"
	"CREATE UNIQUE INDEX network_member_person ON network_member"
	" (council, person_id, child_id) WHERE person_id IS NOT NULL;"
	"CREATE INDEX network_member_linked ON network_member"
	" (council, linked_child_id) WHERE linked_child_id IS NOT NULL;"
	"UPDATE network_member SET person_id = s.n, rel_code ="
	" CASE network_member.kind WHEN 'parent' THEN 'parent'"
	" WHEN 'sibling' THEN 'sibling' ELSE 'other' END"
	" FROM (SELECT council AS sc, child_id AS sch, member_id AS sm,"
	"  ROW_NUMBER() OVER (PARTITION BY council ORDER BY child_id,"
	"  member_id) AS n FROM network_member WHERE kind <> 'professional'"
	"  AND linked_child_id IS NULL) s"
	" WHERE network_member.council = s.sc AND network_member.child_id ="
	" s.sch AND network_member.member_id = s.sm;"
	"INSERT INTO family_person (council, person_id, name, phone,"
	" created_at, created_by)"
	" SELECT council, person_id, name, phone, '1970-01-01T00:00:00Z', 0"
	" FROM network_member WHERE person_id IS NOT NULL;"
	"INSERT INTO id_counter (council, kind, next)"
	" SELECT council, 'family_person', MAX(person_id) + 1 FROM family_person"
	" GROUP BY council;"
	"CREATE TABLE family_factor ("
	" council TEXT NOT NULL,"
	" factor_id INTEGER NOT NULL,"
	" person_id INTEGER NOT NULL,"
	" factor TEXT NOT NULL,"
	" assessment_id INTEGER,"
	" source TEXT,"
	" noted_on TEXT NOT NULL,"
	" recorded_at TEXT NOT NULL,"
	" recorded_by INTEGER NOT NULL,"
	" CHECK (assessment_id IS NOT NULL OR source IS NOT NULL),"
	" PRIMARY KEY (council, factor_id),"
	" FOREIGN KEY (council, person_id)"
	"  REFERENCES family_person(council, person_id),"
	" FOREIGN KEY (council, assessment_id)"
	"  REFERENCES assessment(council, assessment_id));"
	"CREATE INDEX family_factor_person ON family_factor"
	" (council, person_id);",

	/* 20: indexes found missing by the 50,000-child benchmarks.  "My
	 * work" (referral_my_children) gathers each child's open items:
	 * through due_child it read every item the child ever had, met or
	 * not, row by row (a child has about 20, of which one or two are
	 * open). */
	"CREATE INDEX due_child_open ON due_item (council, child_id, due_at,"
	" rule) WHERE met_at IS NULL;"
	/* a case note and its corrections (practice_note_family: note_id
	 * = ? OR corrects = ?) read every note of the council without it,
	 * on both stores: each correction the demo wrote read them all */
	"CREATE INDEX case_note_corrects ON case_note (council, corrects)"
	" WHERE corrects IS NOT NULL;",
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

DB_STMT(st_version_table) = {
	"schema_version_create",
	"CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
	DB_ROLE_SYSTEM,
};
DB_STMT(st_version_get) = {
	"schema_version_get",
	"SELECT version FROM schema_version",
	DB_ROLES_ALL,
};
DB_STMT(st_version_del) = {
	"schema_version_del", "DELETE FROM schema_version", DB_ROLE_SYSTEM,
};
DB_STMT(st_version_set) = {
	"schema_version_set", "INSERT INTO schema_version (version) VALUES (?1)",
	DB_ROLE_SYSTEM,
};

/* The back end runs a multi-statement DDL script; declared here rather
 * than in db.h because only migrations may use it. */
int db_exec_script(struct db_conn *c, const char *sql);

int db_schema_latest(void)
{
	return NMIGRATIONS;
}

int db_schema_version_read(struct db_conn *c)
{
	struct db_q *q;
	int v = 0;
	if (db_exec0(c, &st_version_get, &q) == DB_ROW) {
		v = (int)db_col_i64(q, 0);
		/* reset: a statement left on its row keeps the table
		 * locked, and a migration's DROP INDEX would fail */
		db_done(q);
	}
	return v;
}

int db_schema_version(struct db_conn *c)
{
	if (db_exec0(c, &st_version_table, NULL) < 0)
		return 0;
	return db_schema_version_read(c);
}

int db_migrate(struct db_conn *c, int *from, int *to)
{
	return db_migrate_to(c, NMIGRATIONS, from, to);
}

int db_migrate_to(struct db_conn *c, int target, int *from, int *to)
{
	if (target < 0 || target > NMIGRATIONS)
		return DB_EIO;
	int rc = db_begin(c, DB_TX_WRITE);
	if (rc != DB_OK)
		return rc;
	int v = db_schema_version(c);
	*from = v;
	*to = v;
	if (v > NMIGRATIONS) {
		db_rollback(c);
		return DB_ESCHEMA;
	}
	for (; v < target; v++) {
		rc = db_exec_script(c, migrations[v]);
		if (rc != DB_OK) {
			db_rollback(c);
			return rc;
		}
	}
	/* the back end's own step after the migrations (PostgreSQL's
	 * row-level security, D43) */
	if (c->be->after_migrate != NULL &&
	    (rc = c->be->after_migrate(c)) != DB_OK) {
		db_rollback(c);
		return rc;
	}
	/* the back end's own step after the migrations (PostgreSQL's
	 * row-level security, D43) */
	if (c->be->after_migrate != NULL &&
	    (rc = c->be->after_migrate(c)) != DB_OK) {
		db_rollback(c);
		return rc;
	}
	if ((rc = db_exec0(c, &st_version_del, NULL)) < 0 ||
	    (rc = db_exec(c, &st_version_set, NULL, v)) < 0) {
		db_rollback(c);
		return rc;
	}
	rc = db_commit(c);
	if (rc == DB_OK)
		*to = v;
	return rc;
}
