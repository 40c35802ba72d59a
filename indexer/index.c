#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gk_buf.h"
#include "gk_doc.h"
#include "gk_idx.h"
#include "gk_schema.h"
#include "gk_src.h"
#include "gk_stats.h"
#include "gk_tok.h"
#include "gk_utf8.h"
#include "gk_xap.h"

#define FILE_MAX       (64u << 20)
#define BATCH_FILES    64
#define BATCH_PASSAGES 20000
#define WALK_DEPTH     64

struct gk_idx {
	gk_xap_wdb *db;
	gk_tok *tok;
	gk_idx_events ev;
	gk_idx_stats stats;
	bool in_txn;
	size_t batch_files, batch_passages;
	gk_src_limits limits;
	gk_buf lexicon;     /* user lexicons, as stored in the database */
	bool lexicon_dirty; /* to be written with the next commit */
};

static gk_status read_file(const char *path, const char *name, char **out,
                           size_t *len, gk_error *err);

gk_status gk_idx_open(gk_idx **out, const char *dbpath,
                      const gk_idx_events *events, gk_error *err)
{
	*out = NULL;
	gk_idx *ix = calloc(1, sizeof *ix);
	if (!ix)
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	if (events)
		ix->ev = *events;
	ix->lexicon = (gk_buf)GK_BUF_INIT(FILE_MAX);
	ix->limits = (gk_src_limits)GK_SRC_LIMITS_DEFAULT;
	gk_status st = gk_tok_new(&ix->tok, err);
	if (!st)
		st = gk_xap_wdb_open(&ix->db, dbpath, 1, err);
	char *lex = NULL;
	size_t lexlen = 0;
	if (!st)
		st = gk_xap_wdb_get_metadata(ix->db, GK_META_LEXICON, &lex,
		                             &lexlen, err);
	if (!st && lexlen) {
		st = gk_tok_add_lexicon_text(ix->tok, "the database's lexicon",
		                             lex, lexlen, err);
		if (!st && gk_buf_append(&ix->lexicon, lex, lexlen))
			st = gk_error_set(err, GK_ENOMEM, "out of memory");
	}
	free(lex);
	if (st) {
		gk_idx_free(ix);
		return st;
	}
	*out = ix;
	return GK_OK;
}

void gk_idx_free(gk_idx *ix)
{
	if (!ix)
		return;
	gk_xap_wdb_free(ix->db);
	gk_tok_free(ix->tok);
	gk_buf_free(&ix->lexicon);
	free(ix);
}

gk_status gk_idx_add_lexicon(gk_idx *ix, const char *path, gk_error *err)
{
	char *text = NULL;
	size_t len = 0;
	gk_status st = read_file(path, path, &text, &len, err);
	if (!st)
		st = gk_tok_add_lexicon_text(ix->tok, path, text, len, err);
	if (!st && (gk_buf_appendf(&ix->lexicon, "# %s\n", path) ||
	            gk_buf_append(&ix->lexicon, text, len) ||
	            gk_buf_appendc(&ix->lexicon, '\n')))
		st = gk_error_set(err, GK_ENOMEM, "lexicons too large");
	free(text);
	if (!st)
		ix->lexicon_dirty = true;
	return st;
}

void gk_idx_set_limits(gk_idx *ix, const gk_src_limits *limits)
{
	ix->limits = *limits;
}

void gk_idx_get_stats(const gk_idx *ix, gk_idx_stats *out)
{
	*out = ix->stats;
}

gk_status gk_idx_commit(gk_idx *ix, gk_error *err)
{
	if (!ix->in_txn && !ix->lexicon_dirty)
		return GK_OK;
	gk_status st = GK_OK;
	if (ix->lexicon_dirty)
		st = gk_xap_wdb_set_metadata(ix->db, GK_META_LEXICON,
		                             ix->lexicon.data, ix->lexicon.len,
		                             err);
	if (!st)
		st = gk_xap_wdb_commit(ix->db, err);
	if (st)
		return st;
	ix->lexicon_dirty = false;
	ix->in_txn = false;
	ix->batch_files = ix->batch_passages = 0;
	return GK_OK;
}

