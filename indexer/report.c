#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "gk_buf.h"
#include "gk_doc.h"
#include "gk_utf8.h"

/* Passage cutting, in code points. */
#define CUT_MIN  300
#define CUT_MAX  600
#define CUT_TAIL 150 /* a remainder this short stays with the passage */

/* Heading recognition, in code points. */
#define HEADING_MAX 40
#define TITLE_MAX   80
#define FRONT_MAX   30 /* lines before the title this short are front matter */
#define MAX_DEPTH   8

#define PARA_MAX (64u << 20)

/* A logical line (see clean.h). */
typedef gk_doc__line src_line;

typedef struct passage {
	gk_doc_passage pub;
	char *text;
	const char **section;
} passage;

struct gk_doc {
	char *title;
	char *agency;
	int year;
	int is_report;
	char *region;
	char *date; /* publication, YYYY-MM-DD */
	char *url;
	char *format, *charset, *sha256;
	unsigned pages;
	passage *passages;
	size_t npassages, cap;
	char **strings; /* heading texts, shared by the passages below them */
	size_t nstrings, strings_cap;
	gk_doc_heading *headings; /* the section tree, in document order */
	size_t nheadings, headings_cap;
};

typedef struct heading {
	int level;
	const char *text; /* owned by the doc's strings */
	int hashes; /* Markdown '#' count, 0 when not a Markdown heading */
} heading;

typedef struct parser {
	gk_doc *doc;
	heading stack[MAX_DEPTH];
	size_t depth;
	int level1_hashes; /* '#' count of the last level-1 Markdown heading */
	int last_top; /* number of the last top-level heading (三、: 3) */
	gk_buf para;
	/* Where each line of the paragraph starts in para, and its source
	 * line and page: passages cite them. */
	size_t *pl_off;
	unsigned *pl_no, *pl_page;
	size_t pl_n, pl_cap;
	gk_status st; /* sticky: once set, every step is a no-op */
	gk_error *err;
} parser;

/* ---- small text helpers ------------------------------------------------ */

static bool starts_with(const char *p, size_t n, const char *s)
{
	size_t k = strlen(s);
	return n >= k && memcmp(p, s, k) == 0;
}

static const char *find(const char *p, size_t n, const char *s)
{
	size_t k = strlen(s);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(p + i, s, k) == 0)
			return p + i;
	return NULL;
}

static char *dup_n(const char *p, size_t n)
{
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

static bool is_cjk_numeral(uint32_t cp)
{
	static const char digits[] = "一二三四五六七八九十百零〇";
	for (size_t i = 0; digits[i];) {
		uint32_t d;
		size_t k =
		    gk_utf8_decode(digits + i, sizeof digits - 1 - i, &d);
		if (d == cp)
			return true;
		i += k;
	}
	return false;
}

/* Length of a run of up to max numerals at p (CJK when cjk, else ASCII
 * digits), 0 when there is none. */
static size_t numerals(const char *p, size_t n, bool cjk, int max)
{
	size_t i = 0;
	int count = 0;
	while (i < n && count < max) {
		uint32_t cp;
		size_t k = gk_utf8_decode(p + i, n - i, &cp);
		if (!k ||
		    (cjk ? !is_cjk_numeral(cp) : !(cp >= '0' && cp <= '9')))
			break;
		i += k;
		count++;
	}
	return count ? i : 0;
}

static size_t open_paren(const char *p, size_t n)
{
	if (starts_with(p, n, "（"))
		return 3;
	return n && *p == '(' ? 1 : 0;
}

static size_t close_paren(const char *p, size_t n)
{
	if (starts_with(p, n, "）"))
		return 3;
	return n && *p == ')' ? 1 : 0;
}

/* ---- headings ----------------------------------------------------------- */

/* Level of the numbering that starts p (1: 一、 2: （一） 3: 1. or 1、
 * 4: （1）), with its length in *len; 0 when p is not numbered. */
static int numbering(const char *p, size_t n, size_t *len)
{
	size_t k, d, c;
	if ((k = numerals(p, n, true, 4)) > 0) {
		if (starts_with(p + k, n - k, "、") ||
		    starts_with(p + k, n - k, "．")) {
			*len = k + 3;
			return 1;
		}
		return 0;
	}
	if ((k = open_paren(p, n)) > 0) {
		bool cjk = true;
		d = numerals(p + k, n - k, true, 4);
		if (!d) {
			cjk = false;
			d = numerals(p + k, n - k, false, 3);
		}
		if (d && (c = close_paren(p + k + d, n - k - d)) > 0) {
			*len = k + d + c;
			return cjk ? 2 : 4;
		}
		return 0;
	}
	if ((d = numerals(p, n, false, 3)) > 0) {
		const char *q = p + d;
		size_t m = n - d;
		if (starts_with(q, m, "、") || starts_with(q, m, "．")) {
			*len = d + 3;
			return 3;
		}
		/* "1." but not the number "5.1" */
		if (m && *q == '.' && !(m > 1 && q[1] >= '0' && q[1] <= '9')) {
			*len = d + 1;
			return 3;
		}
	}
	return 0;
}

/* The item lines that title the statistics tables: 第二十条第（六）项. */
static bool is_article_item(const char *p, size_t n)
{
	return starts_with(p, n, "第") && find(p, n, "条") && n >= 3 &&
	       memcmp(p + n - 3, "项", 3) == 0 && gk_utf8_count(p, n) <= 20;
}

/* Strips punctuation that ends a heading's text ("（一）总体情况。"). */
static void strip_heading_end(const char *p, size_t *n)
{
	static const char *ends[] = { "。", "：", "；", "，", ":" };
	bool again = true;
	while (again && *n) {
		again = false;
		for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
			size_t k = strlen(ends[i]);
			if (*n >= k && memcmp(p + *n - k, ends[i], k) == 0) {
				*n -= k;
				again = true;
			}
		}
	}
}

static int find_year(const char *p, size_t n, const char **at);

/* The standard sections of an annual report, under the names they have
 * had across the years and formats, and the canonical key of each. */
