/* Private to the tokenizer (and the lexicon builder): the search form of
 * a Han character. */
#ifndef GK_TOK_CHARMAP_H
#define GK_TOK_CHARMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "gk_error.h"

typedef struct gk_tok__charmap gk_tok__charmap;

gk_status gk_tok__charmap_new(gk_tok__charmap **out, gk_error *err);
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
