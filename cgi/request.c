/* Parsing and validating a request: method, then every parameter of the
 * query string. Anything malformed is refused with 400 before any work is
 * done; parameters the page does not know are ignored. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi.h"
#include "gk_utf8.h"

static bool refuse(gk_cgi_refusal *why, int status, const char *msg)
{
	why->status = status;
	snprintf(why->msg, sizeof why->msg, "%s", msg);
	return false;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes n bytes of a www-form-urlencoded component into out (which has
 * room for n + 1 bytes): '+' is a space, %XX a byte. False for a broken
 * escape or a NUL byte. */
static bool decode(const char *s, size_t n, char *out, size_t *outlen)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int a = i + 1 < n ? hexval(s[i + 1]) : -1;
			int b = i + 2 < n ? hexval(s[i + 2]) : -1;
			if (a < 0 || b < 0)
				return false;
			c = (char)(a * 16 + b);
			i += 2;
		}
		if (c == '\0')
			return false;
		out[k++] = c;
	}
	out[k] = '\0';
	*outlen = k;
	return true;
}

static bool parse_num(const char *s, long lo, long hi, long *out)
{
	if (!*s || strlen(s) > 9)
		return false;
	long v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
	}
	if (v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* Words of a query, as the limit counts them: runs of characters between
 * spaces (ASCII or the ideographic space). */
static size_t count_words(const char *s)
{
	size_t n = 0;
	bool in = false;
	while (*s) {
		size_t sp = gk_utf8_space_len(s, strlen(s));
		if (sp) {
			in = false;
			s += sp;
			continue;
		}
		if (!in)
			n++;
		in = true;
		s++;
	}
	return n;
}

static const char *const known[] = { "q",     "agency", "region", "section",
	                             "type",  "from",   "to",     "offset",
	                             "limit", "format", "report", "p",
	                             "asset", "year" };
enum { NKNOWN = sizeof known / sizeof known[0] };

static char *empty_str(void)
{
	static char e[1] = "";
	return e;
}

bool gk_cgi_req_parse(gk_cgi_req *r, const char *method, const char *qs,
                      gk_cgi_refusal *why)
{
	memset(r, 0, sizeof *r);
	r->q = r->agency = r->region = r->section = r->type = r->report =
	    r->asset = empty_str();
	r->limit = GK_CGI_LIMIT_DEFAULT;
	r->passage = -1;
	if (!method || (strcmp(method, "GET") && strcmp(method, "HEAD")))
		return refuse(why, 405, "只接受 GET 和 HEAD 请求。");
	r->head = !strcmp(method, "HEAD");
	if (!qs)
		qs = "";
	size_t qlen = strlen(qs);
	if (qlen > GK_CGI_QS_MAX)
		return refuse(why, 400, "请求过长。");
	/* Every decoded value fits in the query string's length, and so
	 * does the key being decoded, kept apart at the end. */
	r->storage = malloc(2 * qlen + NKNOWN + 2);
	if (!r->storage)
		return refuse(why, 500, "服务器内存不足。");
	char *store = r->storage;
	char *key = r->storage + qlen + NKNOWN + 1;
	const char *val[NKNOWN] = { 0 };
	const char *p = qs;
	while (*p) {
		const char *amp = strchr(p, '&');
		size_t n = amp ? (size_t)(amp - p) : strlen(p);
		const char *eq = memchr(p, '=', n);
		size_t klen = eq ? (size_t)(eq - p) : n;
		/* The whole query string must be well-formed, known
		 * parameters or not. */
		char *tmp = store;
		size_t vlen = 0, kdec = 0;
		const char *v = eq ? eq + 1 : p + n;
		size_t vraw = (size_t)(p + n - v);
		if (!decode(v, vraw, tmp, &vlen))
			return refuse(why, 400, "请求参数的 %-编码有误。");
		if (!gk_utf8_valid(tmp, vlen, NULL))
			return refuse(why, 400,
			              "请求参数不是有效的 UTF-8 文本。");
		if (!decode(p, klen, key, &kdec))
			return refuse(why, 400, "请求参数的 %-编码有误。");
		for (size_t k = 0; k < NKNOWN; k++)
			if (!strcmp(key, known[k]) && !val[k]) {
				val[k] = tmp;
				store += vlen + 1;
				break;
			}
		p += n;
		if (*p == '&')
			p++;
	}
	/* q, agency, region, section, type */
	if (val[0])
		r->q = (char *)val[0];
	if (strlen(r->q) > GK_CGI_QUERY_MAX)
		return refuse(why, 400, "查询过长：最多 1000 字节。");
	if (count_words(r->q) > GK_CGI_TERMS_MAX)
		return refuse(why, 400, "查询的词过多：最多 64 个。");
	char **filters[] = { &r->agency, &r->region, &r->section, &r->type };
	for (size_t k = 0; k < 4; k++)
		if (val[1 + k]) {
			if (strlen(val[1 + k]) > GK_CGI_FILTER_MAX)
				return refuse(why, 400, "筛选条件过长。");
			*filters[k] = (char *)val[1 + k];
		}
	if (*r->type && strcmp(r->type, "report") && strcmp(r->type, "other"))
		return refuse(why, 400, "type 只能是 report 或 other。");
	long v;
	if (val[13]) { /* year: one year, from = to */
		if (!parse_num(val[13], 1900, 2199, &v))
			return refuse(why, 400, "year 必须是四位年份。");
		r->from = r->to = (int)v;
	}
	if (val[5] && *val[5]) {
		if (!parse_num(val[5], 1900, 2199, &v))
			return refuse(why, 400, "from 必须是四位年份。");
		r->from = (int)v;
	}
	if (val[6] && *val[6]) {
		if (!parse_num(val[6], 1900, 2199, &v))
			return refuse(why, 400, "to 必须是四位年份。");
		r->to = (int)v;
	}
	if (r->from && r->to && r->from > r->to)
		return refuse(why, 400, "起始年份晚于结束年份。");
	if (val[7] && *val[7]) {
		if (!parse_num(val[7], 0, GK_CGI_OFFSET_MAX, &v))
			return refuse(why, 400,
			              "offset 必须是 0 到 10000 之间的整数。");
		r->offset = (size_t)v;
	}
	if (val[8] && *val[8]) {
		if (!parse_num(val[8], 1, GK_CGI_LIMIT_MAX, &v))
			return refuse(why, 400,
			              "limit 必须是 1 到 100 之间的整数。");
		r->limit = (size_t)v;
	}
	if (val[9] && *val[9]) {
		if (!strcmp(val[9], "json"))
			r->format = GK_CGI_JSON;
		else if (strcmp(val[9], "html"))
			return refuse(why, 400, "format 只能是 html 或 json。");
	}
	if (val[10]) {
		if (!gk_q_report_id_valid(val[10]))
			return refuse(why, 400, "报告编号无效。");
		r->report = (char *)val[10];
	}
	if (val[11] && *val[11]) {
		if (!parse_num(val[11], 0, GK_CGI_PASSAGE_MAX, &v))
			return refuse(why, 400, "段落编号无效。");
		r->passage = v;
	}
	if (val[12])
		r->asset = (char *)val[12];
	return true;
}

void gk_cgi_req_clear(gk_cgi_req *r)
{
	free(r->storage);
	r->storage = NULL;
}