static const struct {
	const char *name, *key;
} sections[] = {
	{ "总体情况", "总体" },
	{ "概述", "总体" },
	{ "主动公开政府信息情况", "主动" },
	{ "主动公开政府信息的情况", "主动" },
	{ "主动公开政务信息情况", "主动" },
	{ "主动公开情况", "主动" },
	{ "收到和处理政府信息公开申请情况", "申请" },
	{ "收到和处理政府信息公开申请的情况", "申请" },
	{ "依申请公开政府信息情况", "申请" },
	{ "依申请公开政府信息办理情况", "申请" },
	{ "政府信息依申请公开办理情况", "申请" },
	{ "依申请公开政府信息的情况", "申请" },
	{ "依申请公开情况", "申请" },
	{ "依申请公开", "申请" },
	{ "申请行政复议", "复议诉讼" },
	{ "主要问题和改进措施", "问题" },
	{ "主要问题及改进情况", "问题" },
	{ "主要问题及改进措施", "问题" },
	{ "政府信息依申请公开工作情况", "申请" },
	{ "依申请公开政府信息工作情况", "申请" },
	{ "政府信息依申请公开情况", "申请" },
	{ "政府信息公开行政复议、行政诉讼情况", "复议诉讼" },
	{ "政府信息公开行政复议、行政诉讼的情况", "复议诉讼" },
	{ "因政府信息公开申请行政复议、提起行政诉讼的情况", "复议诉讼" },
	{ "因政府信息公开工作被申请行政复议和提起行政诉讼情况", "复议诉讼" },
	{ "因政府信息公开申请提起行政复议、行政诉讼的情况", "复议诉讼" },
	{ "行政复议、行政诉讼情况", "复议诉讼" },
	{ "政府信息公开的收费及减免情况", "收费" },
	{ "政府信息公开收费及减免情况", "收费" },
	{ "政府信息公开工作存在的主要问题及改进情况", "问题" },
	{ "存在的主要问题及改进情况", "问题" },
	{ "存在的主要问题和改进措施", "问题" },
	{ "政府信息公开工作存在的主要问题和改进措施", "问题" },
	{ "存在的主要问题及改进措施", "问题" },
	{ "政府信息公开工作存在的主要问题及改进措施", "问题" },
	{ "其他需要报告的事项", "其他" },
	{ "需要说明的其他事项", "其他" },
};

const char *gk_doc_section_key(const char *p, size_t n, size_t *len)
{
	const char *key = NULL;
	size_t best = 0;
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		size_t k = strlen(sections[i].name);
		if (k > best && starts_with(p, n, sections[i].name)) {
			best = k;
			key = sections[i].key;
		}
	}
	if (len)
		*len = best;
	return key;
}

/* Whether a section name is complete in itself. */
static bool ends_with_any(const char *p, size_t n)
{
	static const char *const ends[] = { "情况", "事项", "措施", "概述" };
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		size_t k = strlen(ends[i]);
		if (n >= k && !memcmp(p + n - k, ends[i], k))
			return true;
	}
	return false;
}

/* From at, the end of the clause: the next space, sentence mark or digit,
 * at most 30 characters on. */
static size_t clause_end(const char *p, size_t n, size_t at)
{
	size_t chars = 0;
	while (at < n && chars < 30) {
		uint32_t cp;
		size_t k = gk_utf8_decode(p + at, n - at, &cp);
		if (!k || cp == ' ' || cp == 0x3002 || cp == 0xFF0C ||
		    cp == 0xFF1A || cp == ':' || (cp >= '0' && cp <= '9') ||
		    cp == 0xFF08 || cp == '(')
			break;
		at += k;
		chars++;
	}
	return at;
}

/* Skips the punctuation between a heading and the text after it. */
static void strip_heading_start(const char **p, size_t *n)
{
	static const char *marks[] = { "。", "：", ":", "，", " " };
	bool again = true;
	while (again && *n) {
		again = false;
		for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
			if (starts_with(*p, *n, marks[i])) {
				*p += strlen(marks[i]);
				*n -= strlen(marks[i]);
				again = true;
			}
	}
}

typedef struct heading_match {
	int level;  /* 0: not a heading; -1: Markdown heading, no numbering */
	int hashes; /* Markdown '#' count */
	const char *text;
	size_t len;
	bool has_body; /* the line goes on after the heading, as a paragraph */
} heading_match;

/* Decides whether a trimmed line is a heading. A numbered line is one when
 * it is short, or when its first clause (up to 。 or ：) is: "（一）主动公开
 * 情况。为切实提高……" heads a section and starts its first paragraph. Lines
 * with tabs are table rows, whatever their numbering. */
static heading_match match_heading(const char *p, size_t n)
{
	heading_match m = { 0, 0, p, n, false };
	size_t i = 0;
	while (i < n && p[i] == '#')
		i++;
	if (i > 0 && i <= 6 && (i == n || p[i] == ' ')) {
		m.hashes = (int)i;
		p += i;
		n -= i;
		gk_utf8_trim(&p, &n);
		/* "### **三、……**": emphasis around the whole heading. */
		while (n >= 4 && starts_with(p, n, "**") &&
		       !memcmp(p + n - 2, "**", 2)) {
			p += 2;
			n -= 4;
			gk_utf8_trim(&p, &n);
		}
		if (!n)
			return m;
	} else if (memchr(p, '\t', n) || find(p, n, "   ")) {
		/* A table row: tab-separated, or laid out with spaces. */
		return m;
	}
	size_t numlen = 0;
	int level = numbering(p, n, &numlen);
	if (!level && is_article_item(p, n))
		level = 2;
	/* A table row whose numbers ran together ("四、结转下年度继续办理
	 * 0000000"): not a heading. */
	size_t digits = 0;
	while (digits < n && p[n - 1 - digits] >= '0' &&
	       p[n - 1 - digits] <= '9')
		digits++;
	bool rowlike = !m.hashes && digits >= 3 && digits < n;
	m.text = p;
	m.len = n;
	if (!level) {
		m.level = m.hashes ? -1 : 0;
		return m;
	}
	/* A standard section's name, with the text going on after it in the
	 * same line (crawled pages run headings into their paragraphs). */
	size_t name_len = 0, gap = numlen;
	while (gap < n && p[gap] == ' ')
		gap++;
	/* A short line is a heading whole ("六、需要说明的其他事项与附表"),
	 * unless a sentence follows the name ("六、其他需要报告的事项无。"). */
	bool whole = m.hashes || (gk_utf8_count(p, n) <= HEADING_MAX &&
	                          !(n >= 3 && !memcmp(p + n - 3, "。", 3)));
	const char *key =
	    level <= 2 ? gk_doc_section_key(p + gap, n - gap, &name_len) : NULL;
	/* "六、其他需要报告的事项 无其他需要报告的事项": a space after the name
	 * starts the text. */
	if (key && !m.hashes && gap + name_len < n && p[gap + name_len] == ' ')
		whole = false;
	if (key && !whole) {
		m.level = level;
		m.len = gap + name_len;
		/* A name that is only the start of a heading ("依申请公开、
		 * 不予公开及咨询政府信息情况") runs on to the clause's end. */
		if (!ends_with_any(p + gap, name_len))
			m.len = clause_end(p, n, m.len);
		const char *rest = p + m.len;
		size_t rn = n - m.len;
		strip_heading_start(&rest, &rn);
		m.has_body = rn > 0;
		return m;
	}
	if (rowlike)
		return m;
	size_t chars = gk_utf8_count(p, n);
	if (m.hashes || chars <= HEADING_MAX) {
		const char *stop = find(p, n, "。");
		if (m.hashes || !stop || stop + 3 == p + n) {
			m.level = level;
			strip_heading_end(p, &m.len);
			return m;
		}
	}
	/* A long line: its first clause may still be a heading. */
	static const char *clause_ends[] = { "。", "：", ":" };
	const char *best = NULL;
	for (size_t k = 0; k < 3; k++) {
		const char *e = find(p + numlen, n - numlen, clause_ends[k]);
		if (e && (!best || e < best))
			best = e;
	}
	/* Or a space ends it, as in crawled pages: "二、重点领域政府信息公开
	 * 情况 为……". */
	const char *sp = memchr(p + gap, ' ', n - gap);
	if (sp && sp > p + gap && (!best || sp < best) &&
	    !find(p + gap, (size_t)(sp - p - gap), "，"))
		best = sp;
	/* Or the heading runs into a sentence that starts with a year:
	 * "（一）基本情况2019年，我区……". */
	const char *at = NULL;
	if (find_year(p + numlen, n - numlen, &at) &&
	    gk_utf8_count(p + numlen, (size_t)(at - p - numlen)) <= 20 &&
	    at > p + numlen && (!best || at < best))
		best = at;
	if (best && gk_utf8_count(p, (size_t)(best - p)) <= HEADING_MAX &&
	    best > p + numlen) {
		m.level = level;
		m.len = (size_t)(best - p);
		m.has_body = true;
	}
	return m;
}

static const char *keep_string(parser *ps, const char *p, size_t n)
{
	gk_doc *d = ps->doc;
	if (d->nstrings == d->strings_cap) {
		size_t cap = d->strings_cap ? d->strings_cap * 2 : 16;
		char **s = realloc(d->strings, cap * sizeof *s);
		if (!s)
			return NULL;
		d->strings = s;
		d->strings_cap = cap;
	}
	char *s = dup_n(p, n);
	if (s)
		d->strings[d->nstrings++] = s;
	return s;
}

static void record_heading(parser *ps, const char *text, unsigned line)
{
	gk_doc *d = ps->doc;
	if (d->nheadings == d->headings_cap) {
		size_t cap = d->headings_cap ? d->headings_cap * 2 : 16;
		gk_doc_heading *h = realloc(d->headings, cap * sizeof *h);
		if (!h) {
			ps->st =
			    gk_error_set(ps->err, GK_ENOMEM, "out of memory");
			return;
		}
		d->headings = h;
		d->headings_cap = cap;
	}
	const char *key = NULL;
	if (ps->depth == 1 && ps->stack[0].level == 1) {
		size_t hn = strlen(text), numlen = 0;
		numbering(text, hn, &numlen);
		while (numlen < hn && text[numlen] == ' ')
			numlen++;
		key = gk_doc_section_key(text + numlen, hn - numlen, NULL);
	}
	d->headings[d->nheadings++] =
	    (gk_doc_heading){ text, ps->depth - 1, line, key };
}

static bool is_caption(const char *p, size_t n)
{
	uint32_t cp;
	return (starts_with(p, n, "表") || starts_with(p, n, "图") ||
	        starts_with(p, n, "附表")) &&
	       n > 3 && gk_utf8_decode(p + 3, n - 3, &cp) &&
	       (is_cjk_numeral(cp) || (cp >= '0' && cp <= '9') || cp == ' ' ||
	        cp == 0xFF1A || cp == ':' || starts_with(p, n, "附表"));
}

/* The value of the CJK numeral at p (一 … 九十九), 0 if none. */
static int cjk_value(const char *p, size_t n)
{
	static const char digits[] = "一二三四五六七八九";
	int value = 0, cur = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = gk_utf8_decode(p + i, n - i, &cp);
		if (!k)
			break;
		if (cp == 0x5341) { /* 十 */
			value += (cur ? cur : 1) * 10;
			cur = 0;
		} else {
			const char *d = NULL;
			for (size_t j = 0; j < sizeof digits - 1; j += 3)
				if (!memcmp(digits + j, p + i, 3))
					d = digits + j;
			if (!d || k != 3)
				break;
			cur = (int)((d - digits) / 3) + 1;
		}
		i += k;
	}
	return value + cur;
}

static void push_heading(parser *ps, const heading_match *m, unsigned line)
{
	int level = m->level;
	if (level < 0) {
		/* Unnumbered Markdown heading: its '#' level is believed only
		 * relative to the last top-level heading. */
		bool top = ps->depth == 0 || ps->level1_hashes == 0 ||
		           m->hashes <= ps->level1_hashes;
		/* A table's or figure's caption (表二：…, 图 1) belongs to the
		 * section it stands in. */
		if (ps->depth && is_caption(m->text, m->len))
			top = false;
		level = top ? 1 : ps->stack[ps->depth - 1].level + 1;
	}
	while (ps->depth && ps->stack[ps->depth - 1].level >= level)
		ps->depth--;
	if (ps->depth == MAX_DEPTH)
		ps->depth--;
	const char *text = keep_string(ps, m->text, m->len);
	if (!text) {
		ps->st = gk_error_set(ps->err, GK_ENOMEM, "out of memory");
		return;
	}
	if (level == 1 && m->hashes)
		ps->level1_hashes = m->hashes;
	ps->stack[ps->depth++] = (heading){ level, text, m->hashes };
	record_heading(ps, text, line);
}

/* ---- passages ----------------------------------------------------------- */

static void add_passage(parser *ps, const char *p, size_t n, unsigned line,
                        unsigned page)
{
	gk_utf8_trim(&p, &n);
	while (n && p[n - 1] == '\n')
		n--;
	if (!n || ps->st)
		return;
	gk_doc *d = ps->doc;
	if (d->npassages == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		passage *np = realloc(d->passages, cap * sizeof *np);
		if (!np)
			goto oom;
		d->passages = np;
		d->cap = cap;
	}
	passage *ps_new = &d->passages[d->npassages];
	memset(ps_new, 0, sizeof *ps_new);
	ps_new->text = dup_n(p, n);
	ps_new->section = malloc((ps->depth ? ps->depth : 1) * sizeof(char *));
	if (!ps_new->text || !ps_new->section) {
		free(ps_new->text);
		free(ps_new->section);
		goto oom;
	}
	for (size_t i = 0; i < ps->depth; i++)
		ps_new->section[i] = ps->stack[i].text;
	const char *key = NULL;
	if (ps->depth && ps->stack[0].level == 1) {
		const char *h = ps->stack[0].text;
		size_t hn = strlen(h), numlen = 0;
		numbering(h, hn, &numlen);
		while (numlen < hn && h[numlen] == ' ')
			numlen++;
		key = gk_doc_section_key(h + numlen, hn - numlen, NULL);
	}
	ps_new->pub = (gk_doc_passage){ ps_new->text, n,    ps_new->section,
		                        ps->depth,    line, page,
		                        key };
	d->npassages++;
	return;
oom:
	ps->st = gk_error_set(ps->err, GK_ENOMEM, "out of memory");
}

static bool is_sentence_end(uint32_t cp)
{
	return cp == 0x3002 /* 。 */ || cp == 0xFF01 /* ！ */ ||
	       cp == 0xFF1F /* ？ */ || cp == 0xFF1B /* ； */ || cp == '!' ||
	       cp == '?' || cp == ';';
}

/* Where to end the piece of p[0..n) that starts at 0: the first sentence
 * end past CUT_MIN characters, else the first line break, else CUT_MAX. */
static size_t cut_point(const char *p, size_t n)
{
	size_t i = 0, chars = 0, newline = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = gk_utf8_decode(p + i, n - i, &cp);
		if (!k)
			k = 1, cp = 0xFFFD;
		i += k;
		chars++;
		if (chars >= CUT_MIN) {
			if (is_sentence_end(cp))
				return i;
			if (cp == '\n' && !newline)
				newline = i;
		}
		if (chars >= CUT_MAX)
			return newline ? newline : i;
	}
	return n;
}

static bool is_row(const char *p, size_t n)
{
	return memchr(p, '\t', n) || (n && *p == '|') || find(p, n, "   ");
}

/* A Markdown table's |---|---| line. */
static bool is_rule_row(const char *p, size_t n)
{
	if (!n || *p != '|')
		return false;
	for (size_t i = 0; i < n; i++)
		if (p[i] != '|' && p[i] != '-' && p[i] != ':' && p[i] != ' ')
			return false;
	return true;
}

/* A paragraph that is a table (every line a row) becomes one passage per
 * row, each carrying the header row, so that a row is found by its
 * column names too and shown with them. Returns false when the paragraph
 * is not a table. */
static bool table_passages(parser *ps)
{
	const char *base = ps->para.data;
	size_t n = ps->para.len;
	if (ps->pl_n < 3)
		return false;
	for (size_t k = 0; k < ps->pl_n; k++) {
		size_t a = ps->pl_off[k];
		size_t b = k + 1 < ps->pl_n ? ps->pl_off[k + 1] - 1 : n;
		if (!is_row(base + a, b - a))
			return false;
	}
	size_t hdr_end = ps->pl_n > 1 ? ps->pl_off[1] - 1 : n;
	gk_buf row = GK_BUF_INIT(PARA_MAX);
	for (size_t k = 1; k < ps->pl_n && !ps->st; k++) {
		size_t a = ps->pl_off[k];
		size_t b = k + 1 < ps->pl_n ? ps->pl_off[k + 1] - 1 : n;
		if (is_rule_row(base + a, b - a))
			continue;
		gk_buf_reset(&row);
		if (gk_buf_append(&row, base, hdr_end) ||
		    gk_buf_appendc(&row, '\n') ||
		    gk_buf_append(&row, base + a, b - a)) {
			ps->st =
			    gk_error_set(ps->err, GK_ENOMEM, "out of memory");
			break;
		}
		add_passage(ps, row.data, row.len, ps->pl_no[k],
		            ps->pl_page[k]);
	}
	gk_buf_free(&row);
	return true;
}

static void end_paragraph(parser *ps)
{
	if (table_passages(ps)) {
		gk_buf_reset(&ps->para);
		ps->pl_n = 0;
		return;
	}
	const char *base = ps->para.data;
	size_t n = ps->para.len, at = 0;
	while (at < n && !ps->st) {
		/* The piece starts at its first character that is not space. */
		while (at < n && (base[at] == '\n' || base[at] == ' ' ||
		                  base[at] == '\t'))
			at++;
		if (at == n)
			break;
		const char *p = base + at;
		size_t left = n - at, cut = left;
		if (gk_utf8_count(p, left) > CUT_MAX + CUT_TAIL) {
			cut = cut_point(p, left);
			if (gk_utf8_count(p + cut, left - cut) <= CUT_TAIL)
				cut = left;
		}
		size_t k = 0;
		while (k + 1 < ps->pl_n && ps->pl_off[k + 1] <= at)
			k++;
		add_passage(ps, p, cut, ps->pl_n ? ps->pl_no[k] : 0,
		            ps->pl_n ? ps->pl_page[k] : 0);
		at += cut;
	}
	gk_buf_reset(&ps->para);
	ps->pl_n = 0;
}

