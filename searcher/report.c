/* A whole report read back from the index: its record document and its
 * passages in order, for the report view. Nothing is read from the
 * report's file. */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
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
	gk_status st = gk_xap_query_term(&t, term, strlen(term), err);
	if (!st && passages)
		st = gk_xap_query_term(&rec, GK_TERM_RECORD,
		                       strlen(GK_TERM_RECORD), err);
	if (!st && passages) {
		gk_xap_query *subs[2] = { t, rec };
		st = gk_xap_query_combine(&xq, GK_XAP_AND_NOT, subs, 2, 0, err);
	}
	if (!st)
		st = gk_q__fetch(q->db, xq ? xq : t, GK_Q_NO_SLOT,
		                 passages ? GK_SLOT_PASSAGE : GK_Q_NO_SLOT, max,
		                 out, err);
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

/* ---- every report's record, for statistics ------------------------------ */

/* Reports gk_q_reports reads at most: bounds its memory. */
#define REPORTS_MAX 200000
/* Reports whose files are looked up with one query. */
#define REPORTS_CHUNK 512
/* Files of one report at most (its .txt, .md, .pdf, .html …). */
#define FILES_PER_REPORT 16

/* How many of the record's statistics are certain, and how many in all. */
static void certain_count(json_t *rec, size_t *certain, size_t *all)
{
	json_t *s = json_object_get(rec, "stats");
	*all = json_object_size(json_object_get(s, "stats"));
	size_t unc = json_array_size(json_object_get(s, "uncertain"));
	*certain = *all > unc ? *all - unc : 0;
}

/* The best file of the report being grouped. */
typedef struct best_rec {
	char ident[64];
	char *json; /* malloc'd; NULL when none yet */
	size_t len, certain, all;
} best_rec;

static int flush_best(best_rec *b, gk_q_record_cb cb, void *payload)
{
	int rc = 0;
	if (b->json)
		rc = cb(b->json, b->len, payload);
	free(b->json);
	b->json = NULL;
	return rc;
}

/* Runs recq (selecting record documents) sorted by identity and calls cb
 * once per identity with its best record. */
static int emit_records(gk_q *q, const gk_xap_query *recq, size_t max,
                        gk_q_record_cb cb, void *payload, gk_error *err)
{
	gk_xap_mset *m = NULL;
	gk_status st = gk_q__fetch(q->db, recq, GK_Q_NO_SLOT, GK_SLOT_IDENTITY,
	                           max + 1, &m, err);
	size_t n = st ? 0 : gk_xap_mset_size(m);
	if (n > max)
		st = gk_error_set(err, GK_EQUERY,
		                  "more than %zu report files to read: narrow "
		                  "the query",
		                  max);
	best_rec b = { "", NULL, 0, 0, 0 };
	int rc = st;
	for (size_t i = 0; i < n && !rc; i++) {
		const char *v, *data;
		size_t vlen, dlen;
		char ident[64];
		rc = gk_xap_mset_value(m, i, GK_SLOT_IDENTITY, &v, &vlen, err);
		if (rc)
			break;
		/* Copied first: the next call on m reuses the memory. */
		snprintf(ident, sizeof ident, "%.*s",
		         (int)(vlen < sizeof ident ? vlen : sizeof ident - 1),
		         v);
		rc = gk_xap_mset_data(m, i, &data, &dlen, err);
		if (rc)
			break;
		json_t *o = json_loadb(data, dlen, 0, NULL);
		if (!json_is_object(o)) {
			json_decref(o);
			rc = gk_error_set(err, GK_ECORRUPT,
			                  "damaged record of a report (%s)",
			                  ident);
			break;
		}
		size_t certain, all;
		certain_count(o, &certain, &all);
		json_decref(o);
		if (b.json && strcmp(b.ident, ident))
			rc = flush_best(&b, cb, payload);
		if (rc)
			break;
		if (b.json && (certain < b.certain ||
		               (certain == b.certain && all <= b.all)))
			continue;
		char *copy = malloc(dlen + 1);
		if (!copy) {
			rc = gk_error_set(err, GK_ENOMEM, "out of memory");
			break;
		}
		memcpy(copy, data, dlen);
		copy[dlen] = '\0';
		free(b.json);
		b = (best_rec){ "", copy, dlen, certain, all };
		memcpy(b.ident, ident, sizeof ident);
	}
	if (!rc)
		rc = flush_best(&b, cb, payload);
	free(b.json);
	gk_xap_mset_free(m);
	return rc;
}

/* The records of every file of the reports with identities ids[0..n): the
 * passages with their identity terms give the files, whose record id terms
 * give the records. */
static int emit_identities(gk_q *q, char *const *ids, size_t n,
                           gk_q_record_cb cb, void *payload, gk_error *err)
{
	gk_xap_query **terms = calloc(n * FILES_PER_REPORT + 1, sizeof *terms);
	if (!terms)
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	size_t nt = 0;
	gk_xap_query *xq = NULL;
	gk_xap_mset *m = NULL;
	gk_status st = GK_OK;
	char term[64];
	for (size_t i = 0; i < n && !st; i++) {
		snprintf(term, sizeof term, GK_PREFIX_IDENTITY "%s", ids[i]);
		st = gk_xap_query_term(&terms[nt], term, strlen(term), err);
		if (!st)
			nt++;
	}
	if (!st)
		st = gk_xap_query_combine(&xq, GK_XAP_OR, terms, nt, 0, err);
	for (size_t i = 0; i < nt; i++)
		gk_xap_query_free(terms[i]);
	nt = 0;
	size_t max = n * FILES_PER_REPORT;
	if (!st)
		st = gk_q__fetch(q->db, xq, GK_SLOT_REPORT, GK_Q_NO_SLOT, max,
		                 &m, err);
	size_t nm = st ? 0 : gk_xap_mset_size(m);
	for (size_t i = 0; i < nm && !st; i++) {
		const char *v;
		size_t vlen;
		st = gk_xap_mset_value(m, i, GK_SLOT_REPORT, &v, &vlen, err);
		if (st || !vlen || vlen > 32)
			continue;
		snprintf(term, sizeof term,
		         GK_PREFIX_ID "%.*s" GK_RECORD_SUFFIX, (int)vlen, v);
		st = gk_xap_query_term(&terms[nt], term, strlen(term), err);
		if (!st)
			nt++;
	}
	gk_xap_query *recq = NULL;
	if (!st && nt)
		st = gk_xap_query_combine(&recq, GK_XAP_OR, terms, nt, 0, err);
	int rc = st;
	if (!rc && recq)
		rc = emit_records(q, recq, max, cb, payload, err);
	for (size_t i = 0; i < nt; i++)
		gk_xap_query_free(terms[i]);
	free(terms);
	gk_xap_query_free(recq);
	gk_xap_mset_free(m);
	gk_xap_query_free(xq);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether the query has nothing but white space (U+3000 included). */
static bool blank(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
			i++;
		else if (len - i >= 3 && !memcmp(s + i, "\xe3\x80\x80", 3))
			i += 3;
		else
			return false;
	}
	return true;
}

int gk_q_reports(gk_q *q, const char *query, size_t len, gk_q_record_cb cb,
                 void *payload, gk_error *err)
{
	gk_xap_query *xq = NULL;
	gk_status st;
	if (!query || blank(query, len)) {
		st = gk_xap_query_term(&xq, GK_TERM_RECORD,
		                       strlen(GK_TERM_RECORD), err);
		int rc =
		    st ? st
		       : emit_records(q, xq, REPORTS_MAX, cb, payload, err);
		gk_xap_query_free(xq);
		return rc;
	}
	/* The reports with a matching passage, one passage each. */
	gk_xap_mset *m = NULL;
	st = gk_q__build_query(q, query, len, &xq, err);
	if (!st)
		st = gk_q__fetch(q->db, xq, GK_SLOT_IDENTITY, GK_Q_NO_SLOT,
		                 REPORTS_MAX + 1, &m, err);
	size_t n = st ? 0 : gk_xap_mset_size(m);
	if (n > REPORTS_MAX)
		st =
		    gk_error_set(err, GK_EQUERY,
		                 "more than %d reports match: narrow the query",
		                 REPORTS_MAX);
	char **ids = NULL;
	size_t nids = 0;
	if (!st && n && !(ids = calloc(n, sizeof *ids)))
		st = gk_error_set(err, GK_ENOMEM, "out of memory");
	for (size_t i = 0; i < n && !st; i++) {
		const char *v;
		size_t vlen;
		st = gk_xap_mset_value(m, i, GK_SLOT_IDENTITY, &v, &vlen, err);
		if (st || !vlen || vlen > 32)
			continue;
		if (!(ids[nids] = malloc(vlen + 1))) {
			st = gk_error_set(err, GK_ENOMEM, "out of memory");
			break;
		}
		memcpy(ids[nids], v, vlen);
		ids[nids++][vlen] = '\0';
	}
	gk_xap_mset_free(m);
	gk_xap_query_free(xq);
	if (nids)
		qsort(ids, nids, sizeof *ids, cmp_str);
	int rc = st;
	for (size_t i = 0; i < nids && !rc; i += REPORTS_CHUNK)
		rc = emit_identities(q, ids + i,
		                     nids - i < REPORTS_CHUNK ? nids - i
		                                              : REPORTS_CHUNK,
		                     cb, payload, err);
	for (size_t i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	return rc;
}
