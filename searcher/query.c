#include "query.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gk_buf.h"
#include "gk_schema.h"
#include "gk_stats.h"
#include "gk_utf8.h"

/* Nesting deeper than this is refused rather than recursed into. */
#define MAX_DEPTH 32

typedef struct parser {
	const char *q;
	size_t n, i;
	int depth;
	gk_status st; /* sticky: set once, everything after is a no-op */
	gk_error *err;
} parser;

static size_t column(const parser *p, size_t at)
{
	return gk_utf8_count(p->q, at) + 1;
}

static void fail(parser *p, size_t at, const char *what)
{
	if (p->st)
		return;
	p->st = gk_error_set(p->err, GK_EQUERY, "%s (column %zu)", what,
	                     column(p, at));
}

static bool at(const parser *p, const char *s)
{
	size_t k = strlen(s);
	return p->n - p->i >= k && !memcmp(p->q + p->i, s, k);
}

static size_t space_at(const parser *p)
{
	if (p->i >= p->n)
		return 0;
	char c = p->q[p->i];
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
		return 1;
	return at(p, "\xe3\x80\x80") ? 3 : 0;
}

static void skip_ws(parser *p)
{
	size_t k;
	while ((k = space_at(p)) > 0)
		p->i += k;
}

static size_t lparen(const parser *p)
{
	return at(p, "(") ? 1 : at(p, "（") ? 3 : 0;
}

static size_t rparen(const parser *p)
{
	return at(p, ")") ? 1 : at(p, "）") ? 3 : 0;
}

