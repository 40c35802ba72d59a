/* Indexing and searching through the library: files written here, indexed
 * with gk_idx, searched with gk_q. */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 700
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gk_buf.h"
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

/* ---- statistics --------------------------------------------------------- */

/* The rows of 表三 after the header, each label as an HTML table comes out
 * (gk_src: rowspan repeated, colspan as empty cells), with the applicant
 * columns' values: v[0] 自然人, v[1] 商业企业, the others 0, then 总计. */
static void table3_row(gk_buf *b, const char *labels, int natural, int business)
{
	gk_buf_appendf(b, "%s\t%d\t%d\t0\t0\t0\t0\t%d\n", labels, natural,
	               business, natural + business);
}

/* A report of agency for year whose tables hold together: 表三 with
 * natural + business new requests (secret of the natural persons' refused
 * as 国家秘密, the rest published), 表四 with corrected 行政复议 结果纠正. */
static void write_stats_report(const char *name, const char *agency, int year,
                               int natural, int business, int secret,
                               int corrected)
{
	gk_buf b = GK_BUF_INIT(1u << 20);
	gk_buf_appendf(&b,
	               "%s%d年政府信息公开工作年度报告\n\n"
	               "一、总体情况\n\n"
	               "本机关通过微信公众号发布信息%d条。\n\n"
	               "二、主动公开政府信息情况\n\n"
	               "第二十条第（一）项\t第二十条第（一）项\t"
	               "第二十条第（一）项\t第二十条第（一）项\n"
	               "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
	               "规章\t0\t0\t0\n"
	               "行政规范性文件\t3\t1\t20\n\n"
	               "三、收到和处理政府信息公开申请情况\n\n",
	               agency, year, natural);
	static const char *const head =
	    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之"
	    "和）\t\t\t申请人情况\t申请人情况\t申请人情况\t申请人情况\t"
	    "申请人情况\t申请人情况\t申请人情况\n"
	    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之"
	    "和）\t\t\t自然人\t法人或其他组织\t法人或其他组织\t"
	    "法人或其他组织\t法人或其他组织\t法人或其他组织\t总计\n"
	    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之"
	    "和）\t\t\t自然人\t商业企业\t科研机构\t社会公益组织\t"
	    "法律服务机构\t其他\t总计\n";
	gk_buf_appendf(&b, "%s", head);
	table3_row(&b, "一、本年新收政府信息公开申请数量\t\t", natural,
	           business);
	table3_row(&b, "二、上年结转政府信息公开申请数量\t\t", 0, 0);
	table3_row(&b, "三、本年度办理结果\t（一）予以公开\t", natural - secret,
	           business);
	table3_row(&b,
	           "三、本年度办理结果\t（二）部分公开（区分处理的，只计这一情"
	           "形，不计其他情形）\t",
	           0, 0);
	static const char *const refused[] = {
		"1．属于国家秘密",         "2．其他法律行政法规禁止公开",
		"3．危及“三安全一稳定”",   "4．保护第三方合法权益",
		"5．属于三类内部事务信息", "6．属于四类过程性信息",
		"7．属于行政执法案卷",     "8．属于行政查询事项",
	};
	for (size_t i = 0; i < 8; i++) {
		char l[256];
		snprintf(l, sizeof l, "三、本年度办理结果\t（三）不予公开\t%s",
		         refused[i]);
		table3_row(&b, l, i ? 0 : secret, 0);
	}
	static const char *const rest[] = {
		"（四）无法提供\t1．本机关不掌握相关政府信息",
		"（四）无法提供\t2．没有现成信息需要另行制作",
		"（四）无法提供\t3．补正后申请内容仍不明确",
		"（五）不予处理\t1．信访举报投诉类申请",
		"（五）不予处理\t2．重复申请",
		"（五）不予处理\t3．要求提供公开出版物",
		"（五）不予处理\t4．无正当理由大量反复申请",
		"（五）不予处理\t5．要求行政机关确认或重新出具已获取信息",
		"（六）其他处理\t1．申请人无正当理由逾期不补正、行政机关不再处"
		"理"
		"其政府信息公开申请",
		"（六）其他处理\t2．申请人逾期未按收费通知要求缴纳费用、行政机"
		"关"
		"不再处理其政府信息公开申请",
		"（六）其他处理\t3．其他",
	};
	for (size_t i = 0; i < sizeof rest / sizeof rest[0]; i++) {
		char l[512];
		snprintf(l, sizeof l, "三、本年度办理结果\t%s", rest[i]);
		table3_row(&b, l, 0, 0);
	}
	table3_row(&b, "三、本年度办理结果\t（七）总计\t", natural, business);
	table3_row(&b, "四、结转下年度继续办理\t\t", 0, 0);
	gk_buf_appendf(
	    &b,
	    "\n四、政府信息公开行政复议、行政诉讼情况\n\n"
	    "行政复议\t行政复议\t行政复议\t行政复议\t行政复议\t"
	    "行政诉讼\t行政诉讼\t行政诉讼\t行政诉讼\t行政诉讼\t"
	    "行政诉讼\t行政诉讼\t行政诉讼\t行政诉讼\t行政诉讼\n"
	    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t"
	    "未经复议直接起诉\t未经复议直接起诉\t未经复议直接起诉\t"
	    "未经复议直接起诉\t未经复议直接起诉\t复议后起诉\t复议后起诉\t"
	    "复议后起诉\t复议后起诉\t复议后起诉\n"
	    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t"
	    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t"
	    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
	    "0\t%d\t0\t0\t%d\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n\n"
	    "五、存在的主要问题及改进情况\n\n"
	    "政策解读形式较为单一。\n",
	    corrected, corrected);
	write_text(name, b.data);
	gk_buf_free(&b);
}

