/* The arithmetic the tables must satisfy (勾稽关系), run on the values
 * read; a failure means the source (or its reading) is inconsistent. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gk_buf.h"
#include "stats_int.h"

#define MAX_TERMS 32

/* Checks sum(coef * value) == 0 over the keys when all are present;
 * records a failure with its detail. */
static void rule(gk_stats *s, const char *name, const char *const *keys,
                 const int *coef, size_t n)
{
	double vals[MAX_TERMS];
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		const gk_stats_value *v = gk_stats_get(s, keys[i]);
		if (!v)
			return;
		vals[i] = v->value;
		sum += coef[i] * v->value;
	}
	if (fabs(sum) < 1e-6)
		return;
	gk_buf b = GK_BUF_INIT(8192);
	for (size_t i = 0; i < n; i++) {
		if (i)
			gk_buf_appendf(&b, " %s ", coef[i] > 0 ? "+" : "-");
		else if (coef[i] < 0)
			gk_buf_appendf(&b, "-");
		gk_buf_appendf(&b, "%s %g", keys[i], vals[i]);
		if (i == 0)
			gk_buf_appendf(&b, " =?");
	}
	gk_buf_appendf(&b, "; off by %g", sum);
	st_add_check(s, name, b.data ? b.data : "", n, keys, vals);
	gk_buf_free(&b);
}

void st_check(gk_stats *s)
{
	char k[MAX_TERMS][160];
	const char *keys[MAX_TERMS];
	int coef[MAX_TERMS];
	char name[200];
	for (size_t i = 0; i < MAX_TERMS; i++)
		keys[i] = k[i];
	/* 表三, per column: 新收 + 上年结转 = 总计 + 结转. */
	for (size_t c = 0; c < 7; c++) {
		snprintf(k[0], sizeof k[0], "申请.本年新收.%s", st3_cols[c]);
		snprintf(k[1], sizeof k[1], "申请.上年结转.%s", st3_cols[c]);
		snprintf(k[2], sizeof k[2], "申请.总计.%s", st3_cols[c]);
		snprintf(k[3], sizeof k[3], "申请.结转下年度继续办理.%s",
		         st3_cols[c]);
		int cf[4] = { 1, 1, -1, -1 };
		snprintf(name, sizeof name, "表三.收支平衡.%s", st3_cols[c]);
		rule(s, name, keys, cf, 4);
	}
	/* 表三, per column: 总计 = the results. */
	for (size_t c = 0; c < 7; c++) {
		size_t n = 0;
		snprintf(k[n], sizeof k[n], "申请.总计.%s", st3_cols[c]);
		coef[n++] = 1;
		for (int r = ST3_FIRST_RESULT; r <= ST3_OTHER_ONE; r++) {
			snprintf(k[n], sizeof k[n], "申请.%s.%s", st3_rows[r],
			         st3_cols[c]);
			if (gk_stats_get(s, k[n]))
				coef[n++] = -1;
		}
		if (n < 2)
			continue;
		snprintf(name, sizeof name, "表三.办理结果合计.%s",
		         st3_cols[c]);
		rule(s, name, keys, coef, n);
	}
	/* 表三, per row: 总计 = the six applicant columns. */
	for (int r = 0; r < ST3_NROWS; r++) {
		snprintf(k[0], sizeof k[0], "申请.%s.总计", st3_rows[r]);
		coef[0] = 1;
		for (size_t c = 0; c < 6; c++) {
			snprintf(k[c + 1], sizeof k[c + 1], "申请.%s.%s",
			         st3_rows[r], st3_cols[c]);
			coef[c + 1] = -1;
		}
		snprintf(name, sizeof name, "表三.行合计.%s", st3_rows[r]);
		rule(s, name, keys, coef, 7);
	}
	/* 表四, per group. */
	for (size_t gi = 0; gi < 3; gi++) {
		snprintf(k[0], sizeof k[0], "复议诉讼.%s.总计", st4_groups[gi]);
		coef[0] = 1;
		for (size_t c = 0; c < 4; c++) {
			snprintf(k[c + 1], sizeof k[c + 1], "复议诉讼.%s.%s",
			         st4_groups[gi], st4_cols[c]);
			coef[c + 1] = -1;
		}
		snprintf(name, sizeof name, "表四.合计.%s", st4_groups[gi]);
		rule(s, name, keys, coef, 5);
	}
}
