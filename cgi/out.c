/* Writers for response bodies, each escaping for its context. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cgi.h"

void gk_out_rawn(gk_out *o, const char *s, size_t n)
{
	if (!o->failed && gk_buf_append(&o->b, s, n))
		o->failed = true;
}

void gk_out_raw(gk_out *o, const char *s)
{
	gk_out_rawn(o, s, strlen(s));
}

void gk_out_f(gk_out *o, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	/* Formats are ours and short; a longer result is a bug caught here. */
	if (n < 0 || (size_t)n >= sizeof tmp)
		o->failed = true;
	else
		gk_out_rawn(o, tmp, (size_t)n);
}

void gk_out_html(gk_out *o, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *ent = NULL;
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		case '\0': ent = "\xef\xbf\xbd"; break;
		default: continue;
		}
		gk_out_rawn(o, s + run, i - run);
		gk_out_raw(o, ent);
		run = i + 1;
	}
	gk_out_rawn(o, s + run, n - run);
}

void gk_out_htmls(gk_out *o, const char *s)
{
	if (s)
		gk_out_html(o, s, strlen(s));
}

void gk_out_url(gk_out *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			gk_out_rawn(o, (const char *)&c, 1);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			gk_out_rawn(o, e, 3);
		}
	}
}

void gk_out_urls(gk_out *o, const char *s)
{
	if (s)
		gk_out_url(o, s, strlen(s));
}

void gk_out_json_str(gk_out *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	gk_out_rawn(o, "\"", 1);
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[7];
		const char *rep = NULL;
		size_t rl = 2;
		if (c == '"')
			rep = "\\\"";
		else if (c == '\\')
			rep = "\\\\";
		else if (c == '\n')
			rep = "\\n";
		else if (c == '\t')
			rep = "\\t";
		else if (c == '\r')
			rep = "\\r";
		else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			e[0] = '\\';
			e[1] = 'u';
			e[2] = '0';
			e[3] = '0';
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			rep = e;
			rl = 6;
		} else {
			continue;
		}
		gk_out_rawn(o, s + run, i - run);
		gk_out_rawn(o, rep, rl);
		run = i + 1;
	}
	gk_out_rawn(o, s + run, n - run);
	gk_out_rawn(o, "\"", 1);
}

void gk_out_marked(gk_out *o, const char *s, size_t n, const gk_q_span *sp,
                   size_t nsp)
{
	size_t at = 0;
	for (size_t i = 0; i < nsp; i++) {
		if (sp[i].start < at || sp[i].end > n)
			continue;
		gk_out_html(o, s + at, sp[i].start - at);
		gk_out_raw(o, "<mark>");
		gk_out_html(o, s + sp[i].start, sp[i].end - sp[i].start);
		gk_out_raw(o, "</mark>");
		at = sp[i].end;
	}
	gk_out_html(o, s + at, n - at);
}
