/* From rows to values: finds 表二, 表三 and 表四 (or the older 统计表)
 * among the rows, reads each row's cells — splitting run-together digits
 * by the row's arithmetic — and settles what is still ambiguous with
 * the equations between rows (column totals, 收支平衡). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats_int.h"

/* Candidate readings kept per row. */
#define MAXC 48
/* Combinations tried per equation. */
#define MAX_COMBOS 4096

typedef struct crow {
	const st_row *src;
	size_t ncells;
	double cand[MAXC][ST_MAXCELLS];
	bool alive[MAXC];
	int score[MAXC];
	size_t ncand;
	bool present;
	bool complete; /* every reading was seen */
	bool digits;   /* read from run-together digits */
	bool missing[ST_MAXCELLS];
} crow;

static int ndigits(double v)
{
	if (v < 0)
		v = -v;
	int d = 1;
	while (v >= 10 && d < 20) {
		v /= 10;
		d++;
	}
	return d;
}

static void score_all(crow *c, bool last_largest)
{
	for (size_t i = 0; i < c->ncand; i++) {
		int mx = 0;
		double big = 0;
		for (size_t k = 0; k < c->ncells; k++) {
			int d = ndigits(c->cand[i][k]);
			if (d > mx)
				mx = d;
			if (k + 1 < c->ncells && c->cand[i][k] > big)
				big = c->cand[i][k];
		}
		c->score[i] = mx * 10;
		if (last_largest && c->cand[i][c->ncells - 1] < big)
			c->score[i] += 5;
	}
}

/* Reads src as ncells numbers. */
static void read_row(crow *c, const st_row *src, size_t ncells,
                     st_accept_fn acc, void *ctx)
{
	memset(c, 0, sizeof *c);
	c->src = src;
	c->ncells = ncells;
	c->complete = true;
	double v[ST_MAXCELLS];
	size_t k = 0;
	bool direct = src->nnum >= ncells;
	for (size_t t = 0; direct && t < src->ntok && k < ncells; t++) {
		if (src->toks[t].blank)
			continue;
		if (!st_tok_value(&src->toks[t], &v[k++]))
			direct = false;
	}
	if (direct && k == ncells) {
		memcpy(c->cand[0], v, ncells * sizeof *v);
		c->ncand = 1;
		c->alive[0] = true;
		c->present = true;
		if (src->nnum > ncells)
			c->complete = false; /* stray numbers: not sure */
		return;
	}
	/* Cells of pipes and tabs are never run together. */
	if (src->nnum == 0 || src->nnum > ncells || src->delimited)
		return;
	double buf[MAXC * ST_MAXCELLS];
	bool complete;
	size_t found = st_split(src->toks, src->ntok, ncells, false, acc, ctx,
	                        buf, MAXC, &complete);
	if (!found)
		found = st_split(src->toks, src->ntok, ncells, true, acc, ctx,
		                 buf, MAXC, &complete);
	if (!found)
		return;
	c->ncand = found < MAXC ? found : MAXC;
	for (size_t i = 0; i < c->ncand; i++) {
		memcpy(c->cand[i], buf + i * ncells, ncells * sizeof(double));
		c->alive[i] = true;
	}
	c->complete = complete && found <= MAXC;
	c->present = true;
	c->digits = true;
}

static size_t nalive(const crow *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->ncand; i++)
		n += c->alive[i];
	return n;
}

/* Keeps the readings that agree with a value the prose states. */
static void pin(crow *c, size_t cell, double v)
{
	size_t keep = 0;
	for (size_t i = 0; i < c->ncand; i++)
		keep += c->alive[i] && c->cand[i][cell] == v;
	if (!keep)
		return;
	for (size_t i = 0; i < c->ncand; i++)
		if (c->cand[i][cell] != v)
			c->alive[i] = false;
}

/* ---- Equations between rows: sum of coef * cell = 0 ---- */

typedef struct term {
	crow *r;
	size_t cell;
	int coef;
} term;

/* Keeps, in each ambiguous row of the equation, the readings that take
 * part in some combination satisfying it. Does nothing when no
 * combination does (the source itself is inconsistent) or there are too
 * many. Returns whether anything changed. */
