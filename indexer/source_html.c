/* The text of a web page: libxml2 parses it, the site's chrome is left out
 * and the main content is written as lines.
 *
 * Government sites wrap a report in 100–400 KB of menus, search boxes,
 * breadcrumbs, share buttons, related-article lists and footers. Three
 * steps keep it out:
 * 1. Elements that are never content (script, style, form controls, …)
 *    are dropped; elements that are chrome by their tag (nav, aside, a
 *    page-level header or footer, form), their class or id (nav, menu,
 *    breadcrumb, footer, share, …) or because they are hidden are dropped
 *    too — unless one holds more than half of the page's text, in which
 *    case it is the page (ASP.NET sites put everything in one <form>).
 * 2. The core is found by descending from <body> into the child that
 *    holds most (60 %) of the text outside links, as long as one does.
 *    This lands on the element whose children are the report's
 *    paragraphs. From there the output climbs back up to take in the
 *    title and date around the body, while what the climb adds stays
 *    small next to the core.
 * 3. Around the core, blocks made mostly of links (lists of related
 *    articles, tabs, attachments) are left out.
 *
 * All counts are of non-blank characters; each element's counts are kept
 * in an array the nodes point to through their _private field. */
#include <libxml/HTMLparser.h>
#include <libxml/globals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gk_buf.h"
#include "gk_utf8.h"
#include "source.h"

/* A child holding this share (percent) of its parent's text is where the
 * content is. */
#define DESCEND_PERCENT 60
/* The climb from the core stops before it adds more than this share
 * (percent) of the core's text, or this many characters for a short
 * core (whose title and metadata weigh more). */
#define CLIMB_PERCENT 25
#define CLIMB_CHARS   160
/* A table cell with more text than this is page layout, not data. */
#define LAYOUT_CELL_CHARS 200
/* Blocks after the core with no more characters than this are labels of
 * the site's widgets. */
#define SHORT_BLOCK_CHARS 4
/* Data tables nested deeper than this are written as plain blocks. */
#define MAX_TABLE_DEPTH 4
/* colspan beyond this many columns is ignored. */
#define MAX_COLUMNS 512
/* libxml2's tree costs a few hundred bytes per element: a page with more
 * tags than this (real ones have thousands) would take gigabytes. */
#define MAX_TAGS (1u << 19)
/* The deadline is checked every so many nodes. */
#define TIME_CHECK_NODES 4096

enum {
	F_DROP = 1,      /* never content: not even looked at */
	F_CHROME = 2,    /* looks like chrome */
	F_SKIP = 4,      /* chrome, and left out */
	F_ANCESTOR = 8,  /* contains the core */
	F_BLOCK = 16,    /* ends a line */
	F_PARA = 32,     /* a paragraph: an empty line after it */
	F_TABLE = 64,    /* a table */
	F_LINK = 128,    /* <a> */
	F_PRE = 256,     /* <pre> and friends */
	F_BR = 512,      /* <br> */
	F_HEADING = 1024 /* h1–h6: an empty line before too */
};

typedef struct info {
	size_t text;     /* non-blank characters outside links */
	size_t links;    /* non-blank characters inside links */
	unsigned tables; /* tables inside (not counting itself) */
	unsigned blocks; /* block elements and <br> inside */
	unsigned flags;
} info;

static info *info_of(const xmlNode *n)
{
	return n && n->type == XML_ELEMENT_NODE ? (info *)n->_private : NULL;
}

