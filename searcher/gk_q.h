/* gk_q: searching the database for passages.
 *
 * The query language (see query.h and `gongkai search --help`): words
 * separated by spaces must all occur, in the passage, its section
 * headings, or its report's title or agency; "exact phrase"; -word
 * excludes; A OR B; parentheses; fields agency:, year:2023 or
 * year:2019..2023, region:, section: (heading words or a standard
 * section's key such as 申请), type:report|other, title:, and statistics
 * filters such as 申请.本年新收.总计>100 (the reports whose table gives a
 * number in range; see query.h). A Chinese word
 * matches as an exact string of characters. Results come ranked by BM25
 * (headings count more), at most per_report passages of one report, each
 * with the spans of the passage where the words occur and a snippet. */
#ifndef GK_Q_H
#define GK_Q_H

#include <stddef.h>

#include "gk_error.h"

typedef struct gk_q gk_q;

typedef struct gk_q_span {
	size_t start, end; /* byte offsets, end exclusive */
} gk_q_span;

/* Everything in a hit is borrowed for the duration of the callback. */
typedef struct gk_q_hit {
	size_t rank; /* 1-based over the whole result list */
	double score;
	const char *report; /* path of the report file as it was indexed */
	const char *title;
	const char *agency;         /* NULL when unknown */
	int year;                   /* 0 when unknown */
	const char *const *section; /* headings, outermost first */
	size_t nsection;
	const char *text; /* the whole passage */
	size_t text_len;
	const gk_q_span *highlights; /* into text, in order, disjoint */
	size_t nhighlights;
	const char *snippet; /* a window of text; "…" marks a cut */
	size_t snippet_len;
	const gk_q_span *snippet_highlights; /* into snippet */
	size_t nsnippet_highlights;
	unsigned line; /* 1-based source line where the passage starts */
	unsigned page; /* 1-based page, 0 when the source has no pages */
	const char *section_key; /* standard section (总体, 申请 …) or NULL */
	const char *report_type;    /* "report" or "other" */
	size_t more_in_report;      /* passages of this report not shown */
	const char *const *sources; /* other files holding the same report */
	size_t nsources;
	/* With explain: the query terms this passage matched ("text:行政处罚
	 * title:年度报告 chars:行 …"), else NULL. */
	const char *matched;
	const char *region; /* "福建 晋江市" or NULL */
	/* The report file's id (16 hex digits, see gk_q_report) and the
	 * passage's number in it, from 0; "" and 0 in a database indexed
	 * before ids were kept. */
	const char *report_id;
	size_t passage;
} gk_q_hit;

typedef int (*gk_q_hit_cb)(const gk_q_hit *hit, void *payload);

typedef struct gk_q_options {
	size_t offset;     /* hits to pass over first */
	size_t limit;      /* hits to return at most */
	size_t per_report; /* passages of one report at most; 0: no limit */
	int exact_total;   /* count every match for *total (slower) */
	/* When set, called once before the hits with the parsed query and
	 * the search it became; non-zero stops the search. */
	int (*explain)(const char *parsed, const char *search, void *payload);
	/* GK_Q_FACET_* bits: count the matching passages per value. */
	unsigned facets;
	/* Called after the hits for each value counted: facet is "year",
	 * "agency", "section", "type" or "region"; non-zero stops. */
	int (*facet)(const char *facet, const char *value, size_t passages,
	             size_t reports, void *payload);
	/* When set, only passages of this standard section (总体, 主动, 申请,
	 * 复议诉讼, 收费, 问题, 其他): unlike section: in the query, headings
	 * that merely contain the word do not count. */
	const char *section_key;
	/* GK_Q_FACET_* bits of facets whose values are counted in passages
	 * only (reports are given as 0): each report count reads one more
	 * value per matching passage. */
	unsigned facets_passages_only;
} gk_q_options;

#define GK_Q_FACET_YEAR    1u
#define GK_Q_FACET_AGENCY  2u
#define GK_Q_FACET_SECTION 4u
#define GK_Q_FACET_TYPE    8u
#define GK_Q_FACET_REGION  16u

/* How many passages of one report are shown by default. */
#define GK_Q_PER_REPORT 3

/* Opens the database at path (a directory or a stub file) for searching. */
gk_status gk_q_open(gk_q **out, const char *dbpath, gk_error *err);
void gk_q_free(gk_q *q);

/* Runs query and calls cb for each hit, best first. *total (when not NULL)
 * receives the estimated number of matching passages. Returns GK_OK,
 * a negative gk_status (GK_EQUERY for a query with nothing to search
 * for), or the callback's non-zero value. */
int gk_q_search(gk_q *q, const char *query, size_t len, const gk_q_options *opt,
                gk_q_hit_cb cb, void *payload, size_t *total, gk_error *err);

/* Checks that query is well-formed in the query language, without
 * searching: GK_EQUERY with the parser's message (its column counts
 * characters of query) when it is not. */
gk_status gk_q_check(const char *query, size_t len, gk_error *err);

/* Where the words of a query occur in any text (the report view marks
 * them in every passage): *spans (malloc'd, the caller's; NULL when none)
 * receives them sorted and disjoint, as byte offsets into text. The query
 * is parsed once by gk_q_marker_new. */
typedef struct gk_q_marker gk_q_marker;
gk_status gk_q_marker_new(gk_q *q, const char *query, size_t len,
                          gk_q_marker **out, gk_error *err);
gk_status gk_q_mark(gk_q_marker *m, const char *text, size_t len,
                    gk_q_span **spans, size_t *nspans, gk_error *err);
void gk_q_marker_free(gk_q_marker *m);

/* The hit as one JSON object, the keys of `gongkai search --json`.
 * malloc'd, NULL when out of memory. */
char *gk_q_hit_to_json(const gk_q_hit *hit);

/* Whether s is a report id: 16 lowercase hex digits. */
int gk_q_report_id_valid(const char *s);

/* The whole report file with id: *json (malloc'd, the caller's) receives
 * one JSON object with its metadata (id, report, title, agency, year,
 * report_type, region, date, url, format, charset, sha256, pages), its
 * section tree (headings: [{text, depth, line, key, passage}]) and its
 * passages in order ([{n, text, section, section_key, line, page}]).
 * GK_ENOTFOUND when the database has no report with that id. */
gk_status gk_q_report(gk_q *q, const char *id, char **json, gk_error *err);

/* Called with one report's record: json (len bytes, borrowed for the
 * call) is the object gk_q_report gives, except that passages is their
 * number, plus stats (the object of gk_stats_to_json: stats, uncertain,
 * checks, provenance) or stats_error when the report's tables could not
 * be read; neither in a database indexed before statistics were kept. */
typedef int (*gk_q_record_cb)(const char *json, size_t len, void *payload);

/* Each report with a passage matching query (the language of
 * gk_q_search, statistics filters included), or every report when the
 * query is empty (len 0 or white space only), once: of a report's files
 * (its .txt and .pdf), the one whose statistics have the most certain
 * values. Reports come in the order of their identity key (stable, not
 * ranked). Returns GK_OK, a negative gk_status (GK_EQUERY for a query
 * that cannot be read or that matches too many reports), or the
 * callback's non-zero value. */
int gk_q_reports(gk_q *q, const char *query, size_t len, gk_q_record_cb cb,
                 void *payload, gk_error *err);

#endif
