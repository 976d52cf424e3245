/*
 * fuzz_forwarded.c: forwarded_trust_parse() and forwarded_client().  The
 * input is a trusted-proxy list, a newline, then an X-Forwarded-For
 * value.  Checks that a refused list leaves its output alone and that a
 * chosen client address prints as text that parses back to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/forwarded.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t ln = nl ? (size_t)(nl - s) : size;
	char *list = malloc(ln + 1);
	if (list == NULL)
		abort();
	memcpy(list, s, ln);
	list[ln] = '\0';
	struct forwarded_trust *t = (struct forwarded_trust *)&list;
	char err[128];
	if (forwarded_trust_parse(list, &t, err, sizeof(err)) != 0) {
		if (t != (struct forwarded_trust *)&list)
			abort();
		t = NULL;
	}
	const char *xff = nl ? nl + 1 : "";
	size_t xn = nl ? size - ln - 1 : 0;
	struct forwarded_addr a, b;
	if (forwarded_client(t, xff, xn, &a)) {
		char text[FORWARDED_ADDR_TEXT];
		forwarded_addr_text(&a, text, sizeof(text));
		if ((a.family != 4 && a.family != 6) ||
		    !forwarded_addr_parse(text, strlen(text), &b) ||
		    memcmp(&a, &b, sizeof(a)) != 0)
			abort();
	}
	forwarded_trust_free(t);
	free(list);
	return 0;
}