static bool is_name(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->name &&
	       strcmp((const char *)n->name, name) == 0;
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

#define IN_LIST(s, list) in_list((s), (list), sizeof(list) / sizeof *(list))

/* ---- Walking the tree without recursion (pages can nest deeply) ---- */

enum { WALK_SKIP = 0, WALK_DESCEND = 1, WALK_STOP = -1 };

typedef int (*enter_fn)(void *ctx, xmlNode *n);
typedef void (*leave_fn)(void *ctx, xmlNode *n);

/* Visits top and everything under it in document order: enter before the
 * children (its return value decides whether they are visited), leave
 * after them (also for nodes whose children were skipped). False when
 * enter stopped the walk. */
static bool walk(xmlNode *top, enter_fn enter, leave_fn leave, void *ctx)
{
	xmlNode *n = top;
	for (;;) {
		int r = enter(ctx, n);
		if (r == WALK_STOP)
			return false;
		if (r == WALK_DESCEND && n->children) {
			n = n->children;
			continue;
		}
		for (;;) {
			if (leave)
				leave(ctx, n);
			if (n == top)
				return true;
			if (n->next) {
				n = n->next;
				break;
			}
			n = n->parent;
		}
	}
}

/* ---- Step 1: classifying elements ---- */

static const char *const drop_tags[] = {
	"script",   "style",    "noscript", "template", "iframe", "frame",
	"frameset", "svg",      "head",     "title",    "select", "button",
	"input",    "textarea", "option",   "object",   "embed",  "canvas",
	"audio",    "video",    "map",      "applet",   "link",   "meta",
	"base",     "datalist", "dialog",   "img",      "area",   "source",
	"track",    "param",    "wbr",
};

static const char *const block_tags[] = {
	"address",   "article", "blockquote", "body",       "caption",
	"center",    "dd",      "details",    "dir",        "div",
	"dl",        "dt",      "fieldset",   "figcaption", "figure",
	"footer",    "form",    "h1",         "h2",         "h3",
	"h4",        "h5",      "h6",         "header",     "hgroup",
	"hr",        "html",    "legend",     "li",         "listing",
	"main",      "menu",    "nav",        "ol",         "p",
	"plaintext", "pre",     "section",    "summary",    "table",
	"tbody",     "td",      "tfoot",      "th",         "thead",
	"tr",        "ul",      "xmp",        "aside",      "noframes",
};

/* Words of class and id values that mark site chrome: English and the
 * pinyin abbreviations Chinese CMSs use (dh 导航, mbx 面包屑, fx 分享,
 * ewm 二维码, yqlj 友情链接, xglj 相关链接, bq 版权, wzdt 网站地图). */
static const char *const chrome_words[] = {
	"nav",       "navbar",     "navigation",  "menu",        "menus",
	"submenu",   "breadcrumb", "breadcrumbs", "crumb",       "crumbs",
	"sidebar",   "share",      "sharing",     "toolbar",     "search",
	"copyright", "login",      "qrcode",      "ewm",         "qr",
	"skip",      "friendlink", "links",       "link",        "related",
	"relnews",   "advert",     "ads",         "pagination",  "pager",
	"comment",   "comments",   "attachment",  "attachments", "download",
	"fav",       "dh",         "mbx",         "fx",          "yqlj",
	"xglj",      "bq",         "wzdt",
};

/* Chrome words that a content word in the same value overrides:
 * "article_header" is the article's own header, "print_content" the
 * part of the page meant to be printed. */
static const char *const weak_chrome_words[] = {
	"header", "foot", "footer", "banner", "top", "topbar", "print",
};

static const char *const content_words[] = {
	"article", "content", "detail", "zoom", "editor", "text",
	"title",   "body",    "main",   "trs",  "zw",     "doc",
};

static const char *const chrome_roles[] = {
	"navigation", "banner", "contentinfo", "search", "menu", "menubar",
};

/* Scans the words of a class or id value (split at anything that is not
 * a letter or digit, lower-cased) for chrome and content words. */
static void scan_words(const char *v, bool *chrome, bool *weak, bool *content)
{
	char word[32];
	size_t k = 0;
	for (const char *p = v;; p++) {
		char c = *p;
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		             (c >= '0' && c <= '9');
		if (alnum) {
			if (k + 1 < sizeof word)
				word[k++] =
				    (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a'
				                                : c);
			continue;
		}
		if (k) {
			word[k] = '\0';
			if (IN_LIST(word, chrome_words))
				*chrome = true;
			if (IN_LIST(word, weak_chrome_words))
				*weak = true;
			if (IN_LIST(word, content_words))
				*content = true;
			k = 0;
		}
		if (!c)
			break;
	}
}

/* True when a style attribute hides the element. */
static bool hidden_style(const char *s)
{
	char buf[256];
	size_t k = 0;
	for (; *s && k + 1 < sizeof buf; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			buf[k++] =
			    (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a'
			                                  : *s);
	buf[k] = '\0';
	return strstr(buf, "display:none") || strstr(buf, "visibility:hidden");
}

static bool chrome_attributes(xmlNode *n)
{
	bool chrome = false, weak = false, content = false;
	for (xmlAttr *a = n->properties; a; a = a->next) {
		if (!a->name || !a->children ||
		    a->children->type != XML_TEXT_NODE ||
		    !a->children->content) {
			if (a->name &&
			    strcmp((const char *)a->name, "hidden") == 0)
				return true;
			continue;
		}
		const char *an = (const char *)a->name;
		const char *v = (const char *)a->children->content;
		if (strcmp(an, "class") == 0 || strcmp(an, "id") == 0)
			scan_words(v, &chrome, &weak, &content);
		else if (strcmp(an, "role") == 0 && IN_LIST(v, chrome_roles))
			chrome = true;
		else if (strcmp(an, "style") == 0 && hidden_style(v))
			return true;
		else if (strcmp(an, "hidden") == 0)
			return true;
	}
	return chrome || (weak && !content);
}

/* A <header> or <footer> inside an article or section belongs to it (the
 * title of the report may be there); elsewhere it is the page's. Only so
 * many levels are looked at, lest deeply nested headers take quadratic
 * time. */
static bool sectioning_ancestor(const xmlNode *n)
{
	int depth = 0;
	for (n = n->parent; n && n->type == XML_ELEMENT_NODE && depth < 64;
	     n = n->parent, depth++)
		if (is_name(n, "article") || is_name(n, "section") ||
		    is_name(n, "main"))
			return true;
	return false;
}

static unsigned classify(xmlNode *n)
{
	const char *name = (const char *)n->name;
	if (!name)
		return F_DROP;
	if (IN_LIST(name, drop_tags))
		return F_DROP;
	unsigned f = 0;
	if (IN_LIST(name, block_tags))
		f |= F_BLOCK;
	if (strcmp(name, "p") == 0)
		f |= F_PARA;
	else if (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && !name[2])
		f |= F_PARA | F_HEADING;
	else if (strcmp(name, "table") == 0)
		f |= F_TABLE;
	else if (strcmp(name, "a") == 0)
		f |= F_LINK;
	else if (strcmp(name, "br") == 0)
		f |= F_BR;
	else if (strcmp(name, "pre") == 0 || strcmp(name, "xmp") == 0 ||
	         strcmp(name, "listing") == 0 || strcmp(name, "plaintext") == 0)
		f |= F_PRE;
	if (strcmp(name, "nav") == 0 || strcmp(name, "aside") == 0 ||
	    strcmp(name, "form") == 0)
		f |= F_CHROME;
	else if ((strcmp(name, "header") == 0 || strcmp(name, "footer") == 0) &&
	         !sectioning_ancestor(n))
		f |= F_CHROME;
	if (chrome_attributes(n))
		f |= F_CHROME;
	return f;
}

/* ---- Counting text ---- */

/* Non-blank characters in UTF-8 text (NBSP counts as blank). */
static size_t count_chars(const char *p)
{
	size_t k = 0;
	for (const unsigned char *s = (const unsigned char *)p; *s; s++) {
		unsigned char c = *s;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f' || (c & 0xC0) == 0x80)
			continue;
		if (c == 0xC2 && s[1] == 0xA0)
			continue;
		k++;
	}
	return k;
}

typedef struct page {
	const gk_src__job *job;
	xmlDoc *doc;
	info *infos;
	size_t ninfo, cap;
	size_t steps;
	bool timeout;
	unsigned exclude; /* flags whose subtrees counting skips */
} page;

static bool tick(page *pg)
{
	if (++pg->steps % TIME_CHECK_NODES == 0 && gk_src__over_time(pg->job))
		pg->timeout = true;
	return !pg->timeout;
}

static int count_elements(void *ctx, xmlNode *n)
{
	page *pg = ctx;
	if (n->type == XML_ELEMENT_NODE)
		pg->cap++;
	return tick(pg) ? WALK_DESCEND : WALK_STOP;
}

static int attach_info(void *ctx, xmlNode *n)
{
	page *pg = ctx;
	if (!tick(pg))
		return WALK_STOP;
	if (n->type != XML_ELEMENT_NODE) {
		if (n->type != XML_DOCUMENT_NODE &&
		    n->type != XML_HTML_DOCUMENT_NODE)
			n->_private = NULL;
		return WALK_DESCEND;
	}
	if (pg->ninfo >= pg->cap)
		return WALK_STOP;
	info *in = &pg->infos[pg->ninfo++];
	in->flags = classify(n);
	n->_private = in;
	return WALK_DESCEND;
}

static int count_enter(void *ctx, xmlNode *n)
{
	page *pg = ctx;
	if (!tick(pg))
		return WALK_STOP;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		info *p = info_of(n->parent);
		if (p && n->content)
			p->text += count_chars((const char *)n->content);
		return WALK_SKIP;
	}
	info *in = info_of(n);
	if (!in)
		return n->type == XML_DOCUMENT_NODE ||
		               n->type == XML_HTML_DOCUMENT_NODE
		           ? WALK_DESCEND
		           : WALK_SKIP;
	in->text = in->links = 0;
	in->tables = in->blocks = 0;
	return (in->flags & pg->exclude) ? WALK_SKIP : WALK_DESCEND;
}

static void count_leave(void *ctx, xmlNode *n)
{
	page *pg = ctx;
	info *in = info_of(n);
	if (!in || (in->flags & pg->exclude))
		return;
	if (in->flags & F_LINK) {
		in->links += in->text;
		in->text = 0;
	}
	info *p = info_of(n->parent);
	if (p) {
		p->text += in->text;
		p->links += in->links;
		p->tables += in->tables + ((in->flags & F_TABLE) ? 1 : 0);
		p->blocks +=
		    in->blocks + ((in->flags & (F_BLOCK | F_BR)) ? 1 : 0);
	}
}

static bool count(page *pg, xmlNode *root, unsigned exclude)
{
	pg->exclude = exclude;
	return walk(root, count_enter, count_leave, pg);
}

/* Marks as F_SKIP the chrome that does not hold the page. */
static void decide_chrome(page *pg, size_t total)
{
	for (size_t i = 0; i < pg->ninfo; i++) {
		info *in = &pg->infos[i];
		if ((in->flags & F_CHROME) && in->text * 2 <= total)
			in->flags |= F_SKIP;
	}
}

/* ---- Step 2: the core ---- */

/* The table's rows: its tr children and those of its row groups. Calls fn
 * for each; stops early when fn returns false. */
typedef bool (*row_fn)(void *ctx, xmlNode *tr);

static bool each_row(xmlNode *table, row_fn fn, void *ctx)
{
	for (xmlNode *c = table->children; c; c = c->next) {
		if (is_name(c, "tr")) {
			if (!fn(ctx, c))
				return false;
		} else if (is_name(c, "tbody") || is_name(c, "thead") ||
		           is_name(c, "tfoot")) {
			for (xmlNode *r = c->children; r; r = r->next)
				if (is_name(r, "tr") && !fn(ctx, r))
					return false;
		}
	}
	return true;
}

static bool is_cell(const xmlNode *n)
{
	return is_name(n, "td") || is_name(n, "th");
}

typedef struct layout_scan {
	size_t rows, cells;
	bool layout;
} layout_scan;

static bool scan_row(void *ctx, xmlNode *tr)
{
	layout_scan *ls = ctx;
	ls->rows++;
	for (xmlNode *c = tr->children; c; c = c->next) {
		info *in = info_of(c);
		if (!in || !is_cell(c))
			continue;
		if (in->text + in->links > 0)
			ls->cells++;
		if (in->tables > 0 ||
		    in->text + in->links > LAYOUT_CELL_CHARS) {
			ls->layout = true;
			return false;
		}
	}
	return true;
}

/* A table used to lay out the page rather than to hold data: a cell holds
 * another table or a text longer than data ever is, or a single cell has
 * any text. Written as blocks, one line per cell. */
static bool layout_by_content(xmlNode *table)
{
	layout_scan ls = { 0, 0, false };
	each_row(table, scan_row, &ls);
	return ls.layout || ls.cells <= 1;
}

static xmlNode *find_body(xmlDoc *doc)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	if (!root)
		return NULL;
	for (xmlNode *c = root->children; c; c = c->next)
		if (is_name(c, "body"))
			return c;
	return root;
}

