/* The search page: results as cards with filters from the facet counts,
 * or the same hits as one JSON document (format=json). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgi.h"

#define FACET_SHOWN 12

typedef struct run {
	const gk_cgi_req *r;
	gk_out *o;
	json_t *facets; /* name -> { value: [passages, reports] } */
	size_t shown;
	json_t *told; /* report ids whose "more in this report" was shown */
} run;

static const struct {
	const char *key, *name;
} section_names[] = {
	{ "总体", "总体情况" },   { "主动", "主动公开" },
	{ "申请", "依申请公开" }, { "复议诉讼", "复议与诉讼" },
	{ "收费", "收费情况" },   { "问题", "问题与改进" },
	{ "其他", "其他事项" },
};

static const char *section_name(const char *key)
{
	for (size_t i = 0; i < sizeof section_names / sizeof section_names[0];
	     i++)
		if (!strcmp(key, section_names[i].key))
			return section_names[i].name;
	return key;
}

static const char *type_name(const char *t)
{
	return !strcmp(t, "report")  ? "年度报告"
	       : !strcmp(t, "other") ? "其他文件"
	                             : t;
}

static int on_facet(const char *facet, const char *value, size_t passages,
                    size_t reports, void *payload)
{
	run *x = payload;
	json_t *f = json_object_get(x->facets, facet);
	if (!f) {
		f = json_object();
		json_object_set_new(x->facets, facet, f);
	}
	json_object_set_new(f, value,
	                    json_pack("{sIsI}", "passages",
	                              (json_int_t)passages, "reports",
	                              (json_int_t)reports));
	return 0;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static void report_link(gk_out *o, const gk_q_hit *h, const gk_cgi_req *r,
                        bool at_passage)
{
	gk_out_raw(o, "?report=");
	gk_out_urls(o, h->report_id);
	if (at_passage)
		gk_out_f(o, "&amp;p=%zu", h->passage);
	if (*r->q) {
		gk_out_raw(o, "&amp;q=");
		gk_out_urls(o, r->q);
	}
	if (at_passage)
		gk_out_f(o, "#p%zu", h->passage);
}

static int on_hit_html(const gk_q_hit *h, void *payload)
{
	run *x = payload;
	gk_out *o = x->o;
	bool linked = h->report_id && *h->report_id;
	x->shown++;
	gk_out_raw(o, "<li class=\"hit\">\n<h2 class=\"title\">");
	if (linked) {
		gk_out_raw(o, "<a href=\"");
		report_link(o, h, x->r, true);
		gk_out_raw(o, "\">");
	}
	gk_out_htmls(o, *h->title ? h->title : base_name(h->report));
	gk_out_raw(o, linked ? "</a></h2>\n" : "</h2>\n");
	gk_out_raw(o, "<p class=\"meta\">");
	if (h->agency) {
		gk_out_raw(o, "<span class=\"agency\">");
		gk_out_htmls(o, h->agency);
		gk_out_raw(o, "</span>");
	}
	if (h->year)
		gk_out_f(o, "<span class=\"year\">%d 年</span>", h->year);
	if (h->region) {
		gk_out_raw(o, "<span class=\"region\">");
		gk_out_htmls(o, h->region);
		gk_out_raw(o, "</span>");
	}
	if (strcmp(h->report_type, "report"))
		gk_out_raw(o, "<span class=\"type\">其他文件</span>");
	if (h->page)
		gk_out_f(o, "<span class=\"page\">第 %u 页</span>", h->page);
	gk_out_raw(o, "</p>\n");
	if (h->nsection) {
		gk_out_raw(o, "<nav class=\"crumbs\" aria-label=\"章节\"><ol>");
		for (size_t i = 0; i < h->nsection; i++) {
			gk_out_raw(o, "<li>");
			gk_out_htmls(o, h->section[i]);
			gk_out_raw(o, "</li>");
		}
		gk_out_raw(o, "</ol></nav>\n");
	}
	gk_out_raw(o, "<p class=\"snippet\">");
	gk_out_marked(o, h->snippet, h->snippet_len, h->snippet_highlights,
	              h->nsnippet_highlights);
	gk_out_raw(o, "</p>\n");
	/* One "more in this report" per report and page: the grouped hits
	 * of a report all carry the same count. */
	if (h->more_in_report && linked &&
	    !json_object_get(x->told, h->report_id)) {
		json_object_set_new(x->told, h->report_id, json_true());
		gk_out_raw(o, "<p class=\"more\"><a href=\"");
		report_link(o, h, x->r, false);
		gk_out_f(o, "\">本报告另有 %zu 处匹配 →</a></p>\n",
		         h->more_in_report);
	}
	/* Passages of the sections with the standard tables lead to the
	 * tables rebuilt from the values read out of the report. */
	if (linked && h->section_key &&
	    (!strcmp(h->section_key, "主动") ||
	     !strcmp(h->section_key, "申请") ||
	     !strcmp(h->section_key, "复议诉讼"))) {
		gk_out_raw(o, "<p class=\"more\"><a href=\"?report=");
		gk_out_urls(o, h->report_id);
		gk_out_raw(o, "#stats\">本报告的统计表 →</a></p>\n");
	}
	if (h->nsources) {
		gk_out_raw(o, "<p class=\"sources\">同一报告的其他文件：");
		for (size_t i = 0; i < h->nsources; i++) {
			if (i)
				gk_out_raw(o, "、");
			gk_out_htmls(o, base_name(h->sources[i]));
		}
		gk_out_raw(o, "</p>\n");
	}
	gk_out_raw(o, "</li>\n");
	return 0;
}

static int on_hit_json(const gk_q_hit *h, void *payload)
{
	run *x = payload;
	char *s = gk_q_hit_to_json(h);
	if (!s)
		return GK_ENOMEM;
	if (x->shown++)
		gk_out_raw(x->o, ",");
	gk_out_raw(x->o, s);
	free(s);
	return 0;
}

/* ---- facets ------------------------------------------------------------ */

typedef struct fv {
	const char *value;
	long long passages, reports;
} fv;

static int by_count(const void *a, const void *b)
{
	const fv *x = a, *y = b;
	if (x->passages != y->passages)
		return x->passages < y->passages ? 1 : -1;
	return strcmp(x->value, y->value);
}

static int by_value_desc(const void *a, const void *b)
{
	const fv *x = a, *y = b;
	return strcmp(y->value, x->value);
}

static int by_section(const void *a, const void *b)
{
	const fv *x = a, *y = b;
	size_t ia = 99, ib = 99;
	for (size_t i = 0; i < sizeof section_names / sizeof section_names[0];
	     i++) {
		if (!strcmp(x->value, section_names[i].key))
			ia = i;
		if (!strcmp(y->value, section_names[i].key))
			ib = i;
	}
	return ia < ib ? -1 : ia > ib;
}

static size_t facet_values(json_t *f, fv *out, size_t max)
{
	size_t n = 0;
	const char *v;
	json_t *c;
	json_object_foreach(f, v, c)
	{
		if (n == max)
			break;
		out[n].value = v;
		out[n].passages =
		    json_integer_value(json_object_get(c, "passages"));
		out[n].reports =
		    json_integer_value(json_object_get(c, "reports"));
		n++;
	}
	return n;
}

static void facet_list(run *x, const char *facet, const char *heading,
                       const char *param, const char *current)
{
	json_t *f = json_object_get(x->facets, facet);
	fv vals[512];
	size_t n = f ? facet_values(f, vals, 512) : 0;
	if (!n)
		return;
	qsort(vals, n, sizeof vals[0],
	      !strcmp(facet, "year")      ? by_value_desc
	      : !strcmp(facet, "section") ? by_section
	                                  : by_count);
	gk_out *o = x->o;
	gk_out_f(o, "<h2>%s</h2>\n<ul data-facet=\"%s\">\n", heading, facet);
	for (size_t i = 0; i < n && i < FACET_SHOWN; i++) {
		bool on = current && !strcmp(current, vals[i].value);
		gk_out_raw(o, "<li><a class=\"facet-value");
		gk_out_raw(o, on ? " on\" aria-current=\"true\"" : "\"");
		gk_out_raw(o, " href=\"");
		gk_cgi_link(o, x->r, param, on ? NULL : vals[i].value);
		gk_out_raw(o, "\"><span>");
		const char *label = vals[i].value;
		if (!strcmp(facet, "section"))
			label = section_name(label);
		else if (!strcmp(facet, "type"))
			label = type_name(label);
		gk_out_htmls(o, label);
		if (!strcmp(facet, "year"))
			gk_out_raw(o, " 年");
		gk_out_f(o,
		         "</span><span class=\"n\" title=\"%lld 个段落\">%lld"
		         "</span></a></li>\n",
		         vals[i].passages, vals[i].passages);
	}
	gk_out_raw(o, "</ul>\n");
}

/* The year range: two selects over the years the results cover. */
static void year_form(run *x)
{
	json_t *f = json_object_get(x->facets, "year");
	fv vals[512];
	size_t n = f ? facet_values(f, vals, 512) : 0;
	if (!n && !x->r->from && !x->r->to)
		return;
	qsort(vals, n, sizeof vals[0], by_value_desc);
	gk_out *o = x->o;
	const gk_cgi_req *r = x->r;
	gk_out_raw(o, "<h2>年份范围</h2>\n<form id=\"years\" method=\"get\" "
	              "action=\"\">\n");
	gk_cgi_hidden(o, "q", r->q);
	gk_cgi_hidden(o, "agency", r->agency);
	gk_cgi_hidden(o, "region", r->region);
	gk_cgi_hidden(o, "section", r->section);
	gk_cgi_hidden(o, "type", r->type);
	for (int end = 0; end < 2; end++) {
		int cur = end ? r->to : r->from;
		gk_out_f(o,
		         "<select name=\"%s\" aria-label=\"%s\"><option "
		         "value=\"\">%s</option>",
		         end ? "to" : "from", end ? "结束年份" : "起始年份",
		         end ? "至今" : "不限");
		bool have = false;
		for (size_t i = 0; i < n; i++) {
			int y = atoi(vals[i].value);
			have |= y == cur;
			gk_out_f(o, "<option%s>%d</option>",
			         y == cur ? " selected" : "", y);
		}
		if (cur && !have)
			gk_out_f(o, "<option selected>%d</option>", cur);
		gk_out_raw(o, "</select>");
		if (!end)
			gk_out_raw(o, " – ");
	}
	gk_out_raw(o, " <button type=\"submit\">筛选</button>\n</form>\n");
}

/* Chips for the filters in force, each a link that drops it. */
static void active_filters(run *x)
{
	const gk_cgi_req *r = x->r;
	gk_out *o = x->o;
	const char *names[][3] = {
		{ "agency", "机关", r->agency },
		{ "region", "地区", r->region },
		{ "section", "章节", r->section },
		{ "type", "类型", r->type },
	};
	bool any = r->from || r->to;
	for (size_t i = 0; i < 4; i++)
		any |= *names[i][2] != '\0';
	if (!any)
		return;
	gk_out_raw(o, "<ul class=\"chips\" aria-label=\"已选筛选条件\">");
	for (size_t i = 0; i < 4; i++) {
		if (!*names[i][2])
			continue;
		gk_out_raw(o, "<li><a href=\"");
		gk_cgi_link(o, r, names[i][0], NULL);
		gk_out_f(o, "\" title=\"去掉这个条件\">%s：", names[i][1]);
		const char *v = names[i][2];
		if (i == 2)
			v = section_name(v);
		else if (i == 3)
			v = type_name(v);
		gk_out_htmls(o, v);
		gk_out_raw(o, " ×</a></li>");
	}
	if (r->from || r->to) {
		gk_out_raw(o, "<li><a href=\"");
		gk_cgi_link(o, r, "year", NULL);
		gk_out_raw(o, "\" title=\"去掉这个条件\">年份：");
		if (r->from)
			gk_out_f(o, "%d", r->from);
		if (r->from != r->to) {
			gk_out_raw(o, "–");
			if (r->to)
				gk_out_f(o, "%d", r->to);
		}
		gk_out_raw(o, " ×</a></li>");
	}
	gk_out_raw(o, "</ul>\n");
}

/* Matching passages or reports in all, from the type facet (every
 * passage has one type); the total the search gives counts passages after
 * at most per_report of a report were kept. */
static long long facet_sum(json_t *facets, const char *what)
{
	long long n = 0;
	const char *v;
	json_t *c;
	json_object_foreach(json_object_get(facets, "type"), v, c)
	{
		n += json_integer_value(json_object_get(c, what));
	}
	return n;
}

/* ---- pages ------------------------------------------------------------- */

static const char *const examples[][2] = {
	{ "微信公众号", "提到微信公众号的段落" },
	{ "国家秘密 year:2023", "2023 年因国家秘密不予公开" },
	{ "行政处罚 agency:晋江", "晋江各机关的行政处罚" },
	{ "\"依申请公开\" section:申请", "依申请公开一节中的短语" },
	{ "行政复议 OR 行政诉讼", "二者之一" },
	{ "政务公开 -新媒体", "排除某个词" },
	{ "申请.不予公开.属于国家秘密.总计>0",
	  "统计表中因国家秘密不予公开过申请的报告" },
	{ "复议诉讼.行政复议.结果纠正>=1", "行政复议结果被纠正过的报告" },
};

static void home(const gk_cgi_req *r, gk_out *o)
{
	gk_cgi_page_open(o, NULL, r);
	gk_out_raw(o, "<div class=\"notice\" id=\"home\">\n"
	              "<h1>检索政府信息公开工作年度报告</h1>\n"
	              "<p>输入词语，找到提到它的报告段落，按章节定位，"
	              "再按年份、机关、地区筛选。</p>\n"
	              "<ul class=\"examples\">\n");
	for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
		gk_out_raw(o, "<li><a href=\"?q=");
		gk_out_urls(o, examples[i][0]);
		gk_out_raw(o, "\" title=\"");
		gk_out_htmls(o, examples[i][1]);
		gk_out_raw(o, "\"><code>");
		gk_out_htmls(o, examples[i][0]);
		gk_out_raw(o, "</code></a></li>\n");
	}
	gk_out_raw(
	    o, "</ul>\n<h2>检索语法</h2>\n<dl class=\"help\">\n"
	       "<dt>词 "
	       "词</dt><dd>每个词都须出现（段落、章节标题、报告标题或机关名中）"
	       "</dd>\n"
	       "<dt>\"短语\"</dt><dd>完整短语，也可用“…”或「…」</dd>\n"
	       "<dt>-词</dt><dd>排除含该词的段落</dd>\n"
	       "<dt>A OR B</dt><dd>二者之一；可用括号分组</dd>\n"
	       "<dt>agency: region: "
	       "title:</dt><dd>机关名、地区、报告标题中的词</dd>\n"
	       "<dt>year:2023 year:2019..2023</dt><dd>报告所属年份</dd>\n"
	       "<dt>section:申请</dt><dd>标准章节（总体 主动 申请 复议诉讼 "
	       "收费 问题 "
	       "其他）或章节标题中的词</dd>\n"
	       "<dt>type:report</dt><dd>只看年度报告（type:other "
	       "为其他文件）</dd>\n"
	       "<dt>申请.本年新收.总计&gt;=100</dt><dd>按统计表中的数字筛选报告"
	       "（&gt; &gt;= &lt; &lt;= =）</dd>\n"
	       "</dl>\n</div>\n");
	gk_cgi_page_close(o);
}