static bool para_line(parser *ps, const src_line *ln)
{
	if (ps->pl_n == ps->pl_cap) {
		size_t cap = ps->pl_cap ? ps->pl_cap * 2 : 32;
		size_t *o = realloc(ps->pl_off, cap * sizeof *o);
		if (o)
			ps->pl_off = o;
		unsigned *a = realloc(ps->pl_no, cap * sizeof *a);
		if (a)
			ps->pl_no = a;
		unsigned *b = realloc(ps->pl_page, cap * sizeof *b);
		if (b)
			ps->pl_page = b;
		if (!o || !a || !b)
			return false;
		ps->pl_cap = cap;
	}
	ps->pl_off[ps->pl_n] = ps->para.len;
	ps->pl_no[ps->pl_n] = ln->no;
	ps->pl_page[ps->pl_n] = ln->page;
	ps->pl_n++;
	return true;
}

static void add_line(parser *ps, const src_line *ln)
{
	const char *p = ln->p;
	size_t n = ln->n;
	gk_utf8_trim(&p, &n);
	if (!n) {
		end_paragraph(ps);
		return;
	}
	heading_match m = match_heading(p, n);
	if (m.level == 1 && !m.hashes) {
		/* Top-level numbers only go up: a 三、 after 三、 or 五、 is a
		 * table's row label, not a section. */
		int v = cjk_value(m.text, m.len);
		if (v && v <= ps->last_top)
			m.level = 0;
		else if (v)
			ps->last_top = v;
	}
	if (m.level) {
		end_paragraph(ps);
		push_heading(ps, &m, ln->no);
		if (!m.has_body)
			return;
	}
	gk_status st = GK_OK;
	if (ps->para.len)
		st = gk_buf_appendc(&ps->para, '\n');
	if (!st && !para_line(ps, ln))
		st = GK_ENOMEM;
	if (!st)
		st = gk_buf_append(&ps->para, p, n);
	if (st)
		ps->st = gk_error_set(ps->err, st, "paragraph too long");
}

/* ---- metadata ----------------------------------------------------------- */

static bool is_report_title(const char *p, size_t n)
{
	return find(p, n, "年度报告") || find(p, n, "年报");
}

/* Finds "2023年" or "2023 年" (a year between 1990 and 2099) in p. Sets
 * *at to where the digits start. */