static xmlNode *find_core(xmlNode *body)
{
	xmlNode *cur = body;
	for (;;) {
		info *ci = info_of(cur);
		if (!ci || ci->text == 0)
			return cur;
		if ((ci->flags & F_TABLE) && !layout_by_content(cur))
			return cur;
		xmlNode *best = NULL;
		size_t best_text = 0;
		for (xmlNode *c = cur->children; c; c = c->next) {
			info *in = info_of(c);
			if (in && !(in->flags & (F_DROP | F_SKIP)) &&
			    in->text > best_text) {
				best = c;
				best_text = in->text;
			}
		}
		/* A single paragraph can hold most of a short page; the
		 * core is what holds the paragraphs. */
		if (!best || best_text * 100 < ci->text * DESCEND_PERCENT ||
		    info_of(best)->blocks == 0)
			return cur;
		cur = best;
	}
}

static xmlNode *climb(xmlNode *core, xmlNode *body)
{
	size_t core_text = info_of(core)->text;
	xmlNode *top = core;
	while (top != body && info_of(top->parent)) {
		xmlNode *p = top->parent;
		size_t extra = info_of(p)->text - core_text;
		if (extra * 100 > core_text * CLIMB_PERCENT &&
		    extra > CLIMB_CHARS)
			break;
		top = p;
	}
	return top;
}

