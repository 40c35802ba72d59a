/*
 * seg_icu - segment UTF-8 lines with ICU's word BreakIterator (locale "zh",
 * no user lexicon), the baseline of bench/seg.
 *
 * Reads lines on stdin and writes, one output line per input line, every
 * non-space segment (punctuation included) separated by single spaces:
 * the same format as "gongkai segment". Whitespace, CR included, only
 * separates tokens and is never printed. Invalid UTF-8 bytes are copied
 * through unchanged.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

static void die(const char *what, UErrorCode status)
{
	fprintf(stderr, "seg_icu: %s: %s\n", what, u_errorName(status));
	exit(1);
}

/*
 * Writes the non-space runs of s[start, end) as tokens, each preceded by a
 * space unless it is the first token of the line. A segment from ICU is
 * either all space or none, but splitting here costs nothing and keeps the
 * output well formed whatever the rules do.
 */
static void put_tokens(const char *s, int32_t start, int32_t end, bool *first)
{
	int32_t i = start;

	while (i < end) {
		int32_t tok = -1;

		/* Skip spaces, then take the run up to the next space. */
		while (i < end) {
			int32_t next = i;
			UChar32 c;

			U8_NEXT(s, next, end, c);
			if (c < 0 || !u_isUWhiteSpace(c)) {
				if (tok < 0)
					tok = i;
			} else if (tok >= 0) {
				break;
			}
			i = next;
		}
		if (tok < 0)
			return;
		if (!*first)
			putchar(' ');
		fwrite(s + tok, 1, (size_t)(i - tok), stdout);
		*first = false;
	}
}

int main(void)
{
	UErrorCode status = U_ZERO_ERROR;
	UText *ut = NULL;
	UBreakIterator *bi;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &status);
	if (U_FAILURE(status))
		die("ubrk_open", status);

	while ((len = getline(&line, &cap, stdin)) >= 0) {
		bool first = true;
		int32_t start, end;

		if (len > 0 && line[len - 1] == '\n')
			len--;
		if (len > INT32_MAX) {
			fprintf(stderr, "seg_icu: line too long\n");
			return 1;
		}
		ut = utext_openUTF8(ut, line, len, &status);
		if (U_FAILURE(status))
			die("utext_openUTF8", status);
		ubrk_setUText(bi, ut, &status);
		if (U_FAILURE(status))
			die("ubrk_setUText", status);

		/* Boundaries are native indexes: byte offsets into line. */
		start = ubrk_first(bi);
		while ((end = ubrk_next(bi)) != UBRK_DONE) {
			put_tokens(line, start, end, &first);
			start = end;
		}
		putchar('\n');
	}
	if (ferror(stdin)) {
		perror("seg_icu: stdin");
		return 1;
	}

	ubrk_close(bi);
	utext_close(ut);
	free(line);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("seg_icu: stdout");
		return 1;
	}
	return 0;
}