/* ---- one passage, one document ----------------------------------------- */

/* A stable key for a report path that fits in a term whatever the path's
 * length: FNV-1a, 64 bits, as hex. */
static void report_key(const char *path, char out[17])
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

typedef struct posting_ctx {
	gk_xap_doc *doc;
	const gk_field *field;
	uint32_t pos_base; /* added to positions: separate headings */
	gk_error *err;
} posting_ctx;

static int add_posting(const gk_tok_token *tok, void *payload)
{
	posting_ctx *c = payload;
	const char *prefix = tok->kind == GK_TOK_WORD   ? c->field->word
	                     : tok->kind == GK_TOK_CHAR ? c->field->chr
	                                                : c->field->stem;
	size_t pl = strlen(prefix);
	char term[GK_TOK_MAX_TERM + 8];
	memcpy(term, prefix, pl);
	memcpy(term + pl, tok->term, tok->term_len);
	if (tok->kind == GK_TOK_STEM)
		return gk_xap_doc_add_term(c->doc, term, pl + tok->term_len,
		                           c->err);
	return gk_xap_doc_add_posting(c->doc, term, pl + tok->term_len,
	                              tok->pos, c->err);
}

static int index_text(gk_idx *ix, gk_xap_doc *doc, int field, uint32_t base,
                      const char *text, size_t len, gk_error *err)
{
	posting_ctx c = { doc, &gk_fields[field], base, err };
	return gk_tok_run(ix->tok, GK_TOK_DOCUMENT, text, len, add_posting, &c,
	                  err);
}

static char *passage_data(const char *report, const char *key, size_t n,
                          const gk_doc *d, const gk_doc_passage *p)
{
	json_t *o = json_object();
	json_t *sec = json_array();
	if (!o || !sec) {
		json_decref(o);
		json_decref(sec);
		return NULL;
	}
	for (size_t i = 0; i < p->nsection; i++)
		json_array_append_new(sec, json_string(p->section[i]));
	const char *agency = gk_doc_agency(d);
	json_object_set_new(o, "id", json_string(key));
	json_object_set_new(o, "n", json_integer((json_int_t)n));
	json_object_set_new(o, "report", json_string(report));
	json_object_set_new(o, "title", json_string(gk_doc_title(d)));
	json_object_set_new(o, "agency",
	                    agency ? json_string(agency) : json_null());
	json_object_set_new(o, "year",
	                    gk_doc_year(d) ? json_integer(gk_doc_year(d))
	                                   : json_null());
	json_object_set_new(o, "report_type", json_string(gk_doc_type(d)));
	json_object_set_new(o, "region",
	                    gk_doc_region(d) ? json_string(gk_doc_region(d))
	                                     : json_null());
	json_object_set_new(o, "section", sec);
	json_object_set_new(o, "section_key",
	                    p->section_key ? json_string(p->section_key)
	                                   : json_null());
	json_object_set_new(o, "text", json_stringn(p->text, p->len));
	json_object_set_new(o, "line", json_integer(p->line));
	json_object_set_new(o, "page",
	                    p->page ? json_integer(p->page) : json_null());
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* The same report in two files (a .txt and its .pdf original) has one
 * identity: its agency, year and title. Other documents are their file. */
static void identity_key(const gk_doc *d, const char *file_key, char out[17])
{
	if (strcmp(gk_doc_type(d), "report") || !gk_doc_agency(d) ||
	    !gk_doc_year(d)) {
		memcpy(out, file_key, 17);
		return;
	}
	char buf[1024];
	size_t n = (size_t)snprintf(buf, sizeof buf, "%s|%d|", gk_doc_agency(d),
	                            gk_doc_year(d));
	for (const char *t = gk_doc_title(d); *t && n + 1 < sizeof buf; t++)
		if (*t != ' ')
			buf[n++] = *t;
	buf[n < sizeof buf ? n : sizeof buf - 1] = '\0';
	report_key(buf, out);
}

static gk_status add_term(gk_xap_doc *doc, const char *prefix,
                          const char *value, gk_error *err)
{
	char term[GK_XAP_MAX_TERM + 1];
	int n = snprintf(term, sizeof term, "%s%s", prefix, value);
	if (n < 0 || (size_t)n >= sizeof term)
		n = (int)gk_utf8_floor(term, strlen(term), GK_XAP_MAX_TERM);
	return gk_xap_doc_add_boolean(doc, term, (size_t)n, err);
}

static gk_status set_value(gk_xap_doc *doc, unsigned slot, const char *v,
                           gk_error *err)
{
	return gk_xap_doc_set_value(doc, slot, v, strlen(v), err);
}

/* Boolean terms and values for filters, grouping and facets. */
static gk_status add_filters(gk_xap_doc *doc, const gk_doc *d,
                             const gk_doc_passage *p, const char *key, size_t n,
                             gk_error *err)
{
	char ident[17], year[8], num[24];
	identity_key(d, key, ident);
	snprintf(num, sizeof num, "%06zu", n);
	gk_status st = add_term(doc, GK_PREFIX_REPORT, key, err);
	if (!st)
		st = set_value(doc, GK_SLOT_PASSAGE, num, err);
	if (!st && gk_doc_region(d))
		st = set_value(doc, GK_SLOT_REGION, gk_doc_region(d), err);
	if (!st)
		st = add_term(doc, GK_PREFIX_IDENTITY, ident, err);
	if (!st)
		st = add_term(doc, GK_PREFIX_TYPE, gk_doc_type(d), err);
	if (!st)
		st = set_value(doc, GK_SLOT_TYPE, gk_doc_type(d), err);
	if (!st)
		st = set_value(doc, GK_SLOT_REPORT, key, err);
	if (!st)
		st = set_value(doc, GK_SLOT_IDENTITY, ident, err);
	if (!st && p->section_key)
		st = add_term(doc, GK_PREFIX_SECTION, p->section_key, err);
	if (!st && p->section_key)
		st = set_value(doc, GK_SLOT_SECTION, p->section_key, err);
	if (!st && gk_doc_agency(d))
		st = set_value(doc, GK_SLOT_AGENCY, gk_doc_agency(d), err);
	if (!st && gk_doc_year(d)) {
		snprintf(year, sizeof year, "%04d", gk_doc_year(d));
		st = add_term(doc, GK_PREFIX_YEAR, year, err);
		if (!st)
			st = set_value(doc, GK_SLOT_YEAR, year, err);
	}
	/* Facet values paired with the report, to count reports per value. */
	const struct {
		unsigned slot;
		const char *value;
	} facets[] = {
		{ GK_SLOT_YEAR, gk_doc_year(d) ? year : NULL },
		{ GK_SLOT_AGENCY, gk_doc_agency(d) },
		{ GK_SLOT_SECTION, p->section_key },
		{ GK_SLOT_TYPE, gk_doc_type(d) },
		{ GK_SLOT_REGION, gk_doc_region(d) },
	};
	for (size_t i = 0; i < sizeof facets / sizeof facets[0] && !st; i++) {
		if (!facets[i].value)
			continue;
		char v[512];
		snprintf(v, sizeof v, "%s" GK_FACET_SEP "%s", facets[i].value,
		         ident);
		st =
		    set_value(doc, facets[i].slot + GK_SLOT_PER_REPORT, v, err);
	}
	return st;
}

static gk_status write_passage(gk_idx *ix, const char *report, const char *key,
                               const gk_doc *d, size_t i, gk_error *err)
{
	const gk_doc_passage *p = gk_doc_passage_at(d, i);
	gk_xap_doc *doc = NULL;
	char *data = NULL;
	char qterm[48];
	snprintf(qterm, sizeof qterm, GK_PREFIX_ID "%s-%zu", key, i);
	const char *title = gk_doc_title(d);
	int st = gk_xap_doc_new(&doc, err);
	if (!st)
		st =
		    index_text(ix, doc, GK_FIELD_BODY, 0, p->text, p->len, err);
	if (!st)
		st = index_text(ix, doc, GK_FIELD_TITLE, 0, title,
		                strlen(title), err);
	/* Headings 1000 positions apart, so that no phrase spans two. */
	for (size_t h = 0; h < p->nsection && !st; h++)
		st = index_text(ix, doc, GK_FIELD_HEADING, (uint32_t)h * 1000,
		                p->section[h], strlen(p->section[h]), err);
	if (!st && gk_doc_agency(d))
		st = index_text(ix, doc, GK_FIELD_AGENCY, 0, gk_doc_agency(d),
		                strlen(gk_doc_agency(d)), err);
	if (!st && gk_doc_region(d))
		st = index_text(ix, doc, GK_FIELD_REGION, 0, gk_doc_region(d),
		                strlen(gk_doc_region(d)), err);
	if (!st)
		st = add_filters(doc, d, p, key, i, err);
	if (!st) {
		data = passage_data(report, key, i, d, p);
		if (!data)
			st = gk_error_set(err, GK_ENOMEM, "out of memory");
	}
	if (!st)
		st = gk_xap_doc_set_data(doc, data, strlen(data), err);
	if (!st)
		st = gk_xap_wdb_replace(ix->db, qterm, strlen(qterm), doc, err);
	free(data);
	gk_xap_doc_free(doc);
	return st < 0 ? (gk_status)st : GK_OK;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The statistics of a report as found (or why not): the extractor's
 * result, or its message when it failed. */
typedef struct report_stats {
	gk_stats *stats;   /* NULL when the extractor failed */
	const char *error; /* its message then */
} report_stats;

/* The record document of a report: its metadata, section tree and
 * statistics, for showing the report whole (see gk_schema.h). */
static char *record_data(const char *report, const char *key, const gk_doc *d,
                         const report_stats *rs)
{
	json_t *o = json_object();
	json_t *hs = json_array();
	if (!o || !hs) {
		json_decref(o);
		json_decref(hs);
		return NULL;
	}
	size_t np = gk_doc_passage_count(d), at = 0;
	for (size_t i = 0; i < gk_doc_heading_count(d); i++) {
		const gk_doc_heading *h = gk_doc_heading_at(d, i);
		/* The first passage at or after the heading's line. */
		while (at < np && gk_doc_passage_at(d, at)->line < h->line)
			at++;
		json_array_append_new(hs,
		                      json_pack("{sssIsIsosI}", "text", h->text,
		                                "depth", (json_int_t)h->depth,
		                                "line", (json_int_t)h->line,
		                                "key", str_or_null(h->key),
		                                "passage", (json_int_t)at));
	}
	json_object_set_new(o, "id", json_string(key));
	json_object_set_new(o, "report", json_string(report));
	json_object_set_new(o, "title", json_string(gk_doc_title(d)));
	json_object_set_new(o, "agency", str_or_null(gk_doc_agency(d)));
	json_object_set_new(o, "year",
	                    gk_doc_year(d) ? json_integer(gk_doc_year(d))
	                                   : json_null());
	json_object_set_new(o, "report_type", json_string(gk_doc_type(d)));
	json_object_set_new(o, "region", str_or_null(gk_doc_region(d)));
	json_object_set_new(o, "date", str_or_null(gk_doc_date(d)));
	json_object_set_new(o, "url", str_or_null(gk_doc_url(d)));
	json_object_set_new(o, "format", str_or_null(gk_doc_format(d)));
	json_object_set_new(o, "charset", str_or_null(gk_doc_charset(d)));
	json_object_set_new(o, "sha256", str_or_null(gk_doc_sha256(d)));
	json_object_set_new(o, "pages",
	                    gk_doc_pages(d) ? json_integer(gk_doc_pages(d))
	                                    : json_null());
	json_object_set_new(o, "passages", json_integer((json_int_t)np));
	json_object_set_new(o, "headings", hs);
	const char *stats_error = rs->error;
	if (rs->stats) {
		char *sj = gk_stats_to_json(rs->stats);
		json_t *so = sj ? json_loads(sj, 0, NULL) : NULL;
		free(sj);
		if (json_is_object(so))
			json_object_set_new(o, "stats", so);
		else {
			json_decref(so);
			stats_error =
			    "statistics: could not be written as JSON";
		}
	}
	if (stats_error)
		json_object_set_new(o, "stats_error", json_string(stats_error));
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* Each canonical statistic of the report in its slot, for numeric
 * filters. A value that cannot be stored (not a finite number) is left
 * out. */
static gk_status set_stats_values(gk_xap_doc *doc, const gk_stats *stats,
                                  gk_error *err)
{
	size_t nkeys = 0;
	const char *const *keys = gk_stats_keys(&nkeys);
	gk_status st = GK_OK;
	for (size_t i = 0; i < nkeys && !st; i++) {
		const gk_stats_value *v = gk_stats_get(stats, keys[i]);
		char buf[GK_XAP_SORTABLE_MAX];
		size_t len = 0;
		gk_error ignored;
		if (!v || !isfinite(v->value) ||
		    gk_xap_sortable_serialise(v->value, buf, &len, &ignored))
			continue;
		st = gk_xap_doc_set_value(doc, GK_SLOT_STATS + (unsigned)i, buf,
		                          len, err);
	}
	return st;
}

static gk_status write_record(gk_idx *ix, const char *report, const char *key,
                              const gk_doc *d, const report_stats *rs,
                              gk_error *err)
{
	gk_xap_doc *doc = NULL;
	char qterm[48], ident[17];
	snprintf(qterm, sizeof qterm, GK_PREFIX_ID "%s" GK_RECORD_SUFFIX, key);
	identity_key(d, key, ident);
	char *data = record_data(report, key, d, rs);
	if (!data)
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	gk_status st = gk_xap_doc_new(&doc, err);
	if (!st)
		st = gk_xap_doc_add_boolean(doc, GK_TERM_RECORD,
		                            strlen(GK_TERM_RECORD), err);
	if (!st)
		st = add_term(doc, GK_PREFIX_REPORT, key, err);
	if (!st)
		st = set_value(doc, GK_SLOT_REPORT, key, err);
	if (!st)
		st = set_value(doc, GK_SLOT_IDENTITY, ident, err);
	if (!st && rs->stats)
		st = set_stats_values(doc, rs->stats, err);
	if (!st)
		st = gk_xap_doc_set_data(doc, data, strlen(data), err);
	if (!st)
		st = gk_xap_wdb_replace(ix->db, qterm, strlen(qterm), doc, err);
	free(data);
	gk_xap_doc_free(doc);
	return st;
}

/* Replaces every passage of report with those of d, inside the current
 * batch's transaction. */
static gk_status write_report(gk_idx *ix, const char *report, const gk_doc *d,
                              const report_stats *rs, gk_error *err)
{
	gk_status st = GK_OK;
	if (!ix->in_txn) {
		st = gk_xap_wdb_begin(ix->db, err);
		if (st)
			return st;
		ix->in_txn = true;
	}
	char key[17], rterm[32];
	report_key(report, key);
	snprintf(rterm, sizeof rterm, GK_PREFIX_REPORT "%s", key);
	st = gk_xap_wdb_delete(ix->db, rterm, strlen(rterm), err);
	size_t n = gk_doc_passage_count(d);
	for (size_t i = 0; i < n && !st; i++)
		st = write_passage(ix, report, key, d, i, err);
	if (!st)
		st = write_record(ix, report, key, d, rs, err);
	if (st)
		return st;
	ix->stats.files++;
	ix->stats.passages += n;
	ix->batch_files++;
	ix->batch_passages += n;
	if (ix->batch_files >= BATCH_FILES ||
	    ix->batch_passages >= BATCH_PASSAGES)
		st = gk_idx_commit(ix, err);
	return st;
}

/* ---- files -------------------------------------------------------------- */

static gk_status read_file(const char *path, const char *name, char **out,
                           size_t *len, gk_error *err)
{
	*out = NULL;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return gk_error_set(err,
		                    errno == ENOENT ? GK_ENOTFOUND : GK_EIO,
		                    "%s: %s", name, strerror(errno));
	struct stat sb;
	gk_status st = GK_OK;
	char *buf = NULL;
	if (fstat(fd, &sb) < 0) {
		st = gk_error_set(err, GK_EIO, "%s: %s", name, strerror(errno));
		goto done;
	}
	if ((uintmax_t)sb.st_size > FILE_MAX) {
		st = gk_error_set(err, GK_EFORMAT,
		                  "%s: file too large (%jd bytes; at most %u "
		                  "MiB)",
		                  name, (intmax_t)sb.st_size, FILE_MAX >> 20);
		goto done;
	}
	size_t cap = (size_t)sb.st_size + 1, n = 0;
	buf = malloc(cap);
	if (!buf) {
		st = gk_error_set(err, GK_ENOMEM, "%s: out of memory", name);
		goto done;
	}
	for (;;) {
		if (n == cap) {
			/* The file grew while being read. */
			st = gk_error_set(err, GK_EIO,
			                  "%s: file changed while reading",
			                  name);
			goto done;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			st = gk_error_set(err, GK_EIO, "%s: %s", name,
			                  strerror(errno));
			goto done;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*out = buf;
	*len = n;
	buf = NULL;
done:
	free(buf);
	close(fd);
	return st;
}

/* Reads the file and parses it as gk_idx_read_doc says; *src keeps the
 * text the report was parsed from. Both are the caller's to free. */
static gk_status read_source(gk_src **src, gk_doc **out, const char *path,
                             const char *name, const gk_src_limits *limits,
                             gk_error *err)
{
	*out = NULL;
	static const gk_src_limits defaults = GK_SRC_LIMITS_DEFAULT;
	gk_status st =
	    gk_src_read(src, path, name, limits ? limits : &defaults, err);
	if (st)
		return st;
	size_t len = 0;
	const char *text = gk_src_text(*src, &len);
	st = gk_doc_parse_hinted(out, name, text, len, gk_src_title(*src), err);
	if (!st)
		st = gk_doc_set_source(
		    *out, gk_src_format_name(gk_src_format_of(*src)),
		    gk_src_charset(*src), gk_src_sha256(*src),
		    gk_src_pages(*src), err);
	if (st) {
		gk_doc_free(*out);
		*out = NULL;
		gk_src_free(*src);
		*src = NULL;
	}
	return st;
}

gk_status gk_idx_read_doc(gk_doc **out, const char *path, const char *name,
                          const gk_src_limits *limits, gk_error *err)
{
	gk_src *src = NULL;
	gk_status st = read_source(&src, out, path, name, limits, err);
	gk_src_free(src);
	return st;
}

/* The statistics tables of the report, from the text it was parsed from.
 * Never fails: what went wrong is kept in rs->error (pointing into
 * serr). */
static void extract_stats(report_stats *rs, const char *report,
                          const gk_src *src, const gk_doc *d, gk_error *serr)
{
	size_t len = 0;
	const char *text = gk_src_text(src, &len);
	rs->stats = NULL;
	rs->error = NULL;
	gk_error_clear(serr);
	gk_status st = gk_stats_extract(
	    &rs->stats, report, text, len,
	    gk_src_format_name(gk_src_format_of(src)), gk_doc_year(d), serr);
	if (st) {
		gk_stats_free(rs->stats);
		rs->stats = NULL;
		rs->error = serr->msg[0] ? serr->msg : gk_status_str(st);
	}
}

static gk_status index_file(gk_idx *ix, const char *fspath, const char *report,
                            gk_error *err)
{
	gk_error ferr;
	gk_error_clear(&ferr);
	gk_doc *d = NULL;
	gk_src *src = NULL;
	if (read_source(&src, &d, fspath, report, &ix->limits, &ferr)) {
		ix->stats.failed++;
		if (ix->ev.on_error)
			ix->ev.on_error(report, &ferr, ix->ev.payload);
		return GK_OK;
	}
	report_stats rs;
	gk_error serr;
	extract_stats(&rs, report, src, d, &serr);
	gk_src_free(src);
	gk_status st = write_report(ix, report, d, &rs, err);
	if (!st && ix->ev.on_file)
		ix->ev.on_file(report, gk_doc_passage_count(d), ix->ev.payload);
	gk_stats_free(rs.stats);
	gk_doc_free(d);
	return st;
}

/* ---- walking ------------------------------------------------------------ */

static bool is_report_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return false;
	static const char *const exts[] = { ".txt",   ".md",   ".markdown",
		                            ".text",  ".html", ".htm",
		                            ".xhtml", ".pdf" };
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
		if (!strcasecmp(dot, exts[i]))
			return true;
	return false;
}

static void file_error(gk_idx *ix, const char *path, gk_status code,
                       const char *what)
{
	gk_error e;
	gk_error_set(&e, code, "%s: %s", path, what);
	ix->stats.failed++;
	if (ix->ev.on_error)
		ix->ev.on_error(path, &e, ix->ev.payload);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static gk_status walk(gk_idx *ix, const char *fspath, const char *report,
                      int depth, gk_error *err);

static gk_status walk_dir(gk_idx *ix, const char *fspath, const char *report,
                          int depth, gk_error *err)
{
	if (depth > WALK_DEPTH) {
		file_error(ix, report, GK_EIO, "directories nested too deep");
		return GK_OK;
	}
	struct dirent **names = NULL;
	int n = scandir(fspath, &names, NULL, by_name);
	if (n < 0) {
		char msg[256];
		snprintf(msg, sizeof msg, "cannot read directory: %s",
		         strerror(errno));
		file_error(ix, report, GK_EIO, msg);
		return GK_OK;
	}
	gk_status st = GK_OK;
	gk_buf fs = GK_BUF_INIT(1u << 16), rp = GK_BUF_INIT(1u << 16);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		if (st || name[0] == '.')
			continue;
		size_t fl = strlen(fspath), rl = strlen(report);
		bool fslash = fl && fspath[fl - 1] == '/';
		bool rslash = rl && report[rl - 1] == '/';
		gk_buf_reset(&fs);
		gk_buf_reset(&rp);
		if (gk_buf_appendf(&fs, "%s%s%s", fspath, fslash ? "" : "/",
		                   name) ||
		    gk_buf_appendf(&rp, "%s%s%s", report, rslash ? "" : "/",
		                   name)) {
			file_error(ix, report, GK_ENOMEM, "path too long");
			continue;
		}
		struct stat sb;
		if (lstat(fs.data, &sb) < 0) {
			file_error(ix, rp.data, GK_EIO, strerror(errno));
			continue;
		}
		if (S_ISLNK(sb.st_mode)) {
			if (stat(fs.data, &sb) < 0) {
				file_error(ix, rp.data, GK_ENOTFOUND,
				           "broken symbolic link");
				continue;
			}
			if (S_ISDIR(sb.st_mode)) {
				if (ix->ev.on_skip)
					ix->ev.on_skip(
					    rp.data,
					    "symbolic link to a "
					    "directory, not followed",
					    ix->ev.payload);
				ix->stats.skipped++;
				continue;
			}
		}
		if (S_ISDIR(sb.st_mode)) {
			st = walk(ix, fs.data, rp.data, depth + 1, err);
		} else if (!S_ISREG(sb.st_mode) || !is_report_name(name)) {
			ix->stats.skipped++;
			if (ix->ev.on_skip)
				ix->ev.on_skip(rp.data,
				               "not a .txt or .md file",
				               ix->ev.payload);
		} else {
			st = walk(ix, fs.data, rp.data, depth + 1, err);
		}
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	gk_buf_free(&fs);
	gk_buf_free(&rp);
	return st;
}

static gk_status walk(gk_idx *ix, const char *fspath, const char *report,
                      int depth, gk_error *err)
{
	if (ix->ev.should_stop && ix->ev.should_stop(ix->ev.payload))
		return gk_error_set(err, GK_ECANCELLED, "interrupted");
	struct stat sb;
	if (stat(fspath, &sb) < 0) {
		file_error(ix, report, errno == ENOENT ? GK_ENOTFOUND : GK_EIO,
		           strerror(errno));
		return GK_OK;
	}
	if (S_ISDIR(sb.st_mode))
		return walk_dir(ix, fspath, report, depth, err);
	if (!S_ISREG(sb.st_mode)) {
		file_error(ix, report, GK_EFORMAT, "not a regular file");
		return GK_OK;
	}
	return index_file(ix, fspath, report, err);
}

gk_status gk_idx_add_path(gk_idx *ix, const char *path, gk_error *err)
{
	return walk(ix, path, path, 0, err);
}
