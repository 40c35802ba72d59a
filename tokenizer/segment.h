/* Private to the tokenizer: cutting a run of Han characters into words. */
#ifndef GK_TOK_SEGMENT_H
#define GK_TOK_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

#include "lexicon.h"

/* Cuts the n characters of a normalised run into the sequence of words of
 * highest probability under the lexicon (each word's probability is its
 * frequency over the total; a character no word covers counts as a word
 * of frequency 1). Character k occupies bytes [off[k], off[k+1]) of nb.
 * On return next[i] is the index just past the word that starts at
 * character i, for every i on the chosen path from 0. route must hold
 * n + 1 doubles, next n entries. */
void gk_tok__segment(const gk_tok__lex *lex, const char *nb, const size_t *off,
                     size_t n, double *route, uint32_t *next);

#endif
