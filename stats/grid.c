/* Turns the text of a report into rows of label + cells, whatever the
 * layout: Markdown pipes, tab-separated lines (also HTML tables as
 * gk_src writes them), `pdftotext -layout` columns aligned by spaces,
 * poppler text, and a crawler's text in which a whole table stands on
 * one line with each row's numbers run together. The tables module
 * decides which rows belong to which table. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gk_buf.h"
#include "gk_utf8.h"
#include "stats_int.h"

/* A row's label is cut to its last this many bytes (a flattened table's
 * first label carries the whole header before it). */
#define MAX_LABEL 600
/* The provenance text: at most this much of the label before the
 * numbers. */
#define RAW_LABEL 90
/* At most this many rows (a bound on memory for huge inputs). */
#define MAX_ROWS (1u << 20)

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Units that make a number prose ("713 件", "2023年", "45%"), not a
 * table cell. */
static bool is_unit(uint32_t cp)
{
	static const char units[] = "件条个项人次篇期场家份万元亿天日年月号余"
	                            "多名批类户位部倍岁组处起册套台张页轮";
	if (cp == '%' || cp == 0xFF05)
		return true;
	if (cp < 0x80)
		return false;
	char buf[4];
	size_t k = gk_utf8_encode(cp, buf);
	for (size_t i = 0; i + k <= sizeof units - 1; i += 3)
		if (memcmp(units + i, buf, k) == 0)
			return true;
	return false;
}

static uint32_t cp_at(const char *p, size_t n, size_t *k)
{
	uint32_t cp = 0;
	*k = gk_utf8_decode(p, n, &cp);
	if (!*k) {
		*k = 1;
		return 0xFFFD;
	}
	return cp;
}

/* The first character after i that is not a space (0 at the end). */
static uint32_t next_visible(const char *p, size_t n, size_t i)
{
	while (i < n) {
		size_t sp = gk_utf8_space_len(p + i, n - i);
		if (!sp)
			break;
		i += sp;
	}
	if (i >= n)
		return 0;
	size_t k;
	return cp_at(p + i, n - i, &k);
}

typedef struct builder {
	st_grid *g;
	gk_buf label;
	st_tok *toks;
	size_t ntok, nnum, cap;
	const char *start; /* row text start */
	const char *num0;  /* first number of the row */
	const char *end;
	unsigned line, page;
	const char *layout;
	bool delimited;
	bool ok;
} builder;

static void tok_add(builder *b, const char *p, size_t n, bool blank)
{
	if (!b->ok)
		return;
	if (b->ntok == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		st_tok *t = realloc(b->toks, cap * sizeof *t);
		if (!t) {
			b->ok = false;
			return;
		}
		b->toks = t;
		b->cap = cap;
	}
	b->toks[b->ntok++] = (st_tok){ p, n, blank };
	if (!blank) {
		b->nnum++;
		if (!b->num0)
			b->num0 = p;
	}
	b->end = p + n;
}

static void label_add(builder *b, const char *p, size_t n)
{
	if (!b->ok)
		return;
	if (!b->start)
		b->start = p;
	for (size_t i = 0; i < n;) {
		size_t sp = gk_utf8_space_len(p + i, n - i);
		if (sp) {
			i += sp;
			continue;
		}
		if (p[i] == '|' || p[i] == '\t') {
			i++;
			continue;
		}
		if (gk_buf_append(&b->label, p + i, 1) != GK_OK) {
			b->ok = false;
			return;
		}
		i++;
	}
	if (b->ntok == 0 || p + n > b->end)
		b->end = p + n;
}

/* Ends the row being built (a row without numbers is kept too: its text
 * marks where tables start). */
