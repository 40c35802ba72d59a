/* One request from start to end: validation, routing, the database, and
 * the headers every response carries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgi.h"

/* No inline script or style anywhere: the stylesheet and the script are
 * served by the CGI itself (?asset=…), so 'self' covers them. */
#define CSP                                                                    \
	"default-src 'none'; style-src 'self'; script-src 'self'; "            \
	"img-src 'self' data:; form-action 'self'; base-uri 'none'; "          \
	"frame-ancestors 'none'"

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

void gk_cgi_resp_serialize(const gk_cgi_resp *resp, bool head, gk_buf *out)
{
	gk_buf_appendf(out,
	               "Status: %d %s\r\n"
	               "Content-Type: %s\r\n"
	               "Content-Length: %zu\r\n"
	               "Content-Security-Policy: " CSP "\r\n"
	               "X-Content-Type-Options: nosniff\r\n"
	               "X-Frame-Options: DENY\r\n"
	               "Referrer-Policy: no-referrer\r\n"
	               "%s\r\n",
	               resp->status, reason(resp->status), resp->ctype,
	               resp->body.b.len, resp->headers);
	if (!head && resp->body.b.len)
		gk_buf_append(out, resp->body.b.data, resp->body.b.len);
}

void gk_cgi_resp_clear(gk_cgi_resp *resp)
{
	gk_buf_free(&resp->body.b);
	resp->body.failed = false;
}

/* A filter value inside a quoted phrase of the query language: quotes
 * would end the phrase, so they become spaces. */
static void append_field(gk_buf *b, const char *field, const char *v)
{
	if (!*v)
		return;
	gk_buf_appendf(b, "%s:\"", field);
	for (const char *p = v; *p; p++)
		gk_buf_appendc(b, *p == '"' ? ' ' : *p);
	gk_buf_append(b, "\" ", 2);
}

char *gk_cgi_full_query(const gk_cgi_req *r, size_t *shift)
{
	/* The filters come first; the searcher's message about the whole
	 * points into q shifted by their length. */
	gk_buf b = GK_BUF_INIT(1u << 16);
	append_field(&b, "agency", r->agency);
	append_field(&b, "region", r->region);
	append_field(&b, "section", r->section);
	if (*r->type)
		gk_buf_appendf(&b, "type:%s ", r->type);
	if (r->from || r->to)
		gk_buf_appendf(&b, "year:%d..%d ", r->from ? r->from : 1900,
		               r->to ? r->to : 2199);
	/* q has been checked on its own (gk_q_check): in parentheses it is
	 * one whole that the filters apply to. */
	bool wrap = *r->q != '\0';
	*shift = wrap ? 1 : 0;
	for (size_t i = 0; i < b.len; i++)
		*shift += ((unsigned char)b.data[i] & 0xC0) != 0x80;
	if (*r->q)
		gk_buf_appendf(&b, wrap ? "(%s)" : "%s", r->q);
	else if (b.len)
		b.data[--b.len] = '\0'; /* the last space */
	return gk_buf_steal(&b);
}

/* When the database was last changed: its directory's files are
 * replaced on commit, so the newest change time among the ones Xapian
 * writes on every commit tells. A stub file is its own stamp. */
static long long db_stamp(const char *path)
{
	static const char *const files[] = { "iamglass", "postlist.glass", "" };
	long long best = 0;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char p[4096];
		snprintf(p, sizeof p, "%s%s%s", path, *files[i] ? "/" : "",
		         files[i]);
		struct stat sb;
		if (stat(p, &sb) == 0) {
			long long t =
			    (long long)sb.st_mtim.tv_sec * 1000000000LL +
			    sb.st_mtim.tv_nsec;
			if (t > best)
				best = t;
		}
	}
	return best;
}

/* Opens the database, or reopens it when it changed since (FastCGI). On
 * failure the page says so without the path or the library's message;
 * those go to the server's error log. */
static bool open_db(gk_cgi_ctx *ctx, const gk_cgi_req *r, gk_cgi_resp *resp)
{
	if (!ctx->db || !*ctx->db) {
		fprintf(stderr,
		        "gongkai.cgi: no database: set GONGKAI_DB or write "
		        "db = PATH in gongkai.cgi.conf beside the program\n");
		gk_cgi_page_error(r, r->format, 500, "服务未配置",
		                  "搜索服务尚未配置数据库，请联系管理员。",
		                  resp);
		return false;
	}
	long long stamp = db_stamp(ctx->db);
	if (ctx->q && stamp != ctx->db_stamp) {
		gk_q_free(ctx->q);
		ctx->q = NULL;
	}
	if (ctx->q)
		return true;
	gk_error err;
	gk_error_clear(&err);
	if (gk_q_open(&ctx->q, ctx->db, &err)) {
		fprintf(stderr, "gongkai.cgi: %s\n", err.msg);
		gk_cgi_page_error(r, r->format, 500, "服务暂时不可用",
		                  "搜索数据库暂时无法打开，请稍后再试。", resp);
		return false;
	}
	ctx->db_stamp = stamp;
	return true;
}

void gk_cgi_handle(gk_cgi_ctx *ctx, const char *method, const char *qs,
                   gk_cgi_resp *resp)
{
	memset(resp, 0, sizeof *resp);
	resp->body.b = (gk_buf)GK_BUF_INIT(64u << 20);
	resp->status = 200;
	resp->ctype = "text/html; charset=utf-8";
	gk_cgi_req r;
	gk_cgi_refusal why;
	if (!gk_cgi_req_parse(&r, method, qs, &why)) {
		/* The format asked for may be unreadable: answer in HTML
		 * unless the query string plainly asks for JSON. */
		r.format =
		    qs && strstr(qs, "format=json") ? GK_CGI_JSON : GK_CGI_HTML;
		gk_cgi_page_error(&r, r.format, why.status,
		                  why.status == 405 ? "不支持的请求方法"
		                                    : "请求有误",
		                  why.msg, resp);
		if (why.status == 405)
			snprintf(resp->headers, sizeof resp->headers,
			         "Allow: GET, HEAD\r\n");
		gk_cgi_req_clear(&r);
		return;
	}
	if (*r.asset) {
		const char *ctype;
		const char *a = gk_cgi_asset(r.asset, &ctype);
		if (!a) {
			gk_cgi_page_error(&r, GK_CGI_HTML, 404, "没有这个文件",
			                  "请求的文件不存在。", resp);
		} else {
			resp->ctype = ctype;
			snprintf(resp->headers, sizeof resp->headers,
			         "Cache-Control: public, max-age=86400\r\n");
			gk_out_raw(&resp->body, a);
		}
	} else if (open_db(ctx, &r, resp)) {
		snprintf(resp->headers, sizeof resp->headers,
		         "Cache-Control: no-cache\r\n");
		if (*r.report)
			gk_cgi_page_report(ctx, &r, resp);
		else
			gk_cgi_page_search(ctx, &r, resp);
	}
	if (resp->body.failed) {
		gk_cgi_resp_clear(resp);
		resp->body.b = (gk_buf)GK_BUF_INIT(1u << 20);
		gk_cgi_page_error(&r, r.format, 500, "页面过大",
		                  "结果页面超出了大小限制，请缩小查询范围。",
		                  resp);
	}
	gk_cgi_req_clear(&r);
}
