#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gk_test.h"
#include "gk_tok.h"

#define MAXT 256

typedef struct toks {
	char term[MAXT][GK_TOK_MAX_TERM + 1];
	size_t start[MAXT], end[MAXT];
	unsigned pos[MAXT];
	gk_tok_kind kind[MAXT];
	size_t n;          /* all tokens */
	size_t stop_after; /* 0: never */
} toks;

static int collect(const gk_tok_token *t, void *payload)
{
	toks *c = payload;
	GK_CHECK(t->term_len <= GK_TOK_MAX_TERM);
	GK_CHECK(strlen(t->term) == t->term_len);
	if (c->n < MAXT) {
		memcpy(c->term[c->n], t->term, t->term_len + 1);
		c->start[c->n] = t->start;
		c->end[c->n] = t->end;
		c->pos[c->n] = t->pos;
		c->kind[c->n] = t->kind;
	}
	c->n++;
	if (c->stop_after && c->n == c->stop_after)
		return 42;
	return 0;
}

static gk_tok *tok;

static int run_on(gk_tok *t, const char *s, size_t len, toks *c)
{
	memset(c, 0, sizeof *c);
	return gk_tok_run(t, GK_TOK_DOCUMENT, s, len, collect, c, NULL);
}

static int run(const char *s, toks *c)
{
	return run_on(tok, s, strlen(s), c);
}

/* The WORD terms joined with '/'. */
static const char *words(const toks *c, char *buf, size_t cap)
{
	buf[0] = '\0';
	for (size_t i = 0; i < c->n && i < MAXT; i++) {
		if (c->kind[i] != GK_TOK_WORD)
			continue;
		if (buf[0])
			strncat(buf, "/", cap - strlen(buf) - 1);
		strncat(buf, c->term[i], cap - strlen(buf) - 1);
	}
	return buf;
}

static const char *cut(const char *s)
{
	static char buf[2048];
	toks c;
	run(s, &c);
	return words(&c, buf, sizeof buf);
}

static void test_domain_words_stay_whole(void)
{
	GK_CHECK_STR(cut("行政复议"), "行政复议");
	GK_CHECK_STR(cut("微信"), "微信");
	GK_CHECK_STR(cut("办公室"), "办公室");
	GK_CHECK_STR(cut("依申请公开"), "依申请公开");
	GK_CHECK_STR(cut("陈埭镇海尾村"), "陈埭镇/海尾村");
	GK_CHECK_STR(cut("行政复议和行政诉讼"), "行政复议/和/行政诉讼");
	GK_CHECK_STR(cut("通过局微信公众号发布"), "通过/局/微信公众号/发布");
	GK_CHECK_STR(cut("属于国家秘密"), "属于/国家秘密");
}

static void test_segmentation_is_by_probability(void)
{
	/* Greedy longest match would take 研究生 here. */
	GK_CHECK_STR(cut("研究生命起源"), "研究/生命/起源");
	GK_CHECK_STR(cut("结婚的和尚未结婚的"), "结婚/的/和/尚未/结婚/的");
}

static void test_offsets_and_positions(void)
{
	const char *s = "晋江市应急管理局 2023 年，行政处罚 36 条。";
	toks c;
	GK_CHECK_INT(run(s, &c), GK_OK);
	unsigned wpos = 0, cpos = 0;
	for (size_t i = 0; i < c.n && i < MAXT; i++) {
		GK_CHECK(c.end[i] > c.start[i] && c.end[i] <= strlen(s));
		GK_CHECK(s[c.start[i]] != ' ');
		GK_CHECK(strncmp(s + c.start[i], "，", 3) != 0);
		if (c.kind[i] == GK_TOK_WORD) {
			GK_CHECK_INT(c.pos[i], ++wpos);
		} else if (c.kind[i] == GK_TOK_CHAR) {
			GK_CHECK(c.pos[i] > cpos);
			cpos = c.pos[i];
			/* A character token is one character of the source. */
			GK_CHECK_INT(c.end[i] - c.start[i], 3);
		}
	}
	/* Character positions count every non-space character: 晋江市应急
	 * 管理局 is 1-8, "2023" 9-12, 年 13, "，" 14, 行政处罚 15-18. */
	int found = 0;
	for (size_t i = 0; i < c.n; i++)
		if (c.kind[i] == GK_TOK_CHAR && !strcmp(c.term[i], "行")) {
			GK_CHECK_INT(c.pos[i], 15);
			found = 1;
		}
	GK_CHECK(found);
}

