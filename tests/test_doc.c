#include <stdlib.h>
#include <string.h>

#include "gk_doc.h"
#include "gk_test.h"

static gk_doc *parse(const char *text)
{
	gk_doc *d = NULL;
	gk_error err;
	gk_error_clear(&err);
	gk_status st = gk_doc_parse(&d, "t.md", text, strlen(text), &err);
	GK_CHECK_MSG(st == GK_OK, "%s", err.msg);
	return d;
}

/* The passage whose text contains s, or NULL. */
static const gk_doc_passage *passage_with(const gk_doc *d, const char *s)
{
	for (size_t i = 0; i < gk_doc_passage_count(d); i++)
		if (strstr(gk_doc_passage_at(d, i)->text, s))
			return gk_doc_passage_at(d, i);
	return NULL;
}

static void check_section(const gk_doc_passage *p, size_t n,
                          const char *const *want)
{
	GK_CHECK(p != NULL);
	if (!p)
		return;
	GK_CHECK_INT(p->nsection, n);
	for (size_t i = 0; i < n && i < p->nsection; i++)
		GK_CHECK_STR(p->section[i], want[i]);
}

static const char report_md[] =
    "\n"
    "晋江市应急管理局\n"
    "\n"
    "晋江市应急管理局 2023 年政府信息公开工作年度报告\n"
    "\n"
    "本报告系按照《条例》规定编制。\n"
    "\n"
    "一、总体情况\n"
    "\n"
    "2023 年，本局持续推进“五公开”。\n"
    "\n"
    "（一）主动公开情况。通过局微信公众号加强信息公开。\n"
    "\n"
    "1. 做好行政执法公示\n"
    "定期公示行政处罚公示表。\n"
    "（1）细目\n"
    "细目正文。\n"
    "(二) 依申请公开情况\n"
    "未收到申请。\n"
    "二、主动公开政府信息情况\n"
    "\n"
    "第二十条第（一）项\t\t\t\n"
    "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
    "规章\t0\t0\t0\n"
    "第二十条第（六）项\t\t\t\n"
    "信息内容\t本年处理决定数量\n"
    "行政处罚\t36\n"
    "行政强制\t0\n"
    "\n"
    "三、收到和处理政府信息公开申请情况\n"
    "一、本年新收政府信息公开申请数量\t\t0\t0\n"
    "2. 重复申请\t\t0\t0\n";

static void test_metadata(void)
{
	gk_doc *d = parse(report_md);
	if (!d)
		return;
	GK_CHECK_STR(gk_doc_title(d),
	             "晋江市应急管理局2023年政府信息公开工作年度报告");
	GK_CHECK(gk_doc_agency(d) != NULL);
	if (gk_doc_agency(d))
		GK_CHECK_STR(gk_doc_agency(d), "晋江市应急管理局");
	GK_CHECK_INT(gk_doc_year(d), 2023);
	/* The front matter (agency line, title) is not a passage. */
	GK_CHECK(passage_with(d, "年度报告") == NULL);
	const gk_doc_passage *p = passage_with(d, "本报告系按照");
	GK_CHECK(p && p->nsection == 0 && p->line == 6);
	gk_doc_free(d);
}

static void test_sections(void)
{
	gk_doc *d = parse(report_md);
	if (!d)
		return;
	const char *s1[] = { "一、总体情况" };
	check_section(passage_with(d, "五公开"), 1, s1);
	const char *s2[] = { "一、总体情况", "（一）主动公开情况" };
	const gk_doc_passage *p = passage_with(d, "微信公众号");
	check_section(p, 2, s2);
	/* The heading's line is also the start of its first paragraph. */
	GK_CHECK(p && !strncmp(p->text, "（一）主动公开情况。", 30));
	GK_CHECK(p && p->line == 12);
	const char *s3[] = { "一、总体情况", "（一）主动公开情况",
		             "1. 做好行政执法公示" };
	check_section(passage_with(d, "定期公示"), 3, s3);
	const char *s4[] = { "一、总体情况", "（一）主动公开情况",
		             "1. 做好行政执法公示", "（1）细目" };
	check_section(passage_with(d, "细目正文"), 4, s4);
	const char *s5[] = { "一、总体情况", "(二) 依申请公开情况" };
	check_section(passage_with(d, "未收到申请"), 2, s5);
	const char *s6[] = { "二、主动公开政府信息情况", "第二十条第（六）项" };
	p = passage_with(d, "行政处罚\t36");
	check_section(p, 2, s6);
	/* A table row is a passage of its own, with the header row. */
	GK_CHECK(p && p->line == 27);
	GK_CHECK(p && strstr(p->text, "信息内容\t本年处理决定数量\n"));
	GK_CHECK(p && !strstr(p->text, "行政强制"));
	GK_CHECK(p && !strstr(p->text, "规章"));
	/* Table rows are never headings, whatever their numbering. */
	const char *s7[] = { "三、收到和处理政府信息公开申请情况" };
	p = passage_with(d, "重复申请");
	check_section(p, 1, s7);
	GK_CHECK(p && strstr(p->text, "本年新收"));
	gk_doc_free(d);
}

