#include "clean.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gk_buf.h"
#include "gk_doc.h"
#include "gk_utf8.h"

/* A line at least this share of the typical full line, not ending a
 * sentence, goes on in the next line. */
#define WRAP_SHARE 0.8
/* Share of lines that must look wrapped for a file to count as wrapped. */
#define WRAPPED_FILE 0.25
/* In an unwrapped file, a paragraph line this long that stops mid-sentence
 * before blank lines was cut by a page break. */
#define PAGE_CUT_MIN 60
/* Run-on lines longer than this are searched for headings inside them. */
#define RUN_ON_MIN 150

enum { RAW_BLANK, RAW_MARKER, RAW_TEXT };

typedef struct raw {
	const char *p; /* trimmed */
	size_t n;
	unsigned no, page;
	int kind;
	size_t chars;
} raw;

static bool is_dash(uint32_t cp)
{
	return cp == '-' || cp == 0x2014 || cp == 0x2013 || cp == 0xFF0D ||
	       cp == 0x2012 || cp == 0x2015 || cp == '~' || cp == 0x2500;
}

int gk_doc__is_page_marker(const char *p, size_t n)
{
	size_t i = 0, digits = 0, dashes = 0;
	bool di = false, ye = false;
	while (i < n) {
		uint32_t cp;
		size_t k = gk_utf8_decode(p + i, n - i, &cp);
		if (!k)
			return 0;
		if (cp >= '0' && cp <= '9')
			digits++;
		else if (is_dash(cp))
			dashes++;
		else if (cp == 0x7B2C) /* 第 */
			di = true;
		else if (cp == 0x9875) /* 页 */
			ye = true;
		else if (cp == 0x5171) /* 共 */
			;
		else if (cp != ' ' && cp != 0x3000 && cp != '/')
			return 0;
		i += k;
	}
	if (!digits || digits > 6)
		return 0;
	return dashes >= 2 || (di && ye);
}

static bool ends_sentence(const char *p, size_t n)
{
	static const char *ends[] = { "。", "！", "？", "；", "：", "!",
		                      "?",  ";",  ":",  "”",  "」", "…" };
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		size_t k = strlen(ends[i]);
		if (n >= k && !memcmp(p + n - k, ends[i], k))
			return true;
	}
	return false;
}

static bool is_cjk_numeral(uint32_t cp)
{
	return cp == 0x4E00 || cp == 0x4E8C || cp == 0x4E09 || cp == 0x56DB ||
	       cp == 0x4E94 || cp == 0x516D || cp == 0x4E03 || cp == 0x516B ||
	       cp == 0x4E5D || cp == 0x5341;
}

/* Length of a CJK heading number at p (一、 or （一）), 0 if none. */
static size_t cjk_numbering(const char *p, size_t n)
{
	size_t i = 0, count = 0;
	bool paren = false;
	uint32_t cp;
	size_t k;
	if (n >= 3 && !memcmp(p, "（", 3))
		i = 3, paren = true;
	else if (n && *p == '(')
		i = 1, paren = true;
	while (i < n && (k = gk_utf8_decode(p + i, n - i, &cp)) > 0 &&
	       is_cjk_numeral(cp) && count < 3)
		i += k, count++;
	if (!count)
		return 0;
	if (paren) {
		if (i + 3 <= n && !memcmp(p + i, "）", 3))
			return i + 3;
		return i < n && p[i] == ')' ? i + 1 : 0;
	}
	return i + 3 <= n && !memcmp(p + i, "、", 3) ? i + 3 : 0;
}

