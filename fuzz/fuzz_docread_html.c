/*
 * fuzz_docread_html.c: the web page (HTML) reader of
 * scrutiny/docread.h on untrusted bytes, read as that format whatever
 * they are; the contract checked is docread_fuzz.h's.
 */
#include "docread_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	docread_fuzz(data, size, DOC_KIND_HTML);
	return 0;
}
