/* The report view: one report read back from the index — its metadata,
 * table of contents, statistics tables, and every passage with an anchor,
 * the one asked for marked. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi.h"

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static long long jint(json_t *o, const char *key, long long dflt)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

static void meta_row(gk_out *o, const char *label, const char *v)
{
	if (!v || !*v)
		return;
	gk_out_f(o, "<dt>%s</dt><dd>", label);
	gk_out_htmls(o, v);
	gk_out_raw(o, "</dd>\n");
}

static bool is_web_url(const char *u)
{
	return u && (!strncmp(u, "http://", 7) || !strncmp(u, "https://", 8));
}

/* ---- statistics tables -------------------------------------------------- */

static const struct {
	const char *prefix, *caption;
} stat_tables[] = {
	{ "主动.", "主动公开政府信息情况" },
	{ "申请.", "收到和处理政府信息公开申请情况" },
	{ "复议诉讼.", "政府信息公开行政复议、行政诉讼情况" },
	{ "旧表.", "统计表（旧格式）" },
};

static bool in_list(json_t *a, const char *key)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		if (json_is_string(v) && !strcmp(json_string_value(v), key))
			return true;
	}
	return false;
}

static void number(gk_out *o, json_t *v)
{
	double d = json_number_value(v);
	if (d == (double)(long long)d)
		gk_out_f(o, "%lld", (long long)d);
	else
		gk_out_f(o, "%.2f", d);
}

/* One table: rows are the key without its prefix and last part, columns
 * the last part, both in the order the keys come (the canonical order). */
static void stat_table(gk_out *o, json_t *vals, json_t *uncertain,
                       const char *prefix, const char *caption)
{
	size_t pl = strlen(prefix);
	json_t *rows = json_array(), *cols = json_array();
	const char *key;
	json_t *v;
	json_object_foreach(vals, key, v)
	{
		if (strncmp(key, prefix, pl))
			continue;
		const char *dot = strrchr(key + pl, '.');
		json_t *row =
		    dot ? json_stringn(key + pl, (size_t)(dot - key) - pl)
		        : json_string(key + pl);
		json_t *col = json_string(dot ? dot + 1 : "数值");
		if (!in_list(rows, json_string_value(row)))
			json_array_append(rows, row);
		if (!in_list(cols, json_string_value(col)))
			json_array_append(cols, col);
		json_decref(row);
		json_decref(col);
	}
	if (json_array_size(rows)) {
		gk_out_raw(o, "<div class=\"tablewrap\"><table class=\"stats\">"
		              "<caption>");
		gk_out_htmls(o, caption);
		gk_out_raw(o, "</caption>\n<thead><tr><th></th>");
		size_t i, j;
		json_t *c, *r;
		json_array_foreach(cols, j, c)
		{
			gk_out_raw(o, "<th scope=\"col\">");
			gk_out_htmls(o, json_string_value(c));
			gk_out_raw(o, "</th>");
		}
		gk_out_raw(o, "</tr></thead>\n<tbody>\n");
		json_array_foreach(rows, i, r)
		{
			gk_out_raw(o, "<tr><th scope=\"row\">");
			/* 不予公开.属于国家秘密 reads as 不予公开 ›
			 * 属于国家秘密 */
			for (const char *a = json_string_value(r), *d;;
			     a = d + 1) {
				d = strchr(a, '.');
				gk_out_html(o, a,
				            d ? (size_t)(d - a) : strlen(a));
				if (!d)
					break;
				gk_out_raw(o, " › ");
			}
			gk_out_raw(o, "</th>");
			json_array_foreach(cols, j, c)
			{
				char k[512];
				bool whole =
				    !strcmp(json_string_value(c), "数值");
				snprintf(k, sizeof k, "%s%s%s%s", prefix,
				         json_string_value(r), whole ? "" : ".",
				         whole ? "" : json_string_value(c));
				json_t *cell = json_object_get(vals, k);
				bool unsure = in_list(uncertain, k);
				gk_out_raw(
				    o, unsure ? "<td class=\"num uncertain\" "
				                "title=\"读数不确定\">"
				              : "<td class=\"num\">");
				if (json_is_number(cell))
					number(o, cell);
				gk_out_raw(o, "</td>");
			}
			gk_out_raw(o, "</tr>\n");
		}
		gk_out_raw(o, "</tbody></table></div>\n");
	}
	json_decref(rows);
	json_decref(cols);
}

/* The tables rebuilt from the values read out of the report, with the
 * uncertain readings marked and the failed arithmetic checks listed. */