static void flush(builder *b)
{
	if (!b->ok)
		return;
	if (b->label.len == 0 && b->ntok == 0) {
		b->start = b->num0 = b->end = NULL;
		return;
	}
	st_grid *g = b->g;
	if (g->n >= MAX_ROWS) {
		b->ok = false;
		return;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 256;
		st_row *r = realloc(g->rows, cap * sizeof *r);
		if (!r) {
			b->ok = false;
			return;
		}
		g->rows = r;
		g->cap = cap;
	}
	st_row *r = &g->rows[g->n];
	memset(r, 0, sizeof *r);
	const char *lab = b->label.data ? b->label.data : "";
	size_t ll = b->label.len;
	if (ll > MAX_LABEL) {
		size_t cut = ll - MAX_LABEL;
		while (cut < ll && ((unsigned char)lab[cut] & 0xC0) == 0x80)
			cut++;
		lab += cut;
		ll -= cut;
	}
	r->label = malloc(ll + 1);
	r->norm = malloc(ll + 1);
	r->toks = b->ntok ? malloc(b->ntok * sizeof *r->toks) : NULL;
	if (!r->label || !r->norm || (b->ntok && !r->toks)) {
		free(r->label);
		free(r->norm);
		free(r->toks);
		b->ok = false;
		return;
	}
	memcpy(r->label, lab, ll);
	r->label[ll] = '\0';
	r->label_len = ll;
	r->norm_len = st_norm(lab, ll, r->norm, ll + 1);
	if (b->ntok)
		memcpy(r->toks, b->toks, b->ntok * sizeof *r->toks);
	r->ntok = b->ntok;
	r->nnum = b->nnum;
	r->line = b->line;
	r->page = b->page;
	const char *s = b->start ? b->start : b->num0;
	if (b->num0 && b->num0 < s)
		s = b->num0; /* numbers before the label (delimited rows) */
	if (b->num0 && (size_t)(b->num0 - s) > RAW_LABEL) {
		const char *t = b->num0 - RAW_LABEL;
		while (t < b->num0 && ((unsigned char)*t & 0xC0) == 0x80)
			t++;
		s = t;
	}
	r->raw = s;
	r->rawlen = b->end && b->end > s ? (size_t)(b->end - s) : 0;
	r->layout = b->layout;
	r->delimited = b->delimited;
	g->n++;
	gk_buf_reset(&b->label);
	b->ntok = b->nnum = 0;
	b->start = b->num0 = b->end = NULL;
}

/* Whether the whole cell is one number ("12", "7730.28", "-3"). */
static bool number_cell(const char *p, size_t n)
{
	size_t i = 0;
	if (i < n && p[i] == '-')
		i++;
	size_t d = 0, dots = 0;
	for (; i < n; i++) {
		if (is_digit(p[i]))
			d++;
		else if (p[i] == '.' && d && dots == 0 && i + 1 < n)
			dots++;
		else
			return false;
	}
	return d > 0;
}

static void delimited_line(builder *b, const char *p, size_t n, char sep)
{
	size_t i = 0;
	if (sep == '|') {
		/* Skip the opening pipe; a closing one ends the last cell. */
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i < n && p[i] == '|')
			i++;
		size_t e = n;
		while (e > i && (p[e - 1] == ' ' || p[e - 1] == '\t'))
			e--;
		if (e > i && p[e - 1] == '|')
			e--;
		n = e;
	}
	for (;;) {
		size_t j = i;
		while (j < n && p[j] != sep)
			j++;
		const char *c = p + i;
		size_t cn = j - i;
		gk_utf8_trim(&c, &cn);
		if (cn == 0)
			tok_add(b, c, 0, true);
		else if (number_cell(c, cn))
			tok_add(b, c, cn, false);
		else
			label_add(b, c, cn);
		if (j >= n)
			break;
		i = j + 1;
	}
}

/* A Markdown table's separator line: only |, -, :, spaces. */
static bool separator_line(const char *p, size_t n)
{
	bool dash = false;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '-')
			dash = true;
		else if (p[i] != '|' && p[i] != ':' && p[i] != ' ' &&
		         p[i] != '\t')
			return false;
	}
	return dash;
}

/* A line of running text or space-aligned columns: digit runs are
 * numbers unless a unit follows them (prose) or they number an item
 * ("2.重复申请"); text after numbers starts the next row. */
