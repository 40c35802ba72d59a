#include "charmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

/* The Basic Multilingual Plane is cached; the rare characters beyond it
 * are transliterated each time. */
#define CACHE_SIZE 0x10000

struct gk_tok__charmap {
	UTransliterator *t2s;     /* NULL for a table map */
	const UNormalizer2 *nfkc; /* owned by ICU */
	uint32_t *cache;          /* 0 = not computed yet */
	const uint32_t *pairs;    /* table map: (from, to), sorted */
	size_t npairs;
};

bool gk_tok__is_han(uint32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0x20000 && cp <= 0x3134F) || cp == 0x3007;
}

gk_status gk_tok__charmap_new(gk_tok__charmap **out, gk_error *err)
{
	*out = NULL;
	gk_tok__charmap *m = calloc(1, sizeof *m);
	if (m)
		m->cache = calloc(CACHE_SIZE, sizeof *m->cache);
	if (!m || !m->cache) {
		free(m);
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	}
	UErrorCode st = U_ZERO_ERROR;
	m->nfkc = unorm2_getNFKCInstance(&st);
	if (U_SUCCESS(st)) {
		static const UChar id[] = u"Traditional-Simplified";
		m->t2s =
		    utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
	}
	if (U_FAILURE(st)) {
		gk_tok__charmap_free(m);
		return gk_error_set(err, GK_EINTERNAL,
		                    "cannot load ICU's Traditional-Simplified "
		                    "data: %s",
		                    u_errorName(st));
	}
	*out = m;
	return GK_OK;
}

void gk_tok__charmap_free(gk_tok__charmap *m)
{
	if (!m)
		return;
	if (m->t2s)
		utrans_close(m->t2s);
	free(m->cache);
	free(m);
}

static uint32_t compute(gk_tok__charmap *m, uint32_t cp)
{
	UChar in[4], buf[16];
	int32_t n = 0;
	UBool bad = 0;
	U16_APPEND(in, n, 4, (UChar32)cp, bad);
	if (bad)
		return cp;
	UErrorCode st = U_ZERO_ERROR;
	int32_t len = unorm2_normalize(m->nfkc, in, n, buf, 16, &st);
	if (U_FAILURE(st))
		return cp;
	int32_t limit = len;
	utrans_transUChars(m->t2s, buf, &len, 16, 0, &limit, &st);
	if (U_FAILURE(st) || len <= 0)
		return cp;
	UChar32 out;
	int32_t i = 0;
	U16_NEXT(buf, i, len, out);
	return i == len && gk_tok__is_han((uint32_t)out) ? (uint32_t)out : cp;
}

gk_status gk_tok__charmap_from_table(gk_tok__charmap **out,
                                     const uint32_t *pairs, size_t npairs,
                                     gk_error *err)
{
	*out = NULL;
	gk_tok__charmap *m = calloc(1, sizeof *m);
	if (m)
		m->cache = calloc(CACHE_SIZE, sizeof *m->cache);
	if (!m || !m->cache) {
		free(m);
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	}
	m->pairs = pairs;
	m->npairs = npairs;
	for (size_t i = 0; i < npairs && pairs[2 * i] < CACHE_SIZE; i++)
		m->cache[pairs[2 * i]] = pairs[2 * i + 1];
	*out = m;
	return GK_OK;
}

static uint32_t table_lookup(const gk_tok__charmap *m, uint32_t cp)
{
	size_t lo = 0, hi = m->npairs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->pairs[2 * mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->npairs && m->pairs[2 * lo] == cp ? m->pairs[2 * lo + 1]
	                                                : cp;
}

long gk_tok__charmap_write_table(gk_tok__charmap *m, void *file)
{
	static const uint32_t ranges[][2] = { { 0x3007, 0x3007 },
		                              { 0x3400, 0x4DBF },
		                              { 0x4E00, 0x9FFF },
		                              { 0xF900, 0xFAFF },
		                              { 0x20000, 0x3134F } };
	long n = 0;
	for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
		for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
			uint32_t to = gk_tok__charmap_han(m, cp);
			if (to == cp)
				continue;
			uint32_t pair[2] = { cp, to };
			if (fwrite(pair, sizeof pair, 1, file) != 1)
				return -1;
			n++;
		}
	return n;
}

uint32_t gk_tok__charmap_han(gk_tok__charmap *m, uint32_t cp)
{
	if (m->pairs) {
		if (cp >= CACHE_SIZE)
			return table_lookup(m, cp);
		return m->cache[cp] ? m->cache[cp] : cp;
	}
	if (cp >= CACHE_SIZE)
		return compute(m, cp);
	if (!m->cache[cp])
		m->cache[cp] = compute(m, cp);
	return m->cache[cp];
}
