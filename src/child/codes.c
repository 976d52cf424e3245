/*
 * codes.c: the child's code lists (child.h "code lists"): gender as the
 * CIN census records it, the DfE ethnicity codes, the kinds of network
 * member and of warning.  Each list is an enum with parallel tables of
 * stored ids and labels; nothing here touches the store.
 */
#include "child/child_int.h"
#include "core/str.h"
#include "domain/field.h"

#include <string.h>

/* ../shared/domain/codes/cin_gender_pre2025.csv */
static const char *const gender_codes[CHILD_GENDER__MAX] = {
	"0", /* CHILD_GENDER_NOT_RECORDED */
	"1", /* CHILD_GENDER_MALE */
	"2", /* CHILD_GENDER_FEMALE */
	"9", /* CHILD_GENDER_INDETERMINATE */
};
static const char *const gender_labels[CHILD_GENDER__MAX] = {
	"Not recorded or unborn", /* CHILD_GENDER_NOT_RECORDED */
	"Male",                   /* CHILD_GENDER_MALE */
	"Female",                 /* CHILD_GENDER_FEMALE */
	"Indeterminate",          /* CHILD_GENDER_INDETERMINATE */
};

const char *child_gender_code(enum child_gender g)
{
	return str_at(gender_codes, CHILD_GENDER__MAX, (int)g);
}

const char *child_gender_label(enum child_gender g)
{
	return str_at(gender_labels, CHILD_GENDER__MAX, (int)g);
}

const char *child_gender_label_for(const char *code)
{
	return str_at(gender_labels, CHILD_GENDER__MAX,
		      str_index(gender_codes, CHILD_GENDER__MAX, code));
}

/* The current DfE ethnicity codes, copied from
 * ../shared/domain/codes/ethnicity_cin_903.csv (rows with status
 * "current", CIN schema 2016-2024).  Update both together. */
static const struct {
	const char *code;
	const char *label;
} ethnicities[CHILD_ETHNICITY_COUNT] = {
	{"WBRI", "White British"},
	{"WIRI", "White Irish"},
	{"WIRT", "Traveller of Irish heritage"},
	{"WOTH", "Any other White background"},
	{"WROM", "Gypsy/Roma"},
	{"MWBC", "White and Black Caribbean"},
	{"MWBA", "White and Black African"},
	{"MWAS", "White and Asian"},
	{"MOTH", "Any other mixed background"},
	{"AIND", "Indian"},
	{"APKN", "Pakistani"},
	{"ABAN", "Bangladeshi"},
	{"AOTH", "Any other Asian background"},
	{"BCRB", "Caribbean"},
	{"BAFR", "African"},
	{"BOTH", "Any other black background"},
	{"CHNE", "Chinese"},
	{"OOTH", "Any other ethnic group"},
	{"REFU", "Refused"},
	{"NOBT", "Information not yet obtained"},
};

const char *child_ethnicity_code(int i)
{
	return i >= 0 && i < CHILD_ETHNICITY_COUNT ? ethnicities[i].code : NULL;
}

const char *child_ethnicity_label(int i)
{
	return i >= 0 && i < CHILD_ETHNICITY_COUNT ? ethnicities[i].label : NULL;
}

const char *child_ethnicity_label_for(const char *code)
{
	for (int i = 0; code && i < CHILD_ETHNICITY_COUNT; i++)
		if (strcmp(code, ethnicities[i].code) == 0)
			return ethnicities[i].label;
	return NULL;
}

const char *const child_member_ids[CHILD_MEMBER__MAX] = {
	"parent",            /* CHILD_MEMBER_PARENT */
	"carer",             /* CHILD_MEMBER_CARER */
	"sibling",           /* CHILD_MEMBER_SIBLING */
	"significant_adult", /* CHILD_MEMBER_SIGNIFICANT */
	"professional",      /* CHILD_MEMBER_PROFESSIONAL */
};
static const char *const member_labels[CHILD_MEMBER__MAX] = {
	"Parent",            /* CHILD_MEMBER_PARENT */
	"Carer",             /* CHILD_MEMBER_CARER */
	"Brother or sister", /* CHILD_MEMBER_SIBLING */
	"Significant adult", /* CHILD_MEMBER_SIGNIFICANT */
	"Professional",      /* CHILD_MEMBER_PROFESSIONAL */
};

const char *child_member_kind_id(enum child_member_kind k)
{
	return str_at(child_member_ids, CHILD_MEMBER__MAX, (int)k);
}

const char *child_member_kind_label(enum child_member_kind k)
{
	return str_at(member_labels, CHILD_MEMBER__MAX, (int)k);
}

bool child_member_kind_parse(const char *id, enum child_member_kind *out)
{
	int i = str_index(child_member_ids, CHILD_MEMBER__MAX, id);
	if (i >= 0)
		*out = (enum child_member_kind)i;
	return i >= 0;
}

/* The one list of warning kinds: the program's forms, pages, validation
 * and API, and the demo, all take their codes and labels from here. */
const struct field_code child_flag_kinds[CHILD_FLAG__MAX + 1] = {
	{"worker_safety", "Risk to workers visiting"},         /* CHILD_FLAG_WORKER_SAFETY */
	{"child_safety", "Risk to the child"},                 /* CHILD_FLAG_CHILD_SAFETY */
	{"health", "Health or medical"},                       /* CHILD_FLAG_HEALTH */
	{"communication", "Communication needs"},              /* CHILD_FLAG_COMMUNICATION */
	{"legal", "Court order or legal restriction"},         /* CHILD_FLAG_LEGAL */
	{"other", "Other"},                                    /* CHILD_FLAG_OTHER */
	{NULL, NULL},
};

const char *child_flag_kind_id(enum child_flag_kind k)
{
	return (int)k >= 0 && k < CHILD_FLAG__MAX ? child_flag_kinds[k].code
						   : NULL;
}

const char *child_flag_kind_label(enum child_flag_kind k)
{
	return (int)k >= 0 && k < CHILD_FLAG__MAX ? child_flag_kinds[k].label
						   : NULL;
}

bool child_flag_kind_parse(const char *id, enum child_flag_kind *out)
{
	int i = codes_index(child_flag_kinds, id);
	if (i >= 0)
		*out = (enum child_flag_kind)i;
	return i >= 0;
}

const char *child_flag_kind_label_for(const char *id)
{
	enum child_flag_kind k;
	return child_flag_kind_parse(id, &k) ? child_flag_kind_label(k) : NULL;
}

int child_check_code(const char *const *ids, int n, const char *s,
		     const char *field, const char *missing,
		     const char *invalid, struct field_errors *e)
{
	int i = str_index(ids, n, s);
	if (i >= 0)
		return i;
	fe_addf(e, field, "%s", s == NULL || s[0] == '\0' ? missing : invalid);
	return n;
}