static void test_every_han_character_is_a_term(void)
{
	const char *s = "陈埭镇海尾村";
	toks c;
	run(s, &c);
	char chars[64] = "";
	unsigned last = 0;
	for (size_t i = 0; i < c.n; i++) {
		if (c.kind[i] != GK_TOK_CHAR)
			continue;
		strcat(chars, c.term[i]);
		if (last)
			GK_CHECK_INT(c.pos[i], last + 1);
		last = c.pos[i];
	}
	GK_CHECK_STR(chars, s);
	/* Line breaks and spaces do not separate characters. */
	run("中华人民共和\n  国", &c);
	unsigned p1 = 0, p2 = 0;
	for (size_t i = 0; i < c.n; i++) {
		if (c.kind[i] == GK_TOK_CHAR && !strcmp(c.term[i], "和"))
			p1 = c.pos[i];
		if (c.kind[i] == GK_TOK_CHAR && !strcmp(c.term[i], "国"))
			p2 = c.pos[i];
	}
	GK_CHECK(p1 && p2 == p1 + 1);
}

/* GK_TOK_CHARS gives the CHAR tokens of GK_TOK_DOCUMENT, with the same
 * terms, offsets and positions, and no Han WORD tokens. */
static void test_chars_mode_matches_document_chars(void)
{
	const char *s = "晋江市應急管理局 2023年 WeChat 微信公众号";
	toks d, c;
	run(s, &d);
	memset(&c, 0, sizeof c);
	GK_CHECK_INT(
	    gk_tok_run(tok, GK_TOK_CHARS, s, strlen(s), collect, &c, NULL), 0);
	size_t j = 0;
	for (size_t i = 0; i < d.n && i < MAXT; i++) {
		if (d.kind[i] != GK_TOK_CHAR)
			continue;
		while (j < c.n && c.kind[j] != GK_TOK_CHAR)
			j++;
		GK_CHECK(j < c.n);
		if (j >= c.n)
			return;
		GK_CHECK_STR(c.term[j], d.term[i]);
		GK_CHECK_INT(c.start[j], d.start[i]);
		GK_CHECK_INT(c.pos[j], d.pos[i]);
		j++;
	}
	for (size_t i = 0; i < c.n && i < MAXT; i++)
		GK_CHECK(c.kind[i] != GK_TOK_WORD ||
		         (unsigned char)c.term[i][0] < 0x80);
}

static void test_normalisation_keeps_source_offsets(void)
{
	const char *s = "ＡＢＣ Ｗｏｒｄ ２０２３";
	toks c;
	GK_CHECK_INT(run(s, &c), GK_OK);
	GK_CHECK_STR(cut(s), "abc/word/2023");
	GK_CHECK_INT(c.start[0], 0);
	GK_CHECK_INT(c.end[0], 9); /* full-width: 3 bytes a character */
	/* Traditional characters are searched as simplified ones. */
	GK_CHECK_STR(cut("企業名單公布"), "企业名单/公布");
	run("企業", &c);
	GK_CHECK_INT(c.kind[0], GK_TOK_WORD);
	GK_CHECK_STR(c.term[0], "企业");
	GK_CHECK_INT(c.start[0], 0);
	GK_CHECK_INT(c.end[0], strlen("企業"));
	GK_CHECK_INT(c.kind[2], GK_TOK_CHAR);
	GK_CHECK_STR(c.term[2], "业");
	GK_CHECK_INT(c.start[2], 3);
}

static void test_numbers_and_mixed_text(void)
{
	GK_CHECK_STR(cut("2023年收到申请21件，同比增长5.1%"),
	             "2023/年/收到/申请/21/件/同比/增长/5.1");
	GK_CHECK_STR(cut("电话：0595-85611135"), "电话/0595/85611135");
	GK_CHECK_STR(cut("在www.pingtan.gov.cn下载"),
	             "在/www.pingtan.gov.cn/下载");
	GK_CHECK_STR(cut("邮箱hzzwgk@126.com"), "邮箱/hzzwgk@126/com");
}

