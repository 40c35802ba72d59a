/* gk_tok: turns UTF-8 text into the terms the index stores.
 *
 * Words are found with ICU's word BreakIterator (locale zh); spaces and
 * punctuation produce no token. Each token's term is normalised (NFKC and
 * case folding: full-width forms become half-width, Latin letters lower
 * case), while start/end keep the byte offsets of the original text so
 * that highlights stay exact. The same tokenizer must run at index and at
 * query time: a query word that yields several tokens is a phrase.
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
} gk_tok_mode;

typedef struct gk_tok_token {
	const char
	    *term; /* normalised, NUL-terminated; borrowed for the call */
	size_t term_len;
	size_t start; /* byte offsets of the token in the original text */
	size_t end;
	uint32_t pos; /* 1-based word position */
} gk_tok_token;

/* Called once per token. A non-zero return stops tokenizing and is
 * returned by gk_tok_run. */
typedef int (*gk_tok_cb)(const gk_tok_token *tok, void *payload);

gk_status gk_tok_new(gk_tok **out, gk_error *err);
void gk_tok_free(gk_tok *tok);

/* Tokenizes len (< 2 GiB) bytes of text. Invalid UTF-8 is read as U+FFFD.
 * Returns GK_OK, a negative gk_status with err filled, or the callback's
 * non-zero value. */
int gk_tok_run(gk_tok *tok, gk_tok_mode mode, const char *text, size_t len,
               gk_tok_cb cb, void *payload, gk_error *err);

#endif