static void test_markdown_levels(void)
{
	gk_doc *d =
	    parse("# 某局\n\n## 某局 2018 年 政府信息公开工作年度报告\n\n"
	          "### 引言\n\n引言正文。\n\n### 一、概述\n\n概述正文。\n\n"
	          "### （一）进一步加大主动公开力度。\n\n力度正文。\n\n"
	          "#### 1. 强化信息公开\n\n强化正文。\n\n"
	          "#### 图表说明\n\n图表正文。\n\n"
	          "### 二、主动公开\n\n主动正文。\n");
	if (!d)
		return;
	GK_CHECK_INT(gk_doc_year(d), 2018);
	const char *a[] = { "引言" };
	check_section(passage_with(d, "引言正文"), 1, a);
	const char *b[] = { "一、概述", "（一）进一步加大主动公开力度" };
	check_section(passage_with(d, "力度正文"), 2, b);
	const char *c[] = { "一、概述", "（一）进一步加大主动公开力度",
		            "1. 强化信息公开" };
	check_section(passage_with(d, "强化正文"), 3, c);
	/* A deeper unnumbered '#' heading nests under the current one. */
	const char *e[] = { "一、概述", "（一）进一步加大主动公开力度",
		            "1. 强化信息公开", "图表说明" };
	check_section(passage_with(d, "图表正文"), 4, e);
	const char *f[] = { "二、主动公开" };
	check_section(passage_with(d, "主动正文"), 1, f);
	gk_doc_free(d);
}

static void test_long_paragraph_is_cut_at_sentences(void)
{
	char text[20000] = "一、总体情况\n";
	const char *sentence = "这是一个用于测试切分的句子，长度大约二十个字。";
	for (int i = 0; i < 100; i++)
		strcat(text, sentence);
	strcat(text, "\n");
	gk_doc *d = parse(text);
	if (!d)
		return;
	size_t n = gk_doc_passage_count(d);
	GK_CHECK(n >= 4);
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		const gk_doc_passage *p = gk_doc_passage_at(d, i);
		size_t chars = 0;
		for (size_t k = 0; k < p->len; k++)
			chars += ((unsigned char)p->text[k] & 0xC0) != 0x80;
		GK_CHECK_MSG(chars <= 750, "passage %zu has %zu chars", i,
		             chars);
		GK_CHECK(chars >= 150);
		GK_CHECK(p->len >= 3 && !memcmp(p->text + p->len - 3, "。", 3));
		GK_CHECK_INT(p->line, 2);
		GK_CHECK_INT(p->nsection, 1);
		total += p->len;
	}
	/* Nothing lost, nothing repeated. */
	GK_CHECK_INT(total, strlen(sentence) * 100);
	gk_doc_free(d);
}

static void test_crawl_header_and_split_title(void)
{
	gk_doc *d = parse("标题: 平潭县人民政府2012年政府信息公开工作年度报告\n"
	                  "发布时间: 2013-01-20\n"
	                  "==================== 正文 ====================\n"
	                  "平潭县人民政府2012年政府信息公开工作年度报告 "
	                  "根据《条例》要求编制。\n");
	if (d) {
		GK_CHECK_STR(gk_doc_title(d),
		             "平潭县人民政府2012年政府信息公开工作年度报告");
		GK_CHECK_INT(gk_doc_year(d), 2012);
		GK_CHECK(gk_doc_agency(d) &&
		         !strcmp(gk_doc_agency(d), "平潭县人民政府"));
		GK_CHECK(passage_with(d, "标题") == NULL);
		const gk_doc_passage *p = passage_with(d, "根据");
		GK_CHECK(p && p->line == 4);
		gk_doc_free(d);
	}
	d = parse("                洪泽区人民政府\n"
	          "      2023 年政府信息公开工作年度报告\n\n"
	          "   本报告由区政府办公室编制。\n");
	if (d) {
		GK_CHECK_STR(gk_doc_title(d),
		             "洪泽区人民政府2023年政府信息公开工作年度报告");
		GK_CHECK(gk_doc_agency(d) &&
		         !strcmp(gk_doc_agency(d), "洪泽区人民政府"));
		GK_CHECK_INT(gk_doc_year(d), 2023);
		GK_CHECK_INT(gk_doc_passage_count(d), 1);
		gk_doc_free(d);
	}
}

