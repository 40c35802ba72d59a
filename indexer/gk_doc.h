/* gk_doc: the model of one report — its title, agency and year, and its
 * text cut into passages, each with the path of section headings above it.
 *
 * gk_doc_parse reads UTF-8 text or Markdown. Section headings are found
 * from the Chinese heading numbering (一、 → （一） → 1. / 1、 → （1）),
 * the article/item lines of the statistics tables (第二十条第（六）项) and
 * Markdown `#` lines, whose levels are trusted only where the numbering
 * says nothing. A paragraph is a run of non-blank lines; a long one is cut
 * at a sentence end after about 300 characters (600 at most). */
#ifndef GK_DOC_H
#define GK_DOC_H

#include <stddef.h>

#include "gk_error.h"

typedef struct gk_doc gk_doc;

/* A heading of the section tree. */
typedef struct gk_doc_heading {
	const char *text;
	size_t depth;    /* 0 for a top-level section */
	unsigned line;   /* 1-based source line */
	const char *key; /* canonical key of a standard top-level section */
} gk_doc_heading;

typedef struct gk_doc_passage {
	const char *text; /* NUL-terminated UTF-8 */
	size_t len;
	const char *const *section; /* headings, outermost first */
	size_t nsection;
	unsigned line; /* 1-based line of the source where the passage starts */
	unsigned page; /* 1-based page, 0 when the source has no pages */
	/* Canonical key of the standard section it is in (see
	 * gk_doc_section_key), NULL when none. Static storage. */
	const char *section_key;
} gk_doc_passage;

/* Parses len bytes of text. name is used in messages and, without anything
 * better, as the title. Text that is not valid UTF-8, holds NUL bytes or
 * has nothing but white space fails with GK_EFORMAT and a message saying
 * where. On success *out is the caller's to free with gk_doc_free. */
gk_status gk_doc_parse(gk_doc **out, const char *name, const char *text,
                       size_t len, gk_error *err);
/* The same, with the title the file's format gives (an HTML page's
 * <title>), used when the text shows none; title_hint may be NULL. */
gk_status gk_doc_parse_hinted(gk_doc **out, const char *name, const char *text,
                              size_t len, const char *title_hint,
                              gk_error *err);
void gk_doc_free(gk_doc *doc);

/* Records where the text came from: format name ("pdf"), source encoding,
 * sha256 of the file, number of pages (0 without). Copies the strings. */
gk_status gk_doc_set_source(gk_doc *doc, const char *format,
                            const char *charset, const char *sha256,
                            unsigned pages, gk_error *err);
const char *gk_doc_format(const gk_doc *doc);  /* NULL when not set */
const char *gk_doc_charset(const gk_doc *doc); /* NULL when not set */
const char *gk_doc_sha256(const gk_doc *doc);  /* NULL when not set */
unsigned gk_doc_pages(const gk_doc *doc);

/* The canonical key of the standard report section whose name starts
 * the len bytes at p ("总体情况" → "总体", "收到和处理政府信息公开申请情况"
 * and "政府信息依申请公开办理情况" → "申请"; also 主动, 复议诉讼, 收费, 问题,
 * 其他), or NULL. *name_len (when not NULL) receives the length of the name
 * matched. */
const char *gk_doc_section_key(const char *p, size_t n, size_t *name_len);

/* Getters return memory owned by doc. */
const char *gk_doc_title(const gk_doc *doc);
/* The body that published the report, or NULL when the document does not
 * say (or is not an annual report). */
const char *gk_doc_agency(const gk_doc *doc);
/* The year the report covers, or 0 when unknown. */
int gk_doc_year(const gk_doc *doc);
/* "report" for an annual information-disclosure report, else "other". */
const char *gk_doc_type(const gk_doc *doc);
/* "province city county" as far as the report tells ("福建 晋江市",
 * "江苏 淮安市 洪泽区"), or NULL. */
const char *gk_doc_region(const gk_doc *doc);
/* Publication date (YYYY-MM-DD) from the crawler's header or the
 * signature, or NULL. */
const char *gk_doc_date(const gk_doc *doc);
/* The page the report was published at (from a crawler's header), or
 * NULL. */
const char *gk_doc_url(const gk_doc *doc);
size_t gk_doc_heading_count(const gk_doc *doc);
const gk_doc_heading *gk_doc_heading_at(const gk_doc *doc, size_t i);
size_t gk_doc_passage_count(const gk_doc *doc);
const gk_doc_passage *gk_doc_passage_at(const gk_doc *doc, size_t i);

#endif
