/* A whole report read back from the index: its record document and its
 * passages in order, for the report view. Nothing is read from the
 * report's file. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "gk_q.h"
#include "gk_schema.h"
#include "q_private.h"

/* Passages of one report at most: bounds the work of one request. */
#define REPORT_PASSAGES_MAX 50000

int gk_q_report_id_valid(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') ||
		      (s[n] >= 'a' && s[n] <= 'f')))
			return 0;
	return n == 16;
}

/* Runs a one-term query (minus GK_TERM_RECORD when passages is set,
 * ordered by passage number) and returns its mset. */
static gk_status run_term(gk_q *q, const char *term, int passages, size_t max,
                          gk_xap_mset **out, gk_error *err)
{
	gk_xap_query *t = NULL, *rec = NULL, *xq = NULL;
	gk_xap_enquire *e = NULL;
	gk_status st = gk_xap_query_term(&t, term, strlen(term), err);
	if (!st && passages)
		st = gk_xap_query_term(&rec, GK_TERM_RECORD,
		                       strlen(GK_TERM_RECORD), err);
	if (!st && passages) {
		gk_xap_query *subs[2] = { t, rec };
		st = gk_xap_query_combine(&xq, GK_XAP_AND_NOT, subs, 2, 0, err);
	}
	if (!st)
		st = gk_xap_enquire_new(&e, q->db, err);
	if (!st)
		st = gk_xap_enquire_set_query(e, xq ? xq : t, err);
	if (!st && passages)
		st = gk_xap_enquire_set_sort_value(e, GK_SLOT_PASSAGE, 0, err);
	if (!st)
		st = gk_xap_enquire_run(e, 0, max, max, out, err);
	gk_xap_enquire_free(e);
	gk_xap_query_free(t);
	gk_xap_query_free(rec);
	gk_xap_query_free(xq);
	return st;
}

static const char *const passage_keys[] = { "n",           "text", "section",
	                                    "section_key", "line", "page" };

gk_status gk_q_report(gk_q *q, const char *id, char **json, gk_error *err)
{
	*json = NULL;
	if (!gk_q_report_id_valid(id))
		return gk_error_set(err, GK_EINVAL, "not a report id: '%.40s'",
		                    id);
	char term[64];
	snprintf(term, sizeof term, GK_PREFIX_ID "%s" GK_RECORD_SUFFIX, id);
	gk_xap_mset *m = NULL;
	json_t *rec = NULL, *list = NULL;
	const char *data;
	size_t len;
	gk_status st = run_term(q, term, 0, 1, &m, err);
	if (!st && gk_xap_mset_size(m) == 0)
		st =
		    gk_error_set(err, GK_ENOTFOUND, "no report with id %s", id);
	if (!st)
		st = gk_xap_mset_data(m, 0, &data, &len, err);
	if (!st) {
		rec = json_loadb(data, len, 0, NULL);
		if (!json_is_object(rec))
			st = gk_error_set(err, GK_ECORRUPT,
			                  "damaged record of report %s", id);
	}
	gk_xap_mset_free(m);
	m = NULL;
	snprintf(term, sizeof term, GK_PREFIX_REPORT "%s", id);
	if (!st)
		st = run_term(q, term, 1, REPORT_PASSAGES_MAX, &m, err);
	if (!st && !(list = json_array()))
		st = gk_error_set(err, GK_ENOMEM, "out of memory");
	size_t n = st ? 0 : gk_xap_mset_size(m);
	for (size_t i = 0; i < n && !st; i++) {
		st = gk_xap_mset_data(m, i, &data, &len, err);
		if (st)
			break;
		json_t *o = json_loadb(data, len, 0, NULL);
		if (!json_is_object(o)) {
			json_decref(o);
			st = gk_error_set(err, GK_ECORRUPT,
			                  "damaged passage of report %s", id);
			break;
		}
		/* Only what belongs to the passage: the report's fields are in
		 * the record once. */
		json_t *p = json_object();
		for (size_t k = 0;
		     k < sizeof passage_keys / sizeof passage_keys[0]; k++) {
			json_t *v = json_object_get(o, passage_keys[k]);
			json_object_set(p, passage_keys[k],
			                v ? v : json_null());
		}
		json_array_append_new(list, p);
		json_decref(o);
	}
	gk_xap_mset_free(m);
	if (!st) {
		json_object_set_new(rec, "passages", list);
		list = NULL;
		*json = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (!*json)
			st = gk_error_set(err, GK_ENOMEM, "out of memory");
	}
	json_decref(list);
	json_decref(rec);
	return st;
}