static bool solve(term *t, size_t n)
{
	crow *amb[32];
	size_t na = 0;
	long combos = 1;
	for (size_t i = 0; i < n; i++) {
		if (!t[i].r->present || t[i].r->missing[t[i].cell])
			return false;
		if (nalive(t[i].r) > 1) {
			bool seen = false;
			for (size_t k = 0; k < na; k++)
				seen |= amb[k] == t[i].r;
			if (!seen) {
				if (na == 32)
					return false;
				amb[na++] = t[i].r;
				combos *= (long)nalive(t[i].r);
				if (combos > MAX_COMBOS)
					return false;
			}
		}
	}
	if (!na)
		return false;
	size_t pick[32];
	bool ok[32][MAXC];
	memset(ok, 0, sizeof ok);
	for (size_t k = 0; k < na; k++) {
		pick[k] = 0;
		while (!amb[k]->alive[pick[k]])
			pick[k]++;
	}
	bool any = false;
	for (;;) {
		double sum = 0;
		for (size_t i = 0; i < n; i++) {
			const crow *r = t[i].r;
			size_t ci = 0;
			bool found = false;
			for (size_t k = 0; k < na; k++)
				if (amb[k] == r) {
					ci = pick[k];
					found = true;
				}
			if (!found)
				while (!r->alive[ci])
					ci++;
			sum += t[i].coef * r->cand[ci][t[i].cell];
		}
		if (sum > -1e-6 && sum < 1e-6) {
			any = true;
			for (size_t k = 0; k < na; k++)
				ok[k][pick[k]] = true;
		}
		size_t k = 0;
		for (; k < na; k++) {
			do
				pick[k]++;
			while (pick[k] < amb[k]->ncand &&
			       !amb[k]->alive[pick[k]]);
			if (pick[k] < amb[k]->ncand)
				break;
			pick[k] = 0;
			while (!amb[k]->alive[pick[k]])
				pick[k]++;
		}
		if (k == na)
			break;
	}
	if (!any)
		return false;
	bool changed = false;
	for (size_t k = 0; k < na; k++)
		for (size_t i = 0; i < amb[k]->ncand; i++)
			if (amb[k]->alive[i] && !ok[k][i]) {
				amb[k]->alive[i] = false;
				changed = true;
			}
	return changed;
}

/* ---- Writing values ---- */

static void emit(gk_stats *s, const crow *c, const char *prefix,
                 const char *const *cols, const int *use)
{
	if (!c->present)
		return;
	size_t best = MAXC;
	for (size_t i = 0; i < c->ncand; i++)
		if (c->alive[i] &&
		    (best == MAXC || c->score[i] < c->score[best]))
			best = i;
	if (best == MAXC)
		return;
	size_t na = nalive(c);
	for (size_t k = 0; k < c->ncells; k++) {
		if (!cols[k] || (use && !use[k]) || c->missing[k])
			continue;
		bool agree = true;
		for (size_t i = 0; i < c->ncand; i++)
			if (c->alive[i] && c->cand[i][k] != c->cand[best][k])
				agree = false;
		char key[256];
		snprintf(key, sizeof key, "%s.%s", prefix, cols[k]);
		const st_row *r = c->src;
		st_put(s, key, c->cand[best][k],
		       !agree || (!c->complete && na >= 1 && c->digits) ||
		           !c->complete,
		       r->line, r->page, r->raw, r->rawlen,
		       c->digits ? "digits" : r->layout);
	}
}

/* ---- Accept functions ---- */

static bool acc_nonneg(const double *v, size_t k, size_t n, void *ctx)
{
	(void)n;
	(void)ctx;
	return v[k - 1] >= 0;
}

static bool acc_row7(const double *v, size_t k, size_t n, void *ctx)
{
	(void)ctx;
	if (v[k - 1] < 0)
		return false;
	if (k < n)
		return true;
	double sum = 0;
	for (size_t i = 0; i + 1 < n; i++)
		sum += v[i];
	return sum == v[n - 1];
}

