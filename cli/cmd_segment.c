#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gk_buf.h"
#include "gk_tok.h"
#include "gk_utf8.h"

static const char usage[] =
    "Usage: gongkai segment [--lexicon FILE]... < TEXT\n"
    "\n"
    "Reads lines of UTF-8 text on standard input and writes each line cut\n"
    "into the words the index uses, separated by single spaces: the\n"
    "original characters, every character but white space kept, each\n"
    "punctuation mark a token of its own. One output line per input line\n"
    "(the format of the SIGHAN bakeoff's scorer). Invalid UTF-8 is\n"
    "replaced by U+FFFD.\n"
    "\n"
    "Options:\n"
    "  --lexicon FILE  add a lexicon: one word a line, optionally followed\n"
    "                  by a frequency; '#' starts a comment (repeatable)\n"
    "  --no-builtin-lexicon\n"
    "                  use only the words of the --lexicon files (the\n"
    "                  built-in lexicon still gives their frequencies):\n"
    "                  a closed vocabulary; give it before --lexicon\n"
    "  -h, --help      show this help\n";

typedef struct seg_ctx {
	const char *line;
	gk_buf *out;
	size_t at; /* bytes of the line written so far */
	int failed;
} seg_ctx;

static void put_sep(seg_ctx *c)
{
	if (c->out->len)
		c->failed |= gk_buf_appendc(c->out, ' ') != GK_OK;
}

/* Writes the characters of [c->at, upto) that are not white space, each
 * as a token; a repeated mark (—— or ……) stays one token. */
static void put_gap(seg_ctx *c, size_t upto)
{
	size_t i = c->at;
	while (i < upto) {
		uint32_t cp;
		size_t k = gk_utf8_decode(c->line + i, upto - i, &cp);
		if (!k)
			k = 1, cp = 0xFFFD;
		if (cp == ' ' || cp == '\t' || cp == '\r' || cp == 0x3000 ||
		    cp == 0xA0) {
			i += k;
			continue;
		}
		size_t j = i + k;
		while (j + k <= upto && !memcmp(c->line + j, c->line + i, k) &&
		       (cp == 0x2014 || cp == 0x2026 || cp == '-' || cp == '.'))
			j += k;
		put_sep(c);
		c->failed |= gk_buf_append(c->out, c->line + i, j - i) != GK_OK;
		i = j;
	}
	c->at = upto;
}

static int on_token(const gk_tok_token *t, void *payload)
{
	seg_ctx *c = payload;
	if (t->kind != GK_TOK_WORD)
		return 0;
	put_gap(c, t->start);
	put_sep(c);
	c->failed |= gk_buf_append(c->out, c->line + t->start,
	                           t->end - t->start) != GK_OK;
	c->at = t->end;
	return c->failed ? GK_ENOMEM : 0;
}

int gk_cli_segment(int argc, char **argv)
{
	gk_error err;
	gk_error_clear(&err);
	gk_tok *tok = NULL;
	if (gk_tok_new(&tok, &err)) {
		gk_cli_error("%s", err.msg);
		return GK_EXIT_ERROR;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			gk_tok_free(tok);
			return GK_EXIT_OK;
		}
		if (!strcmp(a, "--no-builtin-lexicon")) {
			gk_tok_use_builtin_lexicon(tok, 0);
			continue;
		}
		const char *path = NULL;
		if (!strcmp(a, "--lexicon") && i + 1 < argc)
			path = argv[++i];
		else if (!strncmp(a, "--lexicon=", 10))
			path = a + 10;
		if (!path) {
			gk_cli_error("segment: unknown argument '%s'", a);
			fputs(usage, stderr);
			gk_tok_free(tok);
			return GK_EXIT_ERROR;
		}
		if (gk_tok_add_lexicon(tok, path, &err)) {
			gk_cli_error("%s", err.msg);
			gk_tok_free(tok);
			return GK_EXIT_ERROR;
		}
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	gk_buf out = GK_BUF_INIT((size_t)1 << 31);
	int rc = GK_EXIT_OK;
	while ((len = getline(&line, &cap, stdin)) >= 0) {
		size_t n = (size_t)len;
		if (n && line[n - 1] == '\n')
			n--;
		if (n && line[n - 1] == '\r')
			n--;
		size_t rn;
		char *text = gk_utf8_repair(line, n, &rn);
		if (!text) {
			gk_cli_error("segment: out of memory");
			rc = GK_EXIT_ERROR;
			break;
		}
		gk_buf_reset(&out);
		seg_ctx c = { text, &out, 0, 0 };
		int r = gk_tok_run(tok, GK_TOK_DOCUMENT, text, rn, on_token, &c,
		                   &err);
		if (!r)
			put_gap(&c, rn);
		free(text);
		if (r || c.failed) {
			gk_cli_error("segment: %s",
			             r < 0 ? err.msg : "out of memory");
			rc = GK_EXIT_ERROR;
			break;
		}
		if (gk_buf_appendc(&out, '\n') ||
		    fwrite(out.data, 1, out.len, stdout) != out.len) {
			gk_cli_error("segment: cannot write the output");
			rc = GK_EXIT_ERROR;
			break;
		}
	}
	free(line);
	gk_buf_free(&out);
	gk_tok_free(tok);
	if (fflush(stdout)) {
		gk_cli_error("segment: cannot write the output");
		rc = GK_EXIT_ERROR;
	}
	return rc;
}
