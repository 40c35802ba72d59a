/* Reading lexicon entries: shared by the lexicon builder and by user
 * lexicons loaded at run time, so that both read words alike. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gk_utf8.h"
#include "lexicon.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	       c == '\v';
}

int gk_tok__lex_parse_line(const char *line, size_t len, const char **word,
                           size_t *wlen, uint32_t *freq)
{
	const char *hash = memchr(line, '#', len);
	if (hash)
		len = (size_t)(hash - line);
	size_t i = 0;
	while (i < len && is_space(line[i]))
		i++;
	size_t w = i;
	while (i < len && !is_space(line[i]))
		i++;
	if (i == w)
		return 0;
	*word = line + w;
	*wlen = i - w;
	while (i < len && is_space(line[i]))
		i++;
	size_t f = i;
	while (i < len && !is_space(line[i]))
		i++;
	if (i == f) {
		*freq = GK_TOK__LEX_DEFAULT_FREQ;
		return 1;
	}
	char num[16];
	if (i - f >= sizeof num)
		return -1;
	memcpy(num, line + f, i - f);
	num[i - f] = '\0';
	char *end;
	errno = 0;
	unsigned long v = strtoul(num, &end, 10);
	if (errno || *end || num[0] == '-' || v > 1000000000ul)
		return -1;
	*freq = v ? (uint32_t)v : 1;
	return 2;
}

size_t gk_tok__lex_normalise(gk_tok__charmap *m, const char *w, size_t n,
                             char *out, size_t cap)
{
	size_t i = 0, o = 0, chars = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = gk_utf8_decode(w + i, n - i, &cp);
		if (!k || !gk_tok__is_han(cp) ||
		    ++chars > GK_TOK__LEX_MAX_CHARS)
			return 0;
		i += k;
		cp = gk_tok__charmap_han(m, cp);
		if (o + 4 > cap)
			return 0;
		o += gk_utf8_encode(cp, out + o);
	}
	return o;
}