/* The closing quote for an opening quote at the cursor, or NULL. */
static const char *quote(const parser *p, size_t *open)
{
	static const char *const pairs[][2] = {
		{ "\"", "\"" }, { "“", "”" }, { "「", "」" }, { "＂", "＂" }
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		if (at(p, pairs[i][0])) {
			*open = strlen(pairs[i][0]);
			return pairs[i][1];
		}
	return NULL;
}

static bool at_or(const parser *p)
{
	if (!at(p, "OR"))
		return false;
	size_t j = p->i + 2;
	if (j == p->n)
		return true;
	parser q = *p;
	q.i = j;
	return space_at(&q) || lparen(&q) || rparen(&q);
}

static qnode *node(parser *p, qn_kind kind, size_t where)
{
	qnode *n = calloc(1, sizeof *n);
	if (!n) {
		if (!p->st)
			p->st =
			    gk_error_set(p->err, GK_ENOMEM, "out of memory");
		return NULL;
	}
	n->kind = kind;
	n->field = QN_ANY_FIELD;
	n->col = column(p, where);
	return n;
}

static char *dup_n(parser *p, const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (!d) {
		if (!p->st)
			p->st =
			    gk_error_set(p->err, GK_ENOMEM, "out of memory");
		return NULL;
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static bool add_kid(parser *p, qnode *parent, qnode *kid)
{
	qnode **k =
	    realloc(parent->kids, (parent->nkids + 1) * sizeof *parent->kids);
	if (!k) {
		qn_free(kid);
		if (!p->st)
			p->st =
			    gk_error_set(p->err, GK_ENOMEM, "out of memory");
		return false;
	}
	parent->kids = k;
	parent->kids[parent->nkids++] = kid;
	return true;
}

/* A phrase at the cursor: its text between the quotes. */
static char *phrase(parser *p, size_t *len)
{
	size_t start = p->i, open = 0;
	const char *close = quote(p, &open);
	p->i += open;
	size_t from = p->i;
	const char *end = NULL;
	for (size_t j = p->i; j + strlen(close) <= p->n; j++)
		if (!memcmp(p->q + j, close, strlen(close))) {
			end = p->q + j;
			break;
		}
	if (!end) {
		fail(p, start, "missing closing quote for the phrase");
		return NULL;
	}
	*len = (size_t)(end - (p->q + from));
	p->i = (size_t)(end - p->q) + strlen(close);
	size_t k = 0;
	while (k < *len && (p->q[from + k] == ' '))
		k++;
	if (k == *len) {
		fail(p, start, "empty phrase");
		return NULL;
	}
	return dup_n(p, p->q + from, *len);
}

/* A bare word at the cursor: up to white space or a parenthesis. */
static size_t word_end(parser *p)
{
	parser q = *p;
	while (q.i < q.n && !space_at(&q) && !lparen(&q) && !rparen(&q))
		q.i++;
	return q.i;
}

static int parse_year(const char *s, size_t n)
{
	if (n != 4)
		return 0;
	int y = 0;
	for (size_t i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		y = y * 10 + (s[i] - '0');
	}
	return y >= 1900 && y <= 2100 ? y : 0;
}

static qnode *field_value(parser *p, const char *name, size_t start)
{
	size_t open = 0, vlen = 0;
	char *value = NULL;
	size_t vstart = p->i;
	if (quote(p, &open)) {
		value = phrase(p, &vlen);
	} else {
		size_t e = word_end(p);
		vlen = e - p->i;
		if (!vlen) {
			char msg[64];
			snprintf(msg, sizeof msg, "%s: needs a value", name);
			fail(p, start, msg);
			return NULL;
		}
		value = dup_n(p, p->q + p->i, vlen);
		p->i = e;
	}
	if (!value)
		return NULL;
	qnode *n = NULL;
	if (!strcmp(name, "year")) {
		const char *dots = strstr(value, "..");
		int y1 =
		    parse_year(value, dots ? (size_t)(dots - value) : vlen);
		int y2 = dots ? parse_year(dots + 2, strlen(dots + 2)) : y1;
		if (!y1 || !y2 || y1 > y2)
			fail(p, vstart,
			     "year: needs a year such as 2023 or a range such "
			     "as "
			     "2019..2023");
		else if ((n = node(p, QN_YEAR, start)))
			n->y1 = y1, n->y2 = y2;
		free(value);
		return n;
	}
	if (!strcmp(name, "type")) {
		if (strcmp(value, "report") && strcmp(value, "other")) {
			fail(p, vstart, "type: is either report or other");
			free(value);
			return NULL;
		}
		n = node(p, QN_TYPE, start);
	} else if (!strcmp(name, "section")) {
		n = node(p, QN_SECTION, start);
	} else {
		n = node(p, QN_TEXT, start);
		if (n)
			n->field = !strcmp(name, "agency")   ? GK_FIELD_AGENCY
			           : !strcmp(name, "region") ? GK_FIELD_REGION
			                                     : GK_FIELD_TITLE;
	}
	if (!n) {
		free(value);
		return NULL;
	}
	n->text = value;
	return n;
}

/* ---- statistics filters: 申请.本年新收.总计>100 ------------------------- */

/* Whether the len bytes at s start like a statistics key. */
static bool stat_prefix(const char *s, size_t len)
{
	static const char *const prefixes[] = { "申请.", "主动.", "复议诉讼.",
		                                "旧表." };
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		size_t k = strlen(prefixes[i]);
		if (len > k && !memcmp(s, prefixes[i], k))
			return true;
	}
	return false;
}

/* The comparison operator at the cursor: its length (0 when none). */
static size_t op_at(const parser *p, qn_op *op)
{
	static const struct {
		const char *s;
		qn_op op;
	} ops[] = {
		{ ">=", QN_GE },   { "<=", QN_LE }, { "＞＝", QN_GE },
		{ "＜＝", QN_LE }, { "≥", QN_GE },  { "≤", QN_LE },
		{ "⩾", QN_GE },    { "⩽", QN_LE },  { ">", QN_GT },
		{ "<", QN_LT },    { "=", QN_EQ },  { "＞", QN_GT },
		{ "＜", QN_LT },   { "＝", QN_EQ },
	};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (at(p, ops[i].s)) {
			*op = ops[i].op;
			return strlen(ops[i].s);
		}
	return 0;
}

/* A number at the cursor, up to the end of the word: ASCII or full-width
 * digits, an optional sign and decimal point. */
static bool number_at(parser *p, double *out)
{
	size_t e = word_end(p);
	char buf[64];
	size_t n = 0;
	for (size_t j = p->i; j < e;) {
		unsigned char c = (unsigned char)p->q[j];
		char a = 0;
		size_t k = 1;
		if ((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+')
			a = (char)c;
		else if (e - j >= 3 && c == 0xEF &&
		         (unsigned char)p->q[j + 1] == 0xBC) {
			unsigned char d = (unsigned char)p->q[j + 2];
			k = 3;
			a = d >= 0x90 && d <= 0x99 ? (char)('0' + d - 0x90)
			    : d == 0x8E            ? '.'
			    : d == 0x8D            ? '-'
			    : d == 0x8B            ? '+'
			                           : 0;
		}
		if (!a || n + 1 >= sizeof buf)
			return false;
		buf[n++] = a;
		j += k;
	}
	if (!n)
		return false;
	buf[n] = '\0';
	char *end = NULL;
	double v = strtod(buf, &end);
	if (*end || !isfinite(v))
		return false;
	*out = v;
	p->i = e;
	return true;
}

/* KEY OP NUMBER at the cursor, the word ending at e. *word is set when it
 * is no filter after all (no operator, and no key either): the caller reads
 * it as a word. */
static qnode *stat_filter(parser *p, size_t start, size_t e, bool *word)
{
	*word = false;
	qn_op op = QN_EQ;
	size_t oplen = 0;
	parser c = *p;
	for (; c.i < e; c.i++)
		if ((oplen = op_at(&c, &op)) > 0)
			break;
	size_t key_end = c.i;
	if (!oplen) {
		/* "申请.本年新收.总计 > 100": the operator after a space. */
		skip_ws(&c);
		oplen = op_at(&c, &op);
	}
	size_t op_start = c.i;
	size_t klen = key_end - p->i;
	const char *key = p->q + p->i;
	int shown = (int)(klen > 120 ? 120 : klen);
	char msg[400];
	long idx = gk_stats_key_index(key, klen);
	if (!oplen && idx >= 0) {
		snprintf(msg, sizeof msg,
		         "'%.*s' needs a comparison such as >0 (>, >=, <, <=, "
		         "=)",
		         shown, key);
		fail(p, start, msg);
		return NULL;
	}
	if (!oplen && !gk_stats_key_valid(key, klen)) {
		*word = true;
		return NULL;
	}
	if (idx < 0) {
		if (gk_stats_key_valid(key, klen))
			snprintf(msg, sizeof msg,
			         "'%.*s' cannot be compared: only the keys of "
			         "the standard tables can (see 'gongkai stats "
			         "--help')",
			         shown, key);
		else
			snprintf(msg, sizeof msg,
			         "unknown statistics key '%.*s' (see 'gongkai "
			         "stats --help')",
			         shown, key);
		fail(p, start, msg);
		return NULL;
	}
	c.i += oplen;
	skip_ws(&c);
	size_t num_at = c.i;
	double num = 0;
	if (c.i >= c.n || !number_at(&c, &num)) {
		snprintf(msg, sizeof msg, "'%.*s': needs a number after '%.*s'",
		         shown, key, (int)oplen, p->q + op_start);
		fail(p, num_at, msg);
		return NULL;
	}
	qnode *n = node(p, QN_STAT, start);
	if (n && !(n->text = dup_n(p, key, klen))) {
		qn_free(n);
		return NULL;
	}
	if (!n)
		return NULL;
	n->stat = (size_t)idx;
	n->op = op;
	n->num = num;
	p->i = c.i;
	return n;
}

static qnode *parse_or(parser *p);

static qnode *primary(parser *p)
{
	size_t start = p->i, k, open = 0;
	if ((k = lparen(p)) > 0) {
		if (++p->depth > MAX_DEPTH) {
			fail(p, start, "parentheses nested too deep");
			return NULL;
		}
		p->i += k;
		qnode *inner = parse_or(p);
		skip_ws(p);
		if (!p->st && !(k = rparen(p)))
			fail(p, start, "missing ')' for this '('");
		if (!p->st && !inner)
			fail(p, start, "empty parentheses");
		p->depth--;
		if (p->st) {
			qn_free(inner);
			return NULL;
		}
		p->i += k;
		return inner;
	}
	if (quote(p, &open)) {
		size_t len;
		char *text = phrase(p, &len);
		qnode *n = text ? node(p, QN_TEXT, start) : NULL;
		if (n)
			n->text = text;
		else
			free(text);
		return n;
	}
	if (at_or(p)) {
		fail(p, start, "OR needs a word before it");
		return NULL;
	}
	size_t e = word_end(p);
	if (stat_prefix(p->q + p->i, e - p->i)) {
		bool word = false;
		qnode *n = stat_filter(p, start, e, &word);
		if (!word)
			return n;
	}
	/* field:value */
	static const char *const fields[] = { "agency",  "year", "region",
		                              "section", "type", "title" };
	for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
		size_t fl = strlen(fields[f]);
		if (e - p->i <= fl || strncmp(p->q + p->i, fields[f], fl))
			continue;
		parser c = *p;
		c.i += fl;
		size_t colon = at(&c, ":") ? 1 : at(&c, "：") ? 3 : 0;
		if (!colon)
			continue;
		p->i = c.i + colon;
		return field_value(p, fields[f], start);
	}
	/* An unknown name: before a colon is a mistyped field, not words;
	 * URLs (http://…) are words. */
	size_t j = p->i;
	while (j < e && ((p->q[j] >= 'a' && p->q[j] <= 'z') ||
	                 (p->q[j] >= 'A' && p->q[j] <= 'Z')))
		j++;
	if (j > p->i && j < e &&
	    (p->q[j] == ':' || (e - j >= 3 && !memcmp(p->q + j, "：", 3))) &&
	    !(e - j >= 3 && !memcmp(p->q + j, "://", 3))) {
		char msg[160];
		snprintf(msg, sizeof msg,
		         "unknown field '%.*s:' (fields: agency, year, region, "
		         "section, type, title)",
		         (int)(j - p->i > 40 ? 40 : j - p->i), p->q + p->i);
		fail(p, start, msg);
		return NULL;
	}
	qnode *n = node(p, QN_TEXT, start);
	if (n && !(n->text = dup_n(p, p->q + p->i, e - p->i))) {
		qn_free(n);
		return NULL;
	}
	p->i = e;
	return n;
}

static qnode *unary(parser *p)
{
	size_t start = p->i;
	bool neg = false;
	if (at(p, "-") || at(p, "－")) {
		p->i += at(p, "-") ? 1 : 3;
		if (p->i == p->n || space_at(p) || rparen(p)) {
			fail(p, start,
			     "'-' must be followed by a word to "
			     "exclude");
			return NULL;
		}
		neg = true;
	}
	qnode *n = primary(p);
	if (n && neg) {
		if (n->neg) {
			fail(p, start, "a word excluded twice");
			qn_free(n);
			return NULL;
		}
		n->neg = true;
		n->col = column(p, start);
	}
	return n;
}

static qnode *parse_and(parser *p)
{
	qnode *and = NULL, *first = NULL;
	for (;;) {
		skip_ws(p);
		if (p->st || p->i >= p->n || rparen(p) || at_or(p))
			break;
		qnode *n = unary(p);
		if (!n)
			break;
		if (!first) {
			first = n;
			continue;
		}
		if (!and) {
			and = node(p, QN_AND, 0);
			if (!and || !add_kid(p, and, first)) {
				qn_free(n);
				if (!and)
					qn_free(first);
				first = NULL;
				break;
			}
			and->col = first->col;
		}
		if (!add_kid(p, and, n))
			break;
	}
	if (p->st) {
		qn_free(and? and : first);
		return NULL;
	}
	return and? and : first;
}

static qnode *parse_or(parser *p)
{
	qnode *left = parse_and(p), * or = NULL;
	for (;;) {
		skip_ws(p);
		if (p->st || !at_or(p))
			break;
		size_t where = p->i;
		if (!left) {
			fail(p, where, "OR needs a word before it");
			break;
		}
		p->i += 2;
		qnode *right = parse_and(p);
		if (!right) {
			fail(p, where, "OR needs a word after it");
			break;
		}
		if (! or) {
			or = node(p, QN_OR, where);
			if (! or || !add_kid(p, or, left)) {
				qn_free(right);
				if (! or)
					qn_free(left);
				left = NULL;
				break;
			}
		}
		if (!add_kid(p, or, right))
			break;
	}
	if (p->st) {
		qn_free(or ? or : left);
		return NULL;
	}
	return or ? or : left;
}

/* Whether the tree asks for something, not only for what to leave out. */
static bool has_positive(const qnode *n)
{
	if (n->neg)
		return false;
	if (n->kind != QN_AND && n->kind != QN_OR)
		return true;
	for (size_t i = 0; i < n->nkids; i++) {
		bool pos = has_positive(n->kids[i]);
		if (n->kind == QN_OR && !pos)
			return false;
		if (n->kind == QN_AND && pos)
			return true;
	}
	return n->kind == QN_OR;
}

static const qnode *negated_in_or(const qnode *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		const qnode *k = n->kids[i];
		if (n->kind == QN_OR && k->neg)
			return k;
		const qnode *r = negated_in_or(k);
		if (r)
			return r;
	}
	return NULL;
}

gk_status qn_parse(const char *q, size_t len, qnode **out, gk_error *err)
{
	*out = NULL;
	size_t bad;
	if (!gk_utf8_valid(q, len, &bad))
		return gk_error_set(err, GK_EQUERY,
		                    "the query is not valid UTF-8 (byte %zu)",
		                    bad + 1);
	parser p = { q, len, 0, 0, GK_OK, err };
	qnode *n = parse_or(&p);
	skip_ws(&p);
	if (!p.st && p.i < p.n && rparen(&p))
		fail(&p, p.i, "')' without a '(' before it");
	if (!p.st && !n)
		p.st = gk_error_set(err, GK_EQUERY, "empty query");
	const qnode *bad_not = n && !p.st ? negated_in_or(n) : NULL;
	if (bad_not)
		p.st = gk_error_set(err, GK_EQUERY,
		                    "an excluded word cannot be one side of OR "
		                    "(column %zu)",
		                    bad_not->col);
	if (!p.st && !has_positive(n))
		p.st = gk_error_set(err, GK_EQUERY,
		                    "the query only excludes: add a word to "
		                    "search for");
	if (p.st) {
		qn_free(n);
		return p.st;
	}
	*out = n;
	return GK_OK;
}

void qn_free(qnode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		qn_free(n->kids[i]);
	free(n->kids);
	free(n->text);
	free(n);
}

static void describe(const qnode *n, gk_buf *b)
{
	if (n->neg)
		gk_buf_appendc(b, '-');
	switch (n->kind) {
	case QN_TEXT:
		if (n->field != QN_ANY_FIELD)
			gk_buf_appendf(b, "%s:", gk_fields[n->field].name);
		gk_buf_appendf(b, "\"%s\"", n->text);
		break;
	case QN_YEAR:
		if (n->y1 == n->y2)
			gk_buf_appendf(b, "year:%d", n->y1);
		else
			gk_buf_appendf(b, "year:%d..%d", n->y1, n->y2);
		break;
	case QN_TYPE: gk_buf_appendf(b, "type:%s", n->text); break;
	case QN_SECTION: gk_buf_appendf(b, "section:\"%s\"", n->text); break;
	case QN_STAT: {
		static const char *const ops[] = { ">", ">=", "<", "<=", "=" };
		gk_buf_appendf(b, "%s%s%.15g", n->text, ops[n->op], n->num);
		break;
	}
	case QN_AND:
	case QN_OR:
		gk_buf_appendc(b, '(');
		for (size_t i = 0; i < n->nkids; i++) {
			if (i)
				gk_buf_appendf(b, " %s ",
				               n->kind == QN_AND ? "AND"
				                                 : "OR");
			describe(n->kids[i], b);
		}
		gk_buf_appendc(b, ')');
		break;
	}
}

char *qn_describe(const qnode *n)
{
	gk_buf b = GK_BUF_INIT(1u << 20);
	describe(n, &b);
	return gk_buf_steal(&b);
}