static void test_latin_words_are_stemmed(void)
{
	toks c;
	run("Annual Reports running", &c);
	char all[512] = "";
	for (size_t i = 0; i < c.n; i++) {
		strcat(all, c.kind[i] == GK_TOK_STEM ? "+" : " ");
		strcat(all, c.term[i]);
	}
	GK_CHECK_STR(all, " annual reports+report running+run");
	for (size_t i = 1; i < c.n; i++)
		if (c.kind[i] == GK_TOK_STEM)
			GK_CHECK_INT(c.pos[i], c.pos[i - 1]);
}

static void test_punctuation_and_empty(void)
{
	toks c;
	GK_CHECK_INT(run("，。！？、 （）《》——", &c), GK_OK);
	GK_CHECK_INT(c.n, 0);
	GK_CHECK_INT(run("", &c), GK_OK);
	GK_CHECK_INT(c.n, 0);
}

static void test_callback_stops(void)
{
	toks c;
	memset(&c, 0, sizeof c);
	c.stop_after = 2;
	const char *s = "one two three four";
	GK_CHECK_INT(
	    gk_tok_run(tok, GK_TOK_DOCUMENT, s, strlen(s), collect, &c, NULL),
	    42);
	GK_CHECK_INT(c.n, 2);
}

static void test_long_word_is_capped(void)
{
	char s[301];
	memset(s, 'a', 300);
	s[300] = '\0';
	toks c;
	GK_CHECK_INT(run(s, &c), GK_OK);
	GK_CHECK_INT(c.n, 1);
	GK_CHECK(strlen(c.term[0]) <= GK_TOK_MAX_TERM);
	GK_CHECK_INT(c.start[0], 0);
	GK_CHECK_INT(c.end[0], 300);

	/* Capping never cuts a multi-byte character in two. */
	char w[3 * 200 + 1];
	for (int i = 0; i < 200; i++)
		memcpy(w + 3 * i, "\xc3\xa9x", 3); /* éx */
	w[600] = '\0';
	GK_CHECK_INT(run(w, &c), GK_OK);
	GK_CHECK(c.n >= 1);
	size_t n = strlen(c.term[0]);
	GK_CHECK(n <= GK_TOK_MAX_TERM);
	GK_CHECK(((unsigned char)c.term[0][n - 1] & 0xC0) != 0xC0);
}

static void test_invalid_utf8_does_not_break(void)
{
	const char s[] = "abc \xff\xfe def \xe5\x85 行政";
	toks c;
	GK_CHECK_INT(run_on(tok, s, sizeof s - 1, &c), GK_OK);
	int abc = 0, def = 0, han = 0;
	for (size_t i = 0; i < c.n; i++) {
		abc |= !strcmp(c.term[i], "abc");
		def |= !strcmp(c.term[i], "def");
		han |= !strcmp(c.term[i], "行政");
		GK_CHECK(c.end[i] <= sizeof s - 1);
	}
	GK_CHECK(abc && def && han);
}

typedef struct counter {
	size_t words, chars;
	size_t last_end;
	int ordered;
} counter;

static int count_tokens(const gk_tok_token *t, void *payload)
{
	counter *c = payload;
	if (t->kind == GK_TOK_WORD) {
		c->ordered &= t->start >= c->last_end;
		c->last_end = t->end;
		c->words++;
	} else if (t->kind == GK_TOK_CHAR) {
		c->chars++;
	}
	return 0;
}

static void test_ten_megabyte_line(void)
{
	/* One line of 10 MB of Chinese without a break: every character a
	 * term, words in order, bounded memory and time. */
	const char *unit = "政府信息公开工作年度报告依申请公开";
	size_t ul = strlen(unit), n = (10u << 20) / ul;
	char *s = malloc(n * ul);
	GK_CHECK(s != NULL);
	if (!s)
		return;
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * ul, unit, ul);
	counter c = { 0, 0, 0, 1 };
	clock_t t0 = clock();
	GK_CHECK_INT(
	    gk_tok_run(tok, GK_TOK_DOCUMENT, s, n * ul, count_tokens, &c, NULL),
	    GK_OK);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	GK_CHECK_INT(c.chars, n * ul / 3);
	GK_CHECK(c.ordered);
	GK_CHECK(c.words >= n * 2 && c.words < c.chars);
	fprintf(stderr, "  10 MB line: %zu words in %.2f s\n", c.words, secs);
	free(s);
}

