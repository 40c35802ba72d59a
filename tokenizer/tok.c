#include "gk_tok.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

#include "gk_utf8.h"

struct gk_tok {
	UBreakIterator *bi;
	const UNormalizer2 *nfkc_cf; /* owned by ICU, never freed */
	UChar *u16;                  /* scratch: token as UTF-16 */
	int32_t u16_cap;
	UChar *norm; /* scratch: normalised UTF-16 */
	int32_t norm_cap;
	char term[GK_TOK_MAX_TERM * 2 + 8]; /* normalised UTF-8, then capped */
};

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
	if (U_FAILURE(st)) {
		gk_tok_free(t);
		return gk_error_set(err, GK_EINTERNAL,
		                    "cannot load ICU NFKC_Casefold data: %s",
		                    u_errorName(st));
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
	free(t->u16);
	free(t->norm);
	free(t);
}

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

/* Normalises src into t->term. Returns its length (0 when the token
 * normalises to nothing), or a negative gk_status. */
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

int gk_tok_run(gk_tok *t, gk_tok_mode mode, const char *text, size_t len,
               gk_tok_cb cb, void *payload, gk_error *err)
{
	(void)mode; /* both modes tokenize alike for now */
	if (len == 0)
		return GK_OK;
	if (len >= INT32_MAX)
		return gk_error_set(err, GK_EINVAL,
		                    "text of %zu bytes is too long to tokenize",
		                    len);
	UErrorCode st = U_ZERO_ERROR;
	UText *ut = utext_openUTF8(NULL, text, (int64_t)len, &st);
	if (U_FAILURE(st))
		return gk_error_set(err, GK_EINTERNAL, "ICU text: %s",
		                    u_errorName(st));
	ubrk_setUText(t->bi, ut, &st);
	if (U_FAILURE(st)) {
		utext_close(ut);
		return gk_error_set(err, GK_EINTERNAL, "ICU word breaker: %s",
		                    u_errorName(st));
	}
	int rc = GK_OK;
	uint32_t pos = 0;
	int32_t start = ubrk_first(t->bi);
	for (int32_t end = ubrk_next(t->bi); end != UBRK_DONE;
	     start = end, end = ubrk_next(t->bi)) {
		if (ubrk_getRuleStatus(t->bi) < UBRK_WORD_NONE_LIMIT)
			continue;
		long n = normalise(t, text + start, (size_t)(end - start), err);
		if (n < 0) {
			rc = (int)n;
			break;
		}
		if (n == 0)
			continue;
		gk_tok_token tok = { t->term, (size_t)n, (size_t)start,
			             (size_t)end, ++pos };
		rc = cb(&tok, payload);
		if (rc)
			break;
	}
	/* The iterator must not keep pointing at text the caller may free. */
	static const UChar empty[1] = { 0 };
	UErrorCode st2 = U_ZERO_ERROR;
	ubrk_setText(t->bi, empty, 0, &st2);
	utext_close(ut);
	return rc;
}
