/* The statistics tables: each layout on small samples, the digit
 * splitter, the checks, the JSON round trip, and the accuracy against
 * the hand-checked values of tests/stats-expected/ on the shared corpus
 * (GK_CORPUS; skipped when absent). */
#include <jansson.h>
#include <math.h>
#include <stdbool.h>

#include "gk_src.h"
#include "gk_stats.h"
#include "gk_test.h"

static gk_stats *extract(const char *text, const char *format, int year)
{
	gk_stats *s = NULL;
	gk_error err;
	gk_status st = gk_stats_extract(&s, "sample", text, strlen(text),
	                                format, year, &err);
	GK_CHECK_MSG(st == GK_OK, "%s", err.msg);
	return s;
}

static double val(const gk_stats *s, const char *key, int *uncertain)
{
	const gk_stats_value *v = gk_stats_get(s, key);
	if (!v)
		return NAN;
	if (uncertain)
		*uncertain = v->uncertain;
	return v->value;
}

#define T3_HEAD "三、收到和处理政府信息公开申请情况\n"

static void test_markdown(void)
{
	const char *t =
	    "第二十条第（一）项\n"
	    "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
	    "|---|---|---|---|\n"
	    "| 规章 | 1 | 0 | 12 |\n"
	    "| 规范性文件 | 3 | 1 | 40 |\n" T3_HEAD
	    "| 一、本年新收政府信息公开申请数量 | 5 | 1 | 0 | 0 | 0 | 0 | 6 "
	    "|\n"
	    "| 二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 "
	    "|\n"
	    "| （一）予以公开 | 4 | 1 | 0 | 0 | 0 | 0 | 5 |\n"
	    "| 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
	    "| （七）总计 | 6 | 1 | 0 | 0 | 0 | 0 | 7 |\n"
	    "| 四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n";
	gk_stats *s = extract(t, "markdown", 2023);
	int u = 1;
	GK_CHECK(val(s, "主动.行政规范性文件.现行有效", &u) == 40 && !u);
	GK_CHECK(val(s, "主动.规章.本年制发", NULL) == 1);
	GK_CHECK(val(s, "申请.本年新收.商业企业", NULL) == 1);
	/* A row without its label takes the next row of the table. */
	GK_CHECK(val(s, "申请.部分公开.总计", NULL) == 2);
	GK_CHECK(val(s, "申请.总计.总计", NULL) == 7);
	GK_CHECK_INT(gk_stats_check_count(s), 0);
	const gk_stats_value *v = gk_stats_get(s, "申请.总计.总计");
	GK_CHECK(v && v->line == 11 && strcmp(v->layout, "markdown") == 0);
	gk_stats_free(s);
}

static void test_tsv_layout_html(void)
{
	const char *tsv =
	    T3_HEAD "一、本年新收政府信息公开申请数量\t\t3\t0\t0\t0\t0\t0\t3\n"
	            "二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0\n"
	            "（七）总计\t\t3\t0\t0\t0\t0\t0\t3\n"
	            "四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0\n"
	            "行政复议\n"
	            "\t\t\t\t\t1\t0\t0\t0\t1\t0\t0\t0\t0\t0\n";
	gk_stats *s = extract(tsv, "markdown", 2023);
	GK_CHECK(val(s, "申请.本年新收.总计", NULL) == 3);
	/* Blank cells of 表四 are cells not printed. */
	GK_CHECK(!gk_stats_get(s, "复议诉讼.行政复议.总计"));
	GK_CHECK(val(s, "复议诉讼.直接起诉.结果维持", NULL) == 1);
	gk_stats_free(s);

	const char *lay = T3_HEAD
	    "一、本年新收政府信息公开申请数量      21    0   0   0   0   "
	    "0     21\n"
	    "二、上年结转政府信息公开申请数量       0    0   0   0   0   0  "
	    "   0\n"
	    "     （一）予以公开                 0    0   0   0   0   0   0\n"
	    "     （二）部分公开（区分处理的，只计这一情 形，不\n"
	    "     计其他情形）\n"
	    "                       4    0   0   0   0   0   4\n"
	    "          2.其他法律行政止公开      0     0      0     0   0   "
	    "0     0\n";
	s = extract(lay, "text", 2023);
	GK_CHECK(val(s, "申请.本年新收.自然人", NULL) == 21);
	GK_CHECK(val(s, "申请.部分公开.自然人", NULL) == 4);
	GK_CHECK(val(s, "申请.不予公开.其他法律行政法规禁止公开.总计", NULL) ==
	         0);
	gk_stats_free(s);

	const char *html = T3_HEAD
	    "一、本年新收政府信息公开申请数量\t\t64\t0\t\t0\t2\t0\t4\t70\n";
	s = extract(html, "html", 2021);
	GK_CHECK(val(s, "申请.本年新收.其他", NULL) == 4);
	GK_CHECK(
	    strcmp(gk_stats_get(s, "申请.本年新收.总计")->layout, "html") == 0);
	gk_stats_free(s);
}

