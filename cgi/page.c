/* What every page shares: head, top bar with the search box, foot, links
 * that keep the current search, and the error page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi.h"

void gk_cgi_hidden(gk_out *o, const char *name, const char *v)
{
	if (!v || !*v)
		return;
	gk_out_f(o, "<input type=\"hidden\" name=\"%s\" value=\"", name);
	gk_out_htmls(o, v);
	gk_out_raw(o, "\">");
}

void gk_cgi_page_open(gk_out *o, const char *title, const gk_cgi_req *r)
{
	gk_out_raw(o, "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n"
	              "<meta charset=\"utf-8\">\n"
	              "<meta name=\"viewport\" content=\"width=device-width, "
	              "initial-scale=1\">\n"
	              "<meta name=\"referrer\" content=\"no-referrer\">\n"
	              "<title>");
	if (title && *title) {
		gk_out_htmls(o, title);
		gk_out_raw(o, " · ");
	}
	gk_out_raw(o,
	           "公开 · 政府信息公开年报检索</title>\n"
	           "<link rel=\"stylesheet\" href=\"?asset=style.css\">\n"
	           "<script src=\"?asset=app.js\" defer></script>\n"
	           "</head>\n<body>\n<header class=\"top\"><div "
	           "class=\"bar\">\n"
	           "<a class=\"brand\" href=\"?\">公开<small>政府信息公开"
	           "年报检索</small></a>\n"
	           "<form id=\"search\" role=\"search\" method=\"get\" "
	           "action=\"\">\n<input id=\"q\" name=\"q\" type=\"search\" "
	           "maxlength=\"1000\" autocomplete=\"off\" "
	           "aria-label=\"检索词\" placeholder=\"例如：国家秘密 "
	           "year:2023　或　行政处罚 agency:晋江\" value=\"");
	if (r)
		gk_out_htmls(o, r->q);
	gk_out_raw(o, "\">");
	if (r && !*r->report) {
		/* A new query keeps the filters chosen. */
		gk_cgi_hidden(o, "agency", r->agency);
		gk_cgi_hidden(o, "region", r->region);
		gk_cgi_hidden(o, "section", r->section);
		gk_cgi_hidden(o, "type", r->type);
		if (r->from)
			gk_out_f(o,
			         "<input type=\"hidden\" name=\"from\" "
			         "value=\"%d\">",
			         r->from);
		if (r->to)
			gk_out_f(o,
			         "<input type=\"hidden\" name=\"to\" "
			         "value=\"%d\">",
			         r->to);
	}
	gk_out_raw(o, "\n<button type=\"submit\">检索</button>\n</form>\n"
	              "</div></header>\n<main>\n");
}

void gk_cgi_page_close(gk_out *o)
{
	gk_out_raw(o, "</main>\n<footer>公开（gongkai）· "
	              "政府信息公开工作年度报告全文检索 · 按 / "
	              "键跳到检索框</footer>\n</body>\n</html>\n");
}

static void param(gk_out *o, bool *first, const char *name, const char *v)
{
	if (!v || !*v)
		return;
	gk_out_raw(o, *first ? "?" : "&amp;");
	*first = false;
	gk_out_raw(o, name);
	gk_out_raw(o, "=");
	gk_out_urls(o, v);
}

void gk_cgi_link(gk_out *o, const gk_cgi_req *r, const char *name,
                 const char *value)
{
	const char *fields[] = { "q", "agency", "region", "section", "type" };
	const char *vals[] = { r->q, r->agency, r->region, r->section,
		               r->type };
	bool first = true;
	for (size_t i = 0; i < 5; i++)
		param(o, &first, fields[i],
		      !strcmp(name, fields[i]) ? value : vals[i]);
	char from[16] = "", to[16] = "";
	if (!strcmp(name, "year")) {
		if (value) {
			snprintf(from, sizeof from, "%s", value);
			snprintf(to, sizeof to, "%s", value);
		}
	} else {
		if (r->from)
			snprintf(from, sizeof from, "%d", r->from);
		if (r->to)
			snprintf(to, sizeof to, "%d", r->to);
	}
	param(o, &first, "from", from);
	param(o, &first, "to", to);
	if (r->limit != GK_CGI_LIMIT_DEFAULT) {
		char n[16];
		snprintf(n, sizeof n, "%zu", r->limit);
		param(o, &first, "limit", n);
	}
	if (!strcmp(name, "offset"))
		param(o, &first, "offset", value);
	if (first)
		gk_out_raw(o, "?");
}

void gk_cgi_page_error(const gk_cgi_req *r, gk_cgi_format format, int status,
                       const char *title, const char *msg, gk_cgi_resp *resp)
{
	gk_buf_reset(&resp->body.b);
	resp->body.failed = false;
	resp->status = status;
	if (format == GK_CGI_JSON) {
		resp->ctype = "application/json; charset=utf-8";
		gk_out_raw(&resp->body, "{\"error\":");
		gk_out_json_str(&resp->body, msg, strlen(msg));
		gk_out_f(&resp->body, ",\"status\":%d}\n", status);
		return;
	}
	resp->ctype = "text/html; charset=utf-8";
	gk_cgi_page_open(&resp->body, title, r);
	gk_out_raw(&resp->body, "<div class=\"notice\" id=\"error\" "
	                        "role=\"alert\">\n<h1>");
	gk_out_htmls(&resp->body, title);
	gk_out_raw(&resp->body, "</h1>\n<p>");
	gk_out_htmls(&resp->body, msg);
	gk_out_raw(&resp->body, "</p>\n<p><a href=\"?\">回到首页</a></p>\n"
	                        "</div>\n");
	gk_cgi_page_close(&resp->body);
}