/* The column the searcher's message points at ("… at column 7"), or 0. */
static size_t error_column(const char *msg)
{
	const char *p = strstr(msg, "column ");
	return p ? (size_t)strtoul(p + 7, NULL, 10) : 0;
}

static void query_error(const gk_cgi_req *r, const char *msg, size_t shift,
                        gk_cgi_resp *resp)
{
	resp->status = 400;
	gk_out *o = &resp->body;
	gk_buf_reset(&o->b);
	o->failed = false;
	if (r->format == GK_CGI_JSON) {
		resp->ctype = "application/json; charset=utf-8";
		gk_out_raw(o, "{\"error\":");
		gk_out_json_str(o, msg, strlen(msg));
		gk_out_raw(o, ",\"status\":400}\n");
		return;
	}
	gk_cgi_page_open(o, "查询有误", r);
	gk_out_raw(o, "<div class=\"notice\" id=\"error\" role=\"alert\">\n"
	              "<h1>查询有误</h1>\n<p class=\"message\">");
	gk_out_htmls(o, msg);
	gk_out_raw(o, "</p>\n");
	/* The column in q of the one the message gives in the full query. */
	size_t col = error_column(msg);
	col = col > shift ? col - shift : 0;
	if (*r->q) {
		gk_out_raw(o, "<pre class=\"query\">");
		gk_out_htmls(o, r->q);
		size_t chars = 0;
		for (const char *p = r->q; *p; p++)
			chars += ((unsigned char)*p & 0xC0) != 0x80;
		if (col >= 1 && col <= chars + 1) {
			gk_out_raw(o, "\n");
			/* Wide characters take two cells in a monospace
			 * font: pad with the same characters' width. */
			size_t k = 0;
			for (const char *p = r->q; *p && k < col - 1; p++) {
				unsigned char c = (unsigned char)*p;
				if ((c & 0xC0) == 0x80)
					continue;
				gk_out_raw(o, c >= 0xE0 ? "　" : " ");
				k++;
			}
			gk_out_raw(o, "<span class=\"caret\">^</span>");
		}
		gk_out_raw(o, "</pre>\n");
	}
	gk_out_raw(o, "<p>检索语法见<a href=\"?\">首页</a>的说明。</p>\n"
	              "</div>\n");
	gk_cgi_page_close(o);
}