static int find_year(const char *p, size_t n, const char **at)
{
	for (size_t i = 0; i + 4 <= n; i++) {
		const char *q = p + i;
		if (!(q[0] >= '0' && q[0] <= '9' && q[1] >= '0' &&
		      q[1] <= '9' && q[2] >= '0' && q[2] <= '9' &&
		      q[3] >= '0' && q[3] <= '9'))
			continue;
		if (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9')
			continue;
		size_t j = i + 4;
		while (j < n && p[j] == ' ')
			j++;
		if (!starts_with(p + j, n - j, "年"))
			continue;
		int y = (q[0] - '0') * 1000 + (q[1] - '0') * 100 +
		        (q[2] - '0') * 10 + (q[3] - '0');
		if (y >= 1990 && y <= 2099) {
			*at = q;
			return y;
		}
	}
	return 0;
}

/* The fields of a crawler's header block. */
typedef struct header {
	char *title, *date, *url, *agency;
} header;

/* The value of a "key: value" line whose key is one of keys[], or NULL. */
static const char *header_field(const char *p, size_t n, const char *key,
                                size_t *vlen)
{
	size_t k = strlen(key);
	if (!starts_with(p, n, key))
		return NULL;
	p += k;
	n -= k;
	if (starts_with(p, n, ":"))
		p++, n--;
	else if (starts_with(p, n, "："))
		p += 3, n -= 3;
	else
		return NULL;
	gk_utf8_trim(&p, &n);
	*vlen = n;
	return p;
}

static void take(char **dst, const char *p, size_t n)
{
	if (!*dst && n)
		*dst = dup_n(p, n);
}

/* A crawler's header block ("标题: …" lines up to "==== 正文 ====", or
 * "title: …" lines up to "content: …"): reads its fields and returns the
 * index of the first body line, 0 when there is no block. A "content:"
 * line becomes the body's first line. */
static size_t header_block(src_line *lines, size_t nlines, header *h)
{
	size_t limit = nlines < 30 ? nlines : 30, end = 0;
	for (size_t i = 0; i < limit && !end; i++) {
		const src_line *ln = &lines[i];
		size_t vn;
		if (starts_with(ln->p, ln->n, "==") &&
		    find(ln->p, ln->n, "正文"))
			end = i + 1;
		else if (header_field(ln->p, ln->n, "content", &vn))
			end = i + 1;
	}
	if (!end)
		return 0;
	for (size_t j = 0; j < end; j++) {
		const char *p = lines[j].p, *v;
		size_t n = lines[j].n, vn;
		if ((v = header_field(p, n, "标题", &vn)) ||
		    (v = header_field(p, n, "title", &vn)))
			take(&h->title, v, vn);
		else if ((v = header_field(p, n, "发布时间", &vn)) ||
		         (v = header_field(p, n, "date", &vn)))
			take(&h->date, v, vn >= 10 ? 10 : vn);
		else if ((v = header_field(p, n, "原文链接", &vn)) ||
		         (v = header_field(p, n, "url", &vn)))
			take(&h->url, v, vn);
		else if ((v = header_field(p, n, "发布机构", &vn)))
			take(&h->agency, v, vn);
		else if ((v = header_field(p, n, "content", &vn)) && vn) {
			lines[j].p = v;
			lines[j].n = vn;
			return j;
		}
	}
	return end;
}

static void strip_hashes(const char **p, size_t *n)
{
	while (*n && **p == '#')
		(*p)++, (*n)--;
	gk_utf8_trim(p, n);
}

/* Without a report title, a first line that looks like a title (short,
 * not a sentence) is one; it is then not a passage. */
static size_t title_line(gk_doc *d, const src_line *lines, size_t first,
                         size_t nlines)
{
	for (size_t i = first; i < nlines; i++) {
		const char *p = lines[i].p;
		size_t n = lines[i].n;
		strip_hashes(&p, &n);
		if (!n)
			continue;
		size_t numlen;
		if (d->title || gk_utf8_count(p, n) > TITLE_MAX ||
		    memchr(p, '\t', n) || find(p, n, "。") ||
		    numbering(p, n, &numlen))
			return first;
		d->title = dup_n(p, n);
		return i + 1;
	}
	return first;
}

/* Finds the title among the first lines of the body. Returns the index of
 * the first line after the front matter (the title and the short lines
 * above it, such as the agency's name alone on a line). */
static size_t find_title(gk_doc *d, const src_line *lines, size_t first,
                         size_t nlines)
{
	size_t seen = 0;
	const char *prev = NULL;
	size_t prev_n = 0;
	bool all_short = true;
	for (size_t i = first; i < nlines && seen < 15; i++) {
		const char *p = lines[i].p;
		size_t n = lines[i].n;
		strip_hashes(&p, &n);
		if (!n)
			continue;
		seen++;
		size_t chars = gk_utf8_count(p, n);
		if (is_report_title(p, n) && chars <= TITLE_MAX &&
		    !find(p, n, "。")) {
			const char *at = NULL;
			int year = find_year(p, n, &at);
			const char *pat = NULL;
			/* The title may be wrapped: the agency alone on the
			 * line above ("洪泽区人民政府" / "2023 年…报告"), or
			 * the year and agency above the last words. */
			bool wrapped =
			    prev && all_short &&
			    ((year && at == p) ||
			     (!year && find_year(prev, prev_n, &pat)));
			if (!d->title) {
				if (wrapped && prev_n + n < 512) {
					char buf[512];
					memcpy(buf, prev, prev_n);
					memcpy(buf + prev_n, p, n);
					d->title = dup_n(buf, prev_n + n);
				} else {
					d->title = dup_n(p, n);
				}
			}
			return all_short ? i + 1 : first;
		}
		if (chars > FRONT_MAX)
			all_short = false;
		prev = p;
		prev_n = n;
	}
	return title_line(d, lines, first, nlines);
}

/* An annual information-disclosure report, by its title: a letter, a
 * notice or a comparison of reports mentions them but is none. */
static bool is_annual_report(const char *t, size_t n)
{
	static const char *not_reports[] = { "比对", "对比", "通知", "函",
		                             "意见", "办法", "要点", "规定" };
	if (!is_report_title(t, n) || !find(t, n, "公开"))
		return false;
	for (size_t i = 0; i < sizeof not_reports / sizeof not_reports[0]; i++)
		if (find(t, n, not_reports[i]))
			return false;
	return true;
}

/* The agency named in the title: before the year ("晋江市应急管理局 2023
 * 年…"), or after it ("2025 年上海市人民政府办公厅政府信息公开…"). */
static char *title_agency(const char *t, const char *at)
{
	const char *a = t;
	size_t an = (size_t)(at - t);
	gk_utf8_trim(&a, &an);
	if (!an) {
		a = strstr(at, "年") + strlen("年");
		if (starts_with(a, strlen(a), "度"))
			a += strlen("度");
		const char *end = strstr(a, "政府信息公开");
		if (!end)
			end = strstr(a, "信息公开");
		if (!end)
			end = strstr(a, "年度报告");
		an = end ? (size_t)(end - a) : 0;
		gk_utf8_trim(&a, &an);
	}
	size_t chars = gk_utf8_count(a, an);
	return chars >= 2 && chars <= 40 ? dup_n(a, an) : NULL;
}

static const char *const provinces[] = {
	"北京", "天津",   "上海", "重庆", "河北", "山西", "辽宁",
	"吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
	"山东", "河南",   "湖北", "湖南", "广东", "海南", "四川",
	"贵州", "云南",   "陕西", "甘肃", "青海", "台湾", "内蒙古",
	"广西", "西藏",   "宁夏", "新疆", "香港", "澳门",
};

/* The province the text names most often as a province ("福建省…"). */
static const char *text_province(const src_line *lines, size_t nlines)
{
	size_t best = 0, best_count = 0, seen = 0;
	size_t counts[sizeof provinces / sizeof provinces[0]] = { 0 };
	for (size_t i = 0; i < nlines && seen < 8000; i++) {
		const char *p = lines[i].p;
		size_t n = lines[i].n;
		seen += n;
		for (size_t k = 0; k < sizeof provinces / sizeof provinces[0];
		     k++) {
			char full[32];
			snprintf(full, sizeof full, "%s%s", provinces[k],
			         k < 4     ? "市"
			         : k >= 27 ? ""
			                   : "省");
			for (const char *q = p;
			     (q = find(q, (size_t)(p + n - q), full));
			     q += strlen(full))
				counts[k]++;
		}
	}
	for (size_t k = 0; k < sizeof provinces / sizeof provinces[0]; k++)
		if (counts[k] > best_count) {
			best = k;
			best_count = counts[k];
		}
	return best_count ? provinces[best] : NULL;
}

/* Region "province city county" from the agency's name and the text, as
 * far as they tell. */
static char *region_of(const char *agency, const src_line *lines, size_t nlines)
{
	gk_buf out = GK_BUF_INIT(256);
	const char *p = agency;
	size_t n = strlen(agency);
	const char *prov = NULL;
	for (size_t k = 0; k < sizeof provinces / sizeof provinces[0]; k++)
		if (starts_with(p, n, provinces[k])) {
			prov = provinces[k];
			p += strlen(prov);
			n -= strlen(prov);
			if (starts_with(p, n, "省") || starts_with(p, n, "市"))
				p += 3, n -= 3;
			break;
		}
	if (!prov)
		prov = text_province(lines, nlines);
	if (prov)
		gk_buf_append(&out, prov, strlen(prov));
	/* Then a city (…市) and a county (…区 or …县) at the start. */
	static const char *const units[] = { "市", "区", "县" };
	for (size_t u = 0; u < 3; u++) {
		const char *e = NULL;
		for (size_t chars = 0, i = 0; i < n && chars < 8; chars++) {
			uint32_t cp;
			size_t k = gk_utf8_decode(p + i, n - i, &cp);
			if (!k || !gk_utf8_is_cjk(cp))
				break;
			i += k;
			if (chars >= 1 && !memcmp(p + i - 3, units[u], 3)) {
				e = p + i;
				break;
			}
		}
		if (!e)
			continue;
		if (out.len)
			gk_buf_appendc(&out, ' ');
		gk_buf_append(&out, p, (size_t)(e - p));
		n -= (size_t)(e - p);
		p = e;
	}
	return out.len ? gk_buf_steal(&out) : (gk_buf_free(&out), NULL);
}

/* A date "2024年1月20日" among the last lines (the signature). */
static char *signature_date(const src_line *lines, size_t nlines)
{
	for (size_t i = nlines; i-- > 0 && i + 8 >= nlines;) {
		const char *p = lines[i].p, *at;
		size_t n = lines[i].n;
		int y = find_year(p, n, &at);
		if (!y || gk_utf8_count(p, n) > 20)
			continue;
		const char *q = strstr(at, "年") + 3;
		int mo = 0, da = 0;
		while (*q == ' ')
			q++;
		while (*q >= '0' && *q <= '9')
			mo = mo * 10 + (*q++ - '0');
		while (*q == ' ')
			q++;
		if (!starts_with(q, strlen(q), "月"))
			continue;
		q += 3;
		while (*q == ' ')
			q++;
		while (*q >= '0' && *q <= '9')
			da = da * 10 + (*q++ - '0');
		if (mo < 1 || mo > 12 || da < 1 || da > 31)
			continue;
		char buf[16];
		snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, da);
		return dup_n(buf, 10);
	}
	return NULL;
}

