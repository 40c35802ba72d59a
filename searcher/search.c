#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gk_buf.h"
#include "gk_q.h"
#include "gk_schema.h"
#include "gk_tok.h"
#include "gk_xap.h"
#include "q_private.h"
#include "query.h"
#include "snippet.h"

#define SNIPPET_CHARS 120
#define QUERY_MAX     4096
#define MAX_WORDS     64
/* Matches counted exactly beyond the page shown, so that the total
 * printed is right for all but large result sets. */
#define COUNT_EXACT 1000

gk_status gk_q_open(gk_q **out, const char *dbpath, gk_error *err)
{
	*out = NULL;
	gk_q *q = calloc(1, sizeof *q);
	if (!q)
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	gk_status st = gk_tok_new(&q->tok, err);
	if (!st)
		st = gk_xap_db_open(&q->db, dbpath, err);
	/* Queries must be cut into words with the lexicons the reports were
	 * cut with. */
	char *lex = NULL;
	size_t lexlen = 0;
	if (!st)
		st = gk_xap_db_get_metadata(q->db, GK_META_LEXICON, &lex,
		                            &lexlen, err);
	if (!st && lexlen)
		st = gk_tok_add_lexicon_text(q->tok, "the database's lexicon",
		                             lex, lexlen, err);
	free(lex);
	if (st) {
		gk_q_free(q);
		return st;
	}
	*out = q;
	return GK_OK;
}

void gk_q_free(gk_q *q)
{
	if (!q)
		return;
	gk_xap_db_free(q->db);
	gk_tok_free(q->tok);
	free(q);
}

/* ---- parsing ------------------------------------------------------------ */

#define MAX_TERMS (MAX_WORDS * 16)

/* Matches in headings count this much more than in the passage. */
#define HEADING_BOOST 1.5

/* One word or phrase of the query, as the tokenizer cut it. */
typedef struct qword {
	size_t first_word, nwords; /* into words[] */
	size_t first_char, nchars; /* into chars[] */
	bool han; /* all Han: matched as a string of characters */
} qword;

typedef struct parsed {
	char *words[MAX_TERMS];   /* WORD terms */
	char *stems[MAX_TERMS];   /* stem of words[i], or NULL */
	bool word_han[MAX_TERMS]; /* characters followed words[i] */
	size_t nw;
	char *chars[MAX_TERMS]; /* CHAR terms */
	size_t nc;
	qword q[MAX_WORDS];
	size_t nq;
	snip_word snip[MAX_WORDS]; /* what to highlight */
	size_t nsnip;
	bool overflow;
	gk_tok *tok;
	gk_error *err;
	gk_xap_db *db; /* for the statistics filters' sub-searches */
} parsed;

static int collect_term(const gk_tok_token *t, void *payload)
{
	parsed *p = payload;
	qword *w = &p->q[p->nq];
	char **slot;
	if (t->kind == GK_TOK_STEM) {
		if (!w->nwords || p->stems[p->nw - 1])
			return 0;
		slot = &p->stems[p->nw - 1];
	} else if (t->kind == GK_TOK_CHAR) {
		if (p->nc == MAX_TERMS) {
			p->overflow = true;
			return 1;
		}
		if (w->nwords)
			p->word_han[p->nw - 1] = true;
		slot = &p->chars[p->nc++];
		w->nchars++;
	} else {
		if (p->nw == MAX_TERMS) {
			p->overflow = true;
			return 1;
		}
		p->stems[p->nw] = NULL;
		p->word_han[p->nw] = false;
		slot = &p->words[p->nw++];
		w->nwords++;
	}
	*slot = malloc(t->term_len + 1);
	if (!*slot)
		return GK_ENOMEM;
	memcpy(*slot, t->term, t->term_len + 1);
	return 0;
}

static void parsed_free(parsed *p)
{
	for (size_t i = 0; i < p->nw; i++) {
		free(p->words[i]);
		free(p->stems[i]);
	}
	for (size_t i = 0; i < p->nc; i++)
		free(p->chars[i]);
}

/* Tokenizes the text of a query word or phrase into p->q[*out]; *out is
 * -1 when it has nothing to search for (punctuation only). */
static gk_status tokenize(parsed *p, const char *text, long *out)
{
	*out = -1;
	if (p->nq == MAX_WORDS)
		return gk_error_set(p->err, GK_EQUERY,
		                    "too many words in the query (at most %d)",
		                    MAX_WORDS);
	qword *w = &p->q[p->nq];
	*w = (qword){ p->nw, 0, p->nc, 0, false };
	int rc = gk_tok_run(p->tok, GK_TOK_QUERY, text, strlen(text),
	                    collect_term, p, p->err);
	if (p->overflow)
		return gk_error_set(p->err, GK_EQUERY,
		                    "query too long: too many terms");
	if (rc)
		return rc < 0
		           ? rc
		           : gk_error_set(p->err, GK_ENOMEM, "out of memory");
	if (!w->nwords)
		return GK_OK;
	w->han = w->nchars > 0;
	for (size_t j = 0; j < w->nwords; j++)
		w->han = w->han && p->word_han[w->first_word + j];
	*out = (long)p->nq++;
	return GK_OK;
}

static void add_highlight(parsed *p, const qword *w)
{
	if (p->nsnip == MAX_WORDS)
		return;
	p->snip[p->nsnip++] =
	    w->han ? (snip_word){ GK_TOK_CHAR,
		                  (const char *const *)&p->chars[w->first_char],
		                  w->nchars, NULL }
	           : (snip_word){ GK_TOK_WORD,
		                  (const char *const *)&p->words[w->first_word],
		                  w->nwords,
		                  w->nwords == 1 ? p->stems[w->first_word]
		                                 : NULL };
}

static gk_status term_query(const char *prefix, const char *t,
                            gk_xap_query **out, gk_error *err)
{
	char term[GK_TOK_MAX_TERM + 8];
	size_t pl = strlen(prefix), tl = strlen(t);
	memcpy(term, prefix, pl);
	memcpy(term + pl, t, tl);
	return gk_xap_query_term(out, term, pl + tl, err);
}

/* A term, or the phrase of n terms. */
static gk_status phrase_query(const char *prefix, char *const *terms, size_t n,
                              gk_xap_query **out, gk_error *err)
{
	if (n == 1)
		return term_query(prefix, terms[0], out, err);
	gk_xap_query *subs[MAX_TERMS];
	size_t k = 0;
	gk_status st = GK_OK;
	for (; k < n && !st; k++)
		st = term_query(prefix, terms[k], &subs[k], err);
	if (st)
		k--;
	else
		st = gk_xap_query_combine(out, GK_XAP_PHRASE, subs, n, 0, err);
	for (size_t i = 0; i < k; i++)
		gk_xap_query_free(subs[i]);
	return st;
}

/* Combines a and b (either may be NULL) with op; frees both. */
static gk_status combine2(gk_xap_op op, gk_xap_query *a, gk_xap_query *b,
                          gk_xap_query **out, gk_error *err)
{
	if (!a || !b) {
		*out = a ? a : b;
		return GK_OK;
	}
	gk_xap_query *subs[2] = { a, b };
	gk_status st = gk_xap_query_combine(out, op, subs, 2, 0, err);
	gk_xap_query_free(a);
	gk_xap_query_free(b);
	return st;
}

/* One query word in one field. Words score by the word terms; a Han word
 * must occur as its exact string of characters, which finds it however
 * the text around it was cut into words. */
static gk_status field_query(const parsed *p, const qword *w, const gk_field *f,
                             gk_xap_query **out, gk_error *err)
{
	gk_xap_query *words = NULL, *chars = NULL;
	gk_status st =
	    phrase_query(f->word, (char *const *)&p->words[w->first_word],
	                 w->nwords, &words, err);
	if (!st && w->nwords == 1 && p->stems[w->first_word]) {
		gk_xap_query *stem = NULL;
		st = term_query(f->stem, p->stems[w->first_word], &stem, err);
		if (!st)
			st = combine2(GK_XAP_OR, words, stem, &words, err);
		else
			gk_xap_query_free(words);
		if (st)
			return st;
	}
	if (st || !w->han) {
		*out = words;
		return st;
	}
	st = phrase_query(f->chr, (char *const *)&p->chars[w->first_char],
	                  w->nchars, &chars, err);
	if (st) {
		gk_xap_query_free(words);
		return st;
	}
	return combine2(GK_XAP_AND_MAYBE, chars, words, out, err);
}

/* A word or phrase in the fields a plain word searches (the passage, its
 * headings, the report's title and agency), or in one field. */
static gk_status text_query(parsed *p, const qnode *n, gk_xap_query **out)
{
	*out = NULL;
	long qi;
	gk_status st = tokenize(p, n->text, &qi);
	if (st || qi < 0)
		return st;
	const qword *w = &p->q[qi];
	static const int any[] = { GK_FIELD_BODY, GK_FIELD_TITLE,
		                   GK_FIELD_HEADING, GK_FIELD_AGENCY };
	const int *fields = any;
	size_t nf = sizeof any / sizeof any[0];
	if (n->field != QN_ANY_FIELD) {
		fields = &n->field;
		nf = 1;
	}
	for (size_t i = 0; i < nf && !st; i++) {
		gk_xap_query *f = NULL;
		st = field_query(p, w, &gk_fields[fields[i]], &f, p->err);
		if (!st && fields[i] == GK_FIELD_HEADING) {
			gk_xap_query *scaled = NULL;
			st = gk_xap_query_scale(&scaled, f, HEADING_BOOST,
			                        p->err);
			gk_xap_query_free(f);
			f = scaled;
		}
		if (!st)
			st = combine2(GK_XAP_OR, *out, f, out, p->err);
		else
			gk_xap_query_free(f);
	}
	if (st) {
		gk_xap_query_free(*out);
		*out = NULL;
		return st;
	}
	if (!n->neg && (n->field == QN_ANY_FIELD || n->field == GK_FIELD_BODY))
		add_highlight(p, w);
	return GK_OK;
}