static bool acc_t4(const double *v, size_t k, size_t n, void *ctx)
{
	(void)n;
	(void)ctx;
	if (v[k - 1] < 0)
		return false;
	if (k % 5)
		return true;
	return v[k - 5] + v[k - 4] + v[k - 3] + v[k - 2] == v[k - 1];
}

static bool acc_old(const double *v, size_t k, size_t n, void *ctx)
{
	(void)n;
	(void)ctx;
	if (v[k - 1] < 0)
		return false;
	return k < 2 || v[0] <= v[1];
}

/* ---- 表三 and 表四 ---- */

static size_t find_t3(const st_grid *g)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->rows[i].nnum > 0 &&
		    st3_match(g->rows[i].norm, g->rows[i].norm_len) == ST3_NEW)
			return i;
	return g->n;
}

static int next_row(const crow *t3, int last)
{
	for (int r = last + 1; r < ST3_NROWS; r++) {
		if (r == ST3_OTHER_ONE)
			continue;
		if (!t3[r].present)
			return r;
	}
	return -1;
}

static bool table3(gk_stats *s, const st_grid *g, size_t start, size_t *end)
{
	crow *t3 = calloc(ST3_NROWS, sizeof *t3);
	if (!t3)
		return false;
	int last = -1;
	size_t i = start;
	*end = start;
	for (; i < g->n && i < start + 200; i++) {
		const st_row *row = &g->rows[i];
		if (row->nnum == 0)
			continue;
		int r = st3_match(row->norm, row->norm_len);
		if (r < 0 || t3[r].present) {
			if (row->nnum != 7)
				continue;
			r = next_row(t3, last);
			if (r < 0)
				break;
		}
		crow c;
		read_row(&c, row, 7, acc_row7, NULL);
		if (!c.present)
			continue;
		score_all(&c, false);
		t3[r] = c;
		last = r;
		*end = i;
		if (r == ST3_CARRY_OUT)
			break;
	}
	/* Column equations. */
	for (int pass = 0; pass < 6; pass++) {
		bool changed = false;
		for (size_t col = 0; col < 7; col++) {
			term t[ST3_NROWS + 1];
			size_t n = 0;
			t[n++] = (term){ &t3[ST3_TOTAL], col, 1 };
			for (int r = ST3_FIRST_RESULT; r <= ST3_OTHER_ONE; r++)
				if (t3[r].present)
					t[n++] = (term){ &t3[r], col, -1 };
			changed |= solve(t, n);
			term u[4] = { { &t3[ST3_NEW], col, 1 },
				      { &t3[ST3_CARRY_IN], col, 1 },
				      { &t3[ST3_TOTAL], col, -1 },
				      { &t3[ST3_CARRY_OUT], col, -1 } };
			changed |= solve(u, 4);
		}
		if (!changed)
			break;
	}
	for (int r = 0; r < ST3_NROWS; r++) {
		char prefix[160];
		snprintf(prefix, sizeof prefix, "申请.%s", st3_rows[r]);
		emit(s, &t3[r], prefix, st3_cols, NULL);
	}
	free(t3);
	return true;
}

static bool stop_t4(const st_row *row)
{
	return st_has(row->norm, row->norm_len, "存在的主要问题") ||
	       st_has(row->norm, row->norm_len, "五、") ||
	       st_has(row->norm, row->norm_len, "其他需要报告");
}

