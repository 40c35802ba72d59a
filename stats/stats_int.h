/* Private to the stats module: the handle, the rows the layouts are read
 * into, and the pieces that turn rows into values. */
#ifndef GK_STATS_INT_H
#define GK_STATS_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "gk_stats.h"

/* Most cells a table row has (表四: 15). */
#define ST_MAXCELLS 16

extern const char *const gk_stats__keys[];
extern const size_t gk_stats__nkeys;

/* ---- The handle (stats.c) ---- */

struct gk_stats {
	gk_stats_value *vals;
	long *order; /* sort key of each value */
	size_t nvals, capvals;
	gk_stats_check *checks;
	size_t nchecks, capchecks;
	long seq; /* insertion counter for 旧表 keys */
	bool nomem;
};

gk_stats *st_new(void);
/* Adds (or, for a key already there, leaves alone) a value; copies the
 * strings. Sets s->nomem on failure. */
void st_put(gk_stats *s, const char *key, double v, int uncertain,
            unsigned line, unsigned page, const char *raw, size_t rawlen,
            const char *layout);
/* Adds a failed check; copies everything. */
void st_add_check(gk_stats *s, const char *rule, const char *detail, size_t n,
                  const char *const *cells, const double *values);
/* Sorts the values into canonical order. */
void st_finish(gk_stats *s);

/* ---- Labels and keys (keys.c) ---- */

/* Normalises a label for matching into out (cap bytes): white space
 * removed, full-width ASCII folded to half-width, quotes dropped.
 * Returns the length. */
size_t st_norm(const char *p, size_t n, char *out, size_t cap);

/* 表三 rows, in table order; ST3_NROWS of them. */
enum {
	ST3_NEW = 0,
	ST3_CARRY_IN = 1,
	ST3_FIRST_RESULT = 2,
	ST3_OTHER_SUB = 20, /* first of the three 其他处理 rows */
	ST3_OTHER_ONE = 23, /* the single 其他处理 row (2019 format) */
	ST3_TOTAL = 24,
	ST3_CARRY_OUT = 25,
	ST3_NROWS = 26
};
extern const char *const st3_rows[ST3_NROWS];
extern const char *const st3_cols[7];
extern const char *const st4_groups[3];
extern const char *const st4_cols[5];

/* The 表三 row the normalised label names, or -1. */
int st3_match(const char *norm, size_t n);

/* 表二 rows. */
enum {
	ST2_RULES,
	ST2_NORMATIVE,
	ST2_LICENCE,
	ST2_PENALTY,
	ST2_COERCION,
	ST2_FEES,
	ST2_OTHER_SERVICE, /* 2019 format only */
	ST2_PURCHASE,      /* 2019 format only */
	ST2_NROWS
};
extern const char *const st2_rows[ST2_NROWS];
int st2_match(const char *norm, size_t n);

/* Whether norm contains the C string pat. */
bool st_has(const char *norm, size_t n, const char *pat);

/* ---- Rows of a layout (grid.c) ---- */

typedef struct st_tok {
	const char *p; /* into the text */
	size_t n;
	bool blank; /* an empty cell of a delimited row */
} st_tok;

typedef struct st_row {
	char *label; /* the text before and between the numbers, spaces
	                removed, as printed (malloc'd) */
	size_t label_len;
	char *norm; /* label normalised for matching (malloc'd) */
	size_t norm_len;
	st_tok *toks; /* numbers and blank cells, in order (malloc'd) */
	size_t ntok, nnum;
	unsigned line, page;
	const char *raw; /* the row's text */
	size_t rawlen;
	const char *layout;
	bool delimited; /* cells come from pipes or tabs */
} st_row;

typedef struct st_grid {
	st_row *rows;
	size_t n, cap;
} st_grid;

/* Reads text into rows: each line of a table layout is one row (label
 * and cells); a line in which label and numbers alternate (a crawler's
 * flattened table) is cut into one row per label. Numbers followed by a
 * unit (件, 条, %, 年 …) are prose, not cells. false when out of memory. */
bool st_grid_read(st_grid *g, const char *text, size_t len, const char *format);
void st_grid_free(st_grid *g);

/* ---- Run-together digits (digits.c) ---- */

/* Called with the first k values of a split; false rejects the split (k
 * < n: prunes it early). */
typedef bool (*st_accept_fn)(const double *v, size_t k, size_t n, void *ctx);

/* The ways to read the number tokens toks as exactly ncells numbers
 * (integers without leading zeros, a leading '-' allowed; a token
 * boundary is a cell boundary unless join is set) that acc accepts. Up
 * to maxkeep of them go to cands (ncells values each); returns how many
 * were found (counting beyond maxkeep up to a limit). *complete is false
 * when the search budget ran out before every split was seen. */
size_t st_split(const st_tok *toks, size_t ntok, size_t ncells, bool join,
                st_accept_fn acc, void *ctx, double *cands, size_t maxkeep,
                bool *complete);

/* The value of a single number token; false when it is not one. */
bool st_tok_value(const st_tok *t, double *v);

/* ---- The tables (tables.c) ---- */

bool st_tables(gk_stats *s, const st_grid *g, const char *text, size_t len,
               int year);

/* ---- Checks (check.c) ---- */

void st_check(gk_stats *s);

#endif