static void stats_section(gk_out *o, json_t *stats)
{
	json_t *vals = json_object_get(stats, "stats");
	if (!json_is_object(vals) || !json_object_size(vals))
		return;
	json_t *uncertain = json_object_get(stats, "uncertain");
	gk_out_raw(o, "<section id=\"stats\">\n<h2>统计数据</h2>\n");
	for (size_t t = 0; t < sizeof stat_tables / sizeof stat_tables[0]; t++)
		stat_table(o, vals, uncertain, stat_tables[t].prefix,
		           stat_tables[t].caption);
	json_t *checks = json_object_get(stats, "checks");
	if (json_array_size(checks)) {
		gk_out_raw(o,
		           "<div class=\"checks\"><p>勾稽关系不符：</p><ul>");
		size_t i;
		json_t *c;
		json_array_foreach(checks, i, c)
		{
			gk_out_raw(o, "<li>");
			gk_out_htmls(o, jstr(c, "detail") ? jstr(c, "detail")
			                                  : jstr(c, "rule"));
			gk_out_raw(o, "</li>");
		}
		gk_out_raw(o, "</ul></div>\n");
	}
	gk_out_raw(o, "</section>\n");
}

/* ---- passages ----------------------------------------------------------- */

/* Text with the query's words marked (m may be NULL). */
static void marked(gk_out *o, gk_q_marker *m, const char *s, size_t n)
{
	gk_q_span *sp = NULL;
	size_t nsp = 0;
	gk_error err;
	if (!m || !n || gk_q_mark(m, s, n, &sp, &nsp, &err)) {
		gk_out_html(o, s, n);
		return;
	}
	gk_out_marked(o, s, n, sp, nsp);
	free(sp);
}

/* Cells of one table row: split at tabs, or at '|' for a Markdown row. */
static void cells(gk_out *o, gk_q_marker *m, const char *s, size_t n,
                  const char *tag)
{
	while (n && (*s == ' ' || *s == '|')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '|'))
		n--;
	bool md = memchr(s, '|', n) && !memchr(s, '\t', n);
	char sep = md ? '|' : '\t';
	size_t at = 0;
	while (at <= n) {
		const char *e = memchr(s + at, sep, n - at);
		size_t end = e ? (size_t)(e - s) : n;
		size_t a = at, b = end;
		while (a < b && s[a] == ' ')
			a++;
		while (b > a && s[b - 1] == ' ')
			b--;
		gk_out_f(o, "<%s>", tag);
		marked(o, m, s + a, b - a);
		gk_out_f(o, "</%s>", tag);
		at = end + 1;
		if (!e)
			break;
	}
}

/* A table row passage is its table's header line, a line break and the
 * row; *hlen receives the header's length. */
static bool is_row(const char *t, size_t n, size_t *hlen)
{
	const char *nl = memchr(t, '\n', n);
	if (!nl || !(memchr(t, '\t', n) || *t == '|'))
		return false;
	*hlen = (size_t)(nl - t);
	return true;
}

static void headings_changed(gk_out *o, json_t *prev, json_t *sec)
{
	size_t n = json_array_size(sec), same = 0;
	while (
	    same < n && same < json_array_size(prev) &&
	    json_equal(json_array_get(prev, same), json_array_get(sec, same)))
		same++;
	for (size_t i = same; i < n; i++) {
		int level = i == 0 ? 2 : i == 1 ? 3 : 4;
		gk_out_f(o, "<h%d>", level);
		gk_out_htmls(o, json_string_value(json_array_get(sec, i)));
		gk_out_f(o, "</h%d>\n", level);
	}
}

static void passages(gk_out *o, gk_q_marker *m, json_t *list, long current)
{
	json_t *prev_sec = NULL;
	const char *table_hdr = NULL;
	size_t table_hlen = 0;
	size_t i;
	json_t *p;
	json_array_foreach(list, i, p)
	{
		const char *text = jstr(p, "text");
		if (!text)
			continue;
		size_t n = strlen(text), hlen = 0;
		long no = (long)jint(p, "n", (long long)i);
		json_t *sec = json_object_get(p, "section");
		bool row = is_row(text, n, &hlen);
		bool same_table = row && table_hdr && hlen == table_hlen &&
		                  !memcmp(text, table_hdr, hlen) &&
		                  json_equal(prev_sec, sec);
		if (table_hdr && !same_table) {
			gk_out_raw(o, "</tbody></table></div>\n");
			table_hdr = NULL;
		}
		if (!prev_sec || !json_equal(prev_sec, sec))
			headings_changed(o, prev_sec, sec);
		prev_sec = sec;
		const char *cls = no == current ? "passage current" : "passage";
		if (row) {
			if (!table_hdr) {
				gk_out_raw(o, "<div class=\"tablewrap\"><table "
				              "class=\"rows\"><thead><tr>");
				cells(o, m, text, hlen, "th");
				gk_out_raw(o, "</tr></thead><tbody>\n");
				table_hdr = text;
				table_hlen = hlen;
			}
			gk_out_f(o, "<tr class=\"%s\" id=\"p%ld\">", cls, no);
			cells(o, m, text + hlen + 1, n - hlen - 1, "td");
			gk_out_raw(o, "</tr>\n");
			/* The header text lives in p: keep a copy's worth by
			 * comparing against the current passage next time. */
			table_hdr = text;
			continue;
		}
		gk_out_f(o, "<p class=\"%s\" id=\"p%ld\"%s>", cls, no,
		         no == current ? " aria-current=\"true\"" : "");
		marked(o, m, text, n);
		gk_out_raw(o, "</p>\n");
	}
	if (table_hdr)
		gk_out_raw(o, "</tbody></table></div>\n");
}