static void test_wrapped_title_with_agency_after_year(void)
{
	gk_doc *d = parse("正文\n2025 年上海市人民政府办公厅政府信息公开\n"
	                  "工作年度报告\n本年度报告根据《条例》编制。\n");
	if (!d)
		return;
	GK_CHECK_STR(gk_doc_title(d),
	             "2025年上海市人民政府办公厅政府信息公开工作年度报告");
	GK_CHECK(gk_doc_agency(d) &&
	         !strcmp(gk_doc_agency(d), "上海市人民政府办公厅"));
	GK_CHECK_INT(gk_doc_year(d), 2025);
	const gk_doc_passage *p = passage_with(d, "本年度报告根据");
	GK_CHECK(p && p->line == 4);
	gk_doc_free(d);
}

static void test_other_documents_get_no_report_metadata(void)
{
	gk_doc *d = parse("国务院关于印发国家职业教育改革实施方案的通知\n\n"
	                  "2019年1月24日\n\n一、总体要求\n\n正文。\n");
	if (!d)
		return;
	GK_CHECK_STR(gk_doc_title(d),
	             "国务院关于印发国家职业教育改革实施方案的通知");
	GK_CHECK(gk_doc_agency(d) == NULL);
	GK_CHECK_INT(gk_doc_year(d), 0);
	gk_doc_free(d);
}

static void test_wrapped_pdf_text_is_joined(void)
{
	/* pdftotext output: lines wrapped inside words, a page number and a
	 * form feed in the middle of a sentence. */
	gk_doc *d =
	    parse("         洪泽区人民政府\n"
	          "   2023 年政府信息公开工作年度报告\n"
	          "\n"
	          "   一、总体情况\n"
	          "   加强区政府门户网站及政务新媒体日常管理，运用第三方检\n"
	          "测平台实行常态化监测，执行信息审核发布制度。严格执行“分\n"
	          "\n"
	          "                                 -1-\n"
	          "\f级审核、先审后发”程序，落实“三审三校”制度，从严从实把\n"
	          "好政治关、法律关、政策关、保密关、文字关，未经审核的信\n"
	          "息一律不准发布。\n"
	          "   （一）主动公开情况。主要通过政府门户网站主动公开政府\n"
	          "文件、项目审批、通知公告等各类政府信息。2023 年，我区在政\n"
	          "府网站平台主动公开政府信息 1136 条。\n"
	          "   信息内容         本年制发件数     本年废止件数\n"
	          "   规章                 0               0\n");
	if (!d)
		return;
	const gk_doc_passage *p = passage_with(d, "分级审核");
	GK_CHECK(p != NULL);
	if (p) {
		GK_CHECK(strstr(p->text, "第三方检测平台") != NULL);
		GK_CHECK(strstr(p->text, "未经审核的信息一律不准发布。") !=
		         NULL);
		GK_CHECK(strstr(p->text, "-1-") == NULL);
		GK_CHECK(strchr(p->text, '\n') == NULL);
		GK_CHECK_INT(p->line, 5);
		GK_CHECK_INT(p->page, 1);
	}
	p = passage_with(d, "主要通过");
	GK_CHECK(p && strstr(p->text, "在政府网站平台"));
	GK_CHECK(p && p->page == 2 && p->line == 12);
	const char *s[] = { "一、总体情况", "（一）主动公开情况" };
	check_section(p, 2, s);
	/* Layout table rows stay rows. */
	p = passage_with(d, "本年制发件数");
	GK_CHECK(p && strstr(p->text, "件数\n") != NULL);
	gk_doc_free(d);
}

static void test_running_headers_dropped(void)
{
	gk_doc *d = parse("某县人民政府2023年政府信息公开工作年度报告\n\n"
	                  "一、总体情况\n"
	                  "第一页的正文内容。\n"
	                  "某县政府办公室\n\f"
	                  "第二页的正文内容。\n"
	                  "某县政府办公室\n\f"
	                  "第三页的正文内容。\n"
	                  "某县政府办公室\n\f"
	                  "第四页的正文内容，某县政府办公室编。\n"
	                  "某县政府办公室\n");
	if (!d)
		return;
	for (size_t i = 0; i < gk_doc_passage_count(d); i++) {
		const char *t = gk_doc_passage_at(d, i)->text;
		GK_CHECK_MSG(strcmp(t, "某县政府办公室") != 0, "footer kept");
		GK_CHECK(!strstr(t, "\n某县政府办公室"));
	}
	/* The same words inside a sentence stay. */
	GK_CHECK(passage_with(d, "某县政府办公室编") != NULL);
	/* Without the footers between them, the lines are one paragraph. */
	const gk_doc_passage *p = passage_with(d, "第二页");
	GK_CHECK(p && strstr(p->text, "第一页") && strstr(p->text, "第四页"));
	gk_doc_free(d);
}