static void empty_state(run *x)
{
	const gk_cgi_req *r = x->r;
	gk_out *o = x->o;
	gk_out_raw(o,
	           "<div class=\"notice\" id=\"empty\">\n<h1>没有找到匹配的段落"
	           "</h1>\n<ul>\n");
	if (*r->agency || *r->region || *r->section || *r->type || r->from ||
	    r->to) {
		gk_out_raw(o, "<li>去掉筛选条件再试：<a href=\"?q=");
		gk_out_urls(o, r->q);
		gk_out_raw(o, "\">只按检索词查找</a></li>\n");
	}
	gk_out_raw(o, "<li>减少词语，或把长词拆开（如“政府信息 公开”）</li>\n"
	              "<li>检查错别字；繁体与简体、全角与半角均可</li>\n"
	              "<li>用 OR 连接近义词，如 <a href=\"?q=");
	gk_out_urls(o, "微信 OR 微博");
	gk_out_raw(o, "\">微信 OR 微博</a></li>\n</ul>\n</div>\n");
}

static void pager(run *x, size_t total)
{
	const gk_cgi_req *r = x->r;
	gk_out *o = x->o;
	bool prev = r->offset > 0;
	bool next = r->offset + x->shown < total && x->shown == r->limit &&
	            r->offset + r->limit <= GK_CGI_OFFSET_MAX;
	if (!prev && !next)
		return;
	gk_out_raw(o, "<nav id=\"pager\" aria-label=\"翻页\">");
	char n[32];
	if (prev) {
		snprintf(n, sizeof n, "%zu",
		         r->offset > r->limit ? r->offset - r->limit : 0);
		gk_out_raw(o, "<a rel=\"prev\" href=\"");
		gk_cgi_link(o, r, "offset", n);
		gk_out_raw(o, "\">← 上一页</a>");
	}
	gk_out_f(o, "<span>第 %zu 页</span>", r->offset / r->limit + 1);
	if (next) {
		snprintf(n, sizeof n, "%zu", r->offset + r->limit);
		gk_out_raw(o, "<a rel=\"next\" href=\"");
		gk_cgi_link(o, r, "offset", n);
		gk_out_raw(o, "\">下一页 →</a>");
	}
	gk_out_raw(o, "</nav>\n");
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

void gk_cgi_page_search(gk_cgi_ctx *ctx, const gk_cgi_req *r, gk_cgi_resp *resp)
{
	size_t shift = 0;
	char *query = gk_cgi_full_query(r, &shift);
	if (!query) {
		gk_cgi_page_error(r, r->format, 500, "服务器内存不足",
		                  "请稍后再试。", resp);
		return;
	}
	if (!*query && r->format == GK_CGI_HTML) {
		free(query);
		home(r, &resp->body);
		return;
	}
	/* q is checked alone first: the message then speaks of q as the
	 * user wrote it, and nothing in it can reach past the filters. */
	gk_error qerr;
	gk_error_clear(&qerr);
	if (*r->q && gk_q_check(r->q, strlen(r->q), &qerr)) {
		free(query);
		query_error(r, qerr.msg, 0, resp);
		return;
	}
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	gk_out hits = { GK_BUF_INIT(32u << 20), false };
	run x = { r, &hits, json_object(), 0, json_object() };
	gk_q_options qo = {
		.offset = r->offset,
		.limit = r->limit,
		.per_report = GK_Q_PER_REPORT,
		.facets = GK_Q_FACET_YEAR | GK_Q_FACET_AGENCY |
		          GK_Q_FACET_SECTION | GK_Q_FACET_TYPE |
		          GK_Q_FACET_REGION,
		.facet = on_facet,
	};
	/* The page shows passages per value and counts reports for the
	 * summary line only; JSON has both counts for every facet, as the
	 * command line gives them. */
	if (r->format == GK_CGI_HTML)
		qo.facets_passages_only = GK_Q_FACET_YEAR | GK_Q_FACET_AGENCY |
		                          GK_Q_FACET_SECTION |
		                          GK_Q_FACET_REGION;
	/* A standard section chosen from the facet is that section only. */
	for (size_t i = 0; i < sizeof section_names / sizeof section_names[0];
	     i++)
		if (!strcmp(r->section, section_names[i].key))
			qo.section_key = section_names[i].key;
	size_t total = 0;
	gk_error err;
	gk_error_clear(&err);
	int rc = GK_EQUERY;
	if (*query)
		rc = gk_q_search(ctx->q, query, strlen(query), &qo,
		                 r->format == GK_CGI_JSON ? on_hit_json
		                                          : on_hit_html,
		                 &x, &total, &err);
	else
		snprintf(err.msg, sizeof err.msg, "the query is empty");
	double ms = ms_since(&t0);
	free(query);
	if (rc == GK_EQUERY) {
		query_error(r, err.msg, shift, resp);
	} else if (rc) {
		fprintf(stderr, "gongkai.cgi: search failed: %s\n", err.msg);
		gk_cgi_page_error(r, r->format, 500, "检索失败",
		                  "检索时出现内部错误，请稍后再试。", resp);
	} else if (r->format == GK_CGI_JSON) {
		gk_out *o = &resp->body;
		resp->ctype = "application/json; charset=utf-8";
		gk_out_raw(o, "{\"query\":");
		gk_out_json_str(o, r->q, strlen(r->q));
		gk_out_f(o,
		         ",\"total\":%zu,\"passages\":%lld,\"reports\":%lld,"
		         "\"offset\":%zu,\"limit\":%zu,\"took_ms\":%.1f,"
		         "\"hits\":[",
		         total, facet_sum(x.facets, "passages"),
		         facet_sum(x.facets, "reports"), r->offset, r->limit,
		         ms);
		gk_out_rawn(o, hits.b.data ? hits.b.data : "", hits.b.len);
		char *f = json_dumps(x.facets, JSON_COMPACT | JSON_SORT_KEYS);
		gk_out_raw(o, "],\"facets\":");
		gk_out_raw(o, f ? f : "{}");
		gk_out_raw(o, "}\n");
		free(f);
		if (hits.failed || !f)
			o->failed = true;
	} else {
		gk_out *o = &resp->body;
		x.o = o;
		gk_cgi_page_open(o, *r->q ? r->q : "筛选结果", r);
		gk_out_raw(o, "<div class=\"layout\">\n<aside id=\"facets\" "
		              "aria-label=\"筛选\">\n");
		year_form(&x);
		char ycur[16] = "";
		if (r->from && r->from == r->to)
			snprintf(ycur, sizeof ycur, "%d", r->from);
		facet_list(&x, "year", "年份", "year", ycur);
		facet_list(&x, "section", "章节", "section", r->section);
		facet_list(&x, "agency", "机关", "agency", r->agency);
		facet_list(&x, "region", "地区", "region", r->region);
		facet_list(&x, "type", "类型", "type", r->type);
		gk_out_raw(o, "</aside>\n<section id=\"hits\">\n");
		if (x.shown || total) {
			gk_out_f(
			    o,
			    "<p id=\"summary\">约 <b>%lld</b> 个段落 · 来自 "
			    "<b>%lld</b> 份报告 · 用时 %.0f 毫秒</p>\n",
			    facet_sum(x.facets, "passages"),
			    facet_sum(x.facets, "reports"), ms);
		}
		active_filters(&x);
		if (x.shown) {
			gk_out_f(o, "<ol id=\"results\" start=\"%zu\">\n",
			         r->offset + 1);
			gk_out_rawn(o, hits.b.data, hits.b.len);
			gk_out_raw(o, "</ol>\n");
			pager(&x, total);
		} else if (total) {
			gk_out_raw(o, "<div class=\"notice\" id=\"empty\"><h1>"
			              "这一页没有结果</h1><p><a href=\"");
			gk_cgi_link(o, r, "offset", NULL);
			gk_out_raw(o, "\">回到第一页</a></p></div>\n");
		} else {
			empty_state(&x);
		}
		gk_out_raw(o, "</section>\n</div>\n");
		gk_cgi_page_close(o);
		if (hits.failed)
			o->failed = true;
	}
	gk_buf_free(&hits.b);
	json_decref(x.facets);
	json_decref(x.told);
}
