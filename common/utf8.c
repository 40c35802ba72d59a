#include "gk_utf8.h"

#include <stdlib.h>
#include <string.h>

size_t gk_utf8_decode(const char *p, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)p;
	if (n == 0)
		return 0;
	unsigned char c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	uint32_t v, min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		v = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		v = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

bool gk_utf8_valid(const char *p, size_t n, size_t *bad)
{
	size_t i = 0;
	while (i < n) {
		if ((unsigned char)p[i] < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t len = gk_utf8_decode(p + i, n - i, &cp);
		if (!len) {
			if (bad)
				*bad = i;
			return false;
		}
		i += len;
	}
	return true;
}

size_t gk_utf8_count(const char *p, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)p[i] & 0xC0) != 0x80)
			count++;
	return count;
}

size_t gk_utf8_floor(const char *p, size_t len, size_t n)
{
	if (n >= len)
		return len;
	while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
		n--;
	return n;
}

bool gk_utf8_is_cjk(uint32_t cp)
{
	return (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0x20000 && cp <= 0x3134F) ||
	       (cp >= 0x3000 && cp <= 0x303F);
}

size_t gk_utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Length of the maximal subpart of an ill-formed sequence at p: the lead
 * byte and the continuation bytes that could still have completed it. */
static size_t bad_subpart(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t want;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		want = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		want = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		want = 4;
	else
		return 1;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	size_t i = 1;
	while (i < want && i < n) {
		unsigned char b = s[i];
		if (b < lo || b > hi)
			break;
		lo = 0x80;
		hi = 0xBF;
		i++;
	}
	return i;
}

char *gk_utf8_repair(const char *p, size_t n, size_t *outlen)
{
	/* Each bad byte becomes at most 3 bytes of U+FFFD. */
	if (n > (SIZE_MAX - 1) / 3)
		return NULL;
	char *out = malloc(n * 3 + 1);
	if (!out)
		return NULL;
	size_t i = 0, o = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = gk_utf8_decode(p + i, n - i, &cp);
		if (k) {
			memcpy(out + o, p + i, k);
			o += k;
			i += k;
			continue;
		}
		i += bad_subpart((const unsigned char *)p + i, n - i);
		memcpy(out + o, "\xef\xbf\xbd", 3);
		o += 3;
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

size_t gk_utf8_space_len(const char *p, size_t n)
{
	if (n &&
	    (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v'))
		return 1;
	if (n >= 3 && !memcmp(p, "\xe3\x80\x80", 3))
		return 3;
	if (n >= 2 && !memcmp(p, "\xc2\xa0", 2))
		return 2;
	return 0;
}

void gk_utf8_trim(const char **p, size_t *n)
{
	size_t k;
	while (*n && (k = gk_utf8_space_len(*p, *n)) > 0)
		*p += k, *n -= k;
	for (;;) {
		char c = *n ? (*p)[*n - 1] : 0;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
		    c == '\v')
			(*n)--;
		else if (*n >= 3 && !memcmp(*p + *n - 3, "\xe3\x80\x80", 3))
			*n -= 3;
		else if (*n >= 2 && !memcmp(*p + *n - 2, "\xc2\xa0", 2))
			*n -= 2;
		else
			break;
	}
}