static gk_status bool_query(const char *prefix, const char *value,
                            gk_xap_query **out, gk_error *err)
{
	char term[GK_XAP_MAX_TERM + 1];
	int n = snprintf(term, sizeof term, "%s%s", prefix, value);
	if (n < 0 || (size_t)n >= sizeof term)
		return gk_error_set(err, GK_EQUERY, "value too long: %.40s…",
		                    value);
	return gk_xap_query_term(out, term, (size_t)n, err);
}

static bool is_section_key(const char *s)
{
	static const char *const keys[] = { "总体", "主动", "申请", "复议诉讼",
		                            "收费", "问题", "其他" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!strcmp(s, keys[i]))
			return true;
	return false;
}

/* The other name of a word the reports use in two forms. */
static const char *synonym(const char *w)
{
	static const char *const pairs[][2] = {
		{ "年报", "年度报告" },
		{ "年度报告", "年报" },
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		if (!strcmp(w, pairs[i][0]))
			return pairs[i][1];
	return NULL;
}

static gk_status build(parsed *p, const qnode *n, gk_xap_query **out);

/* Reports a statistics filter may select at most: their identities become
 * one OR of terms. */
#define STAT_REPORTS_MAX 20000

/* One bound of a statistics filter, serialised for the value slot. */
static gk_status stat_bound(double v, char *buf, size_t *len, gk_error *err)
{
	return gk_xap_sortable_serialise(v, buf, len, err);
}

/* 申请.本年新收.总计>100: the reports whose record has a value in range
 * (a sub-search over the record documents), then their passages, through
 * the OR of the reports' identity terms, without weight. */
static gk_status stat_query(parsed *p, const qnode *n, gk_xap_query **out)
{
	char lo[GK_XAP_SORTABLE_MAX], hi[GK_XAP_SORTABLE_MAX];
	size_t lolen = 0, hilen = 0;
	bool has_lo = n->op == QN_GT || n->op == QN_GE || n->op == QN_EQ;
	bool has_hi = n->op == QN_LT || n->op == QN_LE || n->op == QN_EQ;
	/* > and < leave the bound itself out: the next number past it. */
	double l = n->op == QN_GT ? nextafter(n->num, INFINITY) : n->num;
	double h = n->op == QN_LT ? nextafter(n->num, -INFINITY) : n->num;
	gk_status st = GK_OK;
	if (has_lo)
		st = stat_bound(l, lo, &lolen, p->err);
	if (!st && has_hi)
		st = stat_bound(h, hi, &hilen, p->err);
	gk_xap_query *range = NULL, *rec = NULL, *sub = NULL;
	gk_xap_mset *m = NULL;
	if (!st)
		st = gk_xap_query_value_range(
		    &range, GK_SLOT_STATS + (unsigned)n->stat,
		    has_lo ? lo : NULL, lolen, has_hi ? hi : NULL, hilen,
		    p->err);
	if (!st)
		st = gk_xap_query_term(&rec, GK_TERM_RECORD,
		                       strlen(GK_TERM_RECORD), p->err);
	if (!st) {
		gk_xap_query *subs[2] = { rec, range };
		st = gk_xap_query_combine(&sub, GK_XAP_FILTER, subs, 2, 0,
		                          p->err);
	}
	if (!st)
		st = gk_q__fetch(p->db, sub, GK_SLOT_IDENTITY, GK_Q_NO_SLOT,
		                 STAT_REPORTS_MAX + 1, &m, p->err);
	size_t nm = st ? 0 : gk_xap_mset_size(m);
	if (!st && nm > STAT_REPORTS_MAX)
		st = gk_error_set(p->err, GK_EQUERY,
		                  "'%s' holds for more than %d reports: narrow "
		                  "it, or add year: or agency: (column %zu)",
		                  n->text, STAT_REPORTS_MAX, n->col);
	gk_xap_query **terms = NULL;
	size_t nt = 0;
	if (!st && nm && !(terms = calloc(nm, sizeof *terms)))
		st = gk_error_set(p->err, GK_ENOMEM, "out of memory");
	for (size_t i = 0; i < nm && !st; i++) {
		const char *v;
		size_t vlen;
		char term[64];
		st = gk_xap_mset_value(m, i, GK_SLOT_IDENTITY, &v, &vlen,
		                       p->err);
		if (st || !vlen || vlen + 3 > sizeof term)
			continue;
		snprintf(term, sizeof term, GK_PREFIX_IDENTITY "%.*s",
		         (int)vlen, v);
		st = gk_xap_query_term(&terms[nt], term, strlen(term), p->err);
		if (!st)
			nt++;
	}
	gk_xap_query *any = NULL;
	if (!st && !nt)
		st = gk_xap_query_match_nothing(out, p->err);
	else if (!st)
		st =
		    gk_xap_query_combine(&any, GK_XAP_OR, terms, nt, 0, p->err);
	if (!st && any)
		st = gk_xap_query_scale(out, any, 0, p->err);
	for (size_t i = 0; i < nt; i++)
		gk_xap_query_free(terms[i]);
	free(terms);
	gk_xap_query_free(any);
	gk_xap_mset_free(m);
	gk_xap_query_free(sub);
	gk_xap_query_free(rec);
	gk_xap_query_free(range);
	return st;
}

/* Positive children AND'ed, the excluded ones taken away. */
static gk_status build_and(parsed *p, const qnode *n, gk_xap_query **out)
{
	gk_xap_query *pos = NULL, *neg = NULL;
	gk_status st = GK_OK;
	/* One word term of each word searched for, for the boost below. */
	char *near[8];
	size_t nnear = 0;
	for (size_t i = 0; i < n->nkids && !st; i++) {
		gk_xap_query *k = NULL;
		size_t before = p->nq;
		st = build(p, n->kids[i], &k);
		if (!st && k && !n->kids[i]->neg &&
		    n->kids[i]->kind == QN_TEXT && p->nq > before &&
		    nnear < sizeof near / sizeof near[0])
			near[nnear++] = p->words[p->q[before].first_word];
		if (!st && k)
			st = n->kids[i]->neg
			         ? combine2(GK_XAP_OR, neg, k, &neg, p->err)
			         : combine2(GK_XAP_AND, pos, k, &pos, p->err);
	}
	/* Passages whose own text holds every word rank higher than those
	 * that match some of them only through their title, agency or
	 * headings. (Word positions, an OP_NEAR here, ranked no better on
	 * the development queries and cost a quarter of the time of queries
	 * of two common words, twice that at p99.) */
	if (!st && pos && nnear >= 2) {
		gk_xap_query *terms[8], *prox = NULL;
		size_t k = 0;
		for (; k < nnear && !st; k++)
			st = term_query("", near[k], &terms[k], p->err);
		if (st)
			k--;
		else
			st = gk_xap_query_combine(&prox, GK_XAP_AND, terms,
			                          nnear, 0, p->err);
		for (size_t j = 0; j < k; j++)
			gk_xap_query_free(terms[j]);
		if (!st)
			st =
			    combine2(GK_XAP_AND_MAYBE, pos, prox, &pos, p->err);
	}
	if (!st && !pos && neg)
		st = gk_error_set(p->err, GK_EQUERY,
		                  "the query only excludes: add a word to "
		                  "search for");
	if (st) {
		gk_xap_query_free(pos);
		gk_xap_query_free(neg);
		return st;
	}
	return combine2(GK_XAP_AND_NOT, pos, neg, out, p->err);
}

static gk_status build(parsed *p, const qnode *n, gk_xap_query **out)
{
	*out = NULL;
	char buf[16];
	switch (n->kind) {
	case QN_TEXT: {
		gk_status st = text_query(p, n, out);
		const char *alt = synonym(n->text);
		if (!st && alt) {
			qnode other = *n;
			other.text = (char *)alt;
			gk_xap_query *q2 = NULL;
			st = text_query(p, &other, &q2);
			if (!st)
				st = combine2(GK_XAP_OR, *out, q2, out, p->err);
		}
		return st;
	}
	case QN_YEAR:
		if (n->y1 == n->y2) {
			snprintf(buf, sizeof buf, "%04d", n->y1);
			return bool_query(GK_PREFIX_YEAR, buf, out, p->err);
		} else {
			char hi[16];
			snprintf(buf, sizeof buf, "%04d", n->y1);
			snprintf(hi, sizeof hi, "%04d", n->y2);
			return gk_xap_query_value_range(out, GK_SLOT_YEAR, buf,
			                                4, hi, 4, p->err);
		}
	case QN_TYPE: return bool_query(GK_PREFIX_TYPE, n->text, out, p->err);
	case QN_SECTION: {
		/* section:申请 is the standard section; other words are looked
		 * for in the headings. */
		qnode words = *n;
		words.kind = QN_TEXT;
		words.field = GK_FIELD_HEADING;
		gk_status st = text_query(p, &words, out);
		if (!st && is_section_key(n->text)) {
			gk_xap_query *key = NULL;
			st = bool_query(GK_PREFIX_SECTION, n->text, &key,
			                p->err);
			if (!st)
				st =
				    combine2(GK_XAP_OR, *out, key, out, p->err);
		}
		return st;
	}
	case QN_STAT: return stat_query(p, n, out);
	case QN_AND: return build_and(p, n, out);
	case QN_OR: {
		gk_status st = GK_OK;
		for (size_t i = 0; i < n->nkids && !st; i++) {
			gk_xap_query *k = NULL;
			st = build(p, n->kids[i], &k);
			if (!st)
				st = combine2(GK_XAP_OR, *out, k, out, p->err);
		}
		if (st) {
			gk_xap_query_free(*out);
			*out = NULL;
		}
		return st;
	}
	}
	return GK_OK;
}

static gk_status build_query(parsed *p, const char *query, size_t len,
                             gk_xap_query **out, char **explain)
{
	if (len > QUERY_MAX)
		return gk_error_set(p->err, GK_EQUERY,
		                    "query too long (%zu bytes; at most %d)",
		                    len, QUERY_MAX);
	qnode *tree = NULL;
	gk_status st = qn_parse(query, len, &tree, p->err);
	if (!st) {
		st = build(p, tree, out);
		if (!st && !*out)
			st = gk_error_set(p->err, GK_EQUERY,
			                  "the query has no words to search "
			                  "for (only punctuation)");
	}
	if (!st && explain)
		*explain = qn_describe(tree);
	qn_free(tree);
	return st;
}

gk_status gk_q__build_query(gk_q *q, const char *query, size_t len,
                            gk_xap_query **out, gk_error *err)
{
	*out = NULL;
	parsed *p = calloc(1, sizeof *p);
	if (!p)
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	p->tok = q->tok;
	p->db = q->db;
	p->err = err;
	gk_status st = build_query(p, query, len, out, NULL);
	parsed_free(p);
	free(p);
	return st;
}

/* ---- hits --------------------------------------------------------------- */

static const char *str_field(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The other files that hold the same report (a .txt and its .pdf
 * original): the report paths of the passages with the same identity,
 * own excluded. *out is a JSON array, the caller's. */
static gk_status other_sources(gk_q *q, const char *ident, const char *own,
                               json_t **out, gk_error *err)
{
	*out = json_array();
	if (!*out)
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	char term[64];
	snprintf(term, sizeof term, GK_PREFIX_IDENTITY "%s", ident);
	gk_xap_query *xq = NULL;
	gk_xap_mset *m = NULL;
	gk_status st = gk_xap_query_term(&xq, term, strlen(term), err);
	if (!st)
		st = gk_q__fetch(q->db, xq, GK_SLOT_REPORT, GK_Q_NO_SLOT, 20,
		                 &m, err);
	size_t n = st ? 0 : gk_xap_mset_size(m);
	for (size_t i = 0; i < n && !st; i++) {
		const char *data;
		size_t len;
		st = gk_xap_mset_data(m, i, &data, &len, err);
		if (st)
			break;
		json_t *o = json_loadb(data, len, 0, NULL);
		const char *r = json_string_value(json_object_get(o, "report"));
		if (r && strcmp(r, own))
			json_array_append_new(*out, json_string(r));
		json_decref(o);
	}
	gk_xap_mset_free(m);
	gk_xap_query_free(xq);
	return st;
}

/* A matching term made readable: "title:年度报告", "text:行政处罚",
 * characters as "chars:行". */
static int add_matched(const char *term, size_t len, void *payload)
{
	gk_buf *b = payload;
	static const struct {
		const char *prefix, *name;
	} names[] = {
		{ "SK", "title chars" },  { "HK", "section chars" },
		{ "AK", "agency chars" }, { "GK", "region chars" },
		{ "ZS", "title stem" },   { "ZH", "section stem" },
		{ "ZA", "agency stem" },  { "ZG", "region stem" },
		{ "XK", "section key" },  { "XT", "type" },
		{ "XI", "report" },       { "K", "chars" },
		{ "Z", "stem" },          { "S", "title" },
		{ "H", "section" },       { "A", "agency" },
		{ "G", "region" },        { "Y", "year" },
	};
	const char *name = "text";
	size_t skip = 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t k = strlen(names[i].prefix);
		if (len > k && !memcmp(term, names[i].prefix, k)) {
			name = names[i].name;
			skip = k;
			break;
		}
	}
	if (b->len)
		gk_buf_appendc(b, ' ');
	gk_buf_appendf(b, "%s:%.*s", name, (int)(len - skip), term + skip);
	return 0;
}

/* o is the hit's record (borrowed). */
static int emit_hit(gk_q *q, const parsed *p, const gk_xap_hit *xh,
                    const char *ident, json_t *o, gk_xap_enquire *explain,
                    gk_q_hit_cb cb, void *payload, gk_error *err)
{
	gk_buf matched = GK_BUF_INIT(1u << 16);
	json_t *srcs = NULL; /* other files of the same report */
	json_t *sec = json_object_get(o, "section");
	size_t nsec = json_is_array(sec) ? json_array_size(sec) : 0;
	const char **section = calloc(nsec ? nsec : 1, sizeof *section);
	json_t *text_v = json_object_get(o, "text");
	gk_q_span *hl = NULL, *shl = NULL;
	size_t nhl = 0, nshl = 0;
	gk_buf snip = GK_BUF_INIT(1u << 20);
	int rc = GK_OK;
	if (!section) {
		rc = gk_error_set(err, GK_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nsec; i++) {
		const char *s = json_string_value(json_array_get(sec, i));
		section[i] = s ? s : "";
	}
	const char *text =
	    json_is_string(text_v) ? json_string_value(text_v) : "";
	size_t text_len =
	    json_is_string(text_v) ? json_string_length(text_v) : 0;
	rc = snip_highlights(q->tok, text, text_len, p->snip, p->nsnip, &hl,
	                     &nhl, err);
	if (rc)
		goto done;
	if (snip_window(text, text_len, hl, nhl, SNIPPET_CHARS, &snip, &shl,
	                &nshl)) {
		rc = gk_error_set(err, GK_ENOMEM, "out of memory");
		goto done;
	}
	json_t *year = json_object_get(o, "year");
	json_t *line = json_object_get(o, "line");
	json_t *page = json_object_get(o, "page");
	const char *own = str_field(o, "report");
	const char *sources[16];
	size_t nsources = 0;
	if (ident && *ident) {
		rc = other_sources(q, ident, own ? own : "", &srcs, err);
		if (rc)
			goto done;
		for (size_t i = 0; i < json_array_size(srcs) && nsources < 16;
		     i++)
			sources[nsources++] =
			    json_string_value(json_array_get(srcs, i));
	}
	gk_q_hit hit = {
		.rank = xh->rank + 1,
		.score = xh->weight,
		.report = str_field(o, "report"),
		.title = str_field(o, "title"),
		.agency = str_field(o, "agency"),
		.year =
		    json_is_integer(year) ? (int)json_integer_value(year) : 0,
		.section = section,
		.nsection = nsec,
		.text = text,
		.text_len = text_len,
		.highlights = hl,
		.nhighlights = nhl,
		.snippet = snip.data ? snip.data : "",
		.snippet_len = snip.len,
		.snippet_highlights = shl,
		.nsnippet_highlights = nshl,
		.line = json_is_integer(line)
		            ? (unsigned)json_integer_value(line)
		            : 0,
		.page = json_is_integer(page)
		            ? (unsigned)json_integer_value(page)
		            : 0,
		.section_key = str_field(o, "section_key"),
		.report_type = str_field(o, "report_type"),
		.more_in_report = xh->collapse_count,
		.sources = sources,
		.nsources = nsources,
		.region = str_field(o, "region"),
		.report_id = str_field(o, "id"),
		.passage =
		    json_is_integer(json_object_get(o, "n"))
		        ? (size_t)json_integer_value(json_object_get(o, "n"))
		        : 0,
	};
	if (!hit.report_id)
		hit.report_id = "";
	if (!hit.report)
		hit.report = "";
	if (!hit.title)
		hit.title = "";
	if (!hit.report_type)
		hit.report_type = "other";
	if (explain &&
	    gk_xap_enquire_matching_terms(explain, xh->docid, add_matched,
	                                  &matched, NULL) == GK_OK)
		hit.matched = matched.data ? matched.data : "";
	rc = cb(&hit, payload);
done:
	gk_buf_free(&matched);
	json_decref(srcs);
	free(section);
	free(hl);
	free(shl);
	gk_buf_free(&snip);
	return rc;
}

/* Whether a passage of the same report with the same text was shown
 * already (from the report's other file), and if not, remembers it. The
 * keys (identity and the text's first bytes, without spaces) are kept as
 * NUL-separated strings in seen. */
static bool seen_before(gk_buf *seen, const char *ident, json_t *o)
{
	const char *text = json_string_value(json_object_get(o, "text"));
	char key[320];
	size_t k = (size_t)snprintf(key, sizeof key, "%s:", ident);
	for (const char *t = text ? text : ""; *t && k + 1 < sizeof key; t++)
		if (*t != ' ' && *t != '\n' && *t != '\t')
			key[k++] = *t;
	key[k] = '\0';
	for (size_t at = 0; at < seen->len; at += strlen(seen->data + at) + 1)
		if (!strcmp(seen->data + at, key))
			return true;
	gk_buf_append(seen, key, k + 1);
	return false;
}

/* Counts gathered from the facet spies: value -> [passages, reports]. */
typedef struct facet_ctx {
	json_t *counts;
	int per_report; /* values are "value<SEP>identity" */
} facet_ctx;

static int facet_value(const char *val, size_t len, uint64_t count,
                       void *payload)
{
	facet_ctx *f = payload;
	char buf[512];
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	memcpy(buf, val, len);
	buf[len] = '\0';
	if (f->per_report) {
		char *sep = strstr(buf, GK_FACET_SEP);
		if (sep)
			*sep = '\0';
	}
	json_t *c = json_object_get(f->counts, buf);
	if (!c) {
		c = json_pack("[II]", (json_int_t)0, (json_int_t)0);
		json_object_set_new(f->counts, buf, c);
	}
	size_t at = f->per_report ? 1 : 0;
	json_int_t add = f->per_report ? 1 : (json_int_t)count;
	json_array_set_new(
	    c, at,
	    json_integer(json_integer_value(json_array_get(c, at)) + add));
	return 0;
}

int gk_q_search(gk_q *q, const char *query, size_t len, const gk_q_options *opt,
                gk_q_hit_cb cb, void *payload, size_t *total, gk_error *err)
{
	parsed *p = calloc(1, sizeof *p);
	if (!p)
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	p->tok = q->tok;
	p->err = err;
	p->db = q->db;
	gk_xap_query *xq = NULL;
	gk_xap_enquire *e = NULL;
	gk_xap_mset *m = NULL;
	char *explain = NULL;
	int rc =
	    build_query(p, query, len, &xq, opt->explain ? &explain : NULL);
	if (!rc && opt->explain) {
		char *x = NULL;
		gk_xap_query_describe(xq, &x, NULL);
		rc = opt->explain(explain ? explain : "", x ? x : "", payload);
		free(x);
	}
	if (!rc && opt->section_key) {
		gk_xap_query *key = NULL;
		rc = bool_query(GK_PREFIX_SECTION, opt->section_key, &key, err);
		if (!rc)
			rc = combine2(GK_XAP_FILTER, xq, key, &xq, err);
	}
	if (!rc)
		rc = gk_xap_enquire_new(&e, q->db, err);
	if (!rc)
		rc = gk_xap_enquire_set_query(e, xq, err);
	if (!rc && opt->per_report)
		rc = gk_xap_enquire_set_collapse(
		    e, GK_SLOT_IDENTITY, (unsigned)opt->per_report, err);
	static const struct {
		unsigned bit, slot;
		const char *name;
	} facets[] = {
		{ GK_Q_FACET_YEAR, GK_SLOT_YEAR, "year" },
		{ GK_Q_FACET_AGENCY, GK_SLOT_AGENCY, "agency" },
		{ GK_Q_FACET_SECTION, GK_SLOT_SECTION, "section" },
		{ GK_Q_FACET_TYPE, GK_SLOT_TYPE, "type" },
		{ GK_Q_FACET_REGION, GK_SLOT_REGION, "region" },
	};
	enum { NFACETS = sizeof facets / sizeof facets[0] };
	size_t fidx[NFACETS] = { 0 }, ridx[NFACETS] = { 0 };
	for (size_t i = 0; i < NFACETS && !rc; i++) {
		if (!(opt->facets & facets[i].bit))
			continue;
		rc = gk_xap_enquire_add_facet(e, facets[i].slot, &fidx[i], err);
		if (!rc && !(opt->facets_passages_only & facets[i].bit))
			rc = gk_xap_enquire_add_facet(
			    e, facets[i].slot + GK_SLOT_PER_REPORT, &ridx[i],
			    err);
	}
	if (!rc)
		rc = gk_xap_enquire_run(
		    e, opt->offset, opt->limit,
		    opt->exact_total ? SIZE_MAX
		                     : opt->offset + opt->limit + COUNT_EXACT,
		    &m, err);
	if (!rc && total) {
		size_t est, lo, hi;
		gk_xap_mset_total(m, &est, &lo, &hi);
		*total = est;
	}
	size_t n = rc ? 0 : gk_xap_mset_size(m);
	gk_buf seen = GK_BUF_INIT(1u << 24);
	for (size_t i = 0; i < n && !rc; i++) {
		gk_xap_hit xh;
		const char *data;
		size_t dlen;
		char ident[64] = "";
		const char *v;
		size_t vlen;
		rc = gk_xap_mset_hit(m, i, &xh, err);
		if (!rc)
			rc = gk_xap_mset_value(m, i, GK_SLOT_IDENTITY, &v,
			                       &vlen, err);
		if (!rc && vlen < sizeof ident) {
			memcpy(ident, v, vlen);
			ident[vlen] = '\0';
		}
		if (!rc)
			rc = gk_xap_mset_data(m, i, &data, &dlen, err);
		if (rc)
			break;
		/* The record is read once, for both the duplicate check and
		 * the hit. */
		json_error_t jerr;
		json_t *o = json_loadb(data, dlen, 0, &jerr);
		if (!json_is_object(o))
			rc = gk_error_set(err, GK_ECORRUPT,
			                  "damaged record for document %u: %s",
			                  (unsigned)xh.docid, jerr.text);
		else if (!(opt->per_report && seen_before(&seen, ident, o)))
			rc =
			    emit_hit(q, p, &xh, ident, o,
			             opt->explain ? e : NULL, cb, payload, err);
		json_decref(o);
	}
	for (size_t i = 0; i < NFACETS && !rc && opt->facet; i++) {
		if (!(opt->facets & facets[i].bit))
			continue;
		facet_ctx fc = { json_object(), 0 };
		rc = gk_xap_mset_facets(m, fidx[i], facet_value, &fc, err);
		fc.per_report = 1;
		if (!rc && !(opt->facets_passages_only & facets[i].bit))
			rc = gk_xap_mset_facets(m, ridx[i], facet_value, &fc,
			                        err);
		const char *v;
		json_t *cnt;
		json_object_foreach(fc.counts, v, cnt)
		{
			if (rc)
				break;
			rc = opt->facet(
			    facets[i].name, v,
			    (size_t)json_integer_value(json_array_get(cnt, 0)),
			    (size_t)json_integer_value(json_array_get(cnt, 1)),
			    payload);
		}
		json_decref(fc.counts);
	}
	gk_buf_free(&seen);
	free(explain);
	gk_xap_mset_free(m);
	gk_xap_enquire_free(e);
	gk_xap_query_free(xq);
	parsed_free(p);
	free(p);
	return rc;
}

/* ---- marking a query's words in any text -------------------------------- */

struct gk_q_marker {
	gk_q *q;
	parsed p;
};

gk_status gk_q_marker_new(gk_q *q, const char *query, size_t len,
                          gk_q_marker **out, gk_error *err)
{
	*out = NULL;
	gk_q_marker *m = calloc(1, sizeof *m);
	if (!m)
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	m->q = q;
	m->p.tok = q->tok;
	m->p.err = err;
	m->p.db = q->db;
	gk_xap_query *xq = NULL;
	gk_status st = build_query(&m->p, query, len, &xq, NULL);
	gk_xap_query_free(xq);
	if (st) {
		gk_q_marker_free(m);
		return st;
	}
	*out = m;
	return GK_OK;
}

gk_status gk_q_mark(gk_q_marker *m, const char *text, size_t len,
                    gk_q_span **spans, size_t *nspans, gk_error *err)
{
	return (gk_status)snip_highlights(m->q->tok, text, len, m->p.snip,
	                                  m->p.nsnip, spans, nspans, err);
}

void gk_q_marker_free(gk_q_marker *m)
{
	if (!m)
		return;
	parsed_free(&m->p);
	free(m);
}

gk_status gk_q_check(const char *query, size_t len, gk_error *err)
{
	if (len > QUERY_MAX)
		return gk_error_set(err, GK_EQUERY,
		                    "query too long (%zu bytes; at most %d)",
		                    len, QUERY_MAX);
	qnode *tree = NULL;
	gk_status st = qn_parse(query, len, &tree, err);
	qn_free(tree);
	return st;
}

gk_status gk_q__fetch(gk_xap_db *db, const gk_xap_query *xq,
                      unsigned collapse_slot, unsigned sort_slot, size_t max,
                      gk_xap_mset **out, gk_error *err)
{
	*out = NULL;
	gk_xap_enquire *e = NULL;
	gk_status st = gk_xap_enquire_new(&e, db, err);
	if (!st)
		st = gk_xap_enquire_set_query(e, xq, err);
	if (!st && collapse_slot != GK_Q_NO_SLOT)
		st = gk_xap_enquire_set_collapse(e, collapse_slot, 1, err);
	if (!st && sort_slot != GK_Q_NO_SLOT)
		st = gk_xap_enquire_set_sort_value(e, sort_slot, 0, err);
	if (!st)
		st = gk_xap_enquire_run(e, 0, max, max, out, err);
	gk_xap_enquire_free(e);
	return st;
}
