/*
 * log: one JSON object a line on stderr.
 *
 * Each line has "ts" (UTC, milliseconds), "level", "event", "rid" (the
 * request id, or "-" outside a request) and the key/value pairs given.
 * Values are JSON-escaped strings.  Callers must never pass personal
 * data (names, dates of birth, narrative, identifiers of a child other
 * than the internal numeric id): this is a rule of the project, checked
 * in review and by tests that scan the log of an end-to-end run.
 * Lines are written with one write(2) so concurrent threads do not
 * interleave.
 */
#ifndef CAIRN_LOG_H
#define CAIRN_LOG_H

enum log_level {
	LOG_DEBUG, /* "debug" */
	LOG_INFO,  /* "info" */
	LOG_WARN,  /* "warn" */
	LOG_ERROR, /* "error" */
	LOG__MAX
};

/* Lines below this level are dropped (default LOG_INFO). */
void log_set_level(enum log_level lvl);

/* Writes one line.  The variadic part is a NULL-terminated list of
 * (const char *key, const char *value) pairs; a NULL value is written
 * as JSON null. */
void log_kv(enum log_level lvl, const char *rid, const char *event, ...)
	__attribute__((sentinel));

#endif