static void table4(gk_stats *s, const st_grid *g, size_t from)
{
	for (size_t i = from; i < g->n && i < from + 40; i++) {
		const st_row *row = &g->rows[i];
		if (row->nnum == 0) {
			if (stop_t4(row) && i > from)
				return;
			continue;
		}
		if (row->nnum < 5 &&
		    !(row->nnum >= 1 && !row->delimited && row->toks[0].n >= 5))
			continue;
		crow *c = calloc(1, sizeof *c);
		if (!c)
			return;
		if (row->delimited && row->nnum < 15 && row->ntok >= 15) {
			/* Positional: the last 15 cells, blanks are cells not
			 * printed. */
			memset(c, 0, sizeof *c);
			c->src = row;
			c->ncells = 15;
			c->complete = true;
			size_t t0 = row->ntok - 15;
			bool ok = true;
			for (size_t k = 0; k < 15; k++) {
				const st_tok *t = &row->toks[t0 + k];
				if (t->blank)
					c->missing[k] = true;
				else if (!st_tok_value(t, &c->cand[0][k]))
					ok = false;
			}
			c->ncand = ok ? 1 : 0;
			c->alive[0] = ok;
			c->present = ok;
		} else {
			read_row(c, row, 15, acc_t4, NULL);
		}
		score_all(c, false);
		for (size_t gi = 0; gi < 3 && c->present; gi++) {
			crow part = *c;
			part.ncells = 5;
			for (size_t i2 = 0; i2 < c->ncand; i2++)
				memcpy(part.cand[i2], c->cand[i2] + gi * 5,
				       5 * sizeof(double));
			memcpy(part.missing, c->missing + gi * 5,
			       5 * sizeof(bool));
			char prefix[64];
			snprintf(prefix, sizeof prefix, "复议诉讼.%s",
			         st4_groups[gi]);
			emit(s, &part, prefix, st4_cols, NULL);
		}
		bool done = c->present;
		free(c);
		if (done)
			return;
	}
}

/* ---- 表二 ---- */

/* A number the prose states right after "规范性文件" ("现行有效行政规范
 * 性文件698件"), with what comes shortly before it: which of "制发" or
 * "现行有效". */
static bool prose_number(const char *text, size_t len, const char *what,
                         double *v)
{
	const char *pat = "规范性文件";
	size_t pl = strlen(pat), wl = strlen(what);
	for (size_t i = 0; i + pl < len; i++) {
		if (memcmp(text + i, pat, pl) != 0)
			continue;
		size_t j = i + pl;
		while (j < len && text[j] == ' ')
			j++;
		size_t d0 = j;
		double x = 0;
		while (j < len && j - d0 < 9 && text[j] >= '0' &&
		       text[j] <= '9')
			x = x * 10 + (text[j++] - '0');
		if (j == d0)
			continue;
		while (j < len && text[j] == ' ')
			j++;
		if (len - j < 3 || memcmp(text + j, "件", 3) != 0)
			continue;
		size_t b = i > 36 ? i - 36 : 0;
		for (size_t k = b; k + wl <= i; k++)
			if (memcmp(text + k, what, wl) == 0) {
				*v = x;
				return true;
			}
	}
	return false;
}

