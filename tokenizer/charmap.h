/* Private to the tokenizer (and the lexicon builder): the search form of
 * a Han character. */
#ifndef GK_TOK_CHARMAP_H
#define GK_TOK_CHARMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "gk_error.h"

typedef struct gk_tok__charmap gk_tok__charmap;

/* A map computed with ICU (NFKC and its Traditional-Simplified
 * transliterator), as the lexicon builder uses. */
gk_status gk_tok__charmap_new(gk_tok__charmap **out, gk_error *err);

/* The same map from a table of (from, to) pairs sorted by from — the
 * characters the ICU map changes, compiled at build time — so that a
 * program needs no transliterator, which is slow to create. */
gk_status gk_tok__charmap_from_table(gk_tok__charmap **out,
                                     const uint32_t *pairs, size_t npairs,
                                     gk_error *err);

/* Writes the pairs of every Han character m changes to f (host order),
 * for gk_tok__charmap_from_table. Returns the number of pairs, or -1 on a
 * write error. */
long gk_tok__charmap_write_table(gk_tok__charmap *m, void *file);
void gk_tok__charmap_free(gk_tok__charmap *m);

/* True for the characters that word segmentation works on: Han
 * ideographs (all planes) and 〇. */
bool gk_tok__is_han(uint32_t cp);

/* The search form of a Han character: NFKC, then traditional to
 * simplified (企業 → 企业, 發 → 发). When that is not a single character,
 * cp itself. Results are cached: the first call for a character costs a
 * transliteration, later ones a table read. */
uint32_t gk_tok__charmap_han(gk_tok__charmap *m, uint32_t cp);

#endif
