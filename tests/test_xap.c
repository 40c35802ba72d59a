/* Tests for the Xapian layer: indexing, every query operator, enquire
 * settings, result access, transactions, stub and remote databases, and the
 * mapping of Xapian's failures to gk_status codes. */
#undef _POSIX_C_SOURCE
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE

#include "gk_test.h"
#include "gk_xap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TCPSRV "/usr/bin/xapian-tcpsrv"

/* ---- scratch directories ------------------------------------------------ */

static void make_tmpdir(char *buf, size_t size)
{
	const char *base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	snprintf(buf, size, "%s/gk_test_xap.XXXXXX", base);
	if (!mkdtemp(buf)) {
		perror("mkdtemp");
		exit(2);
	}
}

static void rm_rf(const char *path)
{
	gk_test_rm_tree(path);
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(2);
	}
	fwrite(data, 1, len, f);
	fclose(f);
}

/* ---- building documents ------------------------------------------------- */

struct test_doc {
	const char *id;
	const char *words; /* space-separated, positions 1, 2, ... */
	const char *year;  /* slot 0 and boolean term Y<year> */
	const char *key;   /* slot 1, the collapse key */
	const char *data;
};

/* Docids follow the order of addition on a fresh database: 1..4. */
static const struct test_doc docs[] = {
	{ "Qr1", "central bank raises interest rates", "2021", "k1",
	  "doc one" },
	{ "Qr2", "rates interest bank central", "2022", "k1", "doc two" },
	{ "Qr3", "interest in the bank rates", "2023", "k2", "doc three" },
	{ "Qr4", "weather report sunny", "2023", "k3", "doc four" },
};
#define NDOCS (sizeof docs / sizeof docs[0])

static int store_doc(gk_xap_wdb *w, const struct test_doc *d, const char *data)
{
	gk_error err;
	gk_xap_doc *doc = NULL;
	int ok = gk_xap_doc_new(&doc, &err) == GK_OK;
	char words[2048], yterm[16];
	snprintf(words, sizeof words, "%s", d->words);
	uint32_t pos = 0;
	for (char *save = NULL, *t = strtok_r(words, " ", &save); ok && t;
	     t = strtok_r(NULL, " ", &save))
		ok = gk_xap_doc_add_posting(doc, t, strlen(t), ++pos, &err) ==
		     GK_OK;
	snprintf(yterm, sizeof yterm, "Y%s", d->year);
	ok = ok &&
	     gk_xap_doc_add_boolean(doc, yterm, strlen(yterm), &err) == GK_OK;
	ok = ok && gk_xap_doc_add_term(doc, "Zstem", 5, &err) == GK_OK;
	ok = ok && gk_xap_doc_set_value(doc, 0, d->year, strlen(d->year),
	                                &err) == GK_OK;
	ok = ok && gk_xap_doc_set_value(doc, 1, d->key, strlen(d->key), &err) ==
	               GK_OK;
	ok = ok && gk_xap_doc_set_data(doc, data, strlen(data), &err) == GK_OK;
	ok = ok &&
	     gk_xap_wdb_replace(w, d->id, strlen(d->id), doc, &err) == GK_OK;
	if (!ok)
		fprintf(stderr, "store_doc %s: %s\n", d->id, err.msg);
	gk_xap_doc_free(doc);
	return ok;
}

