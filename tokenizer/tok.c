#include "gk_tok.h"

#include <libstemmer.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

#include "charmap.h"
#include "gk_utf8.h"
#include "lexicon.h"
#include "segment.h"

/* Han runs are segmented in pieces of at most this many characters, which
 * bounds the scratch memory whatever the input. */
#define RUN_MAX 4096
/* Latin words shorter than this are not stemmed. */
#define STEM_MIN 3

/* Defined by lexdata.c: the traditional-to-simplified pairs. */
extern const unsigned char gk_tok__charmap_data[];
extern const unsigned char gk_tok__charmap_end[];

struct gk_tok {
	UBreakIterator *bi;
	UText *ut; /* reused for each stretch of text given to bi */
	const UNormalizer2 *nfkc_cf; /* owned by ICU */
	gk_tok__charmap *cmap;
	gk_tok__lex *lex;
	struct sb_stemmer *stemmer;

	/* Scratch for normalising one non-Han token. */
	UChar *u16;
	int32_t u16_cap;
	UChar *norm;
	int32_t norm_cap;
	char term[GK_TOK_MAX_TERM * 2 + 8];

	/* Scratch for one Han run: normalised text, and per character its
	 * offsets into that text and into the source. */
	char nb[RUN_MAX * 4];
	size_t off[RUN_MAX + 1];
	size_t src[RUN_MAX + 1];
	double route[RUN_MAX + 1];
	uint32_t next[RUN_MAX];
};

/* The state of one gk_tok_run. */
typedef struct run_ctx {
	gk_tok *t;
	const char *text;
	size_t len;
	gk_tok_cb cb;
	void *payload;
	gk_error *err;
	uint32_t wpos;  /* words so far */
	uint32_t cpos;  /* non-space characters so far */
	size_t counted; /* characters before this byte are in cpos */
	int chars_only; /* GK_TOK_CHARS: Han runs give CHAR tokens only */
} run_ctx;

gk_status gk_tok_new(gk_tok **out, gk_error *err)
{
	*out = NULL;
	gk_tok *t = calloc(1, sizeof *t);
	if (!t)
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	UErrorCode st = U_ZERO_ERROR;
	t->bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &st);
	if (U_FAILURE(st)) {
		free(t);
		return gk_error_set(err, GK_EINTERNAL,
		                    "cannot create ICU word breaker: %s",
		                    u_errorName(st));
	}
	st = U_ZERO_ERROR;
	t->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
	gk_status s = GK_OK;
	if (U_FAILURE(st))
		s = gk_error_set(err, GK_EINTERNAL,
		                 "cannot load ICU NFKC_Casefold data: %s",
		                 u_errorName(st));
	if (!s)
		s = gk_tok__charmap_from_table(
		    &t->cmap, (const uint32_t *)gk_tok__charmap_data,
		    (size_t)(gk_tok__charmap_end - gk_tok__charmap_data) / 8,
		    err);
	if (!s)
		s = gk_tok__lex_new(&t->lex, err);
	if (!s) {
		t->stemmer = sb_stemmer_new("english", NULL);
		if (!t->stemmer)
			s = gk_error_set(err, GK_ENOMEM,
			                 "cannot create the English stemmer");
	}
	if (s) {
		gk_tok_free(t);
		return s;
	}
	*out = t;
	return GK_OK;
}

void gk_tok_free(gk_tok *t)
{
	if (!t)
		return;
	if (t->bi)
		ubrk_close(t->bi);
	if (t->ut)
		utext_close(t->ut);
	gk_tok__charmap_free(t->cmap);
	gk_tok__lex_free(t->lex);
	if (t->stemmer)
		sb_stemmer_delete(t->stemmer);
	free(t->u16);
	free(t->norm);
	free(t);
}

gk_status gk_tok_add_lexicon(gk_tok *t, const char *path, gk_error *err)
{
	return gk_tok__lex_load(t->lex, t->cmap, path, err);
}

gk_status gk_tok_add_lexicon_text(gk_tok *t, const char *name, const char *text,
                                  size_t len, gk_error *err)
{
	return gk_tok__lex_load_text(t->lex, t->cmap, name, text, len, err);
}

void gk_tok_use_builtin_lexicon(gk_tok *t, int builtin)
{
	gk_tok__lex_use_builtin(t->lex, builtin);
}

size_t gk_tok_lexicon_memory(const gk_tok *t)
{
	return gk_tok__lex_memory(t->lex);
}

/* ---- non-Han tokens ----------------------------------------------------- */

static int grow(UChar **buf, int32_t *cap, int32_t need)
{
	if (need <= *cap)
		return 0;
	int32_t cap2 = need + 64;
	UChar *p = realloc(*buf, (size_t)cap2 * sizeof(UChar));
	if (!p)
		return -1;
	*buf = p;
	*cap = cap2;
	return 0;
}

/* Normalises src into t->term (NFKC, case folded, capped). Returns its
 * length (0 when the token normalises to nothing), or a negative
 * gk_status. */