static void toc(gk_out *o, json_t *headings)
{
	if (!json_array_size(headings))
		return;
	gk_out_raw(
	    o, "<nav id=\"toc\" aria-label=\"目录\">\n<h2>目录</h2>\n<ol>\n");
	size_t i;
	json_t *h;
	json_array_foreach(headings, i, h)
	{
		long long d = jint(h, "depth", 0);
		if (d > 3)
			continue;
		gk_out_f(o, "<li class=\"d%lld\"><a href=\"#p%lld\">", d,
		         jint(h, "passage", 0));
		gk_out_htmls(o, jstr(h, "text"));
		gk_out_raw(o, "</a></li>\n");
	}
	gk_out_raw(o, "</ol>\n</nav>\n");
}

void gk_cgi_page_report(gk_cgi_ctx *ctx, const gk_cgi_req *r, gk_cgi_resp *resp)
{
	char *json = NULL;
	gk_error err;
	gk_error_clear(&err);
	gk_status st = gk_q_report(ctx->q, r->report, &json, &err);
	if (st == GK_ENOTFOUND) {
		gk_cgi_page_error(r, r->format, 404, "没有这份报告",
		                  "数据库中没有这个编号的报告；"
		                  "它可能已被重新索引或删除。",
		                  resp);
		return;
	}
	if (st) {
		fprintf(stderr, "gongkai.cgi: report %s: %s\n", r->report,
		        err.msg);
		gk_cgi_page_error(r, r->format, 500, "无法读取报告",
		                  "读取报告时出现内部错误，请稍后再试。", resp);
		return;
	}
	gk_out *o = &resp->body;
	if (r->format == GK_CGI_JSON) {
		resp->ctype = "application/json; charset=utf-8";
		gk_out_raw(o, json);
		gk_out_raw(o, "\n");
		free(json);
		return;
	}
	json_t *rec = json_loads(json, 0, NULL);
	free(json);
	if (!json_is_object(rec)) {
		json_decref(rec);
		gk_cgi_page_error(r, r->format, 500, "无法读取报告",
		                  "读取报告时出现内部错误，请稍后再试。", resp);
		return;
	}
	const char *title = jstr(rec, "title");
	gk_cgi_page_open(o, title, r);
	gk_out_raw(o, "<article id=\"report\">\n<header>\n<h1>");
	gk_out_htmls(o, title);
	gk_out_raw(o, "</h1>\n<dl class=\"meta\">\n");
	meta_row(o, "机关", jstr(rec, "agency"));
	long long year = jint(rec, "year", 0);
	if (year)
		gk_out_f(o, "<dt>年份</dt><dd>%lld 年</dd>\n", year);
	meta_row(o, "地区", jstr(rec, "region"));
	meta_row(o, "发布日期", jstr(rec, "date"));
	const char *file = jstr(rec, "report");
	if (file) {
		const char *b = strrchr(file, '/');
		meta_row(o, "文件", b ? b + 1 : file);
	}
	meta_row(o, "格式", jstr(rec, "format"));
	long long pages = jint(rec, "pages", 0);
	if (pages)
		gk_out_f(o, "<dt>页数</dt><dd>%lld</dd>\n", pages);
	const char *url = jstr(rec, "url");
	if (is_web_url(url)) {
		gk_out_raw(o, "<dt>原文</dt><dd><a rel=\"noopener noreferrer\" "
		              "href=\"");
		gk_out_htmls(o, url);
		gk_out_raw(o, "\">");
		gk_out_htmls(o, url);
		gk_out_raw(o, "</a></dd>\n");
	}
	gk_out_raw(o, "</dl>\n");
	if (*r->q) {
		gk_out_raw(o, "<p class=\"back\"><a href=\"?q=");
		gk_out_urls(o, r->q);
		gk_out_raw(o, "\">← 返回“");
		gk_out_htmls(o, r->q);
		gk_out_raw(o, "”的检索结果</a></p>\n");
	}
	gk_out_raw(o, "</header>\n<div class=\"report-layout\">\n");
	toc(o, json_object_get(rec, "headings"));
	gk_out_raw(o, "<div class=\"report-body\">\n");
	stats_section(o, json_object_get(rec, "stats"));
	/* The words searched for are marked; a query that does not parse
	 * (edited by hand) marks nothing. */
	gk_q_marker *m = NULL;
	if (*r->q && gk_q_marker_new(ctx->q, r->q, strlen(r->q), &m, &err))
		m = NULL;
	passages(o, m, json_object_get(rec, "passages"), r->passage);
	gk_q_marker_free(m);
	gk_out_raw(o, "</div>\n</div>\n</article>\n");
	gk_cgi_page_close(o);
	json_decref(rec);
}
