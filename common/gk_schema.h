/* How reports are laid out in the index: shared by the code that writes it
 * and the code that reads it. Changing any of these needs a re-index. */
#ifndef GK_SCHEMA_H
#define GK_SCHEMA_H

/* Term prefixes (Xapian convention: capital letters; terms themselves are
 * case-folded, so a prefix never runs into a term). Words of a passage
 * carry no prefix. */
#define GK_PREFIX_CHAR       "K"  /* each Han character, positional */
#define GK_PREFIX_STEM       "Z"  /* English stems, no positions */
#define GK_PREFIX_TITLE      "S"  /* words of the report title, positional */
#define GK_PREFIX_TITLE_CHAR "SK" /* Han characters of the title */
#define GK_PREFIX_TITLE_STEM "ZS" /* English stems of the title */
#define GK_PREFIX_ID         "Q"  /* unique id of a passage */
#define GK_PREFIX_REPORT     "R"  /* every passage of one report file */
#define GK_PREFIX_SECTION    "XK" /* canonical key of the section (申请) */

/* Value slots. */
#define GK_SLOT_YEAR   0 /* report year as 4 digits, absent when unknown */
#define GK_SLOT_REPORT 1 /* report key, for grouping passages by report */

/* Database metadata: the user lexicons the index was built with (their
 * text, concatenated), loaded again by every searcher so that queries are
 * cut into words the way the reports were. */
#define GK_META_LEXICON "gongkai.lexicon"

/* Document data: a JSON object with the keys report, title, agency, year,
 * section, section_key, text, line and page (see searcher/). */

#endif
