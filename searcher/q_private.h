/* Private to the searcher: the open database shared by its files. */
#ifndef GK_Q_PRIVATE_H
#define GK_Q_PRIVATE_H

#include <limits.h>

#include "gk_tok.h"
#include "gk_xap.h"

struct gk_q {
	gk_xap_db *db;
	gk_tok *tok;
};

/* The query (the language of gk_q_search) as a Xapian query over passages,
 * *out the caller's. GK_EQUERY with a message when it cannot be read. */
gk_status gk_q__build_query(gk_q *q, const char *query, size_t len,
                            gk_xap_query **out, gk_error *err);

/* No slot, for gk_q__fetch. */
#define GK_Q_NO_SLOT UINT_MAX

/* The first max matches of xq (all of them counted up to max), at most
 * one per value of collapse_slot, in the order of sort_slot's values when
 * given, else by relevance. *out is the caller's. */
gk_status gk_q__fetch(gk_xap_db *db, const gk_xap_query *xq,
                      unsigned collapse_slot, unsigned sort_slot, size_t max,
                      gk_xap_mset **out, gk_error *err);

#endif