/* ---- Step 3: writing lines ---- */

typedef struct writer {
	gk_buf *out;
	int nl;        /* line breaks owed before the next text (0–2) */
	int tail_nl;   /* line breaks at the end of out */
	bool space;    /* collapsible white space owed */
	bool space_nl; /* ... which contained a line break */
	uint32_t last; /* last character written, '\n' at a line start */
	int pre;       /* inside <pre> */
	gk_status st;  /* sticky */
} writer;

static void w_init(writer *w, gk_buf *out)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	w->last = '\n';
}

static void w_put(writer *w, const char *p, size_t n)
{
	if (w->st == GK_OK)
		w->st = gk_buf_append(w->out, p, n);
}

/* Drops spaces at the end of the line (an &nbsp; alone on a line leaves
 * one) and counts the line breaks that then end the output. */
static void w_trim_spaces(writer *w)
{
	gk_buf *b = w->out;
	while (b->len && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	w->tail_nl = 0;
	while ((size_t)w->tail_nl < b->len && w->tail_nl < 2 &&
	       b->data[b->len - 1 - (size_t)w->tail_nl] == '\n')
		w->tail_nl++;
}

/* Settles owed line breaks and white space before next. */
static void w_flush(writer *w, uint32_t next)
{
	if (w->out->len == 0) {
		w->nl = 0;
		w->space = w->space_nl = false;
		return;
	}
	if (w->nl > w->tail_nl) {
		w_trim_spaces(w);
		while (w->tail_nl < w->nl) {
			w_put(w, "\n", 1);
			w->tail_nl++;
		}
		w->last = '\n';
	} else if (w->space && w->last != '\n' && w->last != ' ' &&
	           w->last != '\t' &&
	           !(w->space_nl && gk_utf8_is_cjk(w->last) &&
	             gk_utf8_is_cjk(next))) {
		w_put(w, " ", 1);
		w->last = ' ';
	}
	w->nl = 0;
	w->space = w->space_nl = false;
}

static void w_char(writer *w, uint32_t cp, const char *p, size_t n)
{
	w_flush(w, cp);
	w_put(w, p, n);
	w->last = cp;
	w->tail_nl = 0;
}

static void w_block(writer *w, int nl)
{
	if (w->nl < nl)
		w->nl = nl;
}

static void w_break(writer *w)
{
	int have = w->nl > w->tail_nl ? w->nl : w->tail_nl;
	w->nl = have < 2 ? have + 1 : 2;
	w->space = w->space_nl = false;
}

static void w_text(writer *w, const char *p)
{
	size_t n = strlen(p);
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\r') {
			i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\f') {
			if (w->pre) {
				if (c == '\n')
					w_break(w);
				else
					w_char(w, c, p + i, 1);
			} else {
				w->space = true;
				if (c == '\n')
					w->space_nl = true;
			}
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = gk_utf8_decode(p + i, n - i, &cp);
		if (!k) {
			i++; /* libxml2 hands out UTF-8; never mind odd bytes */
			continue;
		}
		if (cp == 0xA0)
			w_char(w, ' ', " ", 1);
		else if (cp != 0xFEFF && cp != 0x200B)
			w_char(w, cp, p + i, k);
		i += k;
	}
}

