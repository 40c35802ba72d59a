/* Private to the searcher: the query language, parsed into a tree.
 *
 *   query   := or
 *   or      := and ("OR" and)*
 *   and     := unary+                 (implicit AND)
 *   unary   := "-" primary | primary
 *   primary := "(" or ")" | PHRASE | FIELD ":" value | STAT OP NUMBER
 *            | WORD
 *
 * PHRASE is "…", “…” or 「…」; FIELD is agency, year, region, section,
 * type or title; value is a word or a phrase (year: 2023 or 2019..2023).
 * STAT is a canonical statistics key (stats/gk_stats.h: 申请.本年新收.总计,
 * 复议诉讼.行政复议.结果纠正 …), OP one of > >= < <= = (also ＞ ＞＝ ＜ ＜＝
 * ＝ ≥ ≤), spaces allowed around it: a filter for the reports whose table
 * gives that number. A word that starts like a key (申请. 主动. 复议诉讼.
 * 旧表.) but names no canonical key is an error, as is a key without a
 * comparison. Full-width （）and ： are accepted. */
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
	QN_STAT,    /* 申请.本年新收.总计>100: a statistics filter */
	QN_AND,
	QN_OR,
} qn_kind;

#define QN_ANY_FIELD (-1)

/* The comparison of a QN_STAT node. */
typedef enum qn_op { QN_GT, QN_GE, QN_LT, QN_LE, QN_EQ } qn_op;

typedef struct qnode {
	qn_kind kind;
	bool neg;   /* excluded with '-' */
	int field;  /* QN_TEXT: QN_ANY_FIELD or a GK_FIELD_* */
	char *text; /* QN_TEXT, QN_TYPE, QN_SECTION: NUL-terminated */
	int y1, y2; /* QN_YEAR: inclusive range */
	struct qnode **kids;
	size_t nkids;
	size_t col; /* 1-based character column in the query, for messages */
	/* QN_STAT: the key (in text), its index in gk_stats_keys() (its value
	 * slot is GK_SLOT_STATS + stat), the comparison and the number. */
	size_t stat;
	qn_op op;
	double num;
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
