/* Random-input robustness of everything that reads untrusted bytes: the
 * query parser, the report parser, the format readers and the tokenizer.
 * Inputs are built from a fixed seed (the run is reproducible) out of
 * pieces that matter to each parser, and from mutated real reports. Every
 * call must return a status (never crash, hang or leak: the sanitizer
 * build runs this too).
 * Usage: test_fuzz CORPUS_DIR [ROUNDS] */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gk_doc.h"
#include "gk_src.h"
#include "gk_stats.h"
#include "gk_test.h"
#include "gk_tok.h"
#include "query.h"

static unsigned long long seed = 0x9e3779b97f4a7c15ULL;

static unsigned rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return n ? (unsigned)(seed % n) : 0;
}

static size_t build(char *out, size_t cap, const char *const *pieces,
                    size_t npieces, unsigned count)
{
	size_t n = 0;
	for (unsigned i = 0; i < count; i++) {
		const char *p = pieces[rnd((unsigned)npieces)];
		size_t k = strlen(p);
		if (!k) /* the empty piece stands for a random byte */
			k = 1, p = NULL;
		if (n + k >= cap)
			break;
		if (p)
			memcpy(out + n, p, k);
		else
			out[n] = (char)rnd(256);
		n += k;
	}
	out[n] = '\0';
	return n;
}

static void fuzz_query(unsigned rounds)
{
	static const char *const pieces[] = {
		"(",        ")",       "（",       "）",    "\"",
		"“",        "”",       "「",       "」",    "-",
		"－",       "OR",      " OR ",     " ",     "　",
		"year:",    "agency:", "section:", "type:", "region:",
		"title:",   "：",      "..",       "2023",  "report",
		"微信",     "公众号",  "行政复议", "申请",  "a",
		"http://x", "",        "\xe5",     "\xff",  ":",
		"foo:",     "年报",
	};
	char q[512];
	size_t ok = 0;
	for (unsigned i = 0; i < rounds; i++) {
		size_t n = build(q, sizeof q, pieces,
		                 sizeof pieces / sizeof pieces[0], rnd(24));
		qnode *t = NULL;
		gk_error err;
		gk_status st = qn_parse(q, n, &t, &err);
		GK_CHECK(st == GK_OK || st == GK_EQUERY);
		if (st == GK_OK) {
			char *s = qn_describe(t);
			GK_CHECK(s != NULL);
			free(s);
			ok++;
		} else {
			GK_CHECK(err.msg[0] != '\0');
		}
		qn_free(t);
	}
	fprintf(stderr, "  queries: %u, %zu parsed\n", rounds, ok);
}

static int count_token(const gk_tok_token *t, void *payload)
{
	size_t *n = payload;
	GK_CHECK(t->end > t->start && t->term_len > 0);
	(*n)++;
	return 0;
}

static void fuzz_tokenizer(unsigned rounds)
{
	static const char *const pieces[] = {
		"微信", "公众号",  "企業",     "２０２３",
		"ABC",  "running", " ",        "\n",
		"，",   "。",      "\t",       "0595-85611135",
		"5.1",  "",        "\xe5\x85", "\xf0\x9f\x98\x80",
		"〇",   "○",       "𠀀",       "ﾀ",
	};
	gk_tok *tok = NULL;
	gk_error err;
	GK_CHECK_INT(gk_tok_new(&tok, &err), GK_OK);
	if (!tok)
		return;
	char text[4096];
	for (unsigned i = 0; i < rounds; i++) {
		size_t n = build(text, sizeof text, pieces,
		                 sizeof pieces / sizeof pieces[0], rnd(300));
		size_t count = 0;
		int rc =
		    gk_tok_run(tok, rnd(2) ? GK_TOK_QUERY : GK_TOK_DOCUMENT,
		               text, n, count_token, &count, &err);
		GK_CHECK_INT(rc, GK_OK);
	}
	gk_tok_free(tok);
}

/* Mutations of real reports: bytes flipped, pieces cut or repeated,
 * markers inserted. */
static void mutate(char *buf, size_t *len, size_t cap)
{
	static const char *const inserts[] = {
		"\f",
		"\n-1-\n",
		"\t",
		"一、",
		"（一）",
		"# ",
		"|",
		"\n\n",
		"标题: 年度报告\n==== 正文 ====\n",
		"0000000",
		"。三、收到",
		"**",
		"第二十条第（六）项\n",
	};
	unsigned edits = 1 + rnd(8);
	for (unsigned e = 0; e < edits && *len; e++) {
		size_t at = rnd((unsigned)*len);
		switch (rnd(4)) {
		case 0: buf[at] = (char)rnd(256); break;
		case 1: *len = at; break;
		case 2: {
			const char *s =
			    inserts[rnd(sizeof inserts / sizeof inserts[0])];
			size_t k = strlen(s);
			if (*len + k < cap) {
				memmove(buf + at + k, buf + at, *len - at);
				memcpy(buf + at, s, k);
				*len += k;
			}
			break;
		}
		default: {
			size_t k = rnd(200);
			if (at + k < *len && *len + k < cap) {
				memmove(buf + at + k, buf + at, *len - at);
				*len += k;
			}
		}
		}
	}
}