/* Starts of a new logical line: a numbered heading or a table row. */
static bool starts_block(const char *p, size_t n)
{
	if (!n || *p == '#' || *p == '|' || memchr(p, '\t', n))
		return true;
	if (cjk_numbering(p, n))
		return true;
	size_t i = 0;
	while (i < n && p[i] >= '0' && p[i] <= '9')
		i++;
	if (i && i < 4 && i < n &&
	    (p[i] == '.' || (n - i >= 3 && (!memcmp(p + i, "、", 3) ||
	                                    !memcmp(p + i, "．", 3)))))
		return !(p[i] == '.' && i + 1 < n && p[i + 1] >= '0' &&
		         p[i + 1] <= '9');
	return false;
}

static bool ascii_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* Characters that are not white space: what a line's width is made of
 * (pdftotext pads its lines with spaces). */
static size_t visible_chars(const char *p, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n;) {
		size_t k = gk_utf8_space_len(p + i, n - i);
		if (k) {
			i += k;
			continue;
		}
		count += ((unsigned char)p[i] & 0xC0) != 0x80;
		i++;
	}
	return count;
}

/* Columns laid out with runs of spaces: a table row, not prose. */
static bool is_layout_row(const char *p, size_t n)
{
	for (size_t i = 0; i + 3 <= n; i++)
		if (p[i] == ' ' && p[i + 1] == ' ' && p[i + 2] == ' ')
			return true;
	return memchr(p, '\t', n) != NULL || (n && (*p == '|' || *p == '#'));
}

static int by_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* The typical length of a full line: the 90th percentile of the lengths
 * of lines of some size. */
static size_t full_width(const raw *r, size_t n)
{
	size_t *v = malloc((n ? n : 1) * sizeof *v), m = 0;
	if (!v)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (r[i].kind == RAW_TEXT && r[i].chars >= 8 &&
		    !is_layout_row(r[i].p, r[i].n))
			v[m++] = r[i].chars;
	size_t w = 0;
	if (m >= 5) {
		qsort(v, m, sizeof *v, by_size);
		w = v[m * 9 / 10];
	}
	free(v);
	return w;
}

static bool is_digit_at(const char *p, size_t n)
{
	return n && *p >= '0' && *p <= '9';
}

/* Appends a line, without the spaces a PDF converter puts between Chinese
 * characters and numbers ("人事任免文件 196 件" is 人事任免文件196件 in the
 * report). */
static gk_status append_squeezed(gk_buf *b, const char *p, size_t n)
{
	uint32_t prev = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = gk_utf8_decode(p + i, n - i, &cp);
		if (!k)
			k = 1, cp = 0xFFFD;
		if (cp == ' ' && prev) {
			size_t j = i;
			while (j < n && p[j] == ' ')
				j++;
			uint32_t next = 0;
			if (j < n)
				gk_utf8_decode(p + j, n - j, &next);
			bool prev_cjk = gk_utf8_is_cjk(prev);
			bool next_cjk = gk_utf8_is_cjk(next);
			bool prev_digit = prev >= '0' && prev <= '9';
			if ((prev_cjk && is_digit_at(p + j, n - j)) ||
			    (prev_digit && next_cjk)) {
				i = j;
				continue;
			}
		}
		if (gk_buf_append(b, p + i, k))
			return GK_ENOMEM;
		prev = cp;
		i += k;
	}
	return GK_OK;
}

/* Whether raw line i is within two lines of a page break. */
static bool near_page_break(const raw *r, size_t n, size_t i)
{
	for (size_t j = i >= 2 ? i - 2 : 0; j <= i + 2 && j < n; j++)
		if (j != i && r[j].page != r[i].page)
			return true;
	return i < 2 || i + 2 >= n;
}

/* Running headers and footers: the same short line at the top or bottom
 * of most pages ("淮安市洪泽区人民政府2023年政府信息公开工作年度报告", a
 * unit's name). They go like page numbers. */
