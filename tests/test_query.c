/* The query language parser: every construct and every error. */
#include <stdlib.h>
#include <string.h>

#include "gk_schema.h"
#include "gk_stats.h"
#include "gk_test.h"
#include "query.h"

/* The parse of q written back, or "ERROR: message". */
static const char *parse(const char *q)
{
	static char out[1024];
	qnode *n = NULL;
	gk_error err;
	gk_error_clear(&err);
	if (qn_parse(q, strlen(q), &n, &err)) {
		snprintf(out, sizeof out, "ERROR: %.900s", err.msg);
		return out;
	}
	char *s = qn_describe(n);
	snprintf(out, sizeof out, "%s", s ? s : "(null)");
	free(s);
	qn_free(n);
	return out;
}

static void test_words_and_phrases(void)
{
	GK_CHECK_STR(parse("微信"), "\"微信\"");
	GK_CHECK_STR(parse("  微信　公众号 "), "(\"微信\" AND \"公众号\")");
	GK_CHECK_STR(parse("\"依申请公开 办理\""), "\"依申请公开 办理\"");
	GK_CHECK_STR(parse("“政务公开” 「五公开」"),
	             "(\"政务公开\" AND \"五公开\")");
	GK_CHECK_STR(parse("http://www.pingtan.gov.cn"),
	             "\"http://www.pingtan.gov.cn\"");
}

static void test_operators(void)
{
	GK_CHECK_STR(parse("微信 -微博"), "(\"微信\" AND -\"微博\")");
	GK_CHECK_STR(parse("微信 －微博"), "(\"微信\" AND -\"微博\")");
	GK_CHECK_STR(parse("微信 OR 微博"), "(\"微信\" OR \"微博\")");
	GK_CHECK_STR(parse("a b OR c"), "((\"a\" AND \"b\") OR \"c\")");
	GK_CHECK_STR(parse("(微信 OR 微博) 公开"),
	             "((\"微信\" OR \"微博\") AND \"公开\")");
	GK_CHECK_STR(parse("（微信 OR 微博）公开"),
	             "((\"微信\" OR \"微博\") AND \"公开\")");
	GK_CHECK_STR(parse("微信 -(微博 OR 抖音)"),
	             "(\"微信\" AND -(\"微博\" OR \"抖音\"))");
	/* "or" in lower case is a word. */
	GK_CHECK_STR(parse("this or that"),
	             "(\"this\" AND \"or\" AND \"that\")");
}

static void test_fields(void)
{
	GK_CHECK_STR(parse("agency:晋江 微信"),
	             "(agency:\"晋江\" AND \"微信\")");
	GK_CHECK_STR(parse("agency：\"晋江市 应急\""),
	             "agency:\"晋江市 应急\"");
	GK_CHECK_STR(parse("year:2023"), "year:2023");
	GK_CHECK_STR(parse("year:2019..2023"), "year:2019..2023");
	GK_CHECK_STR(parse("region:福建"), "region:\"福建\"");
	GK_CHECK_STR(parse("section:申请"), "section:\"申请\"");
	GK_CHECK_STR(parse("type:report"), "type:report");
	GK_CHECK_STR(parse("title:年度报告"), "title:\"年度报告\"");
	GK_CHECK_STR(parse("-type:other 微信"), "(-type:other AND \"微信\")");
}