static void table2(gk_stats *s, const st_grid *g, size_t start,
                   const char *text, size_t len)
{
	size_t m = start;
	for (size_t i = start; i-- > 0 && start - i < 200;)
		if (st_has(g->rows[i].norm, g->rows[i].norm_len,
		           "第二十条第(一)项")) {
			m = i;
			break;
		}
	if (m == start)
		for (size_t i = start; i-- > 0 && start - i < 60;)
			if (st_has(g->rows[i].norm, g->rows[i].norm_len,
			           "主动公开政府信息情况")) {
				m = i;
				break;
			}
	if (m == start)
		return;
	bool old = false;
	for (size_t i = m; i < start; i++)
		if (st_has(g->rows[i].norm, g->rows[i].norm_len, "新制作") ||
		    st_has(g->rows[i].norm, g->rows[i].norm_len, "上一年项目"))
			old = true;
	crow *t2 = calloc(ST2_NROWS, sizeof *t2);
	if (!t2)
		return;
	double loose[8];
	size_t nloose = 0;
	bool two[ST2_NROWS] = { false };
	for (size_t i = m; i < start; i++) {
		const st_row *row = &g->rows[i];
		if (row->nnum == 0)
			continue;
		int k = st2_match(row->norm, row->norm_len);
		if (k < 0) {
			double v;
			if (row->nnum == 1 && row->norm_len == 0 &&
			    nloose < 8 && st_tok_value(&row->toks[0], &v))
				loose[nloose++] = v;
			continue;
		}
		if (t2[k].present || k == ST2_PURCHASE ||
		    (!old && k == ST2_OTHER_SERVICE))
			continue;
		size_t ncells = (k <= ST2_NORMATIVE || old) ? 3 : 1;
		if (old && k == ST2_FEES)
			ncells = 2;
		read_row(&t2[k], row, ncells, old ? NULL : acc_nonneg, NULL);
		if (!t2[k].present && !old && ncells == 3 && row->nnum == 2) {
			/* 本年制发 and 现行有效 only: 本年废止 stands
			 * elsewhere (a converter pulled it out of the
			 * table). */
			read_row(&t2[k], row, 2, acc_nonneg, NULL);
			if (t2[k].present && !t2[k].digits) {
				t2[k].ncells = 3;
				t2[k].cand[0][2] = t2[k].cand[0][1];
				t2[k].missing[1] = true;
				two[k] = true;
			} else {
				t2[k].present = false;
			}
		}
		score_all(&t2[k], ncells == 3 && !old);
	}
	/* Loose numbers above the table fill the cells missing from its
	 * rows, in order. */
	size_t ntwo = two[ST2_RULES] + two[ST2_NORMATIVE];
	if (ntwo && ntwo == nloose) {
		size_t li = 0;
		for (int k = ST2_RULES; k <= ST2_NORMATIVE; k++)
			if (two[k]) {
				t2[k].cand[0][1] = loose[li++];
				t2[k].missing[1] = false;
			}
	}
	double v;
	if (!old && t2[ST2_NORMATIVE].digits) {
		if (prose_number(text, len, "制发", &v))
			pin(&t2[ST2_NORMATIVE], 0, v);
		if (prose_number(text, len, "现行有效", &v))
			pin(&t2[ST2_NORMATIVE], 2, v);
	}
	static const char *const cols3[] = { "本年制发", "本年废止",
		                             "现行有效" };
	static const char *const col_dec[] = { "本年处理决定数量" };
	static const char *const col_fee[] = { "本年收费金额" };
	static const char *const old3[] = { "本年制发", NULL, NULL };
	static const char *const old_dec[] = { NULL, NULL, "本年处理决定数量" };
	for (int k = 0; k < ST2_NROWS; k++) {
		char prefix[96];
		snprintf(prefix, sizeof prefix, "主动.%s", st2_rows[k]);
		const char *const *cols = NULL;
		if (k <= ST2_NORMATIVE)
			cols = old ? old3 : cols3;
		else if (k <= ST2_COERCION)
			cols = old ? old_dec : col_dec;
		else if (k == ST2_FEES && !old)
			cols = col_fee;
		if (cols)
			emit(s, &t2[k], prefix, cols, NULL);
	}
	free(t2);
}

/* ---- The older 统计表 (before 2019) ---- */

/* The label as printed, without the header run into it, "其中：", the
 * item number and a trailing unit. */