static void test_digits(void)
{
	/* One split fits the row sum. */
	const char *t =
	    "三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申"
	    "请数量640020470二、上年结转政府信息公开申请数量0000000"
	    "四、政府信息公开行政复议、行政诉讼情况行政复议结果维持总计"
	    "10203120001200000五、存在的主要问题";
	gk_stats *s = extract(t, "text", 2021);
	int u = 1;
	GK_CHECK(val(s, "申请.本年新收.自然人", &u) == 64 && !u);
	GK_CHECK(val(s, "申请.本年新收.总计", NULL) == 70);
	GK_CHECK(val(s, "复议诉讼.直接起诉.结果维持", &u) == 12 && !u);
	GK_CHECK(strcmp(gk_stats_get(s, "申请.本年新收.总计")->layout,
	                "digits") == 0);
	gk_stats_free(s);

	/* Two splits fit (33|0|…|33 and 3|30|…|33): uncertain. */
	t = "一、本年新收政府信息公开申请数量330000033（一）予以公开330000033";
	s = extract(t, "text", 2024);
	GK_CHECK(val(s, "申请.本年新收.自然人", &u) == 33 || u);
	GK_CHECK(u);
	gk_stats_free(s);

	/* 表二: no arithmetic; the prose pins 本年制发, the rest stays
	 * uncertain. */
	t = "本年度制发行政规范性文件62件。第二十条第（一）项信息内容规章000行"
	    "政规范性文件6233440一、本年新收政府信息公开申请数量1000001";
	s = extract(t, "text", 2024);
	GK_CHECK(val(s, "主动.行政规范性文件.本年制发", &u) == 62 && !u);
	val(s, "主动.行政规范性文件.现行有效", &u);
	GK_CHECK(u);
	GK_CHECK(val(s, "主动.规章.现行有效", &u) == 0 && !u);
	gk_stats_free(s);
}

static void test_old_table(void)
{
	const char *t =
	    "统计表 指标名称计量单位2012年度历年累计受理依申请公开信息总数"
	    "条2121其中：1.当面申请数条18182.电子邮件申请数条33行政复议"
	    "数条00";
	gk_stats *s = extract(t, "text", 2012);
	int u = 1;
	GK_CHECK(val(s, "申请.本年新收.总计", &u) == 21 && !u);
	GK_CHECK(val(s, "旧表.当面申请数", &u) == 18 && !u);
	GK_CHECK(val(s, "复议诉讼.行政复议.总计", NULL) == 0);
	GK_CHECK(
	    gk_stats_key_valid("旧表.当面申请数", strlen("旧表.当面申请数")));
	gk_stats_free(s);
}

static void test_checks_json(void)
{
	const char *t = T3_HEAD
	    "| 一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 5 |\n"
	    "| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
	    "| （七）总计 | 4 | 0 | 0 | 0 | 0 | 0 | 4 |\n"
	    "| 四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n";
	gk_stats *s = extract(t, "markdown", 2022);
	GK_CHECK(gk_stats_check_count(s) == 2);
	const gk_stats_check *c = gk_stats_check_at(s, 0);
	GK_CHECK(c && strcmp(c->rule, "表三.收支平衡.自然人") == 0 &&
	         c->ncells == 4 && c->values[0] == 5);
	char *js = gk_stats_to_json(s);
	GK_CHECK(js != NULL);
	gk_stats *back = NULL;
	gk_error err;
	GK_CHECK(gk_stats_from_json(&back, js, strlen(js), &err) == GK_OK);
	GK_CHECK_INT(gk_stats_count(back), gk_stats_count(s));
	GK_CHECK_INT(gk_stats_check_count(back), 2);
	char *js2 = gk_stats_to_json(back);
	GK_CHECK(js2 && strcmp(js, js2) == 0);
	free(js);
	free(js2);
	gk_stats_free(back);
	gk_stats_free(s);
	GK_CHECK(gk_stats_from_json(&back, "[1]", 3, &err) == GK_ECORRUPT);

	size_t n;
	const char *const *keys = gk_stats_keys(&n);
	GK_CHECK_INT(n, 207);
	GK_CHECK_STR(keys[0], "主动.规章.本年制发");
	GK_CHECK(gk_stats_key_valid("申请.其他处理.总计",
	                            strlen("申请.其他处理.总计")));
	GK_CHECK(
	    !gk_stats_key_valid("申请.没有.总计", strlen("申请.没有.总计")));

	/* No tables: empty, not an error. */
	s = extract("一、总体情况\n本年度工作平稳。\n", "text", 2023);
	GK_CHECK_INT(gk_stats_count(s), 0);
	gk_stats_free(s);
}

/* ---- Accuracy on the shared corpus ---- */

static void accuracy(const char *corpus, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	size_t digits_cells = 0, digits_exact = 0;
	while ((e = readdir(d))) {
		size_t nl = strlen(e->d_name);
		if (nl < 6 || strcmp(e->d_name + nl - 5, ".json") != 0)
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		json_t *x = json_load_file(path, 0, NULL);
		const char *file =
		    json_string_value(json_object_get(x, "file"));
		const char *layout =
		    json_string_value(json_object_get(x, "layout"));
		json_t *stats = json_object_get(x, "stats");
		if (!file || !layout || !json_is_object(stats)) {
			GK_CHECK_MSG(0, "%s: not an expected-values file",
			             path);
			json_decref(x);
			continue;
		}
		char fpath[4096];
		snprintf(fpath, sizeof fpath, "%s/%s", corpus, file);
		int year = 0;
		const char *u = strchr(file, '_');
		while (u && !year) {
			if (u[1] >= '1' && u[1] <= '2' && u[5] == '_')
				year = atoi(u + 1);
			u = strchr(u + 1, '_');
		}
		gk_src *src = NULL;
		gk_error err;
		gk_stats *s = NULL;
		if (gk_src_read(&src, fpath, file, NULL, &err) == GK_OK) {
			size_t len;
			const char *text = gk_src_text(src, &len);
			gk_stats_extract(
			    &s, file, text, len,
			    gk_src_format_name(gk_src_format_of(src)), year,
			    &err);
		}
		GK_CHECK_MSG(s != NULL, "%s: %s", file, err.msg);
		bool digits = strcmp(layout, "digits") == 0;
		const char *key;
		json_t *v;
		json_object_foreach(stats, key, v)
		{
			const gk_stats_value *got = gk_stats_get(s, key);
			double want = json_number_value(v);
			if (digits) {
				digits_cells++;
				if (got && !got->uncertain &&
				    fabs(got->value - want) < 1e-6)
					digits_exact++;
				GK_CHECK_MSG(!got || got->uncertain ||
				                 fabs(got->value - want) < 1e-6,
				             "%s: %s = %g, expected %g",
				             e->d_name, key, got->value, want);
			} else {
				GK_CHECK_MSG(
				    got && !got->uncertain &&
				        fabs(got->value - want) < 1e-6,
				    "%s: %s = %g%s, expected %g", e->d_name,
				    key, got ? got->value : NAN,
				    got && got->uncertain ? " (uncertain)" : "",
				    want);
			}
		}
		for (size_t i = 0; s && i < gk_stats_count(s); i++) {
			const gk_stats_value *g = gk_stats_at(s, i);
			if (!json_object_get(stats, g->key))
				fprintf(stderr, "%s: extra %s = %g\n",
				        e->d_name, g->key, g->value);
		}
		gk_stats_free(s);
		gk_src_free(src);
		json_decref(x);
	}
	closedir(d);
	if (digits_cells) {
		fprintf(stderr, "run-together digits: %zu of %zu exact\n",
		        digits_exact, digits_cells);
		GK_CHECK(digits_exact * 100 >= digits_cells * 95);
	}
}

int main(void)
{
	GK_RUN(test_markdown);
	GK_RUN(test_tsv_layout_html);
	GK_RUN(test_digits);
	GK_RUN(test_old_table);
	GK_RUN(test_checks_json);
	const char *corpus = getenv("GK_CORPUS");
	struct stat sb;
	if (!corpus || stat(corpus, &sb) != 0) {
		fprintf(stderr,
		        "GK_CORPUS not set or absent: accuracy skipped\n");
		int r = GK_TEST_RESULT();
		return r ? r : 77;
	}
	accuracy(corpus, GK_EXPECTED);
	return GK_TEST_RESULT();
}
