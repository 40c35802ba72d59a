/* Private to the searcher: finding the query's words in a passage and
 * cutting the snippet around them. */
#ifndef GK_SNIPPET_H
#define GK_SNIPPET_H

#include <stddef.h>

#include "gk_buf.h"
#include "gk_q.h"
#include "gk_tok.h"

/* A query word: the normalised terms of one kind (GK_TOK_CHAR for a Han
 * word, GK_TOK_WORD otherwise) it tokenizes to, in order, and the stem of
 * a single Latin word (or NULL). */
typedef struct snip_word {
	gk_tok_kind kind;
	const char *const *terms;
	size_t nterms;
	const char *stem;
} snip_word;

/* Spans of text where any word occurs: its terms at consecutive positions
 * (a single word also by its stem). Sorted, and merged where they overlap.
 * *out is malloc'd (NULL when none). */
int snip_highlights(gk_tok *tok, const char *text, size_t len,
                    const snip_word *words, size_t nwords, gk_q_span **out,
                    size_t *nout, gk_error *err);

/* Writes into out the window of at most max_chars characters of text that
 * holds the most highlights, with "…" where text was cut and line breaks
 * and tabs shown as spaces, and the highlights that fall inside it,
 * shifted to offsets into out (*sout malloc'd). */
gk_status snip_window(const char *text, size_t len, const gk_q_span *hl,
                      size_t nhl, size_t max_chars, gk_buf *out,
                      gk_q_span **sout, size_t *nsout);

#endif