static size_t old_label(const st_row *row, char *out, size_t cap, bool *child)
{
	const char *p = row->label;
	size_t n = row->label_len;
	const char *hdr = "历年累计";
	size_t hl = strlen(hdr);
	for (size_t i = n; i >= hl && i-- > 0;)
		if (i + hl <= n && memcmp(p + i, hdr, hl) == 0) {
			p += i + hl;
			n -= i + hl;
			break;
		}
	*child = false;
	const char *pre[] = { "其中：", "其中:" };
	for (size_t k = 0; k < 2; k++) {
		size_t l = strlen(pre[k]);
		if (n >= l && memcmp(p, pre[k], l) == 0) {
			p += l;
			n -= l;
			*child = true;
		}
	}
	if (n >= 2 && p[0] >= '1' && p[0] <= '9' &&
	    (p[1] == '.' || (n >= 4 && memcmp(p + 1, "、", 3) == 0) ||
	     (n >= 4 && memcmp(p + 1, "．", 3) == 0))) {
		size_t l = p[1] == '.' ? 2 : 4;
		p += l;
		n -= l;
		*child = true;
	}
	static const char *const units[] = { "条", "件", "元", "个" };
	for (int rep = 0; rep < 2; rep++)
		for (size_t k = 0; k < 4; k++) {
			size_t l = strlen(units[k]);
			if (n > l + 3 && memcmp(p + n - l, units[k], l) == 0)
				n -= l;
		}
	if (n + 1 > cap)
		return 0;
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

static void old_table(gk_stats *s, const st_grid *g)
{
	size_t m = g->n;
	for (size_t i = g->n; i-- > 0;)
		if (st_has(g->rows[i].norm, g->rows[i].norm_len, "指标名称")) {
			m = i;
			break;
		}
	if (m == g->n)
		return;
	enum { MAXOLD = 40 };
	crow *rows = calloc(MAXOLD, sizeof *rows);
	char(*keys)[160] = calloc(MAXOLD, sizeof *keys);
	int *parent = calloc(MAXOLD, sizeof *parent);
	if (!rows || !keys || !parent)
		goto out;
	size_t n = 0;
	int cur_parent = -1;
	for (size_t i = m; i < g->n && i < m + 60 && n < MAXOLD; i++) {
		const st_row *row = &g->rows[i];
		char lab[128];
		bool child;
		size_t ll = old_label(row, lab, sizeof lab, &child);
		if (row->nnum == 0) {
			if (i > m && row->label_len > 120)
				break; /* prose after the table */
			continue;
		}
		if (!ll)
			continue;
		read_row(&rows[n], row, 2, acc_old, NULL);
		score_all(&rows[n], false);
		parent[n] = child ? cur_parent : -1;
		if (!child)
			cur_parent = (int)n;
		if (st_has(lab, ll, "受理") && st_has(lab, ll, "申请") &&
		    ll >= 6 && memcmp(lab + ll - 6, "总数", 6) == 0)
			snprintf(keys[n], sizeof keys[n], "申请.本年新收.总计");
		else if (strcmp(lab, "行政复议数") == 0)
			snprintf(keys[n], sizeof keys[n],
			         "复议诉讼.行政复议.总计");
		else
			snprintf(keys[n], sizeof keys[n], "旧表.%s", lab);
		n++;
	}
	/* Each row with sub-rows (其中：1. … 2. …) is their sum. */
	for (int pass = 0; pass < 4; pass++) {
		bool changed = false;
		for (size_t p = 0; p < n; p++) {
			term t[MAXOLD + 1];
			size_t nt = 0;
			for (size_t col = 0; col < 2; col++) {
				nt = 0;
				t[nt++] = (term){ &rows[p], col, 1 };
				for (size_t c = p + 1; c < n; c++)
					if (parent[c] == (int)p)
						t[nt++] =
						    (term){ &rows[c], col, -1 };
				if (nt > 1)
					changed |= solve(t, nt);
			}
		}
		if (!changed)
			break;
	}
	for (size_t i = 0; i < n; i++) {
		static const char *const col[] = { "", NULL };
		const crow *c = &rows[i];
		if (!c->present)
			continue;
		/* emit() appends ".<column>": write the year column under
		 * the bare key instead. */
		size_t best = MAXC;
		for (size_t k = 0; k < c->ncand; k++)
			if (c->alive[k] &&
			    (best == MAXC || c->score[k] < c->score[best]))
				best = k;
		if (best == MAXC)
			continue;
		bool agree = true;
		for (size_t k = 0; k < c->ncand; k++)
			if (c->alive[k] && c->cand[k][0] != c->cand[best][0])
				agree = false;
		(void)col;
		st_put(s, keys[i], c->cand[best][0], !agree || !c->complete,
		       c->src->line, c->src->page, c->src->raw, c->src->rawlen,
		       c->digits ? "digits" : c->src->layout);
	}
out:
	free(rows);
	free(keys);
	free(parent);
}

bool st_tables(gk_stats *s, const st_grid *g, const char *text, size_t len,
               int year)
{
	size_t start = find_t3(g);
	if (start < g->n) {
		size_t end;
		if (!table3(s, g, start, &end))
			return false;
		table2(s, g, start, text, len);
		table4(s, g, end + 1);
	} else if (year < 2019) {
		old_table(s, g);
	}
	return !s->nomem;
}