/* Writes a finished line (a table row) as it is. */
static void w_line(writer *w, const char *p, size_t n)
{
	w_block(w, 1);
	w_flush(w, '\t');
	w_put(w, p, n);
	w->last = 1; /* something that is neither space nor CJK */
	w->tail_nl = 0;
	w_block(w, 1);
}

/* Trailing white space gone, one final line break. */
static void w_end(writer *w)
{
	gk_buf *b = w->out;
	while (b->len &&
	       (b->data[b->len - 1] == ' ' || b->data[b->len - 1] == '\n'))
		b->data[--b->len] = '\0';
	if (b->len)
		w_put(w, "\n", 1);
}

typedef struct render {
	page *pg;
	writer *w;
	xmlNode *core;
	int in_core;
	bool after_core;
	int table_depth;
} render;

static void render_table(render *r, xmlNode *table);

static bool render_nodes(render *r, xmlNode *first);

/* Blocks outside the core made mostly of links (lists of related
 * articles, tabs, attachment lists) or, after the core, holding no more
 * than a short label (打印, 关闭, 附件下载, a sidebar's heading). */
static bool aside_block(const info *in, bool after_core)
{
	if (!(in->flags & F_BLOCK))
		return false;
	return (in->links > 0 && in->links >= in->text) ||
	       (after_core && in->text + in->links <= SHORT_BLOCK_CHARS);
}

static int render_enter(void *ctx, xmlNode *n)
{
	render *r = ctx;
	if (!tick(r->pg))
		return WALK_STOP;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content)
			w_text(r->w, (const char *)n->content);
		return WALK_SKIP;
	}
	info *in = info_of(n);
	if (!in)
		return WALK_SKIP;
	if (in->flags & (F_DROP | F_SKIP))
		return WALK_SKIP;
	if (n == r->core)
		r->in_core++;
	if (!r->in_core && !(in->flags & F_ANCESTOR) &&
	    aside_block(in, r->after_core))
		return WALK_SKIP;
	if (in->flags & F_BR) {
		w_break(r->w);
		return WALK_SKIP;
	}
	if ((in->flags & F_TABLE) && !(in->flags & F_ANCESTOR) &&
	    r->table_depth < MAX_TABLE_DEPTH && !layout_by_content(n)) {
		render_table(r, n);
		return WALK_SKIP;
	}
	if (in->flags & F_BLOCK)
		w_block(r->w, (in->flags & (F_HEADING | F_TABLE)) ? 2 : 1);
	if (in->flags & F_PRE) {
		w_block(r->w, 2);
		r->w->pre++;
	}
	return WALK_DESCEND;
}

