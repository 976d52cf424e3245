/* csv.c: see csv.h. */
#include "core/csv.h"

#include <string.h>

bool csv_is_formula(const char *s)
{
	return s != NULL && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

void csv_cell(struct sbuf *o, const char *s, bool first)
{
	if (!first)
		sbuf_addc(o, ',');
	s = s ? s : "";
	bool formula = csv_is_formula(s);
	if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
		sbuf_adds(o, s);
		return;
	}
	sbuf_addc(o, '"');
	if (formula)
		sbuf_addc(o, '\'');
	for (; *s; s++) {
		if (*s == '"')
			sbuf_addc(o, '"');
		sbuf_addc(o, *s);
	}
	sbuf_addc(o, '"');
}

void csv_int(struct sbuf *o, int64_t v, bool first)
{
	sbuf_printf(o, first ? "%lld" : ",%lld", (long long)v);
}
