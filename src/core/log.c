/* log.c: see log.h for the contract. */
#include "core/log.h"
#include "core/str.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const log_names[LOG__MAX] = {
	"debug", /* LOG_DEBUG */
	"info",  /* LOG_INFO */
	"warn",  /* LOG_WARN */
	"error", /* LOG_ERROR */
};

/* Process-wide by nature (stderr is); set once at start-up. */
static _Atomic int log_min = LOG_INFO;

void log_set_level(enum log_level lvl)
{
	atomic_store(&log_min, (int)lvl);
}

static void log_str(struct sbuf *sb, const char *s)
{
	sbuf_addc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': sbuf_adds(sb, "\\\""); break;
		case '\\': sbuf_adds(sb, "\\\\"); break;
		case '\n': sbuf_adds(sb, "\\n"); break;
		case '\r': sbuf_adds(sb, "\\r"); break;
		case '\t': sbuf_adds(sb, "\\t"); break;
		default:
			if (*p < 0x20)
				sbuf_printf(sb, "\\u%04x", *p);
			else
				sbuf_addc(sb, (char)*p);
		}
	}
	sbuf_addc(sb, '"');
}

void log_kv(enum log_level lvl, const char *rid, const char *event, ...)
{
	if ((int)lvl < atomic_load(&log_min) || lvl >= LOG__MAX)
		return;
	struct sbuf sb;
	sbuf_init(&sb, 16384);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	sbuf_printf(&sb,
		    "{\"ts\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\","
		    "\"level\":\"%s\",\"event\":",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000,
		    log_names[lvl]);
	log_str(&sb, event);
	sbuf_adds(&sb, ",\"rid\":");
	log_str(&sb, rid ? rid : "-");
	va_list ap;
	va_start(ap, event);
	for (;;) {
		const char *k = va_arg(ap, const char *);
		if (k == NULL)
			break;
		const char *v = va_arg(ap, const char *);
		sbuf_addc(&sb, ',');
		log_str(&sb, k);
		sbuf_addc(&sb, ':');
		if (v == NULL)
			sbuf_adds(&sb, "null");
		else
			log_str(&sb, v);
	}
	va_end(ap);
	sbuf_adds(&sb, "}\n");
	if (sb.buf != NULL) {
		ssize_t w = write(STDERR_FILENO, sb.buf, sb.len);
		(void)w;
	}
	sbuf_release(&sb);
}
