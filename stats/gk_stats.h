/* gk_stats: the standard statistics tables of an annual report as named
 * numbers, and the arithmetic (勾稽关系) they must satisfy.
 *
 * Reports from 2019 on carry three tables (表二 主动公开, 表三 依申请,
 * 表四 复议诉讼); every cell has a canonical key (docs/stats-keys.md):
 * "主动.行政规范性文件.现行有效", "申请.本年新收.自然人",
 * "复议诉讼.行政复议.总计". Whatever the layout the tables came in —
 * Markdown pipes, tab-separated lines, `pdftotext -layout` columns,
 * poppler text, HTML tables as gk_src writes them, or a crawler's text in
 * which a row's numbers run together ("本年新收…数量640020470") — the
 * same keys come out. Run-together digits are split by the arithmetic of
 * the table; when more than one split fits, the value is the best guess
 * and marked uncertain.
 *
 * Two keys beyond docs/stats-keys.md: tables of the 2019 format print
 * （六）其他处理 as one row, keyed "申请.其他处理.<column>"; and the
 * older 统计表 (before 2019) has rows kept as "旧表.<label>" (the
 * "其中：" prefix, item numbers and a trailing unit dropped), except
 * the two with a clear equivalent (受理…申请总数 → 申请.本年新收.总计,
 * 行政复议数 → 复议诉讼.行政复议.总计). */
#ifndef GK_STATS_H
#define GK_STATS_H

#include <stddef.h>

#include "gk_error.h"

typedef struct gk_stats gk_stats;

typedef struct gk_stats_value {
	const char *key; /* canonical key: "申请.本年新收.自然人" */
	double value;    /* 件, or 万元 for 收费 */
	/* more than one reading fits the source; value is the best guess */
	int uncertain;
	unsigned line;      /* 1-based line of the text it was read from, 0
	                       unknown */
	unsigned page;      /* 1-based page, 0 without pages */
	const char *raw;    /* the source text it came from (the row/cell) */
	const char *layout; /* "markdown", "tsv", "layout", "html", "pdf",
	                       "digits" (run-together), "text" */
} gk_stats_value;

typedef struct gk_stats_check {
	const char *rule; /* short name of the rule: "表三.收支平衡.自然人" */
	const char *detail; /* readable: the cells, their values, the
	                       difference */
	size_t ncells;
	const char *const *cells;
	const double *values;
} gk_stats_check;

/* text/len: the report's UTF-8 text exactly as gk_src_text() returns it
 * (pages separated by form feeds where the source has pages); format:
 * gk_src_format_name() of the source ("text", "markdown", "html",
 * "pdf"; NULL for "text"); year: the year the report covers (0 unknown;
 * decides old vs new table shapes); name: for messages (may be NULL).
 *
 * A report without tables gives an empty gk_stats, not an error. Fails
 * only with GK_ENOMEM or GK_EINVAL (text NULL with len > 0). Time and
 * memory are bounded by the length of the text (the split search of a
 * row of run-together digits has a fixed budget). On success *out is the
 * caller's to free with gk_stats_free. */
gk_status gk_stats_extract(gk_stats **out, const char *name, const char *text,
                           size_t len, const char *format, int year,
                           gk_error *err);

/* NULL-safe. */
void gk_stats_free(gk_stats *s);

/* Getters: what they return is owned by s and valid until
 * gk_stats_free. */
size_t gk_stats_count(const gk_stats *s);
/* In canonical key order (gk_stats_keys), then the 旧表 keys in the
 * order of the source. NULL when i is out of range. */
const gk_stats_value *gk_stats_at(const gk_stats *s, size_t i);
/* NULL when absent. */
const gk_stats_value *gk_stats_get(const gk_stats *s, const char *key);

/* The checks that failed (the source, or its reading, is inconsistent),
 * in rule order. */
size_t gk_stats_check_count(const gk_stats *s);
const gk_stats_check *gk_stats_check_at(const gk_stats *s, size_t i);

/* {"stats":{key:number,…},"uncertain":[key,…],
 *  "checks":[{"rule":…,"cells":[…],"values":[…],"detail":…},…],
 *  "provenance":{key:{"line":n,"page":n|null,"raw":"…","layout":"…"},…}}
 * malloc'd, the caller's to free; NULL when out of memory. */
char *gk_stats_to_json(const gk_stats *s);

/* Reads back what gk_stats_to_json wrote (it is stored in the search
 * database). Fails with GK_ECORRUPT when json is not such an object. */
gk_status gk_stats_from_json(gk_stats **out, const char *json, size_t len,
                             gk_error *err);

/* The fixed canonical keys of the 2019+ tables, in table order (for
 * rebuilding the tables and for validating query filters), including
 * the seven "申请.其他处理.<column>" keys of the 2019 format right after
 * the three 其他处理 rows of the 2021 format; *n receives the count.
 * Static storage. */
const char *const *gk_stats_keys(size_t *n);

/* Whether the len bytes at key are a canonical key or a "旧表.…" key. */
int gk_stats_key_valid(const char *key, size_t len);

/* The index of key in gk_stats_keys(), or -1. */
long gk_stats_key_index(const char *key, size_t len);

#endif
