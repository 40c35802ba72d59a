#include <stdlib.h>
#include <string.h>

#include "gk_test.h"
#include "gk_tok.h"

#define MAXT 64

typedef struct toks {
	char term[MAXT][GK_TOK_MAX_TERM + 1];
	size_t start[MAXT], end[MAXT];
	unsigned pos[MAXT];
	size_t n;
	size_t stop_after; /* 0: never */
} toks;

static int collect(const gk_tok_token *t, void *payload)
{
	toks *c = payload;
	if (c->n < MAXT) {
		memcpy(c->term[c->n], t->term, t->term_len + 1);
		c->start[c->n] = t->start;
		c->end[c->n] = t->end;
		c->pos[c->n] = t->pos;
	}
	c->n++;
	if (c->stop_after && c->n == c->stop_after)
		return 42;
	return 0;
}

static gk_tok *tok;

static int run(const char *s, toks *c)
{
	memset(c, 0, sizeof *c);
	return gk_tok_run(tok, GK_TOK_DOCUMENT, s, strlen(s), collect, c, NULL);
}

static void test_offsets_and_positions(void)
{
	const char *s = "晋江市应急管理局 2023 年，行政处罚 36 条。";
	toks c;
	GK_CHECK_INT(run(s, &c), GK_OK);
	GK_CHECK(c.n >= 5);
	for (size_t i = 0; i < c.n && i < MAXT; i++) {
		GK_CHECK_INT(c.pos[i], i + 1);
		GK_CHECK(c.end[i] > c.start[i] && c.end[i] <= strlen(s));
		/* A token never starts on a space or punctuation. */
		GK_CHECK(s[c.start[i]] != ' ');
		GK_CHECK(strncmp(s + c.start[i], "，", 3) != 0);
		GK_CHECK(strncmp(s + c.start[i], "。", 3) != 0);
	}
	int found = 0;
	for (size_t i = 0; i < c.n; i++)
		if (!strcmp(c.term[i], "2023")) {
			found = 1;
			GK_CHECK(!strncmp(s + c.start[i], "2023", 4));
			GK_CHECK_INT(c.end[i] - c.start[i], 4);
		}
	GK_CHECK(found);
}

static void test_normalisation_keeps_source_offsets(void)
{
	const char *s = "ＡＢＣ Ｗｏｒｄ ２０２３";
	toks c;
	GK_CHECK_INT(run(s, &c), GK_OK);
	GK_CHECK_INT(c.n, 3);
	GK_CHECK_STR(c.term[0], "abc");
	GK_CHECK_STR(c.term[1], "word");
	GK_CHECK_STR(c.term[2], "2023");
	/* Offsets are into the full-width original: 3 bytes a character. */
	GK_CHECK_INT(c.start[0], 0);
	GK_CHECK_INT(c.end[0], 9);
	GK_CHECK_INT(c.end[2], strlen(s));
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
	const char s[] = "abc \xff\xfe def \xe5\x85";
	toks c;
	memset(&c, 0, sizeof c);
	GK_CHECK_INT(gk_tok_run(tok, GK_TOK_DOCUMENT, s, sizeof s - 1, collect,
	                        &c, NULL),
	             GK_OK);
	int abc = 0, def = 0;
	for (size_t i = 0; i < c.n; i++) {
		abc |= !strcmp(c.term[i], "abc");
		def |= !strcmp(c.term[i], "def");
		GK_CHECK(c.end[i] <= sizeof s - 1);
	}
	GK_CHECK(abc && def);
}

static void test_query_mode_matches_document_mode(void)
{
	const char *s = "依申请公开 微信公众号 行政复议";
	toks a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	gk_tok_run(tok, GK_TOK_DOCUMENT, s, strlen(s), collect, &a, NULL);
	gk_tok_run(tok, GK_TOK_QUERY, s, strlen(s), collect, &b, NULL);
	GK_CHECK_INT(a.n, b.n);
	for (size_t i = 0; i < a.n && i < b.n; i++)
		GK_CHECK_STR(a.term[i], b.term[i]);
}

int main(void)
{
	gk_error err;
	if (gk_tok_new(&tok, &err)) {
		fprintf(stderr, "gk_tok_new: %s\n", err.msg);
		return 1;
	}
	GK_RUN(test_offsets_and_positions);
	GK_RUN(test_normalisation_keeps_source_offsets);
	GK_RUN(test_punctuation_and_empty);
	GK_RUN(test_callback_stops);
	GK_RUN(test_long_word_is_capped);
	GK_RUN(test_invalid_utf8_does_not_break);
	GK_RUN(test_query_mode_matches_document_mode);
	gk_tok_free(tok);
	gk_tok_free(NULL);
	return GK_TEST_RESULT();
}
