/* Indexing and searching through the library: files written here, indexed
 * with gk_idx, searched with gk_q. */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 700
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gk_idx.h"
#include "gk_q.h"
#include "gk_test.h"
#include "gk_xap.h"

static char dir[256];

static void write_file(const char *name, const char *text, size_t len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	mkdir(path, 0755);
	*slash = '/';
	FILE *f = fopen(path, "wb");
	GK_CHECK(f != NULL);
	if (!f)
		return;
	fwrite(text, 1, len, f);
	fclose(f);
}

static void write_text(const char *name, const char *text)
{
	write_file(name, text, strlen(text));
}

typedef struct events {
	int errors, skips, files;
	char last_error[GK_ERROR_MSG_MAX];
	int stop_after; /* files; 0: never */
} events;

static void on_error(const char *path, const gk_error *err, void *payload)
{
	events *e = payload;
	(void)path;
	e->errors++;
	snprintf(e->last_error, sizeof e->last_error, "%s", err->msg);
}

static void on_skip(const char *path, const char *reason, void *payload)
{
	(void)path;
	(void)reason;
	((events *)payload)->skips++;
}

static void on_file(const char *path, size_t n, void *payload)
{
	(void)path;
	(void)n;
	((events *)payload)->files++;
}

static int should_stop(void *payload)
{
	events *e = payload;
	return e->stop_after && e->files >= e->stop_after;
}

static gk_status index_paths(const char *db, const char *const *paths, size_t n,
                             events *ev)
{
	gk_idx_events cb = { on_error, on_skip, on_file, should_stop, ev };
	gk_idx *ix = NULL;
	gk_error err;
	gk_status st = gk_idx_open(&ix, db, &cb, &err);
	for (size_t i = 0; i < n && !st; i++)
		st = gk_idx_add_path(ix, paths[i], &err);
	gk_status cst = ix ? gk_idx_commit(ix, &err) : GK_OK;
	gk_idx_free(ix);
	return st ? st : cst;
}

#define MAXHITS 32

typedef struct hits {
	size_t n;
	char report[MAXHITS][512];
	char text[MAXHITS][2048];
	char section[MAXHITS][512]; /* joined with '|' */
	char hl[MAXHITS][8][256];   /* highlighted strings */
	size_t nhl[MAXHITS];
	char snippet_hl[MAXHITS][8][256];
	unsigned line[MAXHITS];
} hits;

static int on_hit(const gk_q_hit *h, void *payload)
{
	hits *r = payload;
	size_t i = r->n++;
	if (i >= MAXHITS)
		return 0;
	snprintf(r->report[i], sizeof r->report[i], "%s", h->report);
	snprintf(r->text[i], sizeof r->text[i], "%.*s", (int)h->text_len,
	         h->text);
	r->section[i][0] = '\0';
	for (size_t k = 0; k < h->nsection; k++) {
		strncat(r->section[i], h->section[k],
		        sizeof r->section[i] - strlen(r->section[i]) - 2);
		strcat(r->section[i], "|");
	}
	r->nhl[i] = h->nhighlights;
	for (size_t k = 0; k < h->nhighlights && k < 8; k++) {
		const gk_q_span *s = &h->highlights[k];
		GK_CHECK(s->start < s->end && s->end <= h->text_len);
		snprintf(r->hl[i][k], 256, "%.*s", (int)(s->end - s->start),
		         h->text + s->start);
	}
	for (size_t k = 0; k < h->nsnippet_highlights && k < 8; k++) {
		const gk_q_span *s = &h->snippet_highlights[k];
		GK_CHECK(s->start < s->end && s->end <= h->snippet_len);
		snprintf(r->snippet_hl[i][k], 256, "%.*s",
		         (int)(s->end - s->start), h->snippet + s->start);
	}
	r->line[i] = h->line;
	return 0;
}

static int search(const char *db, const char *query, hits *r, gk_error *err)
{
	memset(r, 0, sizeof *r);
	gk_q *q = NULL;
	gk_q_options opt = { .offset = 0, .limit = 20 };
	size_t total = 0;
	int rc = gk_q_open(&q, db, err);
	if (!rc)
		rc = gk_q_search(q, query, strlen(query), &opt, on_hit, r,
		                 &total, err);
	gk_q_free(q);
	return rc;
}

