/* Private to the searcher: the query language, parsed into a tree.
 *
 *   query   := or
 *   or      := and ("OR" and)*
 *   and     := unary+                 (implicit AND)
 *   unary   := "-" primary | primary
 *   primary := "(" or ")" | PHRASE | FIELD ":" value | WORD
 *
 * PHRASE is "…", “…” or 「…」; FIELD is agency, year, region, section or
 * type; value is a word or a phrase (year: 2023 or 2019..2023). Full-width
 * （）and ： are accepted. */
#ifndef GK_QUERY_H
#define GK_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "gk_error.h"

typedef enum qn_kind {
	QN_TEXT,    /* words or a phrase, in one field or any */
	QN_YEAR,    /* year:2023, year:2019..2023 */
	QN_TYPE,    /* type:report */
	QN_SECTION, /* section:… (a canonical key or heading words) */
	QN_AND,
	QN_OR,
} qn_kind;

#define QN_ANY_FIELD (-1)

typedef struct qnode {
	qn_kind kind;
	bool neg;   /* excluded with '-' */
	int field;  /* QN_TEXT: QN_ANY_FIELD or a GK_FIELD_* */
	char *text; /* QN_TEXT, QN_TYPE, QN_SECTION: NUL-terminated */
	int y1, y2; /* QN_YEAR: inclusive range */
	struct qnode **kids;
	size_t nkids;
	size_t col; /* 1-based character column in the query, for messages */
} qnode;

/* Parses len bytes of query. On failure returns GK_EQUERY with a message
 * that points at the problem ("missing ')' for the '(' at column 4"). The
 * tree is the caller's to free with qn_free. */
gk_status qn_parse(const char *q, size_t len, qnode **out, gk_error *err);
void qn_free(qnode *n);

/* The tree written back as a query, fully parenthesised, for --explain.
 * malloc'd, NULL when out of memory. */
char *qn_describe(const qnode *n);

#endif
