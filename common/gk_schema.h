/* How reports are laid out in the index: shared by the code that writes it
 * and the code that reads it. Changing any of these needs a re-index. */
#ifndef GK_SCHEMA_H
#define GK_SCHEMA_H

/* Searchable fields. Terms are case-folded, so a capital-letter prefix
 * never runs into a term; each field has prefixes for its words
 * (positional), its Han characters (positional, see gk_tok) and its
 * English stems. The passage text's words carry no prefix. */
typedef struct gk_field {
	const char *name; /* as in the query language (agency:) */
	const char *word, *chr, *stem;
} gk_field;

enum {
	GK_FIELD_BODY,    /* the passage */
	GK_FIELD_TITLE,   /* the report's title */
	GK_FIELD_HEADING, /* the section headings above the passage */
	GK_FIELD_AGENCY,  /* the report's agency */
	GK_FIELD_REGION,  /* the report's region */
	GK_FIELD_COUNT
};

static const gk_field gk_fields[GK_FIELD_COUNT] = {
	{ "text", "", "K", "Z" },       { "title", "S", "SK", "ZS" },
	{ "section", "H", "HK", "ZH" }, { "agency", "A", "AK", "ZA" },
	{ "region", "G", "GK", "ZG" },
};

/* Boolean terms, for filters. */
#define GK_PREFIX_ID       "Q"  /* unique id of a passage */
#define GK_PREFIX_REPORT   "R"  /* every passage of one report file */
#define GK_PREFIX_SECTION  "XK" /* canonical key of the section (申请) */
#define GK_PREFIX_TYPE     "XT" /* report type: report or other */
#define GK_PREFIX_YEAR     "Y"  /* the year a report covers */
#define GK_PREFIX_IDENTITY "XI" /* one report, whatever its file format */

/* Value slots. The identity is one report across file formats (its
 * agency, year and title). */
#define GK_SLOT_YEAR     0 /* year, 4 digits; absent when unknown */
#define GK_SLOT_REPORT   1 /* report file key */
#define GK_SLOT_IDENTITY 2 /* report identity key */
#define GK_SLOT_AGENCY   3 /* agency name */
#define GK_SLOT_SECTION  4 /* canonical section key */
#define GK_SLOT_TYPE     5 /* report or other */
#define GK_SLOT_REGION   6 /* "福建 晋江市" */
#define GK_SLOT_PASSAGE  7 /* passage number in its report, 6 digits */
/* For counting reports per facet value: slot + GK_SLOT_PER_REPORT holds
 * the value, GK_FACET_SEP and the identity key. */
#define GK_SLOT_PER_REPORT 10
#define GK_FACET_SEP       "\x1f"
/* Statistics of a report, on its record document only: the value of the
 * i-th canonical key of gk_stats_keys() (stats/gk_stats.h) in slot
 * GK_SLOT_STATS + i, as Xapian's sortable_serialise of the number (see
 * gk_xap_sortable_serialise); absent when the report does not give it. */
#define GK_SLOT_STATS 100

/* Each report file also has one record document, which no search for
 * passages can match: it carries only GK_TERM_RECORD, its report term
 * (GK_PREFIX_REPORT, so that re-indexing the file replaces it too), its
 * id term (GK_PREFIX_ID key GK_RECORD_SUFFIX), the report and identity
 * slots, the statistics slots (GK_SLOT_STATS), and as data a JSON object
 * with the report's metadata (id, report, title, agency, year,
 * report_type, region, date, url, format, charset, sha256, pages,
 * passages), its section tree (headings: text, depth, line, key, passage)
 * and its statistics: stats, the object of gk_stats_to_json, or
 * stats_error, the extractor's message, when it failed. */
#define GK_TERM_RECORD   "XRECORD"
#define GK_RECORD_SUFFIX "-record"

/* Database metadata: the user lexicons the index was built with (their
 * text, concatenated), loaded again by every searcher so that queries are
 * cut into words the way the reports were. */
#define GK_META_LEXICON "gongkai.lexicon"

/* Document data: a JSON object with the keys id (the report file's key),
 * n (the passage's number in its report, from 0), report, title, agency,
 * year, report_type, region, section, section_key, text, line and page
 * (see searcher/). */

#endif