static long normalise(gk_tok *t, const char *src, size_t n, gk_error *err)
{
	/* A token longer than this cannot survive the term cap anyway; cutting
	 * here bounds the scratch buffers for pathological input. */
	if (n > GK_TOK_MAX_TERM * 4)
		n = gk_utf8_floor(src, n, GK_TOK_MAX_TERM * 4);
	int32_t len16 = 0;
	UErrorCode st = U_ZERO_ERROR;
	if (grow(&t->u16, &t->u16_cap, (int32_t)n + 1))
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	u_strFromUTF8WithSub(t->u16, t->u16_cap, &len16, src, (int32_t)n,
	                     0xFFFD, NULL, &st);
	if (U_FAILURE(st))
		return gk_error_set(err, GK_EINTERNAL, "UTF-8 conversion: %s",
		                    u_errorName(st));
	for (;;) {
		st = U_ZERO_ERROR;
		int32_t nlen = unorm2_normalize(t->nfkc_cf, t->u16, len16,
		                                t->norm, t->norm_cap, &st);
		if (st == U_BUFFER_OVERFLOW_ERROR) {
			if (grow(&t->norm, &t->norm_cap, nlen + 1))
				return gk_error_set(err, GK_ENOMEM,
				                    "out of memory");
			continue;
		}
		if (U_FAILURE(st))
			return gk_error_set(err, GK_EINTERNAL,
			                    "normalisation: %s",
			                    u_errorName(st));
		len16 = nlen;
		break;
	}
	int32_t len8 = 0;
	st = U_ZERO_ERROR;
	u_strToUTF8WithSub(t->term, (int32_t)sizeof t->term - 1, &len8, t->norm,
	                   len16, 0xFFFD, NULL, &st);
	if (st == U_BUFFER_OVERFLOW_ERROR ||
	    st == U_STRING_NOT_TERMINATED_WARNING) {
		/* Too long: ICU filled what fits; cut at a boundary below. */
		len8 = (int32_t)sizeof t->term - 1;
	} else if (U_FAILURE(st)) {
		return gk_error_set(err, GK_EINTERNAL, "UTF-8 conversion: %s",
		                    u_errorName(st));
	}
	size_t len = (size_t)len8;
	if (len > GK_TOK_MAX_TERM)
		len = gk_utf8_floor(t->term, len, GK_TOK_MAX_TERM);
	t->term[len] = '\0';
	return (long)len;
}

static bool is_space_cp(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	       cp == '\f' || cp == '\v' || (cp >= 0x80 && u_isUWhiteSpace(cp));
}

/* Adds to cpos the characters of [c->counted, upto) that are not white
 * space. */