static void test_errors(void)
{
	static const char *const cases[][2] = {
		{ "", "empty query" },
		{ "   ", "empty query" },
		{ "微信 (公开", "missing ')' for this '(' (column 4)" },
		{ "微信 ()", "empty parentheses (column 4)" },
		{ "微信)", "')' without a '(' before it (column 3)" },
		{ "\"微信", "missing closing quote for the phrase (column 1)" },
		{ "\"\"", "empty phrase (column 1)" },
		{ "微信 OR", "OR needs a word after it (column 4)" },
		{ "OR 微信", "OR needs a word before it (column 1)" },
		{ "微信 - 公开", "'-' must be followed by a word to exclude "
		                 "(column 4)" },
		{ "-微信", "the query only excludes: add a word to search "
		           "for" },
		{ "微信 OR -微博", "an excluded word cannot be one side of OR "
		                   "(column 7)" },
		{ "year:20x", "year: needs a year such as 2023 or a range such "
		              "as 2019..2023 (column 6)" },
		{ "year:2023..2019", "year: needs a year such as 2023 or a "
		                     "range such as 2019..2023 (column 6)" },
		{ "type:letter", "type: is either report or other (column 6)" },
		{ "agency:", "agency: needs a value (column 1)" },
		{ "agnecy:晋江", "unknown field 'agnecy:' (fields: agency, "
		                 "year, region, section, type, title) "
		                 "(column 1)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char want[512];
		snprintf(want, sizeof want, "ERROR: %s", cases[i][1]);
		GK_CHECK_STR(parse(cases[i][0]), want);
	}
	/* Deep nesting is refused, not recursed into. */
	char deep[200];
	memset(deep, '(', 100);
	strcpy(deep + 100, "x");
	GK_CHECK(strstr(parse(deep), "nested too deep") != NULL);
	/* Invalid UTF-8. */
	GK_CHECK(strstr(parse("\xff微信"), "not valid UTF-8") != NULL);
}

/* Statistics filters: KEY OP NUMBER, with the keys of stats/gk_stats.h. */
static void test_stat_filters(void)
{
	GK_CHECK_STR(parse("申请.不予公开.属于国家秘密.总计>0"),
	             "申请.不予公开.属于国家秘密.总计>0");
	GK_CHECK_STR(parse("复议诉讼.行政复议.结果纠正>=1"),
	             "复议诉讼.行政复议.结果纠正>=1");
	GK_CHECK_STR(parse("主动.行政处罚.本年处理决定数量<10"),
	             "主动.行政处罚.本年处理决定数量<10");
	GK_CHECK_STR(parse("申请.本年新收.总计<=2.5"),
	             "申请.本年新收.总计<=2.5");
	GK_CHECK_STR(parse("申请.本年新收.总计=0"), "申请.本年新收.总计=0");
	/* Full-width forms, ≥ ≤, spaces around the operator. */
	GK_CHECK_STR(parse("申请.本年新收.总计＞＝１００"),
	             "申请.本年新收.总计>=100");
	GK_CHECK_STR(parse("申请.本年新收.总计＞１"), "申请.本年新收.总计>1");
	GK_CHECK_STR(parse("申请.本年新收.总计≥5"), "申请.本年新收.总计>=5");
	GK_CHECK_STR(parse("申请.本年新收.总计 ≤ 5"), "申请.本年新收.总计<=5");
	GK_CHECK_STR(parse("申请.本年新收.总计 ＝0"), "申请.本年新收.总计=0");
	GK_CHECK_STR(parse("申请.本年新收.总计> 7"), "申请.本年新收.总计>7");
	/* With everything else. */
	GK_CHECK_STR(parse("year:2023 申请.本年新收.总计>100"),
	             "(year:2023 AND 申请.本年新收.总计>100)");
	GK_CHECK_STR(parse("(微信 OR 复议诉讼.复议后起诉.总计>0) "
	                   "-申请.本年新收.总计<1"),
	             "((\"微信\" OR 复议诉讼.复议后起诉.总计>0) AND "
	             "-申请.本年新收.总计<1)");
	/* Something that only starts like a key, without an operator, is a
	 * word. */
	GK_CHECK_STR(parse("申请.本年新收"), "\"申请.本年新收\"");
	/* A filter node keeps its key's slot index and comparison. */
	qnode *n = NULL;
	gk_error err;
	const char *q = "申请.本年新收.总计>=3";
	GK_CHECK_INT(qn_parse(q, strlen(q), &n, &err), GK_OK);
	if (n) {
		size_t nkeys = 0;
		const char *const *keys = gk_stats_keys(&nkeys);
		GK_CHECK_INT(n->kind, QN_STAT);
		GK_CHECK(n->stat < nkeys &&
		         !strcmp(keys[n->stat], "申请.本年新收.总计"));
		GK_CHECK_INT(n->op, QN_GE);
		GK_CHECK(n->num == 3);
	}
	qn_free(n);
}

static void test_stat_filter_errors(void)
{
	static const char *const cases[][2] = {
		{ "微信 旧表.主动公开政府信息数>1",
		  "'旧表.主动公开政府信息数' cannot be compared: only the keys "
		  "of the standard tables can (see 'gongkai stats --help') "
		  "(column 4)" },
		{ "申请.本年新收.合计>1",
		  "unknown statistics key '申请.本年新收.合计' (see 'gongkai "
		  "stats --help') (column 1)" },
		{ "(复议诉讼.行政复议.纠正>=1)",
		  "unknown statistics key '复议诉讼.行政复议.纠正' (see "
		  "'gongkai stats --help') (column 2)" },
		{ "申请.本年新收.总计",
		  "'申请.本年新收.总计' needs a comparison such as >0 (>, >=, "
		  "<, <=, =) (column 1)" },
		{ "旧表.主动公开政府信息数",
		  "'旧表.主动公开政府信息数' cannot be compared: only the keys "
		  "of the standard tables can (see 'gongkai stats --help') "
		  "(column 1)" },
		{ "申请.本年新收.总计>", "'申请.本年新收.总计': needs a number "
		                         "after '>' (column 12)" },
		{ "申请.本年新收.总计>=多",
		  "'申请.本年新收.总计': needs a number after '>=' (column "
		  "13)" },
		{ "申请.本年新收.总计 ＜ 1x",
		  "'申请.本年新收.总计': needs a number after '＜' (column "
		  "14)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char want[512];
		snprintf(want, sizeof want, "ERROR: %s", cases[i][1]);
		GK_CHECK_STR(parse(cases[i][0]), want);
	}
}

int main(void)
{
	GK_RUN(test_words_and_phrases);
	GK_RUN(test_operators);
	GK_RUN(test_fields);
	GK_RUN(test_errors);
	GK_RUN(test_stat_filters);
	GK_RUN(test_stat_filter_errors);
	return GK_TEST_RESULT();
}