static const char report_a[] =
    "某市应急管理局 2023 年政府信息公开工作年度报告\n"
    "\n"
    "一、总体情况\n"
    "\n"
    "通过微信公众号发布灾情信息 16 条。\n"
    "\n"
    "二、主动公开政府信息情况\n"
    "\n"
    "第二十条第（六）项\n"
    "信息内容\t本年处理决定数量\n"
    "行政处罚\t36\n"
    "\n"
    "三、其他\n"
    "\n"
    "微信群和公众号不是一回事；企業名單另行公布。\n";

static const char report_b[] =
    "某县人民政府 2018 年政府信息公开工作年度报告\n"
    "\n"
    "一、概述\n"
    "\n"
    "开通微信公众号，发布信息 267 期。ＡＢＣ２０１８。\n";

static void setup(void)
{
	snprintf(dir, sizeof dir, "%s/gk_search_XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	GK_CHECK(mkdtemp(dir) != NULL);
	write_text("docs/a.md", report_a);
	write_text("docs/sub/b.txt", report_b);
	write_text("docs/notes.pdf", "%PDF-1.4 damaged, reported");
	write_text("docs/image.png", "not a report file: passed over");
	write_text("docs/.hidden.md", "隐藏文件\n");
	write_file("docs/bad.txt", "坏\xff\xfe文件\n", 9);
	write_text("docs/empty.md", "");
}

static void teardown(void)
{
	gk_test_rm_tree(dir);
}

static void db_path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static void test_index_directory_with_bad_files(void)
{
	char db[512], docs[512];
	db_path(db, sizeof db, "db1");
	db_path(docs, sizeof docs, "docs");
	const char *paths[] = { docs };
	events ev = { 0 };
	GK_CHECK_INT(index_paths(db, paths, 1, &ev), GK_OK);
	GK_CHECK_INT(ev.files, 2);
	GK_CHECK_INT(ev.errors, 3); /* bad.txt, empty.md, notes.pdf */
	GK_CHECK_INT(ev.skips, 1);  /* image.png */

	hits r;
	gk_error err;
	GK_CHECK_INT(search(db, "微信公众号", &r, &err), GK_OK);
	GK_CHECK_INT(r.n, 2);
	/* Reports are named by the given path joined with the inner one. */
	int a = 0, b = 0;
	for (size_t i = 0; i < r.n; i++) {
		char want[600];
		snprintf(want, sizeof want, "%s/a.md", docs);
		a |= !strcmp(r.report[i], want);
		snprintf(want, sizeof want, "%s/sub/b.txt", docs);
		b |= !strcmp(r.report[i], want);
		GK_CHECK_STR(r.hl[i][0], "微信公众号");
		GK_CHECK_STR(r.snippet_hl[i][0], "微信公众号");
	}
	GK_CHECK(a && b);
}

static void test_phrase_and_sections(void)
{
	char db[512];
	db_path(db, sizeof db, "db1");
	hits r;
	gk_error err;
	GK_CHECK_INT(search(db, "行政处罚", &r, &err), GK_OK);
	GK_CHECK_INT(r.n, 1);
	GK_CHECK_STR(r.section[0],
	             "二、主动公开政府信息情况|第二十条第（六）项|");
	GK_CHECK_INT(r.line[0], 10);
	/* 微信 and 公众号 apart do not match the word 微信公众号. */
	GK_CHECK_INT(search(db, "微信公众号 一回事", &r, &err), 0);
	GK_CHECK_INT(r.n, 0);
	/* All words must match, in any order. */
	GK_CHECK_INT(search(db, "267 微信公众号", &r, &err), 0);
	GK_CHECK_INT(r.n, 1);
	GK_CHECK_INT(r.nhl[0], 2);
}

static void test_title_words_match(void)
{
	char db[512];
	db_path(db, sizeof db, "db1");
	hits r;
	gk_error err;
	/* 某县 is only in report b's title. */
	GK_CHECK_INT(search(db, "某县 微信公众号", &r, &err), 0);
	GK_CHECK_INT(r.n, 1);
	GK_CHECK(strstr(r.report[0], "b.txt") != NULL);
	/* Nothing in the passage to highlight for a title word. */
	GK_CHECK_STR(r.hl[0][0], "微信公众号");
}

static void test_synonym(void)
{
	char db[512];
	db_path(db, sizeof db, "db1");
	hits r;
	gk_error err;
	/* 年报 is what reports call their 年度报告: the titles match. */
	GK_CHECK_INT(search(db, "年报 微信公众号", &r, &err), 0);
	GK_CHECK_INT(r.n, 2);
}

static void test_normalised_match_highlights_original(void)
{
	char db[512];
	db_path(db, sizeof db, "db1");
	hits r;
	gk_error err;
	GK_CHECK_INT(search(db, "abc2018", &r, &err), 0);
	GK_CHECK_INT(r.n, 1);
	GK_CHECK_STR(r.hl[0][0], "ＡＢＣ２０１８");
}

static void test_bad_queries(void)
{
	char db[512];
	db_path(db, sizeof db, "db1");
	hits r;
	gk_error err;
	GK_CHECK_INT(search(db, "", &r, &err), GK_EQUERY);
	GK_CHECK_INT(search(db, "，。 ！", &r, &err), GK_EQUERY);
	GK_CHECK(strstr(err.msg, "punctuation") != NULL);
	char big[5000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	GK_CHECK_INT(search(db, big, &r, &err), GK_EQUERY);
	GK_CHECK_INT(search(db, "不存在的词", &r, &err), GK_OK);
	GK_CHECK_INT(r.n, 0);
	char missing[512];
	db_path(missing, sizeof missing, "nodb");
	GK_CHECK(search(missing, "微信", &r, &err) < 0);
	GK_CHECK(strstr(err.msg, "nodb") != NULL);
}

static void test_reindex_replaces(void)
{
	char db[512], a[512];
	db_path(db, sizeof db, "db1");
	db_path(a, sizeof a, "docs/a.md");
	write_text("docs/a.md",
	           "某市应急管理局 2024 年政府信息公开工作年度报告\n\n"
	           "一、总体情况\n\n全新内容替换。\n");
	const char *paths[] = { a };
	events ev = { 0 };
	GK_CHECK_INT(index_paths(db, paths, 1, &ev), GK_OK);
	hits r;
	gk_error err;
	GK_CHECK_INT(search(db, "行政处罚", &r, &err), GK_OK);
	GK_CHECK_INT(r.n, 0);
	GK_CHECK_INT(search(db, "全新内容", &r, &err), GK_OK);
	GK_CHECK_INT(r.n, 1);
	write_text("docs/a.md", report_a);
	GK_CHECK_INT(index_paths(db, paths, 1, &ev), GK_OK);
	GK_CHECK_INT(search(db, "行政处罚", &r, &err), GK_OK);
	GK_CHECK_INT(r.n, 1);
}

static void test_missing_and_unreadable_paths(void)
{
	char db[512], missing[512], notdir[512], locked[512];
	db_path(db, sizeof db, "db2");
	db_path(missing, sizeof missing, "no/such/file.md");
	db_path(notdir, sizeof notdir, "docs/a.md/x.md");
	db_path(locked, sizeof locked, "locked");
	const char *paths[] = { missing, notdir, locked };
	mkdir(locked, 0755);
	write_text("locked/c.md", report_b);
	chmod(locked, 0);
	events ev = { 0 };
	GK_CHECK_INT(index_paths(db, paths, 3, &ev), GK_OK);
	if (geteuid() == 0) {
		/* Permissions do not stop root: the directory is read. */
		GK_CHECK_INT(ev.errors, 2);
		fprintf(stderr,
		        "  (as root: unreadable directory not tested)\n");
	} else {
		GK_CHECK_INT(ev.errors, 3);
		GK_CHECK(strstr(ev.last_error, "cannot read directory") !=
		         NULL);
	}
	chmod(locked, 0755);
}

static void test_stop_keeps_whole_files(void)
{
	char db[512], docs[512];
	db_path(db, sizeof db, "db3");
	db_path(docs, sizeof docs, "many");
	for (int i = 0; i < 5; i++) {
		char name[64];
		snprintf(name, sizeof name, "many/r%d.md", i);
		write_text(name, report_a);
	}
	const char *paths[] = { docs };
	events ev = { 0 };
	ev.stop_after = 2;
	GK_CHECK_INT(index_paths(db, paths, 1, &ev), GK_ECANCELLED);
	hits r;
	gk_error err;
	GK_CHECK_INT(search(db, "行政处罚", &r, &err), GK_OK);
	GK_CHECK_INT(r.n, 2);
}

/* A writer killed at any moment leaves a database that opens, with every
 * report either wholly there or absent. */
static void test_killed_writer_leaves_consistent_db(void)
{
	char db[512], docs[512];
	db_path(db, sizeof db, "db4");
	db_path(docs, sizeof docs, "bulk");
	for (int i = 0; i < 300; i++) {
		char name[64];
		snprintf(name, sizeof name, "bulk/r%03d.md", i);
		write_text(name, report_a);
	}
	const char *first[] = { docs };
	events ev = { 0 };
	ev.stop_after = 1;
	index_paths(db, first, 1, &ev); /* the database exists from here */
	for (int round = 0; round < 3; round++) {
		pid_t pid = fork();
		if (pid == 0) {
			events cev = { 0 };
			index_paths(db, first, 1, &cev);
			_exit(0);
		}
		struct timespec ts = { 0, 30000000L * (round + 1) };
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		int status;
		waitpid(pid, &status, 0);
		hits r;
		gk_error err;
		GK_CHECK_MSG(search(db, "行政处罚", &r, &err) == GK_OK, "%s",
		             err.msg);
		GK_CHECK(r.n >= 1);
		/* Each indexed copy has exactly one 行政处罚 passage and one
		 * 微信公众号 passage: equal counts mean no half report. */
		gk_q *q = NULL;
		size_t t1 = 0, t2 = 0;
		gk_q_options opt = { .offset = 0, .limit = 0 };
		hits sink;
		memset(&sink, 0, sizeof sink);
		GK_CHECK_INT(gk_q_open(&q, db, &err), GK_OK);
		if (q) {
			gk_q_search(q, "行政处罚", strlen("行政处罚"), &opt,
			            on_hit, &sink, &t1, &err);
			gk_q_search(q, "微信公众号", strlen("微信公众号"), &opt,
			            on_hit, &sink, &t2, &err);
			GK_CHECK_MSG(t1 == t2, "%zu != %zu", t1, t2);
		}
		gk_q_free(q);
	}
}

/* A user lexicon given at indexing is kept by the database: a second run
 * without it still cuts text with it. */
static void test_lexicon_is_kept(void)
{
	char db[512], lex[512], doc[512];
	db_path(db, sizeof db, "db5");
	db_path(lex, sizeof lex, "lex.txt");
	db_path(doc, sizeof doc, "lexdoc.md");
	write_text("lex.txt", "# terms\n岐山安全文化 9000\n");
	write_text("lexdoc.md", "依托岐山安全文化主题公园开展宣传。\n");
	gk_error err;
	gk_idx *ix = NULL;
	GK_CHECK_INT(gk_idx_open(&ix, db, NULL, &err), GK_OK);
	GK_CHECK_INT(gk_idx_add_lexicon(ix, lex, &err), GK_OK);
	char missing[600];
	snprintf(missing, sizeof missing, "%s.nope", lex);
	GK_CHECK_INT(gk_idx_add_lexicon(ix, missing, &err), GK_ENOTFOUND);
	GK_CHECK_INT(gk_idx_commit(ix, &err), GK_OK);
	gk_idx_free(ix);
	remove(lex);
	ix = NULL;
	GK_CHECK_INT(gk_idx_open(&ix, db, NULL, &err), GK_OK);
	GK_CHECK_INT(gk_idx_add_path(ix, doc, &err), GK_OK);
	GK_CHECK_INT(gk_idx_commit(ix, &err), GK_OK);
	gk_idx_free(ix);
	gk_xap_db *x = NULL;
	uint64_t n = 0;
	GK_CHECK_INT(gk_xap_db_open(&x, db, &err), GK_OK);
	GK_CHECK_INT(gk_xap_db_termfreq(x, "岐山安全文化",
	                                strlen("岐山安全文化"), &n, &err),
	             GK_OK);
	GK_CHECK_INT(n, 1);
	gk_xap_db_free(x);
	hits r;
	GK_CHECK_INT(search(db, "岐山安全文化", &r, &err), GK_OK);
	GK_CHECK_INT(r.n, 1);
	GK_CHECK_STR(r.hl[0][0], "岐山安全文化");
}

int main(void)
{
	setup();
	GK_RUN(test_index_directory_with_bad_files);
	GK_RUN(test_phrase_and_sections);
	GK_RUN(test_title_words_match);
	GK_RUN(test_synonym);
	GK_RUN(test_normalised_match_highlights_original);
	GK_RUN(test_bad_queries);
	GK_RUN(test_reindex_replaces);
	GK_RUN(test_missing_and_unreadable_paths);
	GK_RUN(test_stop_keeps_whole_files);
	GK_RUN(test_killed_writer_leaves_consistent_db);
	GK_RUN(test_lexicon_is_kept);
	teardown();
	return GK_TEST_RESULT();
}
