/* gk_tok: turns UTF-8 text into the terms the index stores.
 *
 * ICU's word BreakIterator (locale zh) finds the boundaries and scripts.
 * Runs of Han characters are then cut again into words by maximum
 * probability over a lexicon — the built-in one (a general Chinese
 * lexicon plus the vocabulary of disclosure reports) and any the caller
 * adds — so that 行政复议, 微信 and 依申请公开 stay whole.
 *
 * Three kinds of token come out:
 * - GK_TOK_WORD: a word. Han words, numbers (2023, 5.1) and Latin words,
 *   normalised: NFKC (full-width → half-width), case folded, traditional
 *   → simplified (企業 → 企业).
 * - GK_TOK_CHAR: each Han character again, alone, normalised likewise.
 *   Their positions count every character of the text that is not white
 *   space, so that any contiguous string of the text — however the words
 *   were cut — is a phrase of CHAR tokens.
 * - GK_TOK_STEM: the Snowball English stem of a Latin word, when it
 *   differs from the word; it shares the word's position.
 * WORD and STEM positions count words; CHAR positions count characters:
 * a phrase must use tokens of one kind only.
 *
 * start/end are byte offsets of the token in the original text, whatever
 * normalisation did to the term, so that highlights stay exact. The same
 * tokenizer (same lexicons) must be used at index and at query time.
 *
 * A gk_tok is not thread-safe; use one per thread. */
#ifndef GK_TOK_H
#define GK_TOK_H

#include <stddef.h>
#include <stdint.h>

#include "gk_error.h"

/* Terms are cut (at a character boundary) to at most this many bytes. */
#define GK_TOK_MAX_TERM 120

typedef struct gk_tok gk_tok;

typedef enum gk_tok_mode {
	GK_TOK_DOCUMENT, /* text being indexed */
	GK_TOK_QUERY,    /* text a user typed */
	/* As GK_TOK_DOCUMENT, but Han runs are not cut into words: they give
	 * their CHAR tokens only (no lexicon lookups), enough to find where
	 * a Chinese query word occurs, for highlighting. */
	GK_TOK_CHARS,
} gk_tok_mode;

typedef enum gk_tok_kind {
	GK_TOK_WORD,
	GK_TOK_CHAR,
	GK_TOK_STEM,
} gk_tok_kind;

typedef struct gk_tok_token {
	const char
	    *term; /* normalised, NUL-terminated; borrowed for the call */
	size_t term_len;
	size_t start; /* byte offsets of the token in the original text */
	size_t end;
	uint32_t pos; /* 1-based; words and characters are counted apart */
	gk_tok_kind kind;
} gk_tok_token;

/* Called once per token, in text order (a word's characters follow it). A
 * non-zero return stops tokenizing and is returned by gk_tok_run. */
typedef int (*gk_tok_cb)(const gk_tok_token *tok, void *payload);

gk_status gk_tok_new(gk_tok **out, gk_error *err);
void gk_tok_free(gk_tok *tok);

/* Adds a user lexicon file: UTF-8, one entry a line — a word, optionally
 * followed by white space and a frequency (further fields ignored); '#'
 * starts a comment. Entries without a frequency get a default high enough
 * to keep the word whole. Words that are not all Han are ignored (the word
 * breaker keeps them whole anyway). Later entries override earlier ones
 * and the built-in lexicon. */
gk_status gk_tok_add_lexicon(gk_tok *tok, const char *path, gk_error *err);
/* The same for len bytes of lexicon text held in memory; name stands for
 * the file in messages. */
gk_status gk_tok_add_lexicon_text(gk_tok *tok, const char *name,
                                  const char *text, size_t len, gk_error *err);

/* With builtin 0, words come from the added lexicons only (the built-in
 * lexicon still gives the frequency of their entries that state none):
 * for a closed vocabulary, such as a segmentation bakeoff's. Call before
 * gk_tok_add_lexicon. */
void gk_tok_use_builtin_lexicon(gk_tok *tok, int builtin);

/* Bytes of memory held by the lexicons. */
size_t gk_tok_lexicon_memory(const gk_tok *tok);

/* Tokenizes len (< 2 GiB) bytes of text. Invalid UTF-8 is read as U+FFFD.
 * Both modes cut text alike (they must, for phrases to match); the mode
 * says where the text comes from. Returns GK_OK, a negative gk_status with
 * err filled, or the callback's non-zero value. */
int gk_tok_run(gk_tok *tok, gk_tok_mode mode, const char *text, size_t len,
               gk_tok_cb cb, void *payload, gk_error *err);

#endif