/* A place's name alone ("平潭综合实验区"), not a body's. */
static bool is_place(const char *a)
{
	static const char *const ends[] = {
		"区", "市", "县", "省", "镇", "乡"
	};
	size_t n = strlen(a);
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
		if (n > 3 && !memcmp(a + n - 3, ends[i], 3))
			return true;
	return false;
}

/* Whether the first lines of the text contain s. */
static bool text_has(const src_line *lines, size_t nlines, const char *s)
{
	size_t k = strlen(s);
	for (size_t i = 0; i < nlines && i < 200; i++)
		if (find(lines[i].p, lines[i].n, s) && k)
			return true;
	return false;
}

/* The body that governs a place named as the agency: the place's 管委会
 * or 人民政府 as the text names it, else the publisher of the crawler's
 * header. Takes ownership of place. */
static char *body_of_place(char *place, header *h, const src_line *lines,
                           size_t nlines)
{
	static const char *const bodies[] = { "管委会", "管理委员会",
		                              "人民政府" };
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		char buf[256];
		snprintf(buf, sizeof buf, "%s%s", place, bodies[i]);
		if (text_has(lines, nlines, buf) ||
		    (h->agency &&
		     starts_with(h->agency, strlen(h->agency), buf))) {
			free(place);
			return dup_n(buf, strlen(buf));
		}
	}
	return place;
}

/* "洪泽区人民政府" becomes "淮安市洪泽区人民政府" when the text names it so:
 * the fuller name is the one other reports use. Takes ownership of a. */
static char *with_city(char *a, const src_line *lines, size_t nlines)
{
	size_t an = strlen(a);
	for (size_t i = 0; i < nlines && i < 200; i++) {
		const char *p = lines[i].p;
		size_t n = lines[i].n;
		for (const char *q = p; (q = find(q, (size_t)(p + n - q), a));
		     q += an) {
			/* A city's name before it: most are two characters
			 * and 市 (淮安市). */
			size_t back = 9;
			if (q - p < (long)back || memcmp(q - 3, "市", 3) ||
			    starts_with(a, an, "市"))
				continue;
			const char *s = q - back;
			uint32_t cp;
			bool han = true;
			for (size_t k = 0; k < back; k += 3)
				han = han &&
				      gk_utf8_decode(s + k, 3, &cp) == 3 &&
				      gk_utf8_is_cjk(cp);
			if (!han || find(a, an, "市"))
				continue;
			char *full = malloc(back + an + 1);
			if (!full)
				return a;
			memcpy(full, s, back);
			memcpy(full + back, a, an + 1);
			free(a);
			return full;
		}
	}
	return a;
}

/* Type, agency, year, region and date. Agency and year only for annual
 * reports: a document of another kind gets none rather than a guess. */
static gk_status read_metadata(gk_doc *d, header *h, const src_line *lines,
                               size_t nlines)
{
	const char *t = d->title;
	size_t n = strlen(t);
	if (!d->date)
		d->date = signature_date(lines, nlines);
	d->is_report = is_annual_report(t, n);
	if (!d->is_report)
		return GK_OK;
	const char *at = NULL;
	d->year = find_year(t, n, &at);
	if (d->year)
		d->agency = title_agency(t, at);
	if (d->agency && is_place(d->agency))
		d->agency = body_of_place(d->agency, h, lines, nlines);
	if (!d->agency && h->agency) {
		d->agency = h->agency;
		h->agency = NULL;
	}
	if (d->agency)
		d->agency = with_city(d->agency, lines, nlines);
	if (d->agency)
		d->region = region_of(d->agency, lines, nlines);
	return GK_OK;
}

/* Titles lose the spaces a converter put between Chinese characters
 * ("…管理局2018年 政府信息公开…"): they are not part of the name. */
static void squeeze_title(char *t)
{
	size_t o = 0, n = strlen(t);
	uint32_t prev = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = gk_utf8_decode(t + i, n - i, &cp);
		if (!k)
			k = 1, cp = 0xFFFD;
		if (cp == ' ' && gk_utf8_is_cjk(prev)) {
			size_t j = i;
			while (j < n && t[j] == ' ')
				j++;
			uint32_t next = 0;
			if (j < n && gk_utf8_decode(t + j, n - j, &next) &&
			    gk_utf8_is_cjk(next)) {
				i = j;
				continue;
			}
		}
		memmove(t + o, t + i, k);
		o += k;
		i += k;
		prev = cp;
	}
	t[o] = '\0';
}

static char *base_title(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *b = slash ? slash + 1 : name;
	const char *dot = strrchr(b, '.');
	size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
	return dup_n(b, n);
}

/* ---- parsing ------------------------------------------------------------ */

static gk_status check_text(const char *name, const char *text, size_t len,
                            gk_error *err)
{
	size_t bad;
	if (!gk_utf8_valid(text, len, &bad)) {
		unsigned lineno = 1;
		for (size_t i = 0; i < bad; i++)
			lineno += text[i] == '\n';
		return gk_error_set(err, GK_EFORMAT,
		                    "%s: not valid UTF-8 text (byte 0x%02X at "
		                    "offset %zu, line %u)",
		                    name, (unsigned char)text[bad], bad,
		                    lineno);
	}
	const char *nul = memchr(text, '\0', len);
	if (nul)
		return gk_error_set(err, GK_EFORMAT,
		                    "%s: binary data, not text (NUL byte at "
		                    "offset %zu)",
		                    name, (size_t)(nul - text));
	for (size_t i = 0; i < len;) {
		size_t k = gk_utf8_space_len(text + i, len - i);
		if (!k && text[i] != '\n')
			return GK_OK;
		i += k ? k : 1;
	}
	return gk_error_set(
	    err, GK_EFORMAT,
	    len ? "%s: no text (only white space)" : "%s: empty file", name);
}

