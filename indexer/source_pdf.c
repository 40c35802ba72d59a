/* The text layer of a PDF, through poppler-glib, laid out line by line as
 * it stands on the page (like `pdftotext -layout`). */
#include <glib.h>
#include <poppler.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gk_buf.h"
#include "gk_utf8.h"
#include "source.h"

/* Fewer non-blank characters than this per page, on average, means the
 * pages are images (a scan) with at most a page number or a stamp in
 * text. */
#define MIN_CHARS_PER_PAGE 10

static size_t count_chars(const char *p)
{
	size_t k = 0;
	for (const unsigned char *s = (const unsigned char *)p; *s; s++)
		if (*s > ' ' && (*s & 0xC0) != 0x80)
			k++;
	return k;
}

/* Appends a page's text: line endings are left to the caller's clean-up,
 * but a form feed inside the page would throw the page count off. Trailing
 * line breaks go, so that the separator stands on a line of its own. Used
 * when the page's character boxes cannot be had. */
static gk_status append_page(gk_buf *out, const char *t)
{
	size_t n = strlen(t);
	while (n && (t[n - 1] == '\n' || t[n - 1] == '\r' || t[n - 1] == '\f'))
		n--;
	size_t i = 0;
	gk_status st = GK_OK;
	while (st == GK_OK && i < n) {
		const char *ff = memchr(t + i, '\f', n - i);
		size_t j = ff ? (size_t)(ff - t) : n;
		st = gk_buf_append(out, t + i, j - i);
		if (st == GK_OK && j < n)
			st = gk_buf_appendc(out, '\n');
		i = j + 1;
	}
	return st;
}

/* ---- Layout: the page rebuilt from its character boxes ----
 *
 * poppler's reading order (poppler_page_get_text) follows its guess at
 * text blocks, which breaks tables apart: a row's label after its
 * numbers, a table column by column. Like `pdftotext -layout`, the page
 * is laid out again from where each character is: characters whose
 * vertical centres agree form a line, a line runs left to right, and a
 * horizontal gap becomes spaces, a gap of a character or more at least
 * two, padded so that the next character stands at its column on a grid
 * of half a CJK character, so that table columns stay apart and roughly
 * aligned. A run of characters poppler found stacked one below the other
 * (a rotated table label) becomes a line of its own. */

/* A vertical gap between lines larger than this many font sizes puts an
 * empty line between them (table rows, not lines of a paragraph). */
#define BLANK_LINE_GAP 2.2
/* Characters whose vertical centres differ by less than this share of the
 * smaller font size are on the same line. */
#define SAME_LINE 0.4
/* Horizontal gaps, in font sizes: above WORD_GAP one space, above
 * COLUMN_GAP a column break (two spaces at least, more to reach the
 * column the character stands at). */
#define WORD_GAP   0.25
#define COLUMN_GAP 0.8
/* The grid's font size is the one that this share (1/GRID_SHARE) of the
 * page's characters are smaller than. */
#define GRID_SHARE 10
/* Bounds on what a damaged file can make of a line: coordinates (in
 * points) beyond MAX_COORD count as 0, and no character is put further
 * right than column MAX_COLUMN by padding. */
#define MAX_COORD  1e6
#define MAX_COLUMN 1000
/* The height of a Latin glyph's box over its font size (boxes span the
 * font's ascent and descent). */
#define LATIN_BOX 1.3

/* One character, or one run of stacked characters, of a page. */
typedef struct item {
	double x1, y1, x2, y2; /* box, y growing downwards */
	double cy;             /* vertical centre (the top for a stack) */
	double size;           /* font size estimate */
	size_t off;            /* bytes in poppler's text */
	unsigned len;
	unsigned cols;     /* columns it takes: 2 per wide character */
	unsigned seq;      /* position in poppler's order */
	bool space_before; /* poppler put white space before it */
	bool alone;        /* a stack: a line of its own */
} item;

typedef struct layout {
	item *items;
	size_t n, cap;
	gk_buf stacks; /* the text of the stacked runs */
} layout;

/* East Asian wide and full-width characters, which take two columns in
 * the text. */