/* Reports of every matching passage, '|'-joined in hit order, basenames. */
static const char *hit_reports(const hits *r)
{
	static char out[2048];
	out[0] = '\0';
	for (size_t i = 0; i < r->n && i < MAXHITS; i++) {
		const char *slash = strrchr(r->report[i], '/');
		const char *base = slash ? slash + 1 : r->report[i];
		if (strstr(out, base))
			continue;
		if (out[0])
			strncat(out, "|", sizeof out - strlen(out) - 1);
		strncat(out, base, sizeof out - strlen(out) - 1);
	}
	return out;
}

typedef struct records {
	size_t n;
	char report[8][512];
	double new_total[8]; /* 申请.本年新收.总计, -1 when absent */
	int has_stats[8];
} records;

static int on_record(const char *json, size_t len, void *payload)
{
	records *r = payload;
	size_t i = r->n++;
	if (i >= 8)
		return 0;
	char *s = strndup(json, len);
	GK_CHECK(s != NULL);
	if (!s)
		return 0;
	/* Checked without a JSON library: what the record holds. */
	const char *rep = strstr(s, "\"report\":\"");
	snprintf(r->report[i], sizeof r->report[i], "%s",
	         rep ? rep + strlen("\"report\":\"") : "");
	char *q = strchr(r->report[i], '"');
	if (q)
		*q = '\0';
	r->has_stats[i] = strstr(s, "\"stats\":{\"stats\":{") != NULL;
	const char *v = strstr(s, "\"申请.本年新收.总计\":");
	r->new_total[i] =
	    v ? strtod(v + strlen("\"申请.本年新收.总计\":"), NULL) : -1;
	free(s);
	return 0;
}

