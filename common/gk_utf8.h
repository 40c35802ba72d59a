/* Small UTF-8 helpers for code that walks text byte by byte. */
#ifndef GK_UTF8_H
#define GK_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at p (n bytes available) into *cp and returns its
 * length in bytes, or 0 when the bytes there are not well-formed UTF-8
 * (overlong forms, surrogates and values above U+10FFFF are rejected). */
size_t gk_utf8_decode(const char *p, size_t n, uint32_t *cp);

/* Writes cp (a valid scalar value) as UTF-8 into out; returns the length
 * (1 to 4). */
size_t gk_utf8_encode(uint32_t cp, char out[4]);

/* Copies n bytes of p into a new malloc'd, NUL-terminated string in which
 * each ill-formed sequence (a maximal subpart, as Unicode recommends) is
 * replaced by U+FFFD. *outlen receives its length. NULL when out of
 * memory. */
char *gk_utf8_repair(const char *p, size_t n, size_t *outlen);

/* True when all n bytes are well-formed UTF-8; otherwise false with the
 * offset of the first bad byte in *bad (when bad is not NULL). */
bool gk_utf8_valid(const char *p, size_t n, size_t *bad);

/* Number of code points in well-formed text. */
size_t gk_utf8_count(const char *p, size_t n);

/* Largest offset <= n that does not cut a code point of the len bytes at p
 * in two (len when n >= len). */
size_t gk_utf8_floor(const char *p, size_t len, size_t n);

/* Width in bytes of the white space at p (ASCII space, tab, CR, form
 * feed, vertical tab, U+3000 or U+00A0), 0 when there is none. Line
 * breaks are not counted: callers work line by line. */
size_t gk_utf8_space_len(const char *p, size_t n);

/* Narrows [*p, *p + *n) to leave out white space at both ends. */
void gk_utf8_trim(const char **p, size_t *n);

/* True for Han ideographs and the CJK punctuation and numerals that
 * appear among them. */
bool gk_utf8_is_cjk(uint32_t cp);

#endif