static void fuzz_files(const char *corpus, unsigned rounds)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/reports", corpus);
	DIR *d = opendir(dir);
	GK_CHECK(d != NULL);
	if (!d)
		return;
	char *files[64];
	size_t nfiles = 0;
	struct dirent *ent;
	while ((ent = readdir(d)) && nfiles < 64) {
		if (ent->d_name[0] == '.')
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%.300s", dir, ent->d_name);
		files[nfiles++] = strdup(path);
	}
	closedir(d);
	char tmp[] = "/tmp/gk_fuzz_XXXXXX";
	GK_CHECK(mkdtemp(tmp) != NULL);
	static const char *const heads[] = {
		"",         "%PDF-1.7\n",     "<html><body>", "\xef\xbb\xbf",
		"\xff\xfe", "<!DOCTYPE html>"
	};
	size_t parsed = 0;
	for (unsigned i = 0; i < rounds && nfiles; i++) {
		size_t len;
		char *orig =
		    gk_test_read_file(files[rnd((unsigned)nfiles)], &len);
		if (!orig)
			continue;
		size_t cap = len * 2 + 4096;
		char *buf = malloc(cap);
		const char *h = heads[rnd(sizeof heads / sizeof heads[0])];
		size_t hl = strlen(h);
		memcpy(buf, h, hl);
		memcpy(buf + hl, orig, len);
		len += hl;
		free(orig);
		mutate(buf, &len, cap);

		gk_doc *doc = NULL;
		gk_error err;
		gk_status st = gk_doc_parse(&doc, "fuzz.txt", buf, len, &err);
		GK_CHECK(st == GK_OK || st == GK_EFORMAT);
		parsed += st == GK_OK;
		gk_doc_free(doc);

		char path[64];
		snprintf(path, sizeof path, "%s/f%u.bin", tmp, i % 8);
		FILE *f = fopen(path, "wb");
		if (f) {
			fwrite(buf, 1, len, f);
			fclose(f);
			gk_src *src = NULL;
			gk_src_limits lim = { 1u << 20, 5.0 };
			st = gk_src_read(&src, path, "fuzz", &lim, &err);
			GK_CHECK(st == GK_OK || st == GK_EFORMAT ||
			         st == GK_ENOMEM);
			if (!st) {
				size_t tl;
				const char *t = gk_src_text(src, &tl);
				gk_doc *d2 = NULL;
				st = gk_doc_parse(&d2, "fuzz", t, tl, &err);
				GK_CHECK(st == GK_OK || st == GK_EFORMAT);
				gk_doc_free(d2);
			}
			gk_src_free(src);
			unlink(path);
		}
		free(buf);
	}
	rmdir(tmp);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	fprintf(stderr, "  files: %u mutated, %zu parsed (the rest refused)\n",
	        rounds, parsed);
}

/* The statistics extractor on random pieces of tables in every layout:
 * it must neither crash nor hang, and what it returns must serialise. */
static void fuzz_stats(unsigned rounds)
{
	static const char *const pieces[] = {
		"一、本年新收政府信息公开申请数量",
		"二、上年结转",
		"（七）总计",
		"四、结转下年度继续办理",
		"3.其他",
		"（六）其他处理",
		"行政规范性文件",
		"规章",
		"行政许可",
		"第二十条第（一）项",
		"行政复议",
		"统计表",
		"指标名称",
		"其中：1.",
		"历年累计",
		"2.",
		"0",
		"1",
		"12",
		"000000",
		"6400204709",
		"-",
		".",
		"、",
		"|",
		" | ",
		"\t",
		"\n",
		"\f",
		"   ",
		"件",
		"条",
		"",
		"1234567890123456789012345678901234567890",
	};
	static const char *const formats[] = { "text", "markdown", "html",
		                               "pdf", NULL };
	char buf[4096];
	for (unsigned r = 0; r < rounds; r++) {
		size_t n = build(buf, sizeof buf, pieces,
		                 sizeof pieces / sizeof pieces[0], rnd(400));
		gk_stats *s = NULL;
		gk_status st =
		    gk_stats_extract(&s, "fuzz", buf, n, formats[rnd(5)],
		                     (int)rnd(2) ? 2023 : 2012, NULL);
		GK_CHECK(st == GK_OK || st == GK_ENOMEM);
		char *js = gk_stats_to_json(s);
		gk_stats *back = NULL;
		if (js)
			GK_CHECK(gk_stats_from_json(&back, js, strlen(js),
			                            NULL) == GK_OK);
		free(js);
		gk_stats_free(back);
		gk_stats_free(s);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_fuzz CORPUS_DIR [ROUNDS]\n");
		return 2;
	}
	unsigned rounds = argc > 2 ? (unsigned)atoi(argv[2]) : 300;
	fuzz_query(rounds * 20);
	fuzz_tokenizer(rounds * 2);
	fuzz_files(argv[1], rounds);
	fuzz_stats(rounds * 4);
	return GK_TEST_RESULT();
}