static void test_query_mode_matches_document_mode(void)
{
	const char *s = "依申请公开 微信公众号 行政复议 Reports 2023";
	toks a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	gk_tok_run(tok, GK_TOK_DOCUMENT, s, strlen(s), collect, &a, NULL);
	gk_tok_run(tok, GK_TOK_QUERY, s, strlen(s), collect, &b, NULL);
	GK_CHECK_INT(a.n, b.n);
	for (size_t i = 0; i < a.n && i < b.n; i++) {
		GK_CHECK_STR(a.term[i], b.term[i]);
		GK_CHECK_INT(a.kind[i], b.kind[i]);
		GK_CHECK_INT(a.pos[i], b.pos[i]);
	}
}

static void write_lexicon(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	GK_CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_user_lexicon(void)
{
	char dir[] = "/tmp/gk_lex_XXXXXX";
	GK_CHECK(mkdtemp(dir) != NULL);
	char path[64], bad[64];
	snprintf(path, sizeof path, "%s/lex.txt", dir);
	snprintf(bad, sizeof bad, "%s/bad.txt", dir);
	write_lexicon(path, "# researchers' terms\n"
	                    "\n"
	                    "岐山安全文化  5000 n extra fields\n"
	                    "海滨示范园 # no frequency: the default\n"
	                    "WiFi 10\n");
	gk_tok *t = NULL;
	gk_error err;
	GK_CHECK_INT(gk_tok_new(&t, &err), GK_OK);
	if (!t)
		return;
	toks c;
	char buf[256];
	run_on(t, "依托岐山安全文化主题公园和海滨示范园", 54, &c);
	GK_CHECK(strstr(words(&c, buf, sizeof buf), "岐山安全文化") == NULL);
	GK_CHECK_INT(gk_tok_add_lexicon(t, path, &err), GK_OK);
	run_on(t, "依托岐山安全文化主题公园和海滨示范园", 54, &c);
	GK_CHECK_STR(words(&c, buf, sizeof buf),
	             "依托/岐山安全文化/主题公园/和/海滨示范园");

	write_lexicon(bad, "好词 12x\n");
	GK_CHECK_INT(gk_tok_add_lexicon(t, bad, &err), GK_EFORMAT);
	GK_CHECK_MSG(strstr(err.msg, "bad.txt:1"), "%s", err.msg);
	write_lexicon(bad, "坏\xff词\n");
	GK_CHECK_INT(gk_tok_add_lexicon(t, bad, &err), GK_EFORMAT);
	GK_CHECK_INT(gk_tok_add_lexicon(t, "/nonexistent/lex.txt", &err),
	             GK_ENOTFOUND);
	GK_CHECK(strstr(err.msg, "/nonexistent/lex.txt") != NULL);
	GK_CHECK(gk_tok_lexicon_memory(t) > 1000000);
	gk_tok_free(t);

	/* A closed vocabulary: only the lexicon's words. */
	GK_CHECK_INT(gk_tok_new(&t, &err), GK_OK);
	gk_tok_use_builtin_lexicon(t, 0);
	write_lexicon(path, "行政\n复议\n");
	GK_CHECK_INT(gk_tok_add_lexicon(t, path, &err), GK_OK);
	run_on(t, "行政复议微信", strlen("行政复议微信"), &c);
	GK_CHECK_STR(words(&c, buf, sizeof buf), "行政/复议/微/信");
	gk_tok_free(t);
	unlink(path);
	unlink(bad);
	rmdir(dir);
}

int main(void)
{
	gk_error err;
	if (gk_tok_new(&tok, &err)) {
		fprintf(stderr, "gk_tok_new: %s\n", err.msg);
		return 1;
	}
	GK_RUN(test_domain_words_stay_whole);
	GK_RUN(test_segmentation_is_by_probability);
	GK_RUN(test_offsets_and_positions);
	GK_RUN(test_every_han_character_is_a_term);
	GK_RUN(test_chars_mode_matches_document_chars);
	GK_RUN(test_normalisation_keeps_source_offsets);
	GK_RUN(test_numbers_and_mixed_text);
	GK_RUN(test_latin_words_are_stemmed);
	GK_RUN(test_punctuation_and_empty);
	GK_RUN(test_callback_stops);
	GK_RUN(test_long_word_is_capped);
	GK_RUN(test_invalid_utf8_does_not_break);
	GK_RUN(test_ten_megabyte_line);
	GK_RUN(test_query_mode_matches_document_mode);
	GK_RUN(test_user_lexicon);
	gk_tok_free(tok);
	gk_tok_free(NULL);
	return GK_TEST_RESULT();
}