static void render_leave(void *ctx, xmlNode *n)
{
	render *r = ctx;
	info *in = info_of(n);
	if (!in || (in->flags & (F_DROP | F_SKIP | F_BR)))
		return;
	if (n == r->core) {
		r->in_core--;
		r->after_core = true;
	}
	if (in->flags & F_PRE) {
		r->w->pre--;
		w_block(r->w, 2);
	} else if (in->flags & F_BLOCK) {
		w_block(r->w, (in->flags & (F_PARA | F_TABLE)) ? 2 : 1);
	}
}

/* Renders first and its following siblings. */
static bool render_nodes(render *r, xmlNode *first)
{
	for (xmlNode *c = first; c; c = c->next)
		if (!walk(c, render_enter, render_leave, r))
			return false;
	return true;
}

/* Cells of one table: rowspans pending per column. */
typedef struct pending {
	unsigned rows; /* rows still to fill */
	char *text;
} pending;

typedef struct grid {
	render *r;
	pending *pend;
	size_t npend;
	char **cells; /* the current row */
	size_t ncells, cellcap;
	gk_buf line;
	gk_status st;
} grid;

static char *dup_str(const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(n + 1);
	if (p)
		memcpy(p, s, n + 1);
	return p;
}

/* The text of a cell on one line: its inner line breaks and tabs become
 * spaces, runs of spaces one. */
static char *cell_text(render *r, xmlNode *cell, gk_status *st)
{
	gk_buf b = GK_BUF_INIT(r->pg->job->max_text);
	writer sub, *saved = r->w;
	w_init(&sub, &b);
	r->w = &sub;
	r->table_depth++;
	bool ok = render_nodes(r, cell->children);
	r->table_depth--;
	r->w = saved;
	if (sub.st != GK_OK)
		*st = sub.st;
	if (!ok || sub.st != GK_OK) {
		gk_buf_free(&b);
		return NULL;
	}
	char *s = gk_buf_steal(&b);
	if (!s) {
		*st = GK_ENOMEM;
		return NULL;
	}
	size_t o = 0;
	bool space = false;
	for (size_t i = 0; s[i]; i++) {
		char c = s[i];
		if (c == '\n' || c == '\t' || c == '\f' || c == ' ') {
			space = true;
			continue;
		}
		if (space && o > 0)
			s[o++] = ' ';
		space = false;
		s[o++] = c;
	}
	s[o] = '\0';
	return s;
}

static unsigned span_attr(xmlNode *cell, const char *name, unsigned max)
{
	xmlChar *v = xmlGetProp(cell, (const xmlChar *)name);
	if (!v)
		return 1;
	unsigned long n = 0;
	const char *p = (const char *)v;
	while (*p == ' ')
		p++;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (unsigned long)(*p - '0');
		if (n > max) {
			n = max;
			break;
		}
	}
	xmlFree(v);
	return n == 0 ? 1 : (unsigned)n;
}

static bool grid_set(grid *g, size_t col, char *text)
{
	if (!text) {
		g->st = GK_ENOMEM;
		return false;
	}
	if (col >= g->cellcap) {
		size_t cap = g->cellcap ? g->cellcap * 2 : 16;
		while (cap <= col)
			cap *= 2;
		char **c = realloc(g->cells, cap * sizeof *c);
		if (!c) {
			free(text);
			g->st = GK_ENOMEM;
			return false;
		}
		for (size_t i = g->cellcap; i < cap; i++)
			c[i] = NULL;
		g->cells = c;
		g->cellcap = cap;
	}
	free(g->cells[col]);
	g->cells[col] = text;
	if (col >= g->ncells)
		g->ncells = col + 1;
	return true;
}

/* Fills column col from a rowspan above, if one is pending there. */
static bool grid_take_pending(grid *g, size_t col)
{
	if (col >= g->npend || g->pend[col].rows == 0)
		return false;
	g->pend[col].rows--;
	grid_set(g, col, dup_str(g->pend[col].text));
	return true;
}

static bool grid_pend(grid *g, size_t col, unsigned rows, const char *text)
{
	if (col >= MAX_COLUMNS)
		return true;
	if (col >= g->npend) {
		pending *p = realloc(g->pend, (col + 1) * sizeof *p);
		if (!p) {
			g->st = GK_ENOMEM;
			return false;
		}
		for (size_t i = g->npend; i <= col; i++)
			p[i] = (pending){ 0, NULL };
		g->pend = p;
		g->npend = col + 1;
	}
	char *t = dup_str(text);
	if (!t) {
		g->st = GK_ENOMEM;
		return false;
	}
	free(g->pend[col].text);
	g->pend[col].text = t;
	g->pend[col].rows = rows;
	return true;
}

