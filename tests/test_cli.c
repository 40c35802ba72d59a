/* End to end: the gongkai command on the bundled 晋江 reports.
 * Usage: test_cli PATH/TO/gongkai PATH/TO/corpus */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gk_test.h"

static const char *gongkai, *corpus;
static char dir[256], db[512];

#define R2023 "reports/福建_晋江市应急管理局_2023_政府信息公开工作年度报告.md"
#define R2018                                                                  \
	"reports/"                                                             \
	"福建_晋江市安全生产监督管理局_2018_政府信息公开工作年度报告.md"

typedef struct result {
	int status;
	char *out; /* stdout, NUL-terminated */
	char *err; /* stderr */
} result;

static char *slurp_fd(int fd)
{
	size_t n = 0, cap = 4096;
	char *buf = malloc(cap);
	for (;;) {
		if (n + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	return buf;
}

/* Runs gongkai with args (NULL-terminated); stderr goes through a file so
 * that neither pipe can fill up and block the child. */
static result run(const char *const *args)
{
	const char *argv[32];
	size_t n = 0;
	argv[n++] = gongkai;
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	char errpath[300];
	snprintf(errpath, sizeof errpath, "%s/stderr", dir);
	int out[2];
	result r = { -1, NULL, NULL };
	if (pipe(out) < 0)
		return r;
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(out[1], 1);
		dup2(fd, 2);
		close(out[0]);
		unsetenv("GONGKAI_DB");
		execv(gongkai, (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	r.out = slurp_fd(out[0]);
	close(out[0]);
	int status;
	waitpid(pid, &status, 0);
	r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	int fd = open(errpath, O_RDONLY);
	r.err = fd >= 0 ? slurp_fd(fd) : strdup("");
	if (fd >= 0)
		close(fd);
	return r;
}

static void result_free(result *r)
{
	free(r->out);
	free(r->err);
}

/* Parses JSON Lines; returns an array of objects. */
static json_t *json_lines(const char *s)
{
	json_t *a = json_array();
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		json_error_t e;
		json_t *o = json_loadb(s, n, 0, &e);
		GK_CHECK_MSG(json_is_object(o), "bad JSON line: %.*s", (int)n,
		             s);
		if (o)
			json_array_append_new(a, o);
		s += n + (nl ? 1 : 0);
	}
	return a;
}

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : "";
}

static void corpus_path(char *out, size_t n, const char *rel)
{
	snprintf(out, n, "%s/%s", corpus, rel);
}

static void test_help(void)
{
	const char *cmds[][3] = { { "--help", NULL, NULL },
		                  { "index", "--help", NULL },
		                  { "search", "--help", NULL },
		                  { "stats", "--help", NULL } };
	for (size_t i = 0; i < 4; i++) {
		result r = run(cmds[i]);
		GK_CHECK_INT(r.status, 0);
		GK_CHECK(strstr(r.out, "Usage: gongkai") != NULL);
		result_free(&r);
	}
	const char *top[] = { "--help", NULL };
	result h = run(top);
	static const char *const cmds_listed[] = { "index", "search", "show",
		                                   "segment", "stats" };
	for (size_t i = 0; i < 5; i++)
		GK_CHECK(strstr(h.out, cmds_listed[i]) != NULL);
	result_free(&h);
	const char *ih[] = { "index", "--help", NULL };
	h = run(ih);
	GK_CHECK(strstr(h.out, "--lexicon") && strstr(h.out, "--max-file-mb"));
	result_free(&h);
	const char *bad[] = { "frobnicate", NULL };
	result r = run(bad);
	GK_CHECK_INT(r.status, 2);
	GK_CHECK(strstr(r.err, "unknown command") != NULL);
	result_free(&r);
}

static void test_index(void)
{
	char a[512], b[512];
	corpus_path(a, sizeof a, R2023);
	corpus_path(b, sizeof b, R2018);
	const char *args[] = { "index", "--db", db, a, b, NULL };
	result r = run(args);
	GK_CHECK_MSG(r.status == 0, "status %d: %s", r.status, r.err);
	GK_CHECK(strstr(r.err, "2 files indexed") != NULL);
	result_free(&r);
}

static void test_table_passage_under_its_section(void)
{
	const char *args[] = {
		"search", "--db", db, "--json", "行政处罚", NULL
	};
	result r = run(args);
	GK_CHECK_INT(r.status, 0);
	json_t *hits = json_lines(r.out);
	GK_CHECK(json_array_size(hits) >= 2);
	int found = 0;
	size_t i;
	json_t *h;
	json_array_foreach(hits, i, h)
	{
		static const char *keys[] = { "rank",       "score",  "report",
			                      "title",      "agency", "year",
			                      "section",    "text",   "snippet",
			                      "highlights", "line" };
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			GK_CHECK_MSG(json_object_get(h, keys[k]) != NULL,
			             "missing key %s", keys[k]);
		GK_CHECK_INT(json_integer_value(json_object_get(h, "rank")),
		             i + 1);
		/* Every highlight is the word itself, at exact offsets. */
		const char *text = jstr(h, "text");
		json_t *hl = json_object_get(h, "highlights");
		GK_CHECK(json_array_size(hl) >= 1);
		size_t j;
		json_t *span;
		json_array_foreach(hl, j, span)
		{
			json_int_t s =
			    json_integer_value(json_array_get(span, 0));
			json_int_t e =
			    json_integer_value(json_array_get(span, 1));
			GK_CHECK(s >= 0 && e > s && (size_t)e <= strlen(text));
			if (s >= 0 && e > s && (size_t)e <= strlen(text))
				GK_CHECK(e - s ==
				             (json_int_t)strlen("行政处罚") &&
				         !memcmp(text + s, "行政处罚",
				                 strlen("行政处罚")));
		}
		json_t *sec = json_object_get(h, "section");
		if (strstr(jstr(h, "report"), "2023") &&
		    json_array_size(sec) == 2 &&
		    !strcmp(json_string_value(json_array_get(sec, 0)),
		            "二、主动公开政府信息情况") &&
		    !strcmp(json_string_value(json_array_get(sec, 1)),
		            "第二十条第（六）项") &&
		    strstr(text, "行政处罚\t36")) {
			found = 1;
			GK_CHECK_STR(jstr(h, "agency"), "晋江市应急管理局");
			GK_CHECK_INT(
			    json_integer_value(json_object_get(h, "year")),
			    2023);
			/* The line cited is where the passage starts. */
			char path[512];
			corpus_path(path, sizeof path, R2023);
			FILE *f = fopen(path, "r");
			char buf[4096];
			json_int_t want =
			    json_integer_value(json_object_get(h, "line"));
			for (json_int_t k = 0; f && k < want; k++)
				if (!fgets(buf, sizeof buf, f))
					buf[0] = '\0';
			if (f)
				fclose(f);
			/* The row cited is in the passage, after its header. */
			GK_CHECK_MSG(!strncmp(buf, "行政处罚\t36", 15) &&
			                 strstr(text, "信息内容"),
			             "line %lld: %s", (long long)want, buf);
		}
	}
	GK_CHECK_MSG(found, "no 2023 table passage in:\n%s", r.out);
	json_decref(hits);
	result_free(&r);
}

static void test_word_in_both_reports(void)
{
	const char *args[] = { "search",  "--db", db,           "--json",
		               "--limit", "50",   "微信公众号", NULL };
	result r = run(args);
	GK_CHECK_INT(r.status, 0);
	json_t *hits = json_lines(r.out);
	int in2023 = 0, in2018 = 0;
	size_t i;
	json_t *h;
	json_array_foreach(hits, i, h)
	{
		in2023 |= strstr(jstr(h, "report"), R2023) != NULL;
		in2018 |= strstr(jstr(h, "report"), R2018) != NULL;
		GK_CHECK(strstr(jstr(h, "text"), "微信公众号") != NULL);
		GK_CHECK(strstr(jstr(h, "snippet"), "微信公众号") != NULL);
	}
	GK_CHECK(in2023 && in2018);
	json_decref(hits);
	result_free(&r);

	/* Human output: title, section path with ›, source line. */
	const char *args2[] = { "search", "微信公众号", "--db", db,
		                "-n",     "1",          NULL };
	r = run(args2);
	GK_CHECK_INT(r.status, 0);
	GK_CHECK(strstr(r.out, "1. ") == r.out);
	GK_CHECK(strstr(r.out, "[微信公众号]") != NULL);
	GK_CHECK(strstr(r.out, ".md:") != NULL);
	GK_CHECK(strstr(r.out, "2.") == NULL || strstr(r.out, "1–1 of"));
	result_free(&r);
}

/* Strings the word segmentation of the text cuts differently, and a
 * traditional form, all find the 2023 passages holding them. */
static void test_exact_strings(void)
{
	static const char *const cases[][2] = {
		{ "海尾村", "陈埭镇海尾村" },
		{ "复议", "行政复议" },
		{ "微信", "微信公众号" },
		{ "企业名单", "企業名单" },
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		const char *args[] = { "search",  "--db", db,          "--json",
			               "--limit", "100",  cases[c][0], NULL };
		result r = run(args);
		GK_CHECK_MSG(r.status == 0, "%s: status %d", cases[c][0],
		             r.status);
		json_t *hits = json_lines(r.out);
		int found = 0;
		size_t i;
		json_t *h;
		json_array_foreach(hits, i, h)
		{
			const char *text = jstr(h, "text");
			if (strstr(jstr(h, "report"), R2023) &&
			    strstr(text, cases[c][1])) {
				found = 1;
				/* The highlight covers the source characters.
				 */
				json_t *s = json_array_get(
				    json_object_get(h, "highlights"), 0);
				json_int_t a =
				    json_integer_value(json_array_get(s, 0));
				json_int_t b =
				    json_integer_value(json_array_get(s, 1));
				GK_CHECK(b - a ==
				         (json_int_t)strlen(cases[c][0]));
			}
		}
		GK_CHECK_MSG(found, "%s: no 2023 passage", cases[c][0]);
		json_decref(hits);
		result_free(&r);
	}
}

/* Every example of `gongkai search --help`, over the whole corpus: each
 * hit obeys what the query asked. */
static char dball[512];

static json_t *search_all(const char *query, int per_report)
{
	char pr[16];
	snprintf(pr, sizeof pr, "%d", per_report);
	const char *args[] = { "search",       "--db",    dball,
		               "--json",       "--limit", "200",
		               "--per-report", pr,        "--",
		               query,          NULL };
	result r = run(args);
	GK_CHECK_MSG(r.status == 0, "%s: status %d: %s", query, r.status,
	             r.err);
	json_t *hits = json_lines(r.out);
	result_free(&r);
	return hits;
}

static const char *jsection(json_t *h)
{
	static char buf[1024];
	buf[0] = '\0';
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(h, "section"), i, s)
	{
		strncat(buf, json_string_value(s),
		        sizeof buf - strlen(buf) - 1);
	}
	return buf;
}

static void test_help_examples(void)
{
	char reports[512];
	corpus_path(reports, sizeof reports, "reports");
	snprintf(dball, sizeof dball, "%s/dball", dir);
	const char *args[] = { "index", "-q", "--db", dball, reports, NULL };
	result r = run(args);
	GK_CHECK_INT(r.status, 0);
	result_free(&r);

	size_t i;
	json_t *h, *hits = search_all("微信公众号 信息", 0);
	json_array_foreach(hits, i, h)
	{
		const char *all = jstr(h, "text");
		GK_CHECK(strstr(all, "微信公众号") ||
		         strstr(jstr(h, "title"), "微信公众号"));
	}
	json_decref(hits);

	hits = search_all("微信 -微博", 0);
	GK_CHECK(json_array_size(hits) > 0);
	json_array_foreach(hits, i, h)
	{
		GK_CHECK(!strstr(jstr(h, "text"), "微博"));
		GK_CHECK(!strstr(jsection(h), "微博"));
	}
	json_decref(hits);

	json_t *a = search_all("微信", 0), *b = search_all("微博", 0);
	hits = search_all("微信 OR 微博", 0);
	GK_CHECK(json_array_size(hits) >= json_array_size(a) &&
	         json_array_size(hits) >= json_array_size(b) &&
	         json_array_size(hits) <=
	             json_array_size(a) + json_array_size(b));
	json_decref(a);
	json_decref(b);
	json_decref(hits);

	hits = search_all("agency:晋江", 0);
	GK_CHECK(json_array_size(hits) > 0);
	json_array_foreach(hits, i, h)
	{
		GK_CHECK(strstr(jstr(h, "agency"), "晋江") != NULL);
	}
	json_decref(hits);

	hits = search_all("year:2019..2021 公开", 0);
	GK_CHECK(json_array_size(hits) > 0);
	json_array_foreach(hits, i, h)
	{
		json_int_t y = json_integer_value(json_object_get(h, "year"));
		GK_CHECK(y >= 2019 && y <= 2021);
	}
	json_decref(hits);

	hits = search_all("region:福建 year:2023", 0);
	GK_CHECK(json_array_size(hits) > 0);
	json_array_foreach(hits, i, h)
	{
		GK_CHECK(strstr(jstr(h, "region"), "福建") != NULL);
		GK_CHECK_INT(json_integer_value(json_object_get(h, "year")),
		             2023);
	}
	json_decref(hits);

	hits = search_all("section:申请 国家秘密", 0);
	GK_CHECK(json_array_size(hits) > 0);
	json_array_foreach(hits, i, h)
	{
		GK_CHECK_STR(jstr(h, "section_key"), "申请");
	}
	json_decref(hits);

	hits = search_all("(微信 OR 微博) type:report title:年度报告", 0);
	GK_CHECK(json_array_size(hits) > 0);
	json_array_foreach(hits, i, h)
	{
		GK_CHECK_STR(jstr(h, "report_type"), "report");
	}
	json_decref(hits);

	/* A phrase across words: 依申请公开 then 办理, adjacent. */
	hits = search_all("\"依申请公开办理\"", 0);
	json_array_foreach(hits, i, h)
	{
		GK_CHECK(strstr(jstr(h, "text"), "依申请公开办理") ||
		         strstr(jsection(h), "依申请公开办理"));
	}
	json_decref(hits);

	/* At most 3 passages of one report by default, the rest counted. */
	hits = search_all("公开", 3);
	json_t *seen = json_object();
	json_array_foreach(hits, i, h)
	{
		const char *rep = jstr(h, "report");
		json_int_t k = json_integer_value(json_object_get(seen, rep));
		json_object_set_new(seen, rep, json_integer(k + 1));
		GK_CHECK(k + 1 <= 3);
	}
	json_decref(seen);
	json_decref(hits);
}

static void test_paging_is_stable(void)
{
	json_t *all = search_all("信息公开", 0);
	size_t total = json_array_size(all);
	GK_CHECK(total > 30);
	json_t *seen = json_object();
	for (int page = 0; page * 10 < (int)total; page++) {
		char off[16];
		snprintf(off, sizeof off, "%d", page * 10);
		const char *args[] = {
			"search", "--db",     dball, "--json",   "--per-report",
			"0",      "--offset", off,   "信息公开", NULL
		};
		result r = run(args);
		json_t *hits = json_lines(r.out);
		size_t i;
		json_t *h;
		json_array_foreach(hits, i, h)
		{
			char key[1200];
			snprintf(key, sizeof key, "%s:%.400s",
			         jstr(h, "report"), jstr(h, "text"));
			GK_CHECK_MSG(!json_object_get(seen, key),
			             "%s on two pages", key);
			json_object_set_new(seen, key, json_true());
		}
		json_decref(hits);
		result_free(&r);
	}
	json_decref(seen);
	json_decref(all);
}

static void test_count_and_explain(void)
{
	const char *count[] = {
		"search", "--db", dball, "--count", "微信", NULL
	};
	result r = run(count);
	GK_CHECK_INT(r.status, 0);
	GK_CHECK(atoi(r.out) > 0);
	result_free(&r);
	const char *none[] = { "search",  "--db",     dball,
		               "--count", "量子纠缠", NULL };
	r = run(none);
	GK_CHECK_INT(r.status, 1);
	GK_CHECK_STR(r.out, "0\n");
	result_free(&r);
	const char *ex[] = { "search", "--db", dball,        "--explain",
		             "-n",     "1",    "微信 -微博", NULL };
	r = run(ex);
	GK_CHECK(strstr(r.out, "query:  (\"微信\" AND -\"微博\")") != NULL);
	/* Each hit says which terms it matched. */
	GK_CHECK(strstr(r.out, "score ") && strstr(r.out, "text:微信"));
	result_free(&r);
	const char *bad[] = { "search", "--db", dball, "微信 (公开", NULL };
	r = run(bad);
	GK_CHECK_INT(r.status, 2);
	GK_CHECK(strstr(r.err, "column 4") != NULL);
	result_free(&r);
}

/* A report and its PDF original are one report: a passage is shown once,
 * naming the other file. Needs the shared corpus beside the repository. */
static void test_one_report_two_formats(void)
{
	char txt[600], pdf[600], db3[300];
	corpus_path(txt, sizeof txt,
	            "reports/江苏_淮安市洪泽区人民政府_2023_政府信息公开工作"
	            "年度报告.txt");
	snprintf(pdf, sizeof pdf,
	         "%s/../../shared/corpus/originals/江苏_淮安市洪泽区人民政府_"
	         "2023_政府信息公开工作年度报告.pdf",
	         corpus);
	if (access(pdf, R_OK)) {
		fprintf(stderr,
		        "  (no shared corpus: two formats not tested)\n");
		return;
	}
	snprintf(db3, sizeof db3, "%s/db3", dir);
	const char *idx[] = { "index", "-q", "--db", db3, txt, pdf, NULL };
	result r = run(idx);
	GK_CHECK_INT(r.status, 0);
	result_free(&r);
	const char *q[] = { "search", "--db", db3, "--json", "分级审核", NULL };
	r = run(q);
	GK_CHECK_INT(r.status, 0);
	json_t *hits = json_lines(r.out);
	GK_CHECK_INT(json_array_size(hits), 1);
	json_t *srcs = json_object_get(json_array_get(hits, 0), "sources");
	GK_CHECK_INT(json_array_size(srcs), 1);
	GK_CHECK(json_array_size(srcs) == 1 &&
	         strstr(json_string_value(json_array_get(srcs, 0)), ".pdf"));
	json_decref(hits);
	result_free(&r);
	/* Without grouping, both files' passages are there. */
	const char *q0[] = { "search",       "--db", db3,        "--json",
		             "--per-report", "0",    "分级审核", NULL };
	r = run(q0);
	hits = json_lines(r.out);
	GK_CHECK_INT(json_array_size(hits), 2);
	json_decref(hits);
	result_free(&r);
}

static void test_facets(void)
{
	const char *args[] = { "search", "--db",     dball,
		               "--json", "--facets", "year,section,type",
		               "微信",   NULL };
	result r = run(args);
	GK_CHECK_INT(r.status, 0);
	json_t *lines = json_lines(r.out);
	json_t *f = json_object_get(
	    json_array_get(lines, json_array_size(lines) - 1), "facets");
	GK_CHECK(json_is_object(json_object_get(f, "year")));
	const char *v;
	json_t *n;
	size_t total = 0;
	json_object_foreach(json_object_get(f, "year"), v, n)
	{
		json_int_t p =
		    json_integer_value(json_object_get(n, "passages"));
		json_int_t k =
		    json_integer_value(json_object_get(n, "reports"));
		GK_CHECK(p >= k && k >= 1);
		GK_CHECK(strlen(v) == 4);
		total += (size_t)p;
	}
	GK_CHECK(total > 0);
	GK_CHECK(json_object_get(json_object_get(f, "type"), "report") != NULL);
	json_decref(lines);
	result_free(&r);
	const char *bad[] = { "search", "--db", dball, "--facets",
		              "colour", "微信", NULL };
	r = run(bad);
	GK_CHECK_INT(r.status, 2);
	GK_CHECK(strstr(r.err, "unknown facet") != NULL);
	result_free(&r);
}

/* Phrases across a line wrap and a page number in the source; grouping
 * counts what it hides. */
static void test_wraps_and_grouping(void)
{
	static const char *const cases[][2] = {
		{ "分级审核", "江苏_淮安市洪泽区人民政府_2023" },
		{ "政务公开促落实", "上海_上海市人民政府办公厅_2025" },
		{ "发挥政务公开", "上海_上海市人民政府办公厅_2025" },
		{ "市安全生产中介服务机构", "福建_晋江市应急管理局_2023" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *hits = search_all(cases[i][0], 0);
		int found = 0;
		size_t k;
		json_t *h;
		json_array_foreach(hits, k, h)
		{
			found |= strstr(jstr(h, "report"), cases[i][1]) != NULL;
		}
		GK_CHECK_MSG(found, "%s not found in %s", cases[i][0],
		             cases[i][1]);
		json_decref(hits);
	}
	json_t *all = search_all("公众号", 0), *one = search_all("公众号", 1);
	size_t k;
	json_t *h;
	json_array_foreach(one, k, h)
	{
		size_t same = 0, j;
		json_t *g;
		json_array_foreach(all, j, g)
		{
			same += !strcmp(jstr(g, "report"), jstr(h, "report"));
		}
		GK_CHECK_INT(
		    json_integer_value(json_object_get(h, "more_in_report")),
		    same - 1);
	}
	json_decref(all);
	json_decref(one);
}

static void test_csv(void)
{
	const char *args[] = { "search", "--db", dball,  "--csv",
		               "-n",     "3",    "微信", NULL };
	result r = run(args);
	GK_CHECK_INT(r.status, 0);
	GK_CHECK(!strncmp(r.out, "rank,score,report,title,", 24));
	size_t rows = 0;
	for (const char *p = r.out; (p = strstr(p, "\r\n")); p += 2)
		rows++;
	/* Header and three rows; quoted fields may hold line breaks but
	 * never CRLF. */
	GK_CHECK_INT(rows, 4);
	GK_CHECK(strstr(r.out, "\r\n1,") != NULL);
	result_free(&r);
}

static void test_no_hit_and_errors(void)
{
	const char *none[] = { "search", "--db", db, "量子纠缠", NULL };
	result r = run(none);
	GK_CHECK_INT(r.status, 1);
	GK_CHECK_STR(r.out, "");
	result_free(&r);

	char missing[512];
	snprintf(missing, sizeof missing, "%s/missing.db", dir);
	const char *nodb[] = { "search", "--db", missing, "微信", NULL };
	r = run(nodb);
	GK_CHECK_INT(r.status, 2);
	GK_CHECK(strstr(r.err, "missing.db") != NULL);
	GK_CHECK(strchr(r.err, '\n') == r.err + strlen(r.err) - 1);
	result_free(&r);

	const char *punct[] = { "search", "--db", db, "，。", NULL };
	r = run(punct);
	GK_CHECK_INT(r.status, 2);
	result_free(&r);

	const char *badlimit[] = { "search", "--db", db,  "--limit",
		                   "x",      "微信", NULL };
	r = run(badlimit);
	GK_CHECK_INT(r.status, 2);
	GK_CHECK(strstr(r.err, "--limit") != NULL);
	result_free(&r);
}

static double jnum(json_t *stats, const char *key)
{
	json_t *v = json_object_get(stats, key);
	return json_is_number(v) ? json_number_value(v) : -1;
}

/* gongkai stats over the bundled reports: records, CSV, sums and filters
 * agree with each other, and with the figures of the 上海 2025 tables. */
static void test_stats(void)
{
	const char *js[] = { "stats", "--db", dball, "--json", NULL };
	result r = run(js);
	GK_CHECK_MSG(r.status == 0, "status %d: %s", r.status, r.err);
	json_t *recs = json_lines(r.out);
	result_free(&r);
	size_t n = json_array_size(recs), i;
	GK_CHECK(n >= 20);
	json_t *rec, *ids = json_object();
	int shanghai = 0;
	json_array_foreach(recs, i, rec)
	{
		static const char *keys[] = { "report", "report_id", "title",
			                      "agency", "year",      "region",
			                      "stats",  "uncertain", "checks" };
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			GK_CHECK_MSG(json_object_get(rec, keys[k]) != NULL,
			             "missing key %s", keys[k]);
		GK_CHECK(json_is_object(json_object_get(rec, "stats")));
		GK_CHECK(json_is_array(json_object_get(rec, "uncertain")));
		GK_CHECK(json_is_array(json_object_get(rec, "checks")));
		/* Each report once. */
		const char *id = jstr(rec, "report_id");
		GK_CHECK_MSG(!json_object_get(ids, id), "%s twice",
		             jstr(rec, "report"));
		json_object_set_new(ids, id, json_true());
		if (strstr(jstr(rec, "report"), "上海市人民政府办公厅_2025")) {
			json_t *st = json_object_get(rec, "stats");
			shanghai = 1;
			GK_CHECK(jnum(st, "申请.本年新收.总计") == 1295);
			GK_CHECK(jnum(st, "申请.不予公开.属于国家秘密.总计") ==
			         4);
			GK_CHECK(jnum(st, "复议诉讼.行政复议.总计") == 55);
		}
	}
	GK_CHECK(shanghai);
	json_decref(ids);

	/* CSV: a header, then a row per report. */
	const char *csv[] = { "stats", "--db", dball, "--csv", NULL };
	r = run(csv);
	GK_CHECK_INT(r.status, 0);
	GK_CHECK(!strncmp(r.out,
	                  "report,agency,year,region,主动.规章.本年制发,",
	                  strlen("report,agency,year,region,主动.规章."
	                         "本年制发,")));
	size_t rows = 0;
	for (const char *p = r.out; (p = strstr(p, "\r\n")); p += 2)
		rows++;
	GK_CHECK_INT(rows, n + 1);
	result_free(&r);

	/* Sums per year are the records' sums. */
	const char *key = "申请.本年新收.总计";
	const char *sum[] = { "stats", "--db", dball,  "--json", "--sum",
		              key,     "--by", "year", NULL };
	r = run(sum);
	GK_CHECK_INT(r.status, 0);
	json_t *groups = json_lines(r.out), *g;
	result_free(&r);
	GK_CHECK(json_array_size(groups) >= 5);
	json_array_foreach(groups, i, g)
	{
		json_int_t year =
		    json_integer_value(json_object_get(g, "year"));
		double want = 0;
		json_int_t reports = 0, with = 0;
		size_t j;
		json_array_foreach(recs, j, rec)
		{
			if (json_integer_value(json_object_get(rec, "year")) !=
			    year)
				continue;
			reports++;
			double v = jnum(json_object_get(rec, "stats"), key);
			if (v >= 0)
				want += v, with++;
		}
		json_t *s = json_object_get(json_object_get(g, "sums"), key);
		GK_CHECK_INT(json_integer_value(json_object_get(g, "reports")),
		             reports);
		GK_CHECK_INT(json_integer_value(json_object_get(s, "reports")),
		             with);
		GK_CHECK_MSG(
		    json_number_value(json_object_get(s, "sum")) == want,
		    "%lld: %g != %g", (long long)year,
		    json_number_value(json_object_get(s, "sum")), want);
	}
	json_decref(groups);
	const char *table[] = { "stats", "--db", dball,  "--sum",
		                key,     "--by", "year", NULL };
	r = run(table);
	GK_CHECK_INT(r.status, 0);
	GK_CHECK(!strncmp(r.out, "year ", 5) && strstr(r.out, "2025 "));
	result_free(&r);

	/* A filter keeps the reports whose figure is in range, for stats and
	 * for search alike. */
	const char *filt[] = {
		"stats", "--db", dball, "--json", "申请.本年新收.总计>1000",
		NULL
	};
	r = run(filt);
	GK_CHECK_INT(r.status, 0);
	json_t *big = json_lines(r.out);
	result_free(&r);
	size_t want_n = 0;
	json_array_foreach(recs, i, rec)
	{
		want_n += jnum(json_object_get(rec, "stats"), key) > 1000;
	}
	GK_CHECK(want_n >= 1);
	GK_CHECK_INT(json_array_size(big), want_n);
	json_t *names = json_object();
	json_array_foreach(big, i, rec)
	{
		GK_CHECK(jnum(json_object_get(rec, "stats"), key) > 1000);
		json_object_set_new(names, jstr(rec, "report"), json_true());
	}
	json_t *hits = search_all("申请.本年新收.总计>1000 公开", 0), *h;
	GK_CHECK(json_array_size(hits) > 0);
	json_array_foreach(hits, i, h)
	{
		GK_CHECK_MSG(json_object_get(names, jstr(h, "report")), "%s",
		             jstr(h, "report"));
	}
	json_decref(hits);
	json_decref(names);
	json_decref(big);
	json_decref(recs);

	const char *none[] = { "stats", "--db", dball,
		               "申请.本年新收.总计>99999999", NULL };
	r = run(none);
	GK_CHECK_INT(r.status, 1);
	GK_CHECK_STR(r.out, "");
	result_free(&r);
	static const char *const bad[][2] = {
		{ "旧表.主动公开政府信息数>1", "column 1" },
		{ "--by=year", "--sum" },
		{ "--sum=申请.本年新收.合计", "unknown key" },
	};
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *args[] = { "stats", "--db", dball, bad[i][0],
			               NULL };
		r = run(args);
		GK_CHECK_INT(r.status, 2);
		GK_CHECK_MSG(strstr(r.err, bad[i][1]) != NULL, "%s", r.err);
		result_free(&r);
	}
}

static void write_bytes(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	GK_CHECK(f != NULL);
	if (!f)
		return;
	fwrite(data, 1, n, f);
	fclose(f);
}

/* A GBK report is read; files that cannot be read are reported one line
 * each, and the rest is indexed. */
static void test_bad_files_do_not_stop_indexing(void)
{
	char gbk[300], bin[300], pdf[300], big[300], good[512], missing[300],
	    db2[300];
	snprintf(gbk, sizeof gbk, "%s/gbk.txt", dir);
	snprintf(bin, sizeof bin, "%s/image.txt", dir);
	snprintf(pdf, sizeof pdf, "%s/truncated.pdf", dir);
	snprintf(big, sizeof big, "%s/big.txt", dir);
	snprintf(missing, sizeof missing, "%s/nope.md", dir);
	snprintf(db2, sizeof db2, "%s/db2", dir);
	corpus_path(good, sizeof good, R2023);
	/* 政府信息公开年报 in GBK */
	static const char g[] = "\xd5\xfe\xb8\xae\xd0\xc5\xcf\xa2\xb9\xab\xbf"
	                        "\xaa\xc4\xea\xb1\xa8\n";
	write_bytes(gbk, g, sizeof g - 1);
	write_bytes(bin, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
	write_bytes(pdf, "%PDF-1.4\n1 0 obj\n<< /Type /Catalog", 34);
	static char blob[2 << 20];
	memset(blob, 'a', sizeof blob);
	write_bytes(big, blob, sizeof blob);
	const char *args[] = {
		"index", "--db", db2, "--max-file-mb", "1",  gbk,
		bin,     pdf,    big, missing,         good, NULL
	};
	result r = run(args);
	GK_CHECK_INT(r.status, 2);
	GK_CHECK_MSG(strstr(r.err, "image.txt: binary data") != NULL, "%s",
	             r.err);
	GK_CHECK_MSG(strstr(r.err, "truncated.pdf: damaged PDF") != NULL, "%s",
	             r.err);
	GK_CHECK_MSG(strstr(r.err, "big.txt: file too large") != NULL, "%s",
	             r.err);
	GK_CHECK(strstr(r.err, "nope.md: No such file") != NULL);
	GK_CHECK_MSG(strstr(r.err, "2 files indexed") != NULL, "%s", r.err);
	GK_CHECK(strstr(r.err, "4 failed") != NULL);
	result_free(&r);
	const char *q[] = { "search", "--db", db2, "行政处罚", NULL };
	r = run(q);
	GK_CHECK_INT(r.status, 0);
	result_free(&r);
	const char *q2[] = { "search", "--db",         db2,
		             "--json", "政府信息公开", NULL };
	r = run(q2);
	GK_CHECK_INT(r.status, 0);
	GK_CHECK(strstr(r.out, "gbk.txt") != NULL);
	result_free(&r);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: test_cli GONGKAI CORPUS\n");
		return 2;
	}
	gongkai = argv[1];
	corpus = argv[2];
	snprintf(dir, sizeof dir, "%s/gk_cli_XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(db, sizeof db, "%s/db", dir);
	GK_RUN(test_help);
	GK_RUN(test_index);
	GK_RUN(test_table_passage_under_its_section);
	GK_RUN(test_word_in_both_reports);
	GK_RUN(test_exact_strings);
	GK_RUN(test_help_examples);
	GK_RUN(test_paging_is_stable);
	GK_RUN(test_count_and_explain);
	GK_RUN(test_wraps_and_grouping);
	GK_RUN(test_facets);
	GK_RUN(test_csv);
	GK_RUN(test_stats);
	GK_RUN(test_one_report_two_formats);
	GK_RUN(test_no_hit_and_errors);
	GK_RUN(test_bad_files_do_not_stop_indexing);
	gk_test_rm_tree(dir);
	return GK_TEST_RESULT();
}