static void count_chars(run_ctx *c, size_t upto)
{
	size_t i = c->counted;
	while (i < upto) {
		unsigned char b = (unsigned char)c->text[i];
		if (b < 0x80) {
			if (!is_space_cp(b))
				c->cpos++;
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = gk_utf8_decode(c->text + i, upto - i, &cp);
		if (!k) {
			cp = 0xFFFD;
			k = 1;
		}
		if (!is_space_cp(cp))
			c->cpos++;
		i += k;
	}
	c->counted = upto;
}

static bool stemmable(const char *s, size_t n)
{
	if (n < STEM_MIN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return false;
	return true;
}

static int emit(run_ctx *c, const char *term, size_t len, size_t start,
                size_t end, uint32_t pos, gk_tok_kind kind)
{
	gk_tok_token tok = { term, len, start, end, pos, kind };
	return c->cb(&tok, c->payload);
}

static int other_token(run_ctx *c, size_t s, size_t e, int status)
{
	gk_tok *t = c->t;
	count_chars(c, e);
	long n = normalise(t, c->text + s, e - s, c->err);
	if (n <= 0)
		return (int)n;
	uint32_t pos = ++c->wpos;
	int rc = emit(c, t->term, (size_t)n, s, e, pos, GK_TOK_WORD);
	if (rc || status < UBRK_WORD_LETTER ||
	    status >= UBRK_WORD_LETTER_LIMIT || !stemmable(t->term, (size_t)n))
		return rc;
	const sb_symbol *stem =
	    sb_stemmer_stem(t->stemmer, (const sb_symbol *)t->term, (int)n);
	if (!stem)
		return gk_error_set(c->err, GK_ENOMEM, "out of memory");
	size_t sl = (size_t)sb_stemmer_length(t->stemmer);
	if (sl == (size_t)n && !memcmp(stem, t->term, sl))
		return 0;
	/* libstemmer overwrites its result on the next call: copy it. */
	char buf[GK_TOK_MAX_TERM + 1];
	if (sl > GK_TOK_MAX_TERM)
		sl = GK_TOK_MAX_TERM;
	memcpy(buf, stem, sl);
	buf[sl] = '\0';
	return emit(c, buf, sl, s, e, pos, GK_TOK_STEM);
}

/* ---- Han runs ----------------------------------------------------------- */

/* Segments and emits the Han characters in [s, e), which are contiguous
 * and all Han (ICU's ideographic words). */
static int han_run(run_ctx *c, size_t s, size_t e)
{
	gk_tok *t = c->t;
	count_chars(c, s);
	size_t i = s;
	while (i < e) {
		size_t n = 0, o = 0;
		uint32_t cpos0 = c->cpos;
		while (i < e && n < RUN_MAX) {
			uint32_t cp;
			size_t k = gk_utf8_decode(c->text + i, e - i, &cp);
			if (!k) {
				cp = 0xFFFD;
				k = 1;
			}
			if (gk_tok__is_han(cp))
				cp = gk_tok__charmap_han(t->cmap, cp);
			t->src[n] = i;
			t->off[n] = o;
			o += gk_utf8_encode(cp, t->nb + o);
			n++;
			i += k;
		}
		t->src[n] = i;
		t->off[n] = o;
		c->cpos += (uint32_t)n;
		c->counted = i;
		if (c->chars_only) {
			for (size_t k = 0; k < n; k++) {
				char ch[5];
				size_t cl = t->off[k + 1] - t->off[k];
				memcpy(ch, t->nb + t->off[k], cl);
				ch[cl] = '\0';
				int rc =
				    emit(c, ch, cl, t->src[k], t->src[k + 1],
				         cpos0 + (uint32_t)k + 1, GK_TOK_CHAR);
				if (rc)
					return rc;
			}
			continue;
		}
		gk_tok__lex_segmented(t->lex, n);
		gk_tok__segment(t->lex, t->nb, t->off, n, t->route, t->next);
		for (size_t a = 0; a < n;) {
			size_t b = t->next[a];
			size_t wl = t->off[b] - t->off[a];
			if (wl > GK_TOK_MAX_TERM)
				wl = gk_utf8_floor(t->nb + t->off[a], wl,
				                   GK_TOK_MAX_TERM);
			/* The terms point into nb, which is not NUL-terminated:
			 * copy each one. */
			char word[GK_TOK_MAX_TERM + 1];
			memcpy(word, t->nb + t->off[a], wl);
			word[wl] = '\0';
			int rc = emit(c, word, wl, t->src[a], t->src[b],
			              ++c->wpos, GK_TOK_WORD);
			for (size_t k = a; k < b && !rc; k++) {
				char ch[5];
				size_t cl = t->off[k + 1] - t->off[k];
				memcpy(ch, t->nb + t->off[k], cl);
				ch[cl] = '\0';
				rc = emit(c, ch, cl, t->src[k], t->src[k + 1],
				          cpos0 + (uint32_t)k + 1, GK_TOK_CHAR);
			}
			if (rc)
				return rc;
			a = b;
		}
	}
	return 0;
}

/* Runs ICU's word breaker over [s, e), a stretch without Han characters
 * (numbers, Latin words, punctuation). */
static int icu_stretch(run_ctx *c, size_t s, size_t e)
{
	gk_tok *t = c->t;
	UErrorCode st = U_ZERO_ERROR;
	t->ut = utext_openUTF8(t->ut, c->text + s, (int64_t)(e - s), &st);
	if (U_SUCCESS(st))
		ubrk_setUText(t->bi, t->ut, &st);
	if (U_FAILURE(st))
		return gk_error_set(c->err, GK_EINTERNAL,
		                    "ICU word breaker: %s", u_errorName(st));
	int rc = 0;
	int32_t a = ubrk_first(t->bi);
	for (int32_t b = ubrk_next(t->bi); b != UBRK_DONE && !rc;
	     a = b, b = ubrk_next(t->bi)) {
		int status = ubrk_getRuleStatus(t->bi);
		if (status >= UBRK_WORD_NONE_LIMIT)
			rc = other_token(c, s + (size_t)a, s + (size_t)b,
			                 status);
	}
	return rc;
}

/* The end of the stretch from i whose characters are all Han (han) or
 * all not Han. */
static size_t stretch_end(const char *text, size_t len, size_t i, bool han)
{
	while (i < len) {
		uint32_t cp;
		size_t k = gk_utf8_decode(text + i, len - i, &cp);
		if (!k)
			k = 1, cp = 0xFFFD;
		if (gk_tok__is_han(cp) != han)
			break;
		i += k;
	}
	return i;
}

int gk_tok_run(gk_tok *t, gk_tok_mode mode, const char *text, size_t len,
               gk_tok_cb cb, void *payload, gk_error *err)
{
	if (len >= INT32_MAX)
		return gk_error_set(err, GK_EINVAL,
		                    "text of %zu bytes is too long to tokenize",
		                    len);
	run_ctx c = { t,   text, len, cb, payload,
		      err, 0,    0,   0,  mode == GK_TOK_CHARS };
	int rc = GK_OK;
	/* Han runs go straight to the lexicon: ICU would only cut them with
	 * its own dictionary, to be cut again here. ICU breaks the rest. */
	for (size_t i = 0; i < len && !rc;) {
		size_t j = stretch_end(text, len, i, false);
		if (j > i)
			rc = icu_stretch(&c, i, j);
		size_t k = stretch_end(text, len, j, true);
		if (!rc && k > j)
			rc = han_run(&c, j, k);
		i = k;
	}
	/* The iterator must not keep pointing at text the caller may free. */
	static const UChar empty[1] = { 0 };
	UErrorCode st = U_ZERO_ERROR;
	ubrk_setText(t->bi, empty, 0, &st);
	return rc;
}
