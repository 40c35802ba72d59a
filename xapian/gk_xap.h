/* gk_xap: the C interface to Xapian, and the only C++ in the project.
 *
 * Every function is safe to call from C: no exception crosses this
 * interface. Failures come back as a gk_status plus a message in the
 * caller's gk_error. Handles are opaque; each *_free is NULL-safe.
 *
 * Lifetimes: a gk_xap_enquire borrows its gk_xap_db and must be freed
 * first; a gk_xap_mset keeps what it needs of the database alive by itself
 * but must not be used after its database handle is freed. Queries are
 * values: combining queries copies them, so the caller frees its own
 * handles whenever it likes. */
#ifndef GK_XAP_H
#define GK_XAP_H

#include <stddef.h>
#include <stdint.h>

#include "gk_error.h"

/* The implementation catches every exception; saying so in the prototypes
 * lets C++ see it and is required for the definitions to carry noexcept. */
#ifdef __cplusplus
#define GK_XAP_NOEXCEPT noexcept
extern "C" {
#else
#define GK_XAP_NOEXCEPT
#endif

/* Xapian rejects terms longer than this many bytes. */
#define GK_XAP_MAX_TERM 245

typedef struct gk_xap_wdb gk_xap_wdb;
typedef struct gk_xap_db gk_xap_db;
typedef struct gk_xap_doc gk_xap_doc;
typedef struct gk_xap_query gk_xap_query;
typedef struct gk_xap_enquire gk_xap_enquire;
typedef struct gk_xap_mset gk_xap_mset;

/* ---- writable database ------------------------------------------------ */

/* Opens the database at path for writing, creating it when create != 0 and
 * it does not exist. GK_ELOCKED when another writer holds it. */
gk_status gk_xap_wdb_open(gk_xap_wdb **out, const char *path, int create,
                          gk_error *err) GK_XAP_NOEXCEPT;
/* Closes; a transaction still open is cancelled (nothing of it is kept). */
void gk_xap_wdb_free(gk_xap_wdb *db) GK_XAP_NOEXCEPT;

/* A transaction groups changes so that either all or none of them reach
 * the disk. Only one at a time. */
gk_status gk_xap_wdb_begin(gk_xap_wdb *db, gk_error *err) GK_XAP_NOEXCEPT;
gk_status gk_xap_wdb_commit(gk_xap_wdb *db, gk_error *err) GK_XAP_NOEXCEPT;
gk_status gk_xap_wdb_cancel(gk_xap_wdb *db, gk_error *err) GK_XAP_NOEXCEPT;

/* Stores doc as the only document carrying the boolean term idterm
 * (added to the document if it lacks it), replacing any earlier ones. */
gk_status gk_xap_wdb_replace(gk_xap_wdb *db, const char *idterm, size_t idlen,
                             const gk_xap_doc *doc,
                             gk_error *err) GK_XAP_NOEXCEPT;
/* Deletes every document carrying term (none is not an error). */
gk_status gk_xap_wdb_delete(gk_xap_wdb *db, const char *term, size_t len,
                            gk_error *err) GK_XAP_NOEXCEPT;
/* Metadata: a value stored under a key in the database itself (not
 * searchable), written with the next commit. An absent key reads as "".
 * What _get_metadata returns in *out is malloc'd, NUL-terminated, for the
 * caller to free. */
gk_status gk_xap_wdb_set_metadata(gk_xap_wdb *db, const char *key,
                                  const char *val, size_t len,
                                  gk_error *err) GK_XAP_NOEXCEPT;
gk_status gk_xap_wdb_get_metadata(gk_xap_wdb *db, const char *key, char **out,
                                  size_t *len, gk_error *err) GK_XAP_NOEXCEPT;
/* Number of documents, counting uncommitted changes. */
gk_status gk_xap_wdb_doccount(gk_xap_wdb *db, uint64_t *out,
                              gk_error *err) GK_XAP_NOEXCEPT;

/* ---- documents ------------------------------------------------------- */

gk_status gk_xap_doc_new(gk_xap_doc **out, gk_error *err) GK_XAP_NOEXCEPT;
void gk_xap_doc_free(gk_xap_doc *doc) GK_XAP_NOEXCEPT;
/* A term at word position pos (1-based, used by phrase queries). */
gk_status gk_xap_doc_add_posting(gk_xap_doc *doc, const char *term, size_t len,
                                 uint32_t pos, gk_error *err) GK_XAP_NOEXCEPT;
/* A term that counts for weighting but has no position (stemmed forms). */
gk_status gk_xap_doc_add_term(gk_xap_doc *doc, const char *term, size_t len,
                              gk_error *err) GK_XAP_NOEXCEPT;
/* A term without position or weight, for filtering (ids, years, ...). */
gk_status gk_xap_doc_add_boolean(gk_xap_doc *doc, const char *term, size_t len,
                                 gk_error *err) GK_XAP_NOEXCEPT;
gk_status gk_xap_doc_set_value(gk_xap_doc *doc, unsigned slot, const char *val,
                               size_t len, gk_error *err) GK_XAP_NOEXCEPT;
gk_status gk_xap_doc_set_data(gk_xap_doc *doc, const char *data, size_t len,
                              gk_error *err) GK_XAP_NOEXCEPT;

/* ---- read-only database ---------------------------------------------- */

/* Opens a database directory, or a stub file listing shards (local paths
 * or `remote HOST:PORT` lines), for searching. */
gk_status gk_xap_db_open(gk_xap_db **out, const char *path,
                         gk_error *err) GK_XAP_NOEXCEPT;
void gk_xap_db_free(gk_xap_db *db) GK_XAP_NOEXCEPT;
gk_status gk_xap_db_doccount(gk_xap_db *db, uint64_t *out,
                             gk_error *err) GK_XAP_NOEXCEPT;
/* Number of documents indexed by term. */
gk_status gk_xap_db_termfreq(gk_xap_db *db, const char *term, size_t len,
                             uint64_t *out, gk_error *err) GK_XAP_NOEXCEPT;

/* Metadata stored by gk_xap_wdb_set_metadata; see there. */
gk_status gk_xap_db_get_metadata(gk_xap_db *db, const char *key, char **out,
                                 size_t *len, gk_error *err) GK_XAP_NOEXCEPT;

/* ---- queries --------------------------------------------------------- */

typedef enum gk_xap_op {
	GK_XAP_AND,
	GK_XAP_OR,
	GK_XAP_AND_NOT,   /* first minus the union of the others */
	GK_XAP_AND_MAYBE, /* first, weighted up by the others */
	GK_XAP_FILTER,    /* first, restricted by the others, no weight */
	GK_XAP_PHRASE,    /* terms in order within window positions */
	GK_XAP_NEAR,      /* terms in any order within window positions */
} gk_xap_op;

void gk_xap_query_free(gk_xap_query *q) GK_XAP_NOEXCEPT;
gk_status gk_xap_query_term(gk_xap_query **out, const char *term, size_t len,
                            gk_error *err) GK_XAP_NOEXCEPT;
/* Combines n >= 1 subqueries with op; window is used by PHRASE and NEAR
 * only (0 means "as many as there are subqueries"). */
gk_status gk_xap_query_combine(gk_xap_query **out, gk_xap_op op,
                               gk_xap_query *const *subs, size_t n,
                               unsigned window, gk_error *err) GK_XAP_NOEXCEPT;
/* Documents whose value in slot lies in [lo, hi] (string order). A NULL lo
 * or hi leaves that end open. */
gk_status gk_xap_query_value_range(gk_xap_query **out, unsigned slot,
                                   const char *lo, size_t lolen, const char *hi,
                                   size_t hilen, gk_error *err) GK_XAP_NOEXCEPT;
/* Room enough for any number gk_xap_sortable_serialise writes. */
#define GK_XAP_SORTABLE_MAX 16

/* Writes value into out (at least GK_XAP_SORTABLE_MAX bytes) as a string
 * whose byte order is the numbers' order (Xapian::sortable_serialise),
 * for a value slot searched with gk_xap_query_value_range; *len receives
 * its length (not NUL-terminated). */
gk_status gk_xap_sortable_serialise(double value, char *out, size_t *len,
                                    gk_error *err) GK_XAP_NOEXCEPT;
/* q with its weights multiplied by factor (>= 0). */
gk_status gk_xap_query_scale(gk_xap_query **out, const gk_xap_query *q,
                             double factor, gk_error *err) GK_XAP_NOEXCEPT;
gk_status gk_xap_query_match_all(gk_xap_query **out,
                                 gk_error *err) GK_XAP_NOEXCEPT;
/* A query no document matches (a filter that selected nothing). */
gk_status gk_xap_query_match_nothing(gk_xap_query **out,
                                     gk_error *err) GK_XAP_NOEXCEPT;
/* A readable description of q, malloc'd, for the caller to free. */
gk_status gk_xap_query_describe(const gk_xap_query *q, char **out,
                                gk_error *err) GK_XAP_NOEXCEPT;

/* ---- searching -------------------------------------------------------- */

gk_status gk_xap_enquire_new(gk_xap_enquire **out, gk_xap_db *db,
                             gk_error *err) GK_XAP_NOEXCEPT;
void gk_xap_enquire_free(gk_xap_enquire *e) GK_XAP_NOEXCEPT;
gk_status gk_xap_enquire_set_query(gk_xap_enquire *e, const gk_xap_query *q,
                                   gk_error *err) GK_XAP_NOEXCEPT;
/* BM25 parameters (Xapian's defaults: 1, 0, 1, 0.5, 0.5). */
gk_status gk_xap_enquire_set_bm25(gk_xap_enquire *e, double k1, double k2,
                                  double k3, double b, double min_normlen,
                                  gk_error *err) GK_XAP_NOEXCEPT;
/* Keep at most max documents per distinct value of slot. */
gk_status gk_xap_enquire_set_collapse(gk_xap_enquire *e, unsigned slot,
                                      unsigned max,
                                      gk_error *err) GK_XAP_NOEXCEPT;
/* Order by the value in slot (string order) instead of relevance; ties
 * are broken by relevance. */
gk_status gk_xap_enquire_set_sort_value(gk_xap_enquire *e, unsigned slot,
                                        int descending,
                                        gk_error *err) GK_XAP_NOEXCEPT;
/* Counts values of slot over all matching documents during the next run.
 * Returns the facet's index in *index for gk_xap_mset_facets. */
gk_status gk_xap_enquire_add_facet(gk_xap_enquire *e, unsigned slot,
                                   size_t *index,
                                   gk_error *err) GK_XAP_NOEXCEPT;
/* Runs the query, returning matches [first, first+max). checkatleast asks
 * for at least that many matches to be counted exactly (for facets and
 * totals). A database modified under the reader is reopened and the run
 * retried once. */
gk_status gk_xap_enquire_run(gk_xap_enquire *e, size_t first, size_t max,
                             size_t checkatleast, gk_xap_mset **out,
                             gk_error *err) GK_XAP_NOEXCEPT;

/* ---- results ---------------------------------------------------------- */

typedef struct gk_xap_hit {
	uint32_t docid;
	size_t rank; /* 0-based over the whole result list */
	double weight;
	size_t collapse_count; /* documents hidden by the collapse key */
} gk_xap_hit;

void gk_xap_mset_free(gk_xap_mset *m) GK_XAP_NOEXCEPT;
size_t gk_xap_mset_size(const gk_xap_mset *m) GK_XAP_NOEXCEPT;
/* Estimated total number of matches, and its known bounds. */
void gk_xap_mset_total(const gk_xap_mset *m, size_t *estimated, size_t *lower,
                       size_t *upper) GK_XAP_NOEXCEPT;
gk_status gk_xap_mset_hit(gk_xap_mset *m, size_t i, gk_xap_hit *out,
                          gk_error *err) GK_XAP_NOEXCEPT;
/* Data blob of hit i. The pointer is borrowed: valid until the next call on
 * m. */
gk_status gk_xap_mset_data(gk_xap_mset *m, size_t i, const char **data,
                           size_t *len, gk_error *err) GK_XAP_NOEXCEPT;
/* Value in slot of hit i (empty when unset); borrowed like _data. */
gk_status gk_xap_mset_value(gk_xap_mset *m, size_t i, unsigned slot,
                            const char **val, size_t *len,
                            gk_error *err) GK_XAP_NOEXCEPT;

/* Calls cb for each value the facet counted; a non-zero return from cb
 * stops the walk and is returned. Values are borrowed for the call. */
typedef int (*gk_xap_facet_cb)(const char *val, size_t len, uint64_t count,
                               void *payload);
int gk_xap_mset_facets(gk_xap_mset *m, size_t index, gk_xap_facet_cb cb,
                       void *payload, gk_error *err) GK_XAP_NOEXCEPT;

/* Calls cb for each query term that matches document docid, for the
 * enquire's last run (explaining why a hit matched); a non-zero return from
 * cb stops and is returned. Terms are borrowed for the call. */
typedef int (*gk_xap_term_cb)(const char *term, size_t len, void *payload);
int gk_xap_enquire_matching_terms(gk_xap_enquire *e, uint32_t docid,
                                  gk_xap_term_cb cb, void *payload,
                                  gk_error *err) GK_XAP_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif
