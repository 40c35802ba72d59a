#include "snippet.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gk_utf8.h"

#define ELLIPSIS "…"
/* Characters of context kept before the first highlight of a window. */
#define LEAD_CHARS 12

typedef struct tok_rec {
	size_t term_off, term_len; /* into the arena */
	size_t stem_off, stem_len; /* stem_len 0: no stem */
	size_t start, end;
	uint32_t pos;
} tok_rec;

typedef struct tok_list {
	tok_rec *v;
	size_t n, cap;
} tok_list;

typedef struct collected {
	tok_list words, chars;
	gk_buf arena;
} collected;

static int collect(const gk_tok_token *t, void *payload)
{
	collected *c = payload;
	size_t off = c->arena.len;
	if (gk_buf_append(&c->arena, t->term, t->term_len))
		return GK_ENOMEM;
	if (t->kind == GK_TOK_STEM) {
		if (c->words.n) {
			tok_rec *w = &c->words.v[c->words.n - 1];
			w->stem_off = off;
			w->stem_len = t->term_len;
		}
		return 0;
	}
	tok_list *l = t->kind == GK_TOK_CHAR ? &c->chars : &c->words;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		tok_rec *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return GK_ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] =
	    (tok_rec){ off, t->term_len, 0, 0, t->start, t->end, t->pos };
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const gk_q_span *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

static bool eq(const gk_buf *arena, size_t off, size_t len, const char *s)
{
	size_t n = strlen(s);
	return len == n && memcmp(arena->data + off, s, n) == 0;
}

/* Does word w occur at l->v[i]? */
static bool match_at(const collected *c, const tok_list *l, size_t i,
                     const snip_word *w)
{
	if (i + w->nterms > l->n)
		return false;
	for (size_t j = 0; j < w->nterms; j++) {
		const tok_rec *r = &l->v[i + j];
		if (r->pos != l->v[i].pos + j)
			return false;
		if (eq(&c->arena, r->term_off, r->term_len, w->terms[j]))
			continue;
		if (w->nterms == 1 && w->stem && r->stem_len &&
		    eq(&c->arena, r->stem_off, r->stem_len, w->stem))
			continue;
		return false;
	}
	return true;
}

/* Whether a word's terms hold a character of three or more bytes (where
 * every Han character is). */
static bool maybe_han(const snip_word *w)
{
	for (size_t i = 0; i < w->nterms; i++)
		for (const unsigned char *p =
		         (const unsigned char *)w->terms[i];
		     *p; p++)
			if (*p >= 0xE0)
				return true;
	return false;
}

int snip_highlights(gk_tok *tok, const char *text, size_t len,
                    const snip_word *words, size_t nwords, gk_q_span **out,
                    size_t *nout, gk_error *err)
{
	*out = NULL;
	*nout = 0;
	collected c = { .arena = GK_BUF_INIT(SIZE_MAX / 2) };
	/* Chinese words are found as strings of characters: cutting the
	 * text into words is needed only for a word with Han characters
	 * that is matched by its word terms. */
	gk_tok_mode mode = GK_TOK_CHARS;
	for (size_t w = 0; w < nwords; w++)
		if (words[w].kind != GK_TOK_CHAR && maybe_han(&words[w]))
			mode = GK_TOK_DOCUMENT;
	int rc = gk_tok_run(tok, mode, text, len, collect, &c, err);
	gk_q_span *spans = NULL;
	size_t n = 0, cap = 0;
	if (rc == GK_ENOMEM)
		gk_error_set(err, GK_ENOMEM, "out of memory");
	for (size_t w = 0; w < nwords && !rc; w++) {
		const tok_list *l =
		    words[w].kind == GK_TOK_CHAR ? &c.chars : &c.words;
		size_t k = words[w].nterms;
		for (size_t i = 0; k && i < l->n && !rc; i++) {
			if (!match_at(&c, l, i, &words[w]))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				gk_q_span *s = realloc(spans, cap * sizeof *s);
				if (!s) {
					rc = gk_error_set(err, GK_ENOMEM,
					                  "out of memory");
					break;
				}
				spans = s;
			}
			spans[n++] =
			    (gk_q_span){ l->v[i].start, l->v[i + k - 1].end };
		}
	}
	free(c.words.v);
	free(c.chars.v);
	gk_buf_free(&c.arena);
	if (rc) {
		free(spans);
		return rc;
	}
	if (n) {
		qsort(spans, n, sizeof *spans, by_start);
		size_t m = 0;
		for (size_t i = 1; i < n; i++) {
			if (spans[i].start < spans[m].end) {
				if (spans[i].end > spans[m].end)
					spans[m].end = spans[i].end;
			} else {
				spans[++m] = spans[i];
			}
		}
		n = m + 1;
	}
	*out = spans;
	*nout = n;
	return GK_OK;
}

/* Byte offset chars characters after off (or len). */
static size_t advance(const char *text, size_t len, size_t off, size_t chars)
{
	while (off < len && chars) {
		off++;
		while (off < len && ((unsigned char)text[off] & 0xC0) == 0x80)
			off++;
		chars--;
	}
	return off;
}

/* Byte offset chars characters before off (or 0). */
static size_t retreat(const char *text, size_t off, size_t chars)
{
	while (off > 0 && chars) {
		off--;
		while (off > 0 && ((unsigned char)text[off] & 0xC0) == 0x80)
			off--;
		chars--;
	}
	return off;
}

gk_status snip_window(const char *text, size_t len, const gk_q_span *hl,
                      size_t nhl, size_t max_chars, gk_buf *out,
                      gk_q_span **sout, size_t *nsout)
{
	*sout = NULL;
	*nsout = 0;
	size_t from = 0, to = len;
	if (gk_utf8_count(text, len) > max_chars) {
		size_t best = 0, best_count = 0;
		for (size_t i = 0; i < nhl; i++) {
			size_t s = retreat(text, hl[i].start, LEAD_CHARS);
			size_t e = advance(text, len, s, max_chars);
			size_t count = 0;
			for (size_t j = i; j < nhl && hl[j].end <= e; j++)
				count++;
			if (count > best_count) {
				best = s;
				best_count = count;
			}
		}
		from = best;
		to = advance(text, len, from, max_chars);
	}
	gk_buf_reset(out);
	size_t shift = 0;
	if (from > 0) {
		if (gk_buf_append(out, ELLIPSIS, strlen(ELLIPSIS)))
			return GK_ENOMEM;
		shift = strlen(ELLIPSIS);
	}
	size_t at = out->len;
	if (gk_buf_append(out, text + from, to - from))
		return GK_ENOMEM;
	for (size_t i = at; i < out->len; i++)
		if (out->data[i] == '\n' || out->data[i] == '\t' ||
		    out->data[i] == '\r')
			out->data[i] = ' ';
	if (to < len && gk_buf_append(out, ELLIPSIS, strlen(ELLIPSIS)))
		return GK_ENOMEM;
	size_t n = 0;
	gk_q_span *s = nhl ? malloc(nhl * sizeof *s) : NULL;
	if (nhl && !s)
		return GK_ENOMEM;
	for (size_t i = 0; i < nhl; i++) {
		if (hl[i].end <= from || hl[i].start >= to)
			continue;
		size_t a = hl[i].start < from ? from : hl[i].start;
		size_t b = hl[i].end > to ? to : hl[i].end;
		s[n++] = (gk_q_span){ a - from + shift, b - from + shift };
	}
	*sout = s;
	*nsout = n;
	return GK_OK;
}