static void test_stat_filters(void)
{
	char db[512], docs[512];
	db_path(db, sizeof db, "db6");
	db_path(docs, sizeof docs, "statdocs");
	write_stats_report("statdocs/x.md", "某市应急管理局", 2023, 100, 20, 2,
	                   1);
	/* The same report in a second file: one report. */
	write_stats_report("statdocs/x.txt", "某市应急管理局", 2023, 100, 20, 2,
	                   1);
	write_stats_report("statdocs/y.md", "某县人民政府", 2022, 5, 0, 0, 0);
	write_text("statdocs/z.md", report_b); /* no tables */
	const char *paths[] = { docs };
	events ev = { 0 };
	GK_CHECK_INT(index_paths(db, paths, 1, &ev), GK_OK);
	GK_CHECK_INT(ev.errors, 0);
	hits r;
	gk_error err;
	static const char *const cases[][2] = {
		{ "申请.本年新收.总计>100 微信", "x.md|x.txt" },
		{ "申请.本年新收.总计>120 微信", "" },
		{ "申请.本年新收.总计>=120 微信", "x.md|x.txt" },
		{ "申请.本年新收.总计<5 微信", "" },
		{ "申请.本年新收.总计<=5 微信", "y.md" },
		{ "申请.本年新收.总计=5 微信", "y.md" },
		{ "申请.本年新收.总计＝１２０ 微信", "x.md|x.txt" },
		{ "微信 -申请.本年新收.总计>100", "y.md|z.md" },
		{ "微信 (申请.本年新收.总计>100 OR 申请.本年新收.总计<1)",
		  "x.md|x.txt" },
		{ "微信 (申请.本年新收.总计<10 OR "
		  "复议诉讼.行政复议.结果纠正>=1)",
		  "x.md|x.txt|y.md" },
		{ "申请.不予公开.属于国家秘密.总计>0 公众号", "x.md|x.txt" },
		{ "主动.行政规范性文件.现行有效=20 year:2022 微信", "y.md" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		GK_CHECK_MSG(search(db, cases[i][0], &r, &err) == GK_OK,
		             "%s: %s", cases[i][0], err.msg);
		/* Hits come ranked: compare as sets. */
		const char *got = hit_reports(&r);
		char want[256];
		snprintf(want, sizeof want, "%s", cases[i][1]);
		size_t nparts = 1;
		for (const char *c = want; *c; c++)
			nparts += *c == '|';
		int same = !want[0] ? !got[0] : 1;
		for (char *save = NULL, *t = strtok_r(want, "|", &save);
		     t && same; t = strtok_r(NULL, "|", &save))
			same = strstr(got, t) != NULL;
		size_t ngot = got[0] ? 1 : 0;
		for (const char *c = got; *c; c++)
			ngot += *c == '|';
		GK_CHECK_MSG(same && (!cases[i][1][0] || ngot == nparts),
		             "%s: got '%s', want '%s'", cases[i][0], got,
		             cases[i][1]);
	}
	/* Only filters: every passage of the reports selected. */
	GK_CHECK_INT(search(db, "year:2023 申请.本年新收.总计>100", &r, &err),
	             GK_OK);
	GK_CHECK(r.n >= 4);
	for (size_t i = 0; i < r.n && i < MAXHITS; i++)
		GK_CHECK_MSG(strstr(r.report[i], "/x.") != NULL, "%s",
		             r.report[i]);
	GK_CHECK_INT(search(db, "申请.本年新收.总计>100000", &r, &err), GK_OK);
	GK_CHECK_INT(r.n, 0);
	GK_CHECK_INT(search(db, "旧表.主动公开政府信息数>1", &r, &err),
	             GK_EQUERY);
	GK_CHECK(strstr(err.msg, "column 1") != NULL);

	/* Records: one per report, its statistics in the record. */
	gk_q *q = NULL;
	records rec;
	GK_CHECK_INT(gk_q_open(&q, db, &err), GK_OK);
	memset(&rec, 0, sizeof rec);
	GK_CHECK_INT(gk_q_reports(q, "", 0, on_record, &rec, &err), GK_OK);
	GK_CHECK_INT(rec.n, 3);
	int x = 0, y = 0, z = 0;
	for (size_t i = 0; i < rec.n && i < 8; i++) {
		if (strstr(rec.report[i], "/x.")) {
			x++;
			GK_CHECK(rec.new_total[i] == 120);
		} else if (strstr(rec.report[i], "/y.md")) {
			y++;
			GK_CHECK(rec.new_total[i] == 5);
		} else if (strstr(rec.report[i], "/z.md")) {
			z++;
			GK_CHECK(rec.new_total[i] == -1);
		}
		GK_CHECK(rec.has_stats[i]);
	}
	GK_CHECK(x == 1 && y == 1 && z == 1);
	memset(&rec, 0, sizeof rec);
	const char *fq = "申请.本年新收.总计>=5 year:2022";
	GK_CHECK_INT(gk_q_reports(q, fq, strlen(fq), on_record, &rec, &err),
	             GK_OK);
	GK_CHECK_INT(rec.n, 1);
	GK_CHECK(strstr(rec.report[0], "y.md") != NULL);
	memset(&rec, 0, sizeof rec);
	GK_CHECK_INT(gk_q_reports(q, "量子纠缠", strlen("量子纠缠"), on_record,
	                          &rec, &err),
	             GK_OK);
	GK_CHECK_INT(rec.n, 0);
	GK_CHECK_INT(
	    gk_q_reports(q, "(微信", strlen("(微信"), on_record, &rec, &err),
	    GK_EQUERY);
	gk_q_free(q);
}

/* What the web page uses: hits carry the report's id and the passage's
 * number, which gk_q_report gives back whole; an exact section filter;
 * facets counted in passages only; a query checked alone; its words
 * marked in any text. */
typedef struct facet_seen {
	size_t year_values, year_reports, type_reports;
} facet_seen;

typedef struct page_ctx {
	size_t n, in_section;
	const char *want_key;
	char id[32];
	size_t passage;
	char *json;
	facet_seen f;
} page_ctx;

static int page_hit(const gk_q_hit *h, void *payload)
{
	page_ctx *c = payload;
	if (!c->n++) {
		snprintf(c->id, sizeof c->id, "%s", h->report_id);
		c->passage = h->passage;
		c->json = gk_q_hit_to_json(h);
	}
	if (c->want_key && h->section_key &&
	    !strcmp(h->section_key, c->want_key))
		c->in_section++;
	return 0;
}

static int page_facet(const char *facet, const char *value, size_t passages,
                      size_t reports, void *payload)
{
	facet_seen *f = &((page_ctx *)payload)->f;
	(void)value;
	GK_CHECK(passages > 0);
	if (!strcmp(facet, "year")) {
		f->year_values++;
		f->year_reports += reports;
	} else if (!strcmp(facet, "type")) {
		f->type_reports += reports;
	}
	return 0;
}

static void test_page_interfaces(void)
{
	char db[512];
	db_path(db, sizeof db, "db1");
	gk_error err;
	gk_q *q = NULL;
	GK_CHECK_INT(gk_q_open(&q, db, &err), GK_OK);
	if (!q)
		return;

	/* report_id and passage lead back to the passage. */
	page_ctx c = { 0 };
	gk_q_options o = { .limit = 10 };
	GK_CHECK_INT(gk_q_search(q, "行政处罚", strlen("行政处罚"), &o,
	                         page_hit, &c, NULL, &err),
	             GK_OK);
	GK_CHECK_INT(c.n, 1);
	GK_CHECK(gk_q_report_id_valid(c.id));
	GK_CHECK(c.json && strstr(c.json, "\"report_id\":\"") &&
	         strstr(c.json, "\"passage\":"));
	free(c.json);
	char *rep = NULL;
	GK_CHECK_INT(gk_q_report(q, c.id, &rep, &err), GK_OK);
	json_t *r = rep ? json_loads(rep, 0, NULL) : NULL;
	json_t *p = json_array_get(json_object_get(r, "passages"), c.passage);
	GK_CHECK(p && strstr(json_string_value(json_object_get(p, "text")),
	                     "行政处罚"));
	GK_CHECK(json_array_size(json_object_get(r, "headings")) >= 3);
	json_decref(r);
	free(rep);
	GK_CHECK_INT(gk_q_report(q, "0123456789abcdef", &rep, &err),
	             GK_ENOTFOUND);
	GK_CHECK_INT(gk_q_report(q, "../../etc/passwd", &rep, &err), GK_EINVAL);

	/* The exact section filter keeps only passages of that section. */
	page_ctx all = { 0 }, sec = { .want_key = "总体" };
	o.section_key = NULL;
	GK_CHECK_INT(gk_q_search(q, "微信", strlen("微信"), &o, page_hit, &all,
	                         NULL, &err),
	             GK_OK);
	o.section_key = "总体";
	GK_CHECK_INT(gk_q_search(q, "微信", strlen("微信"), &o, page_hit, &sec,
	                         NULL, &err),
	             GK_OK);
	GK_CHECK(all.n > sec.n && sec.n > 0);
	GK_CHECK_INT(sec.in_section, sec.n);
	free(all.json);
	free(sec.json);
	o.section_key = "申请";
	page_ctx none = { 0 };
	GK_CHECK_INT(gk_q_search(q, "微信", strlen("微信"), &o, page_hit, &none,
	                         NULL, &err),
	             GK_OK);
	GK_CHECK_INT(none.n, 0);
	o.section_key = NULL;

	/* Facets in passages only give no report counts, other facets do. */
	page_ctx ignore = { 0 };
	o.facets = GK_Q_FACET_YEAR | GK_Q_FACET_TYPE | GK_Q_FACET_REGION;
	o.facet = page_facet;
	o.facets_passages_only = GK_Q_FACET_YEAR;
	GK_CHECK_INT(gk_q_search(q, "微信", strlen("微信"), &o, page_hit,
	                         &ignore, NULL, &err),
	             GK_OK);
	free(ignore.json);
	GK_CHECK_INT(ignore.f.year_values, 2);
	GK_CHECK_INT(ignore.f.year_reports, 0);
	GK_CHECK_INT(ignore.f.type_reports, 2);

	/* A query checked alone, with the parser's column. */
	GK_CHECK_INT(gk_q_check("微信 OR", strlen("微信 OR"), &err), GK_EQUERY);
	GK_CHECK(strstr(err.msg, "column") != NULL);
	GK_CHECK_INT(gk_q_check("(微信) 公众号", strlen("(微信) 公众号"), &err),
	             GK_OK);

	/* Its words marked in any text, normalised forms too. */
	gk_q_marker *m = NULL;
	GK_CHECK_INT(
	    gk_q_marker_new(q, "企业 公众号", strlen("企业 公众号"), &m, &err),
	    GK_OK);
	const char *t = "企業名單與微信公众号";
	gk_q_span *sp = NULL;
	size_t nsp = 0;
	if (m)
		GK_CHECK_INT(gk_q_mark(m, t, strlen(t), &sp, &nsp, &err),
		             GK_OK);
	GK_CHECK_INT(nsp, 2);
	if (nsp == 2) {
		GK_CHECK(
		    !strncmp(t + sp[0].start, "企業", sp[0].end - sp[0].start));
		GK_CHECK(!strncmp(t + sp[1].start, "公众号",
		                  sp[1].end - sp[1].start));
	}
	free(sp);
	gk_q_marker_free(m);
	gk_q_free(q);
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
	GK_RUN(test_stat_filters);
	GK_RUN(test_page_interfaces);
	teardown();
	return GK_TEST_RESULT();
}
