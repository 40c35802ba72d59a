/* A hit as the JSON object that `gongkai search --json` prints and the
 * CGI's format=json returns: one definition, so the two cannot drift. */
#include <jansson.h>
#include <stdlib.h>

#include "gk_q.h"

static json_t *spans_json(const gk_q_span *s, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a,
		                      json_pack("[II]", (json_int_t)s[i].start,
		                                (json_int_t)s[i].end));
	return a;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

char *gk_q_hit_to_json(const gk_q_hit *h)
{
	json_t *o = json_object();
	json_t *sec = json_array();
	json_t *srcs = json_array();
	if (!o || !sec || !srcs) {
		json_decref(o);
		json_decref(sec);
		json_decref(srcs);
		return NULL;
	}
	for (size_t i = 0; i < h->nsection; i++)
		json_array_append_new(sec, json_string(h->section[i]));
	for (size_t i = 0; i < h->nsources; i++)
		json_array_append_new(srcs, json_string(h->sources[i]));
	json_object_set_new(o, "rank", json_integer((json_int_t)h->rank));
	json_object_set_new(o, "score", json_real(h->score));
	json_object_set_new(o, "report", json_string(h->report));
	json_object_set_new(o, "title", json_string(h->title));
	json_object_set_new(o, "agency", str_or_null(h->agency));
	json_object_set_new(o, "year",
	                    h->year ? json_integer(h->year) : json_null());
	json_object_set_new(o, "report_type", json_string(h->report_type));
	json_object_set_new(o, "region", str_or_null(h->region));
	json_object_set_new(o, "section", sec);
	json_object_set_new(o, "text", json_stringn(h->text, h->text_len));
	json_object_set_new(o, "snippet",
	                    json_stringn(h->snippet, h->snippet_len));
	json_object_set_new(o, "highlights",
	                    spans_json(h->highlights, h->nhighlights));
	json_object_set_new(
	    o, "snippet_highlights",
	    spans_json(h->snippet_highlights, h->nsnippet_highlights));
	json_object_set_new(o, "sources", srcs);
	json_object_set_new(o, "more_in_report",
	                    json_integer((json_int_t)h->more_in_report));
	json_object_set_new(o, "line", json_integer(h->line));
	json_object_set_new(o, "page",
	                    h->page ? json_integer(h->page) : json_null());
	json_object_set_new(o, "section_key", str_or_null(h->section_key));
	json_object_set_new(o, "report_id",
	                    h->report_id && *h->report_id
	                        ? json_string(h->report_id)
	                        : json_null());
	json_object_set_new(o, "passage", json_integer((json_int_t)h->passage));
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}