gk_status gk_doc_parse(gk_doc **out, const char *name, const char *text,
                       size_t len, gk_error *err)
{
	return gk_doc_parse_hinted(out, name, text, len, NULL, err);
}

/* An HTML <title> without the site's suffix ("…报告_政府信息公开年报_…"). */
static char *hint_title(const char *hint)
{
	if (!hint)
		return NULL;
	const char *p = hint;
	size_t n = strlen(hint);
	const char *us = memchr(p, '_', n);
	if (us)
		n = (size_t)(us - p);
	const char *bar = find(p, n, " - ");
	if (bar)
		n = (size_t)(bar - p);
	gk_utf8_trim(&p, &n);
	return n ? dup_n(p, n) : NULL;
}

gk_status gk_doc_parse_hinted(gk_doc **out, const char *name, const char *text,
                              size_t len, const char *title_hint, gk_error *err)
{
	*out = NULL;
	if (starts_with(text, len, "\xef\xbb\xbf")) {
		text += 3;
		len -= 3;
	}
	gk_status st = check_text(name, text, len, err);
	if (st)
		return st;
	gk_doc *d = calloc(1, sizeof *d);
	gk_doc__lines cl;
	if (!d || gk_doc__clean(text, len, &cl)) {
		free(d);
		return gk_error_set(err, GK_ENOMEM, "%s: out of memory", name);
	}
	const src_line *lines = cl.v;
	size_t nlines = cl.n;
	parser ps = { .doc = d, .para = GK_BUF_INIT(PARA_MAX), .err = err };
	header h = { NULL, NULL, NULL, NULL };
	size_t first = header_block(cl.v, nlines, &h);
	d->title = h.title;
	d->date = h.date;
	d->url = h.url;
	size_t body = first;
	first = find_title(d, lines, first, nlines);
	/* A page's <title> stands in when the text shows no report title,
	 * or names the report better than the text's first line does. */
	char *hinted = hint_title(title_hint);
	if (hinted &&
	    (!d->title || (!is_report_title(d->title, strlen(d->title)) &&
	                   is_report_title(hinted, strlen(hinted))))) {
		free(d->title);
		d->title = hinted;
		hinted = NULL;
		first = body;
	}
	free(hinted);
	if (!d->title)
		d->title = base_title(name);
	else
		squeeze_title(d->title);
	if (!d->title || read_metadata(d, &h, lines, nlines)) {
		ps.st = gk_error_set(err, GK_ENOMEM, "out of memory");
	}
	for (size_t i = first; i < nlines && !ps.st; i++)
		add_line(&ps, &lines[i]);
	if (!ps.st)
		end_paragraph(&ps);
	/* A file that is all title still has to be found: the title is its
	 * passage. */
	if (!ps.st && !d->npassages)
		add_passage(&ps, d->title, strlen(d->title),
		            nlines ? lines[0].no : 1, 0);
	gk_buf_free(&ps.para);
	free(ps.pl_off);
	free(ps.pl_no);
	free(ps.pl_page);
	gk_doc__lines_free(&cl);
	free(h.agency);
	if (ps.st) {
		gk_error_prefix(err, "%s: ", name);
		gk_doc_free(d);
		return ps.st;
	}
	*out = d;
	return GK_OK;
}

void gk_doc_free(gk_doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->npassages; i++) {
		free(d->passages[i].text);
		free(d->passages[i].section);
	}
	free(d->passages);
	free(d->headings);
	for (size_t i = 0; i < d->nstrings; i++)
		free(d->strings[i]);
	free(d->strings);
	free(d->title);
	free(d->agency);
	free(d->region);
	free(d->date);
	free(d->url);
	free(d->format);
	free(d->charset);
	free(d->sha256);
	free(d);
}

const char *gk_doc_title(const gk_doc *d)
{
	return d->title;
}

const char *gk_doc_agency(const gk_doc *d)
{
	return d->agency;
}

int gk_doc_year(const gk_doc *d)
{
	return d->year;
}

size_t gk_doc_heading_count(const gk_doc *d)
{
	return d->nheadings;
}

const gk_doc_heading *gk_doc_heading_at(const gk_doc *d, size_t i)
{
	return i < d->nheadings ? &d->headings[i] : NULL;
}

gk_status gk_doc_set_source(gk_doc *d, const char *format, const char *charset,
                            const char *sha256, unsigned pages, gk_error *err)
{
	const char *in[3] = { format, charset, sha256 };
	char **dst[3] = { &d->format, &d->charset, &d->sha256 };
	for (size_t i = 0; i < 3; i++) {
		free(*dst[i]);
		*dst[i] = in[i] ? dup_n(in[i], strlen(in[i])) : NULL;
		if (in[i] && !*dst[i])
			return gk_error_set(err, GK_ENOMEM, "out of memory");
	}
	d->pages = pages;
	return GK_OK;
}

const char *gk_doc_format(const gk_doc *d)
{
	return d->format;
}

const char *gk_doc_charset(const gk_doc *d)
{
	return d->charset;
}

const char *gk_doc_sha256(const gk_doc *d)
{
	return d->sha256;
}

unsigned gk_doc_pages(const gk_doc *d)
{
	return d->pages;
}

const char *gk_doc_type(const gk_doc *d)
{
	return d->is_report ? "report" : "other";
}

const char *gk_doc_region(const gk_doc *d)
{
	return d->region;
}

const char *gk_doc_date(const gk_doc *d)
{
	return d->date;
}

const char *gk_doc_url(const gk_doc *d)
{
	return d->url;
}

size_t gk_doc_passage_count(const gk_doc *d)
{
	return d->npassages;
}

const gk_doc_passage *gk_doc_passage_at(const gk_doc *d, size_t i)
{
	return i < d->npassages ? &d->passages[i].pub : NULL;
}