static void free_line(builder *b, const char *p, size_t n)
{
	size_t i = 0;
	size_t text0 = 0; /* start of pending text */
	bool in_text = false;
	while (i < n) {
		if (is_digit(p[i])) {
			size_t j = i;
			while (j < n && (is_digit(p[j]) ||
			                 (p[j] == '-' && j > i && j + 1 < n &&
			                  is_digit(p[j + 1]))))
				j++;
			/* A decimal part. */
			if (j + 1 < n && p[j] == '.' && is_digit(p[j + 1])) {
				j++;
				while (j < n && is_digit(p[j]))
					j++;
			}
			size_t k;
			uint32_t after = j < n ? cp_at(p + j, n - j, &k) : 0;
			uint32_t vis = next_visible(p, n, j);
			bool item = (after == '.' || after == 0x3001 ||
			             after == 0xFF0E) &&
			            !(j + 1 < n && is_digit(p[j + 1]));
			if (item) {
				/* The last digit numbers the next item; digits
				 * before it are a number run into it. */
				if (j - i > 1) {
					if (in_text) {
						label_add(b, p + text0,
						          i - text0);
						in_text = false;
					}
					tok_add(b, p + i, j - i - 1, false);
				}
				if (!in_text || j - i > 1) {
					if (b->ntok)
						flush(b);
					text0 = j - 1;
					in_text = true;
				}
				i = j;
				continue;
			}
			bool glued =
			    i > 0 && (p[i - 1] == '-' ||
			              (p[i - 1] >= 'A' && p[i - 1] <= 'Z') ||
			              (p[i - 1] >= 'a' && p[i - 1] <= 'z'));
			if (is_unit(vis) || glued) {
				/* Prose: part of the text. */
				if (!in_text) {
					if (b->ntok)
						flush(b);
					text0 = i;
					in_text = true;
				}
				i = j;
				continue;
			}
			if (in_text) {
				label_add(b, p + text0, i - text0);
				in_text = false;
			}
			tok_add(b, p + i, j - i, false);
			i = j;
			continue;
		}
		size_t sp = gk_utf8_space_len(p + i, n - i);
		if (sp) {
			i += sp;
			continue;
		}
		if (!in_text) {
			if (b->ntok)
				flush(b);
			text0 = i;
			in_text = true;
		}
		size_t k;
		cp_at(p + i, n - i, &k);
		i += k;
	}
	if (in_text)
		label_add(b, p + text0, n - text0);
}

bool st_grid_read(st_grid *g, const char *text, size_t len, const char *format)
{
	builder b;
	memset(&b, 0, sizeof b);
	b.g = g;
	b.label = (gk_buf)GK_BUF_INIT(1u << 20);
	b.ok = true;
	bool html = format && strcmp(format, "html") == 0;
	bool pdf = format && strcmp(format, "pdf") == 0;
	bool pages = memchr(text, '\f', len) != NULL;
	unsigned line = 1, page = 1;
	size_t i = 0;
	while (i < len && b.ok) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - text) : len;
		const char *p = text + i;
		size_t n = e - i;
		for (size_t k = 0; k < n; k++)
			if (p[k] == '\f')
				page++;
		b.line = line;
		b.page = pages ? page : 0;
		const char *t = p;
		size_t tn = n;
		gk_utf8_trim(&t, &tn);
		if (tn && !separator_line(t, tn)) {
			if (memchr(t, '\t', tn)) {
				b.delimited = true;
				b.layout = html ? "html" : "tsv";
				delimited_line(&b, p, n, '\t');
			} else if (t[0] == '|' && memchr(t + 1, '|', tn - 1)) {
				b.delimited = true;
				b.layout = "markdown";
				delimited_line(&b, t, tn, '|');
			} else {
				b.delimited = false;
				b.layout = pdf    ? "pdf"
				           : html ? "html"
				                  : "layout";
				free_line(&b, p, n);
			}
			flush(&b);
		}
		line++;
		i = e + 1;
	}
	gk_buf_free(&b.label);
	free(b.toks);
	return b.ok;
}

void st_grid_free(st_grid *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->rows[i].label);
		free(g->rows[i].norm);
		free(g->rows[i].toks);
	}
	free(g->rows);
	g->rows = NULL;
	g->n = g->cap = 0;
}
