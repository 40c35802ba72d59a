/* gongkai.cgi: the web search page, as CGI or FastCGI.
 *
 * A request is parsed (request.c), answered into an in-memory response
 * (handler.c and the page_*.c files) and only then written out (main.c),
 * so that a failure half-way never sends half a page. Every byte that
 * comes from a request or from the index goes out through the escaping
 * writers of out.c, chosen for its context: HTML text, HTML attribute,
 * URL component or JSON. */
#ifndef GK_CGI_H
#define GK_CGI_H

#include <stdbool.h>
#include <stddef.h>

#include "gk_buf.h"
#include "gk_q.h"

/* Limits on what one request may ask for. */
#define GK_CGI_QUERY_MAX     1000  /* bytes of q */
#define GK_CGI_TERMS_MAX     64    /* words of q */
#define GK_CGI_LIMIT_MAX     100   /* hits per page */
#define GK_CGI_OFFSET_MAX    10000 /* hits passed over */
#define GK_CGI_FILTER_MAX    200   /* bytes of a filter value */
#define GK_CGI_QS_MAX        8192  /* bytes of the whole query string */
#define GK_CGI_LIMIT_DEFAULT 10
#define GK_CGI_PASSAGE_MAX   1000000

/* ---- output ------------------------------------------------------------ */

/* A response body being written. A failed append (the size limit) sets
 * failed and makes every later write a no-op, so writers need not check. */
typedef struct gk_out {
	gk_buf b;
	bool failed;
} gk_out;

void gk_out_raw(gk_out *o, const char *s);
void gk_out_rawn(gk_out *o, const char *s, size_t n);
void gk_out_f(gk_out *o, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Escaped for HTML text: & < > and quotes become entities. */
void gk_out_html(gk_out *o, const char *s, size_t n);
void gk_out_htmls(gk_out *o, const char *s); /* NULL writes nothing */
/* Percent-encoded for a URL query component (RFC 3986 unreserved kept),
 * itself safe inside a quoted HTML attribute. */
void gk_out_url(gk_out *o, const char *s, size_t n);
void gk_out_urls(gk_out *o, const char *s);
/* As a JSON string, quotes included; "<", ">" and "&" escaped too, so the
 * JSON is also safe inside HTML. */
void gk_out_json_str(gk_out *o, const char *s, size_t n);
/* HTML text with the spans (sorted, disjoint byte ranges of s; any that
 * overlap or run past n are passed over) wrapped in <mark>. */
void gk_out_marked(gk_out *o, const char *s, size_t n, const gk_q_span *sp,
                   size_t nsp);

/* ---- requests ---------------------------------------------------------- */

typedef enum gk_cgi_format { GK_CGI_HTML, GK_CGI_JSON } gk_cgi_format;

/* A request's parameters, validated. Strings are NUL-terminated UTF-8
 * owned by the request ("" when absent). */
typedef struct gk_cgi_req {
	bool head; /* HEAD: headers only */
	char *q, *agency, *region, *section, *type;
	int from, to; /* years, 0 when absent */
	size_t offset, limit;
	gk_cgi_format format;
	char *report;  /* report id, "" when absent */
	long passage;  /* passage to show in the report view, -1 when none */
	char *asset;   /* "style.css", "app.js" or "" */
	char *storage; /* backing store of the strings */
} gk_cgi_req;

/* Why a request is refused, for the status line and the message. */
typedef struct gk_cgi_refusal {
	int status; /* 400, 405 */
	char msg[256];
} gk_cgi_refusal;

/* Parses method and query string. On failure returns false with the
 * refusal filled in; on success the request is the caller's to clear. */
bool gk_cgi_req_parse(gk_cgi_req *r, const char *method, const char *qs,
                      gk_cgi_refusal *why);
void gk_cgi_req_clear(gk_cgi_req *r);

/* ---- answering --------------------------------------------------------- */

/* What stays between requests in FastCGI mode: the open database. */
typedef struct gk_cgi_ctx {
	const char *db;     /* database path (from the environment or config) */
	gk_q *q;            /* opened on the first request that needs it */
	long long db_stamp; /* change time of the database when opened */
} gk_cgi_ctx;

/* A complete response: status, content type, extra header lines (each
 * ending in \r\n) and body. */
typedef struct gk_cgi_resp {
	int status;
	const char *ctype;
	char headers[512];
	gk_out body;
} gk_cgi_resp;

/* Answers one request given its method and query string. Never fails:
 * every error becomes an error page. */
void gk_cgi_handle(gk_cgi_ctx *ctx, const char *method, const char *qs,
                   gk_cgi_resp *resp);
void gk_cgi_resp_clear(gk_cgi_resp *resp);
/* The headers and body, ready to be written (HEAD: headers only). */
void gk_cgi_resp_serialize(const gk_cgi_resp *resp, bool head, gk_buf *out);

/* Pages: they write resp->body and set status and type. */
void gk_cgi_page_search(gk_cgi_ctx *ctx, const gk_cgi_req *r,
                        gk_cgi_resp *resp);
void gk_cgi_page_report(gk_cgi_ctx *ctx, const gk_cgi_req *r,
                        gk_cgi_resp *resp);
/* An error page (HTML or JSON by format) with status and message; the
 * message is shown to the user, so it must hold nothing internal. */
void gk_cgi_page_error(const gk_cgi_req *r, gk_cgi_format format, int status,
                       const char *title, const char *msg, gk_cgi_resp *resp);
/* The page head and foot around a body: title, stylesheet, search box. */
void gk_cgi_page_open(gk_out *o, const char *title, const gk_cgi_req *r);
void gk_cgi_page_close(gk_out *o);
/* A hidden form field carrying v (nothing when v is empty). */
void gk_cgi_hidden(gk_out *o, const char *name, const char *v);

/* The static files: the stylesheet and the script. NULL when unknown. */
const char *gk_cgi_asset(const char *name, const char **ctype);

/* Writes a link ("?q=…&agency=…", attribute-safe) to the search r asked
 * for with one parameter changed: name is "agency", "region", "section",
 * "type", "year" (from and to both), "offset" or "q"; a NULL value drops
 * it. Any change but the offset goes back to the first page. */
void gk_cgi_link(gk_out *o, const gk_cgi_req *r, const char *name,
                 const char *value);

/* The query sent to the searcher: q plus the filters as fields, q in
 * parentheses when it has an OR (so that the filters apply to all of it);
 * *shift receives how many characters come before q (for pointing at a
 * column of q). malloc'd. */
char *gk_cgi_full_query(const gk_cgi_req *r, size_t *shift);

#endif