static void test_headings_inside_run_on_lines(void)
{
	gk_doc *d = parse(
	    "标题: 平潭综合实验区2019年度政府信息公开工作年度报告\n"
	    "==================== 正文 ====================\n"
	    "平潭综合实验区2019年政府信息公开工作年度报告 根据《条例》要求，"
	    "区管委会办公室编制完成了本报告。本报告包括总体情况、主动公开政府"
	    "信息情况、收到和处理政府信息公开申请情况等六个部分。如对本报告有"
	    "任何疑问，请与平潭综合实验区政府信息公开工作领导小组办公室联系。"
	    "一、总体情况2019年，在省政府办公厅的关心和指导下，我区认真贯彻"
	    "落实新修订的《条例》。（一）基本情况2019年，我区共公布政府信息"
	    "2599条。二、主动公开政府信息情况主动公开规章0件。\n");
	if (!d)
		return;
	const char *a[] = { "一、总体情况" };
	check_section(passage_with(d, "在省政府办公厅"), 1, a);
	const char *b[] = { "二、主动公开政府信息情况" };
	check_section(passage_with(d, "主动公开规章0件"), 1, b);
	gk_doc_free(d);
}

static void test_bad_input(void)
{
	gk_doc *d = NULL;
	gk_error err;
	const char bad[] = "第一行\n第二行\xff\xfe\n";
	GK_CHECK_INT(gk_doc_parse(&d, "x.txt", bad, sizeof bad - 1, &err),
	             GK_EFORMAT);
	GK_CHECK(d == NULL);
	GK_CHECK_MSG(strstr(err.msg, "x.txt") && strstr(err.msg, "UTF-8") &&
	                 strstr(err.msg, "line 2"),
	             "%s", err.msg);
	GK_CHECK_INT(gk_doc_parse(&d, "e.txt", "", 0, &err), GK_EFORMAT);
	GK_CHECK_MSG(strstr(err.msg, "e.txt: empty file"), "%s", err.msg);
	GK_CHECK_INT(gk_doc_parse(&d, "w.txt", " \n\t\n　\n",
	                          strlen(" \n\t\n　\n"), &err),
	             GK_EFORMAT);
	GK_CHECK_MSG(strstr(err.msg, "white space"), "%s", err.msg);
	const char nul[] = "abc\0def";
	GK_CHECK_INT(gk_doc_parse(&d, "n.txt", nul, sizeof nul - 1, &err),
	             GK_EFORMAT);
	GK_CHECK_MSG(strstr(err.msg, "NUL"), "%s", err.msg);
	/* A byte-order mark is not text. */
	d = parse("\xef\xbb\xbf一、总体情况\n正文。\n");
	if (d) {
		const char *s[] = { "一、总体情况" };
		check_section(passage_with(d, "正文"), 1, s);
		gk_doc_free(d);
	}
	/* Without a title line, the file name stands in. */
	GK_CHECK_INT(gk_doc_parse(&d, "dir/某文件.txt",
	                          "这是一段很长的没有标题的文字，"
	                          "它的长度超过了标题的最大长度，所以不能作为"
	                          "标题使用，只能作为正文段落来处理和索引。"
	                          "这是一段很长的没有标题的文字。",
	                          strlen("这是一段很长的没有标题的文字，"
	                                 "它的长度超过了标题的最大长度，所以"
	                                 "不能作为标题使用，只能作为正文段落来"
	                                 "处理和索引。这是一段很长的没有标题的"
	                                 "文字。"),
	                          &err),
	             GK_OK);
	if (d) {
		GK_CHECK_STR(gk_doc_title(d), "某文件");
		GK_CHECK_INT(gk_doc_passage_count(d), 1);
		gk_doc_free(d);
	}
	gk_doc_free(NULL);
}

int main(void)
{
	GK_RUN(test_metadata);
	GK_RUN(test_sections);
	GK_RUN(test_markdown_levels);
	GK_RUN(test_long_paragraph_is_cut_at_sentences);
	GK_RUN(test_crawl_header_and_split_title);
	GK_RUN(test_wrapped_title_with_agency_after_year);
	GK_RUN(test_other_documents_get_no_report_metadata);
	GK_RUN(test_wrapped_pdf_text_is_joined);
	GK_RUN(test_running_headers_dropped);
	GK_RUN(test_headings_inside_run_on_lines);
	GK_RUN(test_bad_input);
	return GK_TEST_RESULT();
}