static bool grid_row(void *ctx, xmlNode *tr)
{
	grid *g = ctx;
	render *r = g->r;
	for (size_t i = 0; i < g->ncells; i++) {
		free(g->cells[i]);
		g->cells[i] = NULL;
	}
	g->ncells = 0;
	size_t col = 0;
	for (xmlNode *c = tr->children; c && g->st == GK_OK; c = c->next) {
		info *in = info_of(c);
		bool cell =
		    in && is_cell(c) && !(in->flags & (F_DROP | F_SKIP));
		/* Stray text or elements in a row are kept as cells of
		 * their own rather than lost. */
		bool stray =
		    !cell && (in ? !(in->flags & (F_DROP | F_SKIP)) &&
		                       in->text + in->links > 0
		                 : (c->type == XML_TEXT_NODE && c->content &&
		                    count_chars((const char *)c->content) > 0));
		if (!cell && !stray)
			continue;
		while (grid_take_pending(g, col))
			col++;
		char *text;
		if (cell) {
			text = cell_text(r, c, &g->st);
		} else {
			gk_buf b = GK_BUF_INIT(r->pg->job->max_text);
			writer sub, *saved = r->w;
			w_init(&sub, &b);
			r->w = &sub;
			bool ok = walk(c, render_enter, render_leave, r);
			r->w = saved;
			text = ok && sub.st == GK_OK ? gk_buf_steal(&b) : NULL;
			gk_buf_free(&b);
			if (!ok)
				return false;
		}
		if (!text) {
			if (g->st == GK_OK && r->pg->timeout)
				return false;
			if (g->st == GK_OK)
				g->st = GK_ENOMEM;
			return false;
		}
		unsigned cs = cell ? span_attr(c, "colspan", MAX_COLUMNS) : 1;
		unsigned rs = cell ? span_attr(c, "rowspan", 65534) : 1;
		if (col + cs > MAX_COLUMNS)
			cs = col < MAX_COLUMNS ? (unsigned)(MAX_COLUMNS - col)
			                       : 1;
		if (rs > 1)
			grid_pend(g, col, rs - 1, text);
		if (!grid_set(g, col, text))
			return false;
		for (unsigned k = 1; k < cs; k++) {
			if (rs > 1)
				grid_pend(g, col + k, rs - 1, "");
			if (!grid_set(g, col + k, dup_str("")))
				return false;
		}
		col += cs;
	}
	/* Rowspans from above reaching past the row's last cell. */
	for (size_t c = col; c < g->npend; c++)
		grid_take_pending(g, c);
	if (g->st != GK_OK)
		return false;

	bool any = false;
	gk_buf_reset(&g->line);
	for (size_t i = 0; i < g->ncells && g->st == GK_OK; i++) {
		const char *t = g->cells[i] ? g->cells[i] : "";
		if (*t)
			any = true;
		if (i)
			g->st = gk_buf_appendc(&g->line, '\t');
		if (g->st == GK_OK)
			g->st = gk_buf_append(&g->line, t, strlen(t));
	}
	if (g->st != GK_OK)
		return false;
	if (any)
		w_line(r->w, g->line.data, g->line.len);
	return r->w->st == GK_OK;
}

static void render_table(render *r, xmlNode *table)
{
	writer *w = r->w;
	grid g;
	memset(&g, 0, sizeof g);
	g.r = r;
	g.line = (gk_buf)GK_BUF_INIT(r->pg->job->max_text);
	w_block(w, 2);
	for (xmlNode *c = table->children; c && g.st == GK_OK; c = c->next) {
		if (is_name(c, "caption")) {
			r->table_depth++;
			bool ok = walk(c, render_enter, render_leave, r);
			r->table_depth--;
			w_block(w, 1);
			if (!ok)
				break;
		} else if (is_name(c, "tr")) {
			if (!grid_row(&g, c))
				break;
		} else if (is_name(c, "tbody") || is_name(c, "thead") ||
		           is_name(c, "tfoot")) {
			bool ok = true;
			for (xmlNode *rr = c->children; rr && ok; rr = rr->next)
				if (is_name(rr, "tr"))
					ok = grid_row(&g, rr);
			if (!ok)
				break;
		}
	}
	if (g.st != GK_OK && w->st == GK_OK)
		w->st = g.st;
	for (size_t i = 0; i < g.cellcap; i++)
		free(g.cells[i]);
	free(g.cells);
	for (size_t i = 0; i < g.npend; i++)
		free(g.pend[i].text);
	free(g.pend);
	gk_buf_free(&g.line);
	w_block(w, 2);
}