/* Creates dir/db holding docs[], committed in one transaction. */
static void build_db(const char *path)
{
	gk_error err;
	gk_xap_wdb *w = NULL;
	GK_CHECK_INT(gk_xap_wdb_open(&w, path, 1, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_begin(w, &err), GK_OK);
	for (size_t i = 0; i < NDOCS; i++)
		GK_CHECK(store_doc(w, &docs[i], docs[i].data));
	GK_CHECK_INT(gk_xap_wdb_commit(w, &err), GK_OK);
	gk_xap_wdb_free(w);
}

/* ---- running queries ---------------------------------------------------- */

static gk_xap_query *qterm(const char *t)
{
	gk_xap_query *q = NULL;
	gk_error err;
	if (gk_xap_query_term(&q, t, strlen(t), &err) != GK_OK)
		fprintf(stderr, "qterm %s: %s\n", t, err.msg);
	return q;
}

/* Combines a and b and frees them, so that calls nest. */
static gk_xap_query *qop(gk_xap_op op, unsigned window, gk_xap_query *a,
                         gk_xap_query *b)
{
	gk_xap_query *subs[2] = { a, b };
	gk_xap_query *q = NULL;
	gk_error err;
	if (gk_xap_query_combine(&q, op, subs, 2, window, &err) != GK_OK)
		fprintf(stderr, "qop: %s\n", err.msg);
	gk_xap_query_free(a);
	gk_xap_query_free(b);
	return q;
}

static gk_xap_query *qrange(unsigned slot, const char *lo, const char *hi)
{
	gk_xap_query *q = NULL;
	gk_error err;
	if (gk_xap_query_value_range(&q, slot, lo, lo ? strlen(lo) : 0, hi,
	                             hi ? strlen(hi) : 0, &err) != GK_OK)
		fprintf(stderr, "qrange: %s\n", err.msg);
	return q;
}

static gk_xap_mset *run(gk_xap_db *db, const gk_xap_query *q, size_t max)
{
	gk_error err;
	gk_xap_enquire *e = NULL;
	gk_xap_mset *m = NULL;
	if (gk_xap_enquire_new(&e, db, &err) != GK_OK ||
	    gk_xap_enquire_set_query(e, q, &err) != GK_OK ||
	    gk_xap_enquire_run(e, 0, max, max, &m, &err) != GK_OK)
		fprintf(stderr, "run: %s\n", err.msg);
	/* Freed first on purpose: the mset must outlive its enquire. */
	gk_xap_enquire_free(e);
	return m;
}

/* Bit d set for each matching docid d; an error bit when running failed.
 * Consumes q. */
#define HITS_ERROR (1u << 31)
static unsigned hits(gk_xap_db *db, gk_xap_query *q)
{
	unsigned mask = 0;
	gk_xap_mset *m = q ? run(db, q, 100) : NULL;
	if (!m)
		mask = HITS_ERROR;
	for (size_t i = 0; m && i < gk_xap_mset_size(m); i++) {
		gk_xap_hit h;
		if (gk_xap_mset_hit(m, i, &h, NULL) != GK_OK || h.docid > 30)
			mask |= HITS_ERROR;
		else
			mask |= 1u << h.docid;
	}
	gk_xap_mset_free(m);
	gk_xap_query_free(q);
	return mask;
}
#define D(n) (1u << (n))

/* Weight of docid in the results of q, or -1. Consumes q. */
static double weight_of(gk_xap_db *db, gk_xap_query *q, uint32_t docid)
{
	double w = -1;
	gk_xap_mset *m = q ? run(db, q, 100) : NULL;
	for (size_t i = 0; m && i < gk_xap_mset_size(m); i++) {
		gk_xap_hit h;
		if (gk_xap_mset_hit(m, i, &h, NULL) == GK_OK &&
		    h.docid == docid)
			w = h.weight;
	}
	gk_xap_mset_free(m);
	gk_xap_query_free(q);
	return w;
}

/* Data of the single document carrying term, into buf ("" if not exactly
 * one). */
static void data_of(gk_xap_db *db, const char *term, char *buf, size_t size)
{
	buf[0] = '\0';
	gk_xap_query *q = qterm(term);
	gk_xap_mset *m = run(db, q, 10);
	const char *d;
	size_t len;
	if (m && gk_xap_mset_size(m) == 1 &&
	    gk_xap_mset_data(m, 0, &d, &len, NULL) == GK_OK)
		snprintf(buf, size, "%.*s", (int)len, d);
	gk_xap_mset_free(m);
	gk_xap_query_free(q);
}

struct facet_acc {
	char text[256]; /* "value=count;" for each value, in callback order */
	int calls;
	int stop_at; /* return 7 on this call (1-based); 0 never */
};

static int facet_cb(const char *val, size_t len, uint64_t count, void *p)
{
	struct facet_acc *acc = p;
	size_t used = strlen(acc->text);
	snprintf(acc->text + used, sizeof acc->text - used, "%.*s=%llu;",
	         (int)len, val, (unsigned long long)count);
	acc->calls++;
	return acc->calls == acc->stop_at ? 7 : 0;
}

/* ---- tests -------------------------------------------------------------- */

static void test_happy_path(void)
{
	char dir[512], path[600];
	make_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/db", dir);
	build_db(path);

	gk_error err;
	gk_xap_db *db = NULL;
	GK_CHECK_INT(gk_xap_db_open(&db, path, &err), GK_OK);
	if (!db) {
		rm_rf(dir);
		return;
	}
	uint64_t n = 0;
	GK_CHECK_INT(gk_xap_db_doccount(db, &n, &err), GK_OK);
	GK_CHECK_INT(n, 4);
	GK_CHECK_INT(gk_xap_db_termfreq(db, "bank", 4, &n, &err), GK_OK);
	GK_CHECK_INT(n, 3);
	GK_CHECK_INT(gk_xap_db_termfreq(db, "Y2023", 5, &n, &err), GK_OK);
	GK_CHECK_INT(n, 2);
	GK_CHECK_INT(gk_xap_db_termfreq(db, "Qr4", 3, &n, &err), GK_OK);
	GK_CHECK_INT(n, 1);
	GK_CHECK_INT(gk_xap_db_termfreq(db, "absent", 6, &n, &err), GK_OK);
	GK_CHECK_INT(n, 0);
	/* A term without positions: found, but never in a phrase. */
	GK_CHECK_INT(gk_xap_db_termfreq(db, "Zstem", 5, &n, &err), GK_OK);
	GK_CHECK_INT(n, 4);

	/* Single terms and the boolean operators. */
	GK_CHECK_INT(hits(db, qterm("bank")), D(1) | D(2) | D(3));
	GK_CHECK_INT(hits(db, qterm("sunny")), D(4));
	GK_CHECK_INT(
	    hits(db, qop(GK_XAP_AND, 0, qterm("bank"), qterm("sunny"))), 0);
	GK_CHECK_INT(
	    hits(db, qop(GK_XAP_AND, 0, qterm("bank"), qterm("central"))),
	    D(1) | D(2));
	GK_CHECK_INT(
	    hits(db, qop(GK_XAP_OR, 0, qterm("sunny"), qterm("central"))),
	    D(1) | D(2) | D(4));
	GK_CHECK_INT(
	    hits(db, qop(GK_XAP_AND_NOT, 0, qterm("bank"), qterm("central"))),
	    D(3));
	GK_CHECK_INT(
	    hits(db, qop(GK_XAP_AND_MAYBE, 0, qterm("bank"), qterm("sunny"))),
	    D(1) | D(2) | D(3));
	GK_CHECK_INT(
	    hits(db, qop(GK_XAP_FILTER, 0, qterm("bank"), qterm("Y2023"))),
	    D(3));
	/* AND_MAYBE's second part adds weight; FILTER's adds none. */
	double plain = weight_of(db, qterm("bank"), 1);
	double maybe = weight_of(
	    db, qop(GK_XAP_AND_MAYBE, 0, qterm("bank"), qterm("central")), 1);
	double filt = weight_of(
	    db, qop(GK_XAP_FILTER, 0, qterm("bank"), qterm("Y2021")), 1);
	GK_CHECK(plain > 0);
	GK_CHECK(maybe > plain + 1e-9);
	GK_CHECK(fabs(filt - plain) < 1e-9);

	/* Only doc 1 has "interest rates" adjacent and in order. */
	GK_CHECK_INT(
	    hits(db, qop(GK_XAP_PHRASE, 0, qterm("interest"), qterm("rates"))),
	    D(1));
	GK_CHECK_INT(
	    hits(db, qop(GK_XAP_PHRASE, 0, qterm("rates"), qterm("interest"))),
	    D(2));
	/* NEAR ignores order; doc 3 has the two words 4 positions apart. */
	GK_CHECK_INT(
	    hits(db, qop(GK_XAP_NEAR, 2, qterm("rates"), qterm("interest"))),
	    D(1) | D(2));
	GK_CHECK_INT(
	    hits(db, qop(GK_XAP_NEAR, 0, qterm("rates"), qterm("interest"))),
	    D(1) | D(2));
	GK_CHECK_INT(
	    hits(db, qop(GK_XAP_NEAR, 4, qterm("rates"), qterm("interest"))),
	    D(1) | D(2));
	GK_CHECK_INT(
	    hits(db, qop(GK_XAP_NEAR, 5, qterm("rates"), qterm("interest"))),
	    D(1) | D(2) | D(3));

	/* Value ranges on the year in slot 0. */
	GK_CHECK_INT(hits(db, qrange(0, "2022", "2023")), D(2) | D(3) | D(4));
	GK_CHECK_INT(hits(db, qrange(0, "2022", "2022")), D(2));
	GK_CHECK_INT(hits(db, qrange(0, "2023", NULL)), D(3) | D(4));
	GK_CHECK_INT(hits(db, qrange(0, NULL, "2021")), D(1));
	GK_CHECK_INT(hits(db, qrange(0, NULL, NULL)),
	             D(1) | D(2) | D(3) | D(4));
	GK_CHECK_INT(hits(db, qrange(1, "k2", "k9")), D(3) | D(4));

	gk_xap_query *all = NULL;
	GK_CHECK_INT(gk_xap_query_match_all(&all, &err), GK_OK);
	GK_CHECK_INT(hits(db, all), D(1) | D(2) | D(3) | D(4));

	/* Scaling multiplies each weight. */
	gk_xap_query *base = qterm("interest"), *s1 = NULL, *s2 = NULL;
	GK_CHECK_INT(gk_xap_query_scale(&s1, base, 1.0, &err), GK_OK);
	GK_CHECK_INT(gk_xap_query_scale(&s2, base, 2.0, &err), GK_OK);
	double w1 = weight_of(db, s1, 3), w2 = weight_of(db, s2, 3);
	GK_CHECK(w1 > 0);
	GK_CHECK_MSG(fabs(w2 - 2 * w1) < 1e-9, "w1=%g w2=%g", w1, w2);
	gk_xap_query *bad = NULL;
	GK_CHECK_INT(gk_xap_query_scale(&bad, base, -1.0, &err), GK_EINVAL);
	GK_CHECK(bad == NULL);

	char *desc = NULL;
	GK_CHECK_INT(gk_xap_query_describe(base, &desc, &err), GK_OK);
	GK_CHECK(desc && strstr(desc, "interest"));
	free(desc);
	gk_xap_query_free(base);

	/* BM25 parameters change the weights, bad ones are refused. */
	gk_xap_query *q = qterm("bank");
	gk_xap_enquire *e = NULL;
	gk_xap_mset *m = NULL;
	gk_xap_hit h;
	GK_CHECK_INT(gk_xap_enquire_new(&e, db, &err), GK_OK);
	GK_CHECK_INT(gk_xap_enquire_set_query(e, q, &err), GK_OK);
	GK_CHECK_INT(gk_xap_enquire_set_bm25(e, 2.0, 0, 1, 1.0, 0.5, &err),
	             GK_OK);
	GK_CHECK_INT(gk_xap_enquire_set_bm25(e, -1.0, 0, 1, 0.5, 0.5, &err),
	             GK_EINVAL);
	GK_CHECK_INT(gk_xap_enquire_run(e, 0, 10, 10, &m, &err), GK_OK);
	GK_CHECK_INT(gk_xap_mset_size(m), 3);
	double tuned = -1;
	for (size_t i = 0; i < gk_xap_mset_size(m); i++)
		if (gk_xap_mset_hit(m, i, &h, &err) == GK_OK && h.docid == 2)
			tuned = h.weight;
	double deflt = weight_of(db, qterm("bank"), 2);
	GK_CHECK(tuned > 0);
	GK_CHECK_MSG(fabs(tuned - deflt) > 1e-6, "tuned=%g default=%g", tuned,
	             deflt);
	gk_xap_mset_free(m);
	gk_xap_enquire_free(e);

	/* Collapse on the key in slot 1: docs 1 and 2 share "k1". */
	GK_CHECK_INT(gk_xap_enquire_new(&e, db, &err), GK_OK);
	GK_CHECK_INT(gk_xap_enquire_set_query(e, q, &err), GK_OK);
	GK_CHECK_INT(gk_xap_enquire_set_collapse(e, 1, 1, &err), GK_OK);
	m = NULL;
	GK_CHECK_INT(gk_xap_enquire_run(e, 0, 10, 10, &m, &err), GK_OK);
	GK_CHECK_INT(gk_xap_mset_size(m), 2);
	size_t hidden = 0;
	unsigned seen = 0;
	for (size_t i = 0; i < gk_xap_mset_size(m); i++) {
		GK_CHECK_INT(gk_xap_mset_hit(m, i, &h, &err), GK_OK);
		hidden += h.collapse_count;
		seen |= 1u << h.docid;
		if (h.docid == 3)
			GK_CHECK_INT(h.collapse_count, 0);
	}
	GK_CHECK_INT(hidden, 1);
	GK_CHECK(seen & D(3));
	GK_CHECK((seen & (D(1) | D(2))) == D(1) ||
	         (seen & (D(1) | D(2))) == D(2));
	gk_xap_mset_free(m);
	gk_xap_enquire_free(e);
	gk_xap_query_free(q);

	/* Sorting by year, both ways; a facet on the year; totals. */
	const char *asc[] = { "2021", "2022", "2023", "2023" };
	for (int desc_order = 0; desc_order <= 1; desc_order++) {
		GK_CHECK_INT(gk_xap_query_match_all(&all, &err), GK_OK);
		GK_CHECK_INT(gk_xap_enquire_new(&e, db, &err), GK_OK);
		GK_CHECK_INT(gk_xap_enquire_set_query(e, all, &err), GK_OK);
		GK_CHECK_INT(
		    gk_xap_enquire_set_sort_value(e, 0, desc_order, &err),
		    GK_OK);
		size_t fidx = 99, fidx2 = 99;
		GK_CHECK_INT(gk_xap_enquire_add_facet(e, 0, &fidx, &err),
		             GK_OK);
		GK_CHECK_INT(gk_xap_enquire_add_facet(e, 1, &fidx2, &err),
		             GK_OK);
		GK_CHECK_INT(fidx, 0);
		GK_CHECK_INT(fidx2, 1);
		m = NULL;
		GK_CHECK_INT(gk_xap_enquire_run(e, 0, 10, 10, &m, &err), GK_OK);
		/* The mset stands alone once the enquire is gone. */
		gk_xap_enquire_free(e);
		gk_xap_query_free(all);
		GK_CHECK_INT(gk_xap_mset_size(m), 4);
		for (size_t i = 0; i < gk_xap_mset_size(m); i++) {
			const char *v = NULL;
			size_t len = 0;
			GK_CHECK_INT(gk_xap_mset_value(m, i, 0, &v, &len, &err),
			             GK_OK);
			const char *want = asc[desc_order ? 3 - i : i];
			GK_CHECK_MSG(v && len == 4 && memcmp(v, want, 4) == 0,
			             "%s order, hit %zu: '%.*s' != '%s'",
			             desc_order ? "descending" : "ascending", i,
			             (int)len, v ? v : "", want);
			GK_CHECK_INT(gk_xap_mset_hit(m, i, &h, &err), GK_OK);
			GK_CHECK_INT(h.rank, i);
			GK_CHECK(h.docid >= 1 && h.docid <= 4);
			const char *d = NULL;
			GK_CHECK_INT(gk_xap_mset_data(m, i, &d, &len, &err),
			             GK_OK);
			if (h.docid >= 1 && h.docid <= 4) {
				const char *exp = docs[h.docid - 1].data;
				GK_CHECK(len == strlen(exp) &&
				         memcmp(d, exp, len) == 0);
			}
		}
		struct facet_acc acc = { "", 0, 0 };
		GK_CHECK_INT(gk_xap_mset_facets(m, 0, facet_cb, &acc, &err),
		             GK_OK);
		GK_CHECK_STR(acc.text, "2021=1;2022=1;2023=2;");
		struct facet_acc acc1 = { "", 0, 0 };
		GK_CHECK_INT(gk_xap_mset_facets(m, 1, facet_cb, &acc1, &err),
		             GK_OK);
		GK_CHECK_STR(acc1.text, "k1=2;k2=1;k3=1;");
		struct facet_acc stop = { "", 0, 2 };
		GK_CHECK_INT(gk_xap_mset_facets(m, 0, facet_cb, &stop, &err),
		             7);
		GK_CHECK_INT(stop.calls, 2);
		GK_CHECK_INT(gk_xap_mset_facets(m, 2, facet_cb, &acc, &err),
		             GK_EINVAL);
		GK_CHECK(strstr(err.msg, "facet") != NULL);

		size_t est = 0, lo = 0, hi = 0;
		gk_xap_mset_total(m, &est, &lo, &hi);
		GK_CHECK_INT(est, 4);
		GK_CHECK_INT(lo, 4);
		GK_CHECK_INT(hi, 4);

		GK_CHECK_INT(gk_xap_mset_hit(m, 4, &h, &err), GK_EINVAL);
		const char *d = NULL;
		size_t len = 0;
		GK_CHECK_INT(gk_xap_mset_data(m, 4, &d, &len, &err), GK_EINVAL);
		GK_CHECK_INT(gk_xap_mset_value(m, 99, 0, &d, &len, &err),
		             GK_EINVAL);
		gk_xap_mset_free(m);
	}

	/* A page of results: ranks continue from first. */
	GK_CHECK_INT(gk_xap_query_match_all(&all, &err), GK_OK);
	GK_CHECK_INT(gk_xap_enquire_new(&e, db, &err), GK_OK);
	GK_CHECK_INT(gk_xap_enquire_set_query(e, all, &err), GK_OK);
	m = NULL;
	GK_CHECK_INT(gk_xap_enquire_run(e, 2, 10, 0, &m, &err), GK_OK);
	GK_CHECK_INT(gk_xap_mset_size(m), 2);
	GK_CHECK_INT(gk_xap_mset_hit(m, 0, &h, &err), GK_OK);
	GK_CHECK_INT(h.rank, 2);
	gk_xap_mset_free(m);
	gk_xap_enquire_free(e);
	gk_xap_query_free(all);

	/* An unset value reads as empty. */
	m = run(db, q = qterm("sunny"), 10);
	gk_xap_query_free(q);
	const char *v = NULL;
	size_t vlen = 99;
	GK_CHECK_INT(gk_xap_mset_value(m, 0, 7, &v, &vlen, &err), GK_OK);
	GK_CHECK(v != NULL);
	GK_CHECK_INT(vlen, 0);
	gk_xap_mset_free(m);
	gk_xap_db_free(db);

	/* Replacing by id keeps one document per id and changes its data;
	 * deleting by a term removes every document carrying it. */
	gk_xap_wdb *w = NULL;
	GK_CHECK_INT(gk_xap_wdb_open(&w, path, 0, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_begin(w, &err), GK_OK);
	GK_CHECK(store_doc(w, &docs[1], "doc two, second version"));
	GK_CHECK_INT(gk_xap_wdb_doccount(w, &n, &err), GK_OK);
	GK_CHECK_INT(n, 4);
	GK_CHECK_INT(gk_xap_wdb_commit(w, &err), GK_OK);
	gk_xap_wdb_free(w);

	char buf[128];
	db = NULL;
	GK_CHECK_INT(gk_xap_db_open(&db, path, &err), GK_OK);
	GK_CHECK_INT(gk_xap_db_doccount(db, &n, &err), GK_OK);
	GK_CHECK_INT(n, 4);
	data_of(db, "Qr2", buf, sizeof buf);
	GK_CHECK_STR(buf, "doc two, second version");
	data_of(db, "Qr1", buf, sizeof buf);
	GK_CHECK_STR(buf, "doc one");
	gk_xap_db_free(db);

	w = NULL;
	GK_CHECK_INT(gk_xap_wdb_open(&w, path, 0, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_begin(w, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_delete(w, "Y2023", 5, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_delete(w, "Ynone", 5, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_commit(w, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_doccount(w, &n, &err), GK_OK);
	GK_CHECK_INT(n, 2);
	gk_xap_wdb_free(w);
	db = NULL;
	GK_CHECK_INT(gk_xap_db_open(&db, path, &err), GK_OK);
	GK_CHECK_INT(hits(db, qterm("bank")), D(1) | D(2));
	GK_CHECK_INT(gk_xap_db_termfreq(db, "Qr3", 3, &n, &err), GK_OK);
	GK_CHECK_INT(n, 0);
	gk_xap_db_free(db);
	rm_rf(dir);
}

/* The id term is added to what is stored, not to the caller's document. */
static void test_replace_leaves_doc(void)
{
	char dir[512], path[600];
	make_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/db", dir);
	gk_error err;
	gk_xap_wdb *w = NULL;
	gk_xap_doc *doc = NULL;
	GK_CHECK_INT(gk_xap_wdb_open(&w, path, 1, &err), GK_OK);
	GK_CHECK_INT(gk_xap_doc_new(&doc, &err), GK_OK);
	GK_CHECK_INT(gk_xap_doc_add_posting(doc, "word", 4, 1, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_replace(w, "Qa", 2, doc, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_replace(w, "Qb", 2, doc, &err), GK_OK);
	/* Has its id already: stored as is. */
	GK_CHECK_INT(gk_xap_doc_add_boolean(doc, "Qc", 2, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_replace(w, "Qc", 2, doc, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_commit(w, &err), GK_OK);
	gk_xap_doc_free(doc);
	gk_xap_wdb_free(w);

	gk_xap_db *db = NULL;
	uint64_t n = 0;
	GK_CHECK_INT(gk_xap_db_open(&db, path, &err), GK_OK);
	GK_CHECK_INT(gk_xap_db_doccount(db, &n, &err), GK_OK);
	GK_CHECK_INT(n, 3);
	GK_CHECK_INT(hits(db, qterm("Qa")), D(1));
	GK_CHECK_INT(hits(db, qterm("Qb")), D(2));
	GK_CHECK_INT(hits(db, qterm("Qc")), D(3));
	gk_xap_db_free(db);
	rm_rf(dir);
}

static void test_transactions(void)
{
	char dir[512], path[600];
	make_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/db", dir);
	build_db(path);
	struct test_doc extra = { "Qx", "extra words", "2030", "kx", "x" };

	gk_error err;
	gk_xap_wdb *w = NULL;
	uint64_t n = 0;
	GK_CHECK_INT(gk_xap_wdb_open(&w, path, 0, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_cancel(w, &err), GK_EINVAL);
	GK_CHECK_INT(gk_xap_wdb_begin(w, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_begin(w, &err), GK_EINVAL);
	GK_CHECK(store_doc(w, &extra, extra.data));
	GK_CHECK_INT(gk_xap_wdb_delete(w, "Qr1", 3, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_doccount(w, &n, &err), GK_OK);
	GK_CHECK_INT(n, 4);
	GK_CHECK_INT(gk_xap_wdb_cancel(w, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_doccount(w, &n, &err), GK_OK);
	GK_CHECK_INT(n, 4);
	gk_xap_wdb_free(w);

	gk_xap_db *db = NULL;
	GK_CHECK_INT(gk_xap_db_open(&db, path, &err), GK_OK);
	GK_CHECK_INT(gk_xap_db_doccount(db, &n, &err), GK_OK);
	GK_CHECK_INT(n, 4);
	GK_CHECK_INT(gk_xap_db_termfreq(db, "Qx", 2, &n, &err), GK_OK);
	GK_CHECK_INT(n, 0);
	GK_CHECK_INT(gk_xap_db_termfreq(db, "Qr1", 3, &n, &err), GK_OK);
	GK_CHECK_INT(n, 1);
	gk_xap_db_free(db);

	/* Freeing with a transaction open drops it. */
	w = NULL;
	GK_CHECK_INT(gk_xap_wdb_open(&w, path, 0, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_begin(w, &err), GK_OK);
	GK_CHECK(store_doc(w, &extra, extra.data));
	GK_CHECK_INT(gk_xap_wdb_doccount(w, &n, &err), GK_OK);
	GK_CHECK_INT(n, 5);
	gk_xap_wdb_free(w);

	db = NULL;
	GK_CHECK_INT(gk_xap_db_open(&db, path, &err), GK_OK);
	GK_CHECK_INT(gk_xap_db_doccount(db, &n, &err), GK_OK);
	GK_CHECK_INT(n, 4);
	GK_CHECK_INT(gk_xap_db_termfreq(db, "Qx", 2, &n, &err), GK_OK);
	GK_CHECK_INT(n, 0);
	gk_xap_db_free(db);

	/* The lock went with it: a new writer gets in and commits. */
	w = NULL;
	GK_CHECK_INT(gk_xap_wdb_open(&w, path, 0, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_begin(w, &err), GK_OK);
	GK_CHECK(store_doc(w, &extra, extra.data));
	GK_CHECK_INT(gk_xap_wdb_commit(w, &err), GK_OK);
	gk_xap_wdb_free(w);
	db = NULL;
	GK_CHECK_INT(gk_xap_db_open(&db, path, &err), GK_OK);
	GK_CHECK_INT(gk_xap_db_doccount(db, &n, &err), GK_OK);
	GK_CHECK_INT(n, 5);
	gk_xap_db_free(db);
	rm_rf(dir);
}

static void test_errors(void)
{
	char dir[512], path[600], p2[700];
	make_tmpdir(dir, sizeof dir);
	gk_error err;
	gk_xap_db *db = (gk_xap_db *)&err; /* must be reset to NULL */
	gk_xap_wdb *w = NULL;

	/* Missing database, read-only and writable. */
	snprintf(path, sizeof path, "%s/missing", dir);
	GK_CHECK_INT(gk_xap_db_open(&db, path, &err), GK_ENOTFOUND);
	GK_CHECK_INT(err.status, GK_ENOTFOUND);
	GK_CHECK(db == NULL);
	GK_CHECK_MSG(strstr(err.msg, path) != NULL, "%s", err.msg);
	GK_CHECK_INT(gk_xap_wdb_open(&w, path, 0, &err), GK_ENOTFOUND);
	GK_CHECK(w == NULL);
	GK_CHECK_MSG(strstr(err.msg, path) != NULL, "%s", err.msg);
	/* A NULL gk_error is allowed. */
	GK_CHECK_INT(gk_xap_db_open(&db, path, NULL), GK_ENOTFOUND);
	/* A parent that does not exist cannot be created into. */
	snprintf(p2, sizeof p2, "%s/missing/deeper", dir);
	GK_CHECK_INT(gk_xap_wdb_open(&w, p2, 1, &err), GK_EIO);
	GK_CHECK_MSG(strstr(err.msg, p2) != NULL, "%s", err.msg);

	/* A file of garbage where the database should be: Xapian takes a
	 * plain file for a stub and fails on its first line. */
	snprintf(path, sizeof path, "%s/garbage", dir);
	static const char garbage[] = "\x01\x02 not a database\xff\xfe\n";
	write_file(path, garbage, sizeof garbage - 1);
	GK_CHECK_INT(gk_xap_db_open(&db, path, &err), GK_EIO);
	GK_CHECK_MSG(strstr(err.msg, path) != NULL, "%s", err.msg);

	/* A glass directory whose files hold garbage. */
	snprintf(path, sizeof path, "%s/broken", dir);
	mkdir(path, 0700);
	const char *files[] = { "iamglass",       "postlist.glass",
		                "termlist.glass", "record.glass",
		                "docdata.glass",  "position.glass" };
	char junk[4096];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (char)(i * 7 + 3);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(p2, sizeof p2, "%s/%s", path, files[i]);
		write_file(p2, junk, sizeof junk);
	}
	GK_CHECK_INT(gk_xap_db_open(&db, path, &err), GK_ECORRUPT);
	GK_CHECK_MSG(strstr(err.msg, path) != NULL, "%s", err.msg);
	GK_CHECK_INT(gk_xap_wdb_open(&w, path, 0, &err), GK_ECORRUPT);

	/* An empty directory is no database. */
	snprintf(path, sizeof path, "%s/empty", dir);
	mkdir(path, 0700);
	GK_CHECK_INT(gk_xap_db_open(&db, path, &err), GK_ENOTFOUND);

	/* A second writer. */
	snprintf(path, sizeof path, "%s/db", dir);
	GK_CHECK_INT(gk_xap_wdb_open(&w, path, 1, &err), GK_OK);
	gk_xap_wdb *w2 = NULL;
	GK_CHECK_INT(gk_xap_wdb_open(&w2, path, 1, &err), GK_ELOCKED);
	GK_CHECK(w2 == NULL);
	GK_CHECK_MSG(strstr(err.msg, "locked") != NULL, "%s", err.msg);
	GK_CHECK_MSG(strstr(err.msg, path) != NULL, "%s", err.msg);
	GK_CHECK_INT(gk_xap_wdb_open(&w2, path, 0, &err), GK_ELOCKED);

	/* Bad terms. */
	gk_xap_doc *doc = NULL;
	char longterm[301];
	memset(longterm, 'x', 300);
	longterm[300] = '\0';
	GK_CHECK_INT(gk_xap_doc_new(&doc, &err), GK_OK);
	GK_CHECK_INT(gk_xap_doc_add_posting(doc, longterm, 300, 1, &err),
	             GK_EINVAL);
	GK_CHECK_MSG(strstr(err.msg, "300") != NULL, "%s", err.msg);
	GK_CHECK_MSG(strstr(err.msg, "xxxxxxxxxx") != NULL, "%s", err.msg);
	GK_CHECK_MSG(strlen(err.msg) < 200, "%s", err.msg);
	GK_CHECK_INT(gk_xap_doc_add_boolean(doc, longterm, 300, &err),
	             GK_EINVAL);
	GK_CHECK_INT(
	    gk_xap_doc_add_posting(doc, longterm, GK_XAP_MAX_TERM, 1, &err),
	    GK_OK);
	GK_CHECK_INT(
	    gk_xap_doc_add_posting(doc, longterm, GK_XAP_MAX_TERM + 1, 1, &err),
	    GK_EINVAL);
	GK_CHECK_INT(gk_xap_doc_add_posting(doc, "", 0, 1, &err), GK_EINVAL);
	GK_CHECK_INT(gk_xap_doc_add_boolean(doc, "", 0, &err), GK_EINVAL);
	GK_CHECK_INT(gk_xap_doc_add_term(doc, "", 0, &err), GK_EINVAL);
	GK_CHECK_INT(gk_xap_doc_add_term(doc, longterm, 300, &err), GK_EINVAL);
	GK_CHECK_INT(gk_xap_doc_set_value(doc, 0xffffffffu, "v", 1, &err),
	             GK_EINVAL);
	GK_CHECK_INT(gk_xap_wdb_replace(w, "", 0, doc, &err), GK_EINVAL);
	GK_CHECK_INT(gk_xap_wdb_replace(w, longterm, 300, doc, &err),
	             GK_EINVAL);
	GK_CHECK_INT(gk_xap_wdb_delete(w, "", 0, &err), GK_EINVAL);
	/* The maximal term really is storable. */
	GK_CHECK_INT(gk_xap_wdb_replace(w, "Qmax", 4, doc, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_commit(w, &err), GK_OK);
	gk_xap_doc_free(doc);
	gk_xap_wdb_free(w);

	/* Queries. */
	gk_xap_query *q = NULL, *t = qterm("a");
	GK_CHECK_INT(gk_xap_query_term(&q, "", 0, &err), GK_EINVAL);
	GK_CHECK_INT(gk_xap_query_combine(&q, GK_XAP_AND, &t, 0, 0, &err),
	             GK_EINVAL);
	GK_CHECK(q == NULL);
	GK_CHECK_INT(gk_xap_query_combine(&q, (gk_xap_op)42, &t, 1, 0, &err),
	             GK_EINVAL);
	GK_CHECK_INT(gk_xap_query_combine(&q, GK_XAP_OR, &t, 1, 0, &err),
	             GK_OK);
	gk_xap_query_free(q);
	gk_xap_query_free(t);

	/* NULL handles are safe to free. */
	gk_xap_wdb_free(NULL);
	gk_xap_db_free(NULL);
	gk_xap_doc_free(NULL);
	gk_xap_query_free(NULL);
	gk_xap_enquire_free(NULL);
	gk_xap_mset_free(NULL);
	rm_rf(dir);
}

static void test_stub(void)
{
	char dir[512], path[600], stub[700], line[800];
	make_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/db", dir);
	build_db(path);
	snprintf(stub, sizeof stub, "%s/stub", dir);
	int len = snprintf(line, sizeof line, "auto %s\n", path);
	write_file(stub, line, (size_t)len);

	gk_error err;
	gk_xap_db *db = NULL;
	uint64_t n = 0;
	GK_CHECK_INT(gk_xap_db_open(&db, stub, &err), GK_OK);
	GK_CHECK_INT(gk_xap_db_doccount(db, &n, &err), GK_OK);
	GK_CHECK_INT(n, 4);
	GK_CHECK_INT(hits(db, qterm("sunny")), D(4));
	gk_xap_db_free(db);

	/* Two shards: docids interleave, the first shard's doc 1 is 1. */
	len = snprintf(line, sizeof line, "auto %s\nauto %s\n", path, path);
	write_file(stub, line, (size_t)len);
	db = NULL;
	GK_CHECK_INT(gk_xap_db_open(&db, stub, &err), GK_OK);
	GK_CHECK_INT(gk_xap_db_doccount(db, &n, &err), GK_OK);
	GK_CHECK_INT(n, 8);
	GK_CHECK_INT(hits(db, qterm("sunny")), D(7) | D(8));
	gk_xap_db_free(db);
	rm_rf(dir);
}

/* A loopback port nobody listens on right now. */
static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &sl) == 0)
		port = ntohs(sa.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static int port_open(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)port);
	int ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

static void test_remote(void)
{
	if (access(TCPSRV, X_OK) != 0) {
		fprintf(stderr, "skip remote: %s not found\n", TCPSRV);
		return;
	}
	char dir[512], path[600], stub[700], line[800], portstr[16];
	make_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/db", dir);
	build_db(path);
	int port = free_port();
	GK_CHECK(port > 0);
	if (port <= 0) {
		rm_rf(dir);
		return;
	}
	snprintf(portstr, sizeof portstr, "%d", port);

	/* The server signals its whole process group when it is told to
	 * stop, so it gets a group of its own. */
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		int nul = open("/dev/null", O_WRONLY);
		if (nul >= 0) {
			dup2(nul, 1);
			dup2(nul, 2);
		}
		execl(TCPSRV, TCPSRV, "--quiet", "--interface", "127.0.0.1",
		      "--port", portstr, path, (char *)NULL);
		_exit(127);
	}
	GK_CHECK(pid > 0);
	if (pid < 0) {
		rm_rf(dir);
		return;
	}
	setpgid(pid, pid);
	int up = 0;
	for (int i = 0; i < 100 && !up; i++) {
		up = port_open(port);
		if (!up) {
			struct timespec ts = { 0, 50 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	GK_CHECK_MSG(up, "xapian-tcpsrv did not listen on port %d", port);

	snprintf(stub, sizeof stub, "%s/remote.stub", dir);
	int len = snprintf(line, sizeof line, "remote 127.0.0.1:%d\n", port);
	write_file(stub, line, (size_t)len);
	gk_error err;
	gk_xap_db *db = NULL;
	uint64_t n = 0;
	GK_CHECK_INT(gk_xap_db_open(&db, stub, &err), GK_OK);
	if (db) {
		GK_CHECK_INT(gk_xap_db_doccount(db, &n, &err), GK_OK);
		GK_CHECK_INT(n, 4);
		GK_CHECK_INT(hits(db, qterm("bank")), D(1) | D(2) | D(3));
		char buf[64];
		data_of(db, "Qr3", buf, sizeof buf);
		GK_CHECK_STR(buf, "doc three");

		/* Facets and sorting also work across the wire. */
		gk_xap_query *all = NULL;
		gk_xap_enquire *e = NULL;
		gk_xap_mset *m = NULL;
		size_t fidx = 0;
		GK_CHECK_INT(gk_xap_query_match_all(&all, &err), GK_OK);
		GK_CHECK_INT(gk_xap_enquire_new(&e, db, &err), GK_OK);
		GK_CHECK_INT(gk_xap_enquire_set_query(e, all, &err), GK_OK);
		GK_CHECK_INT(gk_xap_enquire_add_facet(e, 0, &fidx, &err),
		             GK_OK);
		GK_CHECK_INT(gk_xap_enquire_set_sort_value(e, 0, 1, &err),
		             GK_OK);
		GK_CHECK_INT(gk_xap_enquire_run(e, 0, 10, 10, &m, &err), GK_OK);
		struct facet_acc acc = { "", 0, 0 };
		GK_CHECK_INT(gk_xap_mset_facets(m, fidx, facet_cb, &acc, &err),
		             GK_OK);
		GK_CHECK_STR(acc.text, "2021=1;2022=1;2023=2;");
		const char *v = NULL;
		size_t vlen = 0;
		GK_CHECK_INT(gk_xap_mset_value(m, 0, 0, &v, &vlen, &err),
		             GK_OK);
		GK_CHECK(vlen == 4 && memcmp(v, "2023", 4) == 0);
		gk_xap_mset_free(m);
		gk_xap_enquire_free(e);
		gk_xap_query_free(all);
		gk_xap_db_free(db);
	}

	kill(-pid, SIGTERM);
	int status;
	waitpid(pid, &status, 0);

	/* With the server gone, opening fails as an I/O problem. */
	db = NULL;
	GK_CHECK_INT(gk_xap_db_open(&db, stub, &err), GK_EIO);
	GK_CHECK_MSG(strstr(err.msg, stub) != NULL, "%s", err.msg);
	rm_rf(dir);
}

/* Rewrites every document, so that the revision an older reader was opened
 * on gets recycled. */
static void churn(gk_xap_wdb *w, int round)
{
	gk_error err;
	char data[64], id[16], words[512];
	for (int i = 0; i < 200; i++) {
		snprintf(id, sizeof id, "Qc%d", i);
		snprintf(data, sizeof data, "churn %d round %d", i, round);
		size_t used = (size_t)snprintf(words, sizeof words, "bank");
		for (int k = 0; k < 40; k++)
			used +=
			    (size_t)snprintf(words + used, sizeof words - used,
			                     " w%dr%d", (i + k) % 97, round);
		struct test_doc d = { id, words, "2024", "kc", data };
		if (!store_doc(w, &d, data))
			return;
	}
	gk_xap_wdb_commit(w, &err);
}

/* Whether data is what churn() stored for docid in some round. */
static int check_churn(const char *data, size_t len, uint32_t docid)
{
	char buf[64];
	unsigned n, round;
	snprintf(buf, sizeof buf, "%.*s", (int)len, data);
	return sscanf(buf, "churn %u round %u", &n, &round) == 2 &&
	       n + 1 == docid && round <= 10;
}

static void test_reader_survives_writer(void)
{
	char dir[512], path[600];
	make_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/db", dir);
	gk_error err;
	gk_xap_wdb *w = NULL;
	GK_CHECK_INT(gk_xap_wdb_open(&w, path, 1, &err), GK_OK);
	churn(w, 0);

	gk_xap_db *db = NULL;
	GK_CHECK_INT(gk_xap_db_open(&db, path, &err), GK_OK);
	gk_xap_query *q = qterm("bank");
	/* One result set taken before the writer moves on, to be read after. */
	gk_xap_mset *early = run(db, q, 300);
	GK_CHECK(early && gk_xap_mset_size(early) == 200);

	for (int round = 1; round <= 5; round++)
		churn(w, round);

	/* The early results still read: the document either from the
	 * revision searched, or again by docid after a reopen. Docid k
	 * belongs to Qc<k-1>. */
	const char *d = NULL;
	size_t len = 0;
	gk_xap_hit h;
	for (size_t i = 0; early && i < gk_xap_mset_size(early); i += 40) {
		d = NULL;
		GK_CHECK_INT(gk_xap_mset_hit(early, i, &h, &err), GK_OK);
		GK_CHECK_INT(gk_xap_mset_data(early, i, &d, &len, &err), GK_OK);
		GK_CHECK_MSG(d && check_churn(d, len, h.docid), "%.*s",
		             (int)len, d ? d : "");
	}

	for (int round = 6; round <= 10; round++)
		churn(w, round);

	gk_xap_enquire *e = NULL;
	gk_xap_mset *m = NULL;
	size_t fidx = 0;
	GK_CHECK_INT(gk_xap_enquire_new(&e, db, &err), GK_OK);
	GK_CHECK_INT(gk_xap_enquire_set_query(e, q, &err), GK_OK);
	GK_CHECK_INT(gk_xap_enquire_add_facet(e, 1, &fidx, &err), GK_OK);
	GK_CHECK_INT(gk_xap_enquire_run(e, 0, 300, 300, &m, &err), GK_OK);
	GK_CHECK_INT(gk_xap_mset_size(m), 200);
	for (size_t i = 0; i < gk_xap_mset_size(m); i += 40) {
		d = NULL;
		GK_CHECK_INT(gk_xap_mset_hit(m, i, &h, &err), GK_OK);
		GK_CHECK_INT(gk_xap_mset_data(m, i, &d, &len, &err), GK_OK);
		GK_CHECK_MSG(d && check_churn(d, len, h.docid), "%.*s",
		             (int)len, d ? d : "");
	}
	struct facet_acc acc = { "", 0, 0 };
	GK_CHECK_INT(gk_xap_mset_facets(m, fidx, facet_cb, &acc, &err), GK_OK);
	GK_CHECK_STR(acc.text, "kc=200;");

	gk_xap_mset_free(early);
	gk_xap_mset_free(m);
	gk_xap_enquire_free(e);
	gk_xap_query_free(q);
	gk_xap_db_free(db);
	gk_xap_wdb_free(w);
	rm_rf(dir);
}

static void test_metadata(void)
{
	char dir[512], path[600];
	make_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/db", dir);
	gk_error err;
	gk_xap_wdb *w = NULL;
	char *v = NULL;
	size_t len = 99;
	GK_CHECK_INT(gk_xap_wdb_open(&w, path, 1, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_get_metadata(w, "k", &v, &len, &err), GK_OK);
	GK_CHECK(v && !strcmp(v, "") && len == 0);
	free(v);
	GK_CHECK_INT(gk_xap_wdb_set_metadata(w, "k", "值\0x", 5, &err), GK_OK);
	GK_CHECK_INT(gk_xap_wdb_set_metadata(w, "", "v", 1, &err), GK_EINVAL);
	GK_CHECK_INT(gk_xap_wdb_commit(w, &err), GK_OK);
	gk_xap_wdb_free(w);

	gk_xap_db *db = NULL;
	GK_CHECK_INT(gk_xap_db_open(&db, path, &err), GK_OK);
	v = NULL;
	GK_CHECK_INT(gk_xap_db_get_metadata(db, "k", &v, &len, &err), GK_OK);
	GK_CHECK(v && len == 5 && !memcmp(v, "值\0x", 5));
	free(v);
	GK_CHECK_INT(gk_xap_db_get_metadata(db, "", &v, &len, &err), GK_EINVAL);
	gk_xap_db_free(db);
	rm_rf(dir);
}

/* Numbers in a value slot: byte order is number order, and a range over
 * serialised bounds finds them. */
static void test_sortable_values(void)
{
	gk_error err;
	static const double nums[] = {
		-1e9, -2.5, -1, 0, 0.5, 1, 3, 100, 1e12
	};
	char prev[GK_XAP_SORTABLE_MAX], cur[GK_XAP_SORTABLE_MAX];
	size_t plen = 0, clen = 0;
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		GK_CHECK_INT(
		    gk_xap_sortable_serialise(nums[i], cur, &clen, &err),
		    GK_OK);
		GK_CHECK(clen >= 1 && clen <= GK_XAP_SORTABLE_MAX);
		if (i) {
			size_t k = plen < clen ? plen : clen;
			int c = memcmp(prev, cur, k);
			GK_CHECK_MSG(c < 0 || (c == 0 && plen < clen),
			             "%g !< %g", nums[i - 1], nums[i]);
		}
		memcpy(prev, cur, clen);
		plen = clen;
	}
	GK_CHECK_INT(gk_xap_sortable_serialise(NAN, cur, &clen, &err),
	             GK_EINVAL);

	char dir[512], path[600];
	make_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/db", dir);
	gk_xap_wdb *w = NULL;
	GK_CHECK_INT(gk_xap_wdb_open(&w, path, 1, &err), GK_OK);
	for (int i = 0; i < 5 && w; i++) {
		gk_xap_doc *d = NULL;
		char id[8];
		snprintf(id, sizeof id, "Q%d", i);
		GK_CHECK_INT(gk_xap_doc_new(&d, &err), GK_OK);
		GK_CHECK_INT(
		    gk_xap_sortable_serialise(i * 10.0, cur, &clen, &err),
		    GK_OK);
		GK_CHECK_INT(gk_xap_doc_set_value(d, 7, cur, clen, &err),
		             GK_OK);
		GK_CHECK_INT(gk_xap_wdb_replace(w, id, strlen(id), d, &err),
		             GK_OK);
		gk_xap_doc_free(d);
	}
	GK_CHECK_INT(gk_xap_wdb_commit(w, &err), GK_OK);
	gk_xap_wdb_free(w);
	gk_xap_db *db = NULL;
	GK_CHECK_INT(gk_xap_db_open(&db, path, &err), GK_OK);
	char lo[GK_XAP_SORTABLE_MAX];
	size_t lolen = 0;
	GK_CHECK_INT(gk_xap_sortable_serialise(15, lo, &lolen, &err), GK_OK);
	gk_xap_query *q = NULL, *none = NULL;
	GK_CHECK_INT(gk_xap_query_value_range(&q, 7, lo, lolen, NULL, 0, &err),
	             GK_OK);
	GK_CHECK_INT(gk_xap_query_match_nothing(&none, &err), GK_OK);
	const gk_xap_query *qs[] = { q, none };
	size_t want[] = { 3, 0 }; /* 20, 30, 40; nothing */
	for (size_t i = 0; i < 2 && db; i++) {
		gk_xap_enquire *e = NULL;
		gk_xap_mset *m = NULL;
		GK_CHECK_INT(gk_xap_enquire_new(&e, db, &err), GK_OK);
		GK_CHECK_INT(gk_xap_enquire_set_query(e, qs[i], &err), GK_OK);
		GK_CHECK_INT(gk_xap_enquire_run(e, 0, 10, 10, &m, &err), GK_OK);
		GK_CHECK_INT(gk_xap_mset_size(m), want[i]);
		gk_xap_mset_free(m);
		gk_xap_enquire_free(e);
	}
	gk_xap_query_free(q);
	gk_xap_query_free(none);
	gk_xap_db_free(db);
	rm_rf(dir);
}

int main(void)
{
	GK_RUN(test_happy_path);
	GK_RUN(test_replace_leaves_doc);
	GK_RUN(test_transactions);
	GK_RUN(test_metadata);
	GK_RUN(test_errors);
	GK_RUN(test_stub);
	GK_RUN(test_remote);
	GK_RUN(test_reader_survives_writer);
	GK_RUN(test_sortable_values);
	return GK_TEST_RESULT();
}