static bool is_wide(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
	       (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
	       (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
	       (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

static int by_position(const void *a, const void *b)
{
	const item *x = a, *y = b;
	if (x->cy != y->cy)
		return x->cy < y->cy ? -1 : 1;
	if (x->x1 != y->x1)
		return x->x1 < y->x1 ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int by_x(const void *a, const void *b)
{
	const item *x = a, *y = b;
	if (x->x1 != y->x1)
		return x->x1 < y->x1 ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Whether the n items at it — one line of poppler's — are characters
 * stacked from top to bottom (text turned by 90 degrees). */
static bool is_stack(const item *it, size_t n)
{
	if (n < 2)
		return false;
	double left = it[0].x1, right = it[0].x2, w = 0;
	for (size_t k = 0; k < n; k++) {
		left = it[k].x1 < left ? it[k].x1 : left;
		right = it[k].x2 > right ? it[k].x2 : right;
		w = it[k].size > w ? it[k].size : w;
		if (k && it[k].cy < it[k - 1].cy + 0.5 * it[k - 1].size)
			return false;
	}
	return right - left < 1.5 * w;
}

/* Turns the items [from, l->n) into one: a stacked run, its characters
 * read top to bottom without the spaces between them. Its text is copied
 * to l->stacks, where its offset points (alone says so). */
static gk_status merge_stack(layout *l, size_t from, const char *t)
{
	item m = l->items[from];
	size_t off = l->stacks.len;
	m.cols = 0;
	m.len = 0;
	gk_status st = GK_OK;
	for (size_t k = from; k < l->n && st == GK_OK; k++) {
		const item *c = &l->items[k];
		m.x1 = c->x1 < m.x1 ? c->x1 : m.x1;
		m.x2 = c->x2 > m.x2 ? c->x2 : m.x2;
		m.y2 = c->y2 > m.y2 ? c->y2 : m.y2;
		m.size = c->size > m.size ? c->size : m.size;
		m.cols += c->cols;
		m.len += c->len;
		st = gk_buf_append(&l->stacks, t + c->off, c->len);
	}
	m.off = off;
	m.cy = m.y1 + m.size / 2;
	m.alone = true;
	l->items[from] = m;
	l->n = from + 1;
	return st;
}

/* A coordinate as it can be used: a damaged file's NaN, infinity or
 * absurd value becomes 0, so that sorting stays consistent and no line
 * grows without bound. */
static double coord(double v)
{
	return v > -MAX_COORD && v < MAX_COORD ? v : 0;
}

/* Reads the characters of poppler's text t with their boxes r (one per
 * character of t, line breaks included) into l. */
static gk_status collect(layout *l, const char *t, const PopplerRectangle *r,
                         guint nr)
{
	size_t len = strlen(t), line = 0;
	bool space = false;
	gk_status st = GK_OK;
	for (size_t i = 0, c = 0; i < len && c < nr && st == GK_OK; c++) {
		uint32_t cp;
		size_t k = gk_utf8_decode(t + i, len - i, &cp);
		if (!k)
			return GK_EINVAL;
		if (cp == '\n') {
			if (is_stack(l->items + line, l->n - line))
				st = merge_stack(l, line, t);
			line = l->n;
			space = false;
		} else if (gk_utf8_space_len(t + i, len - i) || cp < 0x20) {
			space = true;
		} else {
			if (l->n == l->cap) {
				size_t cap = l->cap ? l->cap * 2 : 256;
				item *p = realloc(l->items, cap * sizeof *p);
				if (!p)
					return GK_ENOMEM;
				l->items = p;
				l->cap = cap;
			}
			item *x = &l->items[l->n];
			double x1 = coord(r[c].x1), x2 = coord(r[c].x2);
			double y1 = coord(r[c].y1), y2 = coord(r[c].y2);
			x->x1 = x1 < x2 ? x1 : x2;
			x->x2 = x1 < x2 ? x2 : x1;
			x->y1 = y1 < y2 ? y1 : y2;
			x->y2 = y1 < y2 ? y2 : y1;
			x->cy = (x->y1 + x->y2) / 2;
			bool wide = is_wide(cp);
			double w = x->x2 - x->x1, h = x->y2 - x->y1;
			x->size = wide ? (w < h ? w : h) : h / LATIN_BOX;
			if (x->size <= 0)
				x->size = h > 0 ? h : 1;
			x->off = i;
			x->len = (unsigned)k;
			x->cols = wide ? 2 : 1;
			x->seq = (unsigned)l->n;
			x->space_before = space && l->n > line;
			x->alone = false;
			l->n++;
			space = false;
		}
		i += k;
	}
	if (st == GK_OK && is_stack(l->items + line, l->n - line))
		st = merge_stack(l, line, t);
	return st;
}

static gk_status append_spaces(gk_buf *out, size_t n)
{
	static const char sp[] = "                                ";
	gk_status st = GK_OK;
	while (st == GK_OK && n) {
		size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
		st = gk_buf_append(out, sp, k);
		n -= k;
	}
	return st;
}

/* Writes the line made of the items [a, b), sorted left to right, on a
 * grid of colw points from the page's left edge. */
static gk_status write_line(const layout *l, size_t a, size_t b, double left,
                            double colw, const char *t, gk_buf *out)
{
	gk_status st = GK_OK;
	size_t col = 0;
	const item *prev = NULL;
	for (size_t k = a; k < b && st == GK_OK; k++) {
		const item *x = &l->items[k];
		const char *text = (x->alone ? l->stacks.data : t) + x->off;
		double at = (x->x1 - left) / colw + 0.5;
		at = at < MAX_COLUMN ? at : MAX_COLUMN;
		size_t pad = at >= 1 ? (size_t)at : 0;
		if (prev) {
			double s = x->size > prev->size ? x->size : prev->size;
			double gap = x->x1 - prev->x2;
			/* The same character printed twice over itself (bold
			 * done by overprinting). */
			if (!x->alone && !prev->alone && x->len == prev->len &&
			    x->x1 - prev->x1 < 0.3 * s &&
			    memcmp(text, t + prev->off, x->len) == 0)
				continue;
			size_t n = 0;
			if (gap > COLUMN_GAP * s)
				n = pad > col + 2 ? pad - col : 2;
			else if (gap > WORD_GAP * s ||
			         (x->space_before && x->seq == prev->seq + 1))
				n = 1;
			pad = col + n;
		}
		if (pad > col)
			st = append_spaces(out, pad - col);
		col = pad;
		if (st == GK_OK)
			st = gk_buf_append(out, text, x->len);
		col += x->cols;
		prev = x;
	}
	return st;
}

/* A line of the page: the items [a, b). */
typedef struct line {
	size_t a, b;
	double cy, size; /* vertical centre, largest font size */
	bool alone;
} line;

/* Whether the line holds numbers and nothing else (digits > 0), or no
 * digit at all (digits == 0). */
static bool line_has(const layout *l, const line *ln, const char *t,
                     bool numbers_only)
{
	for (size_t k = ln->a; k < ln->b; k++) {
		const item *x = &l->items[k];
		if (x->alone)
			return !numbers_only;
		char c = t[x->off];
		bool digit = c >= '0' && c <= '9';
		if (numbers_only ? !digit && !strchr(".,%", c) : digit)
			return false;
	}
	return true;
}

/* Writes the page laid out from l's items (which it reorders). */
static gk_status write_layout(layout *l, const char *t, gk_buf *out)
{
	if (!l->n)
		return GK_OK;
	/* The grid: half the font size of the smaller text of the page
	 * (tables are set smaller than the body), from the left edge of the
	 * leftmost character. */
	double *sizes = malloc(l->n * sizeof *sizes), left = l->items[0].x1;
	line *lines = malloc(l->n * sizeof *lines);
	if (!sizes || !lines) {
		free(sizes);
		free(lines);
		return GK_ENOMEM;
	}
	for (size_t k = 0; k < l->n; k++) {
		sizes[k] = l->items[k].size;
		left = l->items[k].x1 < left ? l->items[k].x1 : left;
	}
	qsort(sizes, l->n, sizeof *sizes, by_double);
	double colw = sizes[l->n / GRID_SHARE] / 2;
	free(sizes);
	if (!(colw >= 1))
		colw = 1;

	/* The lines: each what lies within reach of its first (topmost)
	 * character, left to right. */
	qsort(l->items, l->n, sizeof *l->items, by_position);
	size_t nl = 0;
	for (size_t a = 0; a < l->n; nl++) {
		const item *first = &l->items[a];
		line *ln = &lines[nl];
		ln->a = a;
		ln->cy = first->cy;
		ln->size = first->size;
		ln->alone = first->alone;
		size_t b = a + 1;
		while (!ln->alone && b < l->n && !l->items[b].alone) {
			const item *x = &l->items[b];
			double s =
			    x->size < first->size ? x->size : first->size;
			if (x->cy - first->cy > SAME_LINE * s)
				break;
			ln->size = x->size > ln->size ? x->size : ln->size;
			b++;
		}
		ln->b = b;
		qsort(l->items + a, b - a, sizeof *l->items, by_x);
		a = b;
	}

	/* A table row whose label takes two lines has its numbers centred
	 * between them: the label's second line goes first, as pdftotext
	 * has it, so that the label is whole before its numbers. */
	for (size_t i = 0; i + 1 < nl; i++) {
		line *n = &lines[i], *x = &lines[i + 1];
		if (x->cy - n->cy < n->size &&
		    l->items[x->b - 1].x2 < l->items[n->a].x1 &&
		    line_has(l, n, t, true) && line_has(l, x, t, false)) {
			line tmp = *n;
			*n = *x;
			*x = tmp;
			i++;
		}
	}

	gk_status st = GK_OK;
	double low = lines[0].cy; /* the lowest line so far */
	for (size_t i = 0; i < nl && st == GK_OK; i++) {
		/* An empty line where the page has room for one, and after a
		 * stacked label (which ends the rows it stands beside). */
		if (i > 0) {
			const line *p = &lines[i - 1], *ln = &lines[i];
			double s = ln->size > p->size ? ln->size : p->size;
			bool blank =
			    ln->cy - low > BLANK_LINE_GAP * s || p->alone;
			st = gk_buf_append(out, "\n\n", blank ? 2 : 1);
			low = ln->cy > low ? ln->cy : low;
		}
		if (st == GK_OK)
			st = write_line(l, lines[i].a, lines[i].b, left, colw,
			                t, out);
	}
	free(lines);
	return st;
}

/* Appends page's text laid out as on the page. t is poppler's text of
 * the page, which gives the characters (a page whose boxes do not match
 * it is written in poppler's order). */
static gk_status append_laid_out(gk_buf *out, PopplerPage *page, const char *t)
{
	PopplerRectangle *r = NULL;
	guint nr = 0;
	if (!poppler_page_get_text_layout(page, &r, &nr) ||
	    nr != g_utf8_strlen(t, -1)) {
		g_free(r);
		return append_page(out, t);
	}
	layout l = { NULL, 0, 0, GK_BUF_INIT(out->max) };
	gk_status st = collect(&l, t, r, nr);
	if (st == GK_OK)
		st = write_layout(&l, t, out);
	else if (st == GK_EINVAL)
		st = append_page(out, t);
	free(l.items);
	gk_buf_free(&l.stacks);
	g_free(r);
	return st;
}

gk_status gk_src__pdf(const gk_src__job *job, const char *data, size_t len,
                      gk_buf *out, unsigned *pages, gk_error *err)
{
	const char *name = job->name;
	*pages = 0;
	GBytes *bytes = g_bytes_new_static(data, len);
	GError *ge = NULL;
	PopplerDocument *doc =
	    poppler_document_new_from_bytes(bytes, NULL, &ge);
	if (!doc) {
		gk_status st;
		if (ge &&
		    g_error_matches(ge, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
			st = gk_error_set(err, GK_EFORMAT,
			                  "%s: encrypted PDF: needs a password",
			                  name);
		else
			st = gk_error_set(
			    err, GK_EFORMAT, "%s: damaged PDF (%s)", name,
			    ge && ge->message ? ge->message
			                      : "cannot be opened");
		if (ge)
			g_error_free(ge);
		g_bytes_unref(bytes);
		return st;
	}

	int n = poppler_document_get_n_pages(doc);
	gk_status st = GK_OK;
	size_t chars = 0;
	for (int i = 0; i < n && st == GK_OK; i++) {
		if (i > 0 && gk_src__over_time(job)) {
			st = gk_src__time_error(job, err);
			break;
		}
		PopplerPage *page = poppler_document_get_page(doc, i);
		char *t = page ? poppler_page_get_text(page) : NULL;
		if (i > 0)
			st = gk_buf_append(out, "\n\f\n", 3);
		if (st == GK_OK && t) {
			chars += count_chars(t);
			st = append_laid_out(out, page, t);
		}
		g_free(t);
		if (page)
			g_object_unref(page);
		if (st != GK_OK)
			gk_error_set(err, st, "%s: text too large", name);
	}
	if (st == GK_OK && gk_src__over_time(job))
		st = gk_src__time_error(job, err);
	if (st == GK_OK && chars < (size_t)(n > 0 ? n : 1) * MIN_CHARS_PER_PAGE)
		st = gk_error_set(err, GK_EFORMAT,
		                  "%s: no text layer — needs OCR", name);
	if (st == GK_OK && out->len)
		st = gk_buf_appendc(out, '\n');
	*pages = n > 0 ? (unsigned)n : 0;
	g_object_unref(doc);
	g_bytes_unref(bytes);
	return st;
}