/* ---- The page ---- */

static char *page_title(xmlDoc *doc)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	xmlNode *head = NULL;
	for (xmlNode *c = root ? root->children : NULL; c; c = c->next)
		if (is_name(c, "head"))
			head = c;
	xmlNode *t = NULL;
	for (xmlNode *c = head ? head->children : NULL; c && !t; c = c->next)
		if (is_name(c, "title"))
			t = c;
	if (!t)
		return NULL;
	xmlChar *s = xmlNodeGetContent(t);
	if (!s)
		return NULL;
	gk_buf b = GK_BUF_INIT(4096);
	writer w;
	w_init(&w, &b);
	w_text(&w, (const char *)s);
	xmlFree(s);
	w_end(&w);
	if (b.len && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	if (w.st != GK_OK || b.len == 0) {
		gk_buf_free(&b);
		return NULL;
	}
	return gk_buf_steal(&b);
}

static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static gk_status extract(page *pg, gk_buf *out, gk_error *err)
{
	const char *name = pg->job->name;
	xmlNode *body = find_body(pg->doc);
	if (!body)
		return GK_OK; /* nothing but a doctype or comments */

	if (!walk(body, count_elements, NULL, pg))
		return gk_src__time_error(pg->job, err);
	pg->infos = calloc(pg->cap ? pg->cap : 1, sizeof *pg->infos);
	if (!pg->infos)
		return gk_error_set(err, GK_ENOMEM, "%s: out of memory", name);
	pg->steps = 0;
	if (!walk(body, attach_info, NULL, pg) || !count(pg, body, F_DROP))
		return gk_src__time_error(pg->job, err);
	info *bi = info_of(body);
	decide_chrome(pg, bi->text);
	if (!count(pg, body, F_DROP | F_SKIP))
		return gk_src__time_error(pg->job, err);

	xmlNode *core = find_core(body);
	xmlNode *top = climb(core, body);
	for (xmlNode *a = core->parent; a && info_of(a); a = a->parent)
		info_of(a)->flags |= F_ANCESTOR;

	writer w;
	w_init(&w, out);
	render r = { pg, &w, core, 0, false, 0 };
	bool ok = walk(top, render_enter, render_leave, &r);
	w_end(&w);
	if (!ok && pg->timeout)
		return gk_src__time_error(pg->job, err);
	if (w.st != GK_OK)
		return gk_error_set(err, w.st, "%s: text too large", name);
	return GK_OK;
}

gk_status gk_src__html(const gk_src__job *job, const char *html, size_t len,
                       gk_buf *out, char **title, gk_error *err)
{
	*title = NULL;
	if (len > INT_MAX)
		return gk_error_set(err, GK_EFORMAT, "%s: web page too large",
		                    job->name);
	size_t tags = 0;
	for (size_t i = 0; i + 1 < len; i++)
		if (html[i] == '<' &&
		    ((html[i + 1] >= 'a' && html[i + 1] <= 'z') ||
		     (html[i + 1] >= 'A' && html[i + 1] <= 'Z')))
			tags++;
	if (tags > MAX_TAGS)
		return gk_error_set(
		    err, GK_EFORMAT,
		    "%s: web page too complex (%zu tags; at most "
		    "%u)",
		    job->name, tags, MAX_TAGS);
	/* libxml2 reports some problems through its generic error handler,
	 * which prints; nothing here may print. */
	xmlGenericErrorFunc saved_fn = xmlGenericError;
	void *saved_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, silent);
	/* XML_PARSE_HUGE lifts libxml2's limit of 256 levels of nesting,
	 * beyond which it silently drops the rest of the page: unclosed
	 * <font> and <div> tags in old pages pile up that deep. The walks
	 * here need no stack, and MAX_TAGS bounds the tree. */
	htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
	xmlDoc *doc = NULL;
	if (ctxt)
		doc = htmlCtxtReadMemory(
		    ctxt, html, (int)len, NULL, "UTF-8",
		    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
		        HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
		        HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE);
	xmlSetGenericErrorFunc(saved_ctx, saved_fn);
	if (ctxt)
		htmlFreeParserCtxt(ctxt);
	if (!doc) {
		if (!ctxt)
			return gk_error_set(err, GK_ENOMEM, "%s: out of memory",
			                    job->name);
		return GK_OK; /* nothing a parser could make a tree of */
	}
	page pg;
	memset(&pg, 0, sizeof pg);
	pg.job = job;
	pg.doc = doc;
	gk_status st = GK_OK;
	if (gk_src__over_time(job))
		st = gk_src__time_error(job, err);
	else
		st = extract(&pg, out, err);
	if (st == GK_OK) {
		*title = page_title(doc);
	}
	free(pg.infos);
	xmlFreeDoc(doc);
	return st;
}