static void drop_running_lines(raw *r, size_t n, unsigned pages)
{
	if (pages < 3)
		return;
	for (size_t i = 0; i < n; i++) {
		if (r[i].kind != RAW_TEXT || r[i].chars > 40 ||
		    !near_page_break(r, n, i))
			continue;
		unsigned count = 0;
		for (size_t j = 0; j < n; j++)
			if (r[j].kind == RAW_TEXT && r[j].n == r[i].n &&
			    !memcmp(r[j].p, r[i].p, r[i].n) &&
			    near_page_break(r, n, j))
				count++;
		if (count >= 3 && count * 2 >= pages)
			for (size_t j = 0; j < n; j++)
				if (r[j].kind == RAW_TEXT && r[j].n == r[i].n &&
				    !memcmp(r[j].p, r[i].p, r[i].n) &&
				    near_page_break(r, n, j))
					r[j].kind = RAW_MARKER;
	}
}

typedef struct builder {
	gk_buf text;
	gk_doc__line *v;
	size_t n, cap;
	gk_status st;
} builder;

/* Lines are recorded as offsets while the text grows, and turned into
 * pointers at the end. */
static void add_line(builder *b, size_t off, size_t len, unsigned no,
                     unsigned page)
{
	if (b->st)
		return;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		gk_doc__line *v = realloc(b->v, cap * sizeof *v);
		if (!v) {
			b->st = GK_ENOMEM;
			return;
		}
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] =
	    (gk_doc__line){ (const char *)(uintptr_t)off, len, no, page };
}

/* Emits a logical line, cut before the headings that stand inside it
 * when it is a long run-on line ("……联系。一、总体情况2019年，……"). */
static void emit(builder *b, size_t off, size_t len, unsigned no, unsigned page)
{
	const char *p = b->text.data + off;
	size_t start = 0;
	if (gk_utf8_count(p, len) > RUN_ON_MIN) {
		for (size_t i = 3; i + 3 < len; i++) {
			if (memcmp(p + i - 3, "。", 3)) {
				/* Without a sentence end before it, only a
				 * standard section's heading ("……元三、收到和
				 * 处理政府信息公开申请情况……") starts a line.
				 */
				size_t nl = cjk_numbering(p + i, len - i);
				if (!nl ||
				    (p[i] == '(' || !memcmp(p + i, "（", 3)) ||
				    !gk_doc_section_key(p + i + nl,
				                        len - i - nl, NULL))
					continue;
				add_line(b, off + start, i - start, no, page);
				start = i;
				continue;
			}
			/* Spaces may stand between the sentence and the
			 * heading: "……联系。 一、 概述 ……". */
			size_t j = i, k;
			while (j < len &&
			       (k = gk_utf8_space_len(p + j, len - j)) > 0)
				j += k;
			if (!cjk_numbering(p + j, len - j))
				continue;
			add_line(b, off + start, i - start, no, page);
			start = j;
			i = j;
		}
	}
	add_line(b, off + start, len - start, no, page);
}

gk_status gk_doc__clean(const char *text, size_t len, gk_doc__lines *out)
{
	memset(out, 0, sizeof *out);
	size_t nraw = 1;
	for (size_t i = 0; i < len; i++)
		nraw += text[i] == '\n';
	raw *r = calloc(nraw, sizeof *r);
	if (!r)
		return GK_ENOMEM;
	bool has_ff = memchr(text, '\f', len) != NULL;
	unsigned page = 1;
	size_t k = 0;
	for (const char *p = text, *end = text + len; p <= end && k < nraw;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		for (size_t i = 0; i < n; i++)
			page += p[i] == '\f';
		raw *x = &r[k];
		x->p = p;
		x->n = n;
		x->no = (unsigned)(k + 1);
		gk_utf8_trim(&x->p, &x->n);
		/* A form feed inside the text starts its page there. */
		while (x->n && *x->p == '\f')
			x->p++, x->n--;
		gk_utf8_trim(&x->p, &x->n);
		x->page = page;
		x->chars = visible_chars(x->p, x->n);
		x->kind = !x->n                                ? RAW_BLANK
		          : gk_doc__is_page_marker(x->p, x->n) ? RAW_MARKER
		                                               : RAW_TEXT;
		if (x->kind == RAW_MARKER && !has_ff)
			page++;
		k++;
		if (!nl)
			break;
		p = nl + 1;
	}
	nraw = k;
	drop_running_lines(r, nraw, page);

	size_t width = full_width(r, nraw), wrapped_lines = 0, text_lines = 0;
	for (size_t i = 0; i < nraw; i++) {
		/* Prose lines only: a table's cells, one a line, say nothing
		 * about wrapping. */
		if (r[i].kind != RAW_TEXT || r[i].chars < width / 2 ||
		    is_layout_row(r[i].p, r[i].n))
			continue;
		text_lines++;
		if (width && r[i].chars >= width * WRAP_SHARE &&
		    !ends_sentence(r[i].p, r[i].n))
			wrapped_lines++;
	}
	bool wrapped =
	    text_lines >= 5 && wrapped_lines >= text_lines * WRAPPED_FILE;

	builder b = { GK_BUF_INIT((size_t)len * 2 + 16), NULL, 0, 0, GK_OK };
	size_t cur = 0, cur_len = 0;
	unsigned cur_no = 0, cur_page = 0;
	bool open = false;
	for (size_t i = 0; i < nraw && !b.st; i++) {
		raw *x = &r[i];
		if (x->kind == RAW_MARKER)
			continue;
		if (x->kind == RAW_BLANK) {
			if (!open)
				add_line(&b, b.text.len, 0, x->no, x->page);
			continue;
		}
		if (!open) {
			cur = b.text.len;
			cur_len = 0;
			cur_no = x->no;
			cur_page = x->page;
			open = true;
		} else if (cur_len &&
		           ascii_alnum(b.text.data[b.text.len - 1]) &&
		           ascii_alnum(x->p[0])) {
			/* Latin words keep their space across the wrap. */
			gk_buf_appendc(&b.text, ' ');
			cur_len++;
		}
		size_t before = b.text.len;
		if (append_squeezed(&b.text, x->p, x->n))
			b.st = GK_ENOMEM;
		cur_len += b.text.len - before;
		/* Does the line go on in the next one with text? */
		size_t j = i + 1;
		bool gap = false;
		while (j < nraw && r[j].kind != RAW_TEXT) {
			gap |=
			    r[j].kind == RAW_BLANK || r[j].kind == RAW_MARKER;
			j++;
		}
		bool more = j < nraw && !ends_sentence(x->p, x->n) &&
		            !memchr(x->p, '\t', x->n) &&
		            !starts_block(r[j].p, r[j].n) && x->p[0] != '#' &&
		            x->p[0] != '|';
		if (more && wrapped)
			more = width && x->chars >= width * WRAP_SHARE;
		else if (more)
			/* Unwrapped text: only a long paragraph cut by a page
			 * break (blank lines, a marker) goes on. */
			more = gap && x->chars >= PAGE_CUT_MIN;
		if (more) {
			i = j - 1;
			continue;
		}
		emit(&b, cur, cur_len, cur_no, cur_page);
		open = false;
	}
	free(r);
	if (b.st) {
		gk_buf_free(&b.text);
		free(b.v);
		return b.st;
	}
	out->text = gk_buf_steal(&b.text);
	if (!out->text) {
		free(b.v);
		return GK_ENOMEM;
	}
	/* Text without page breaks has no pages to cite. */
	for (size_t i = 0; i < b.n; i++) {
		b.v[i].p = out->text + (uintptr_t)b.v[i].p;
		if (page == 1)
			b.v[i].page = 0;
	}
	out->v = b.v;
	out->n = b.n;
	return GK_OK;
}

void gk_doc__lines_free(gk_doc__lines *lines)
{
	free(lines->v);
	free(lines->text);
	lines->v = NULL;
	lines->text = NULL;
	lines->n = 0;
}
