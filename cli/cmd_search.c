#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gk_buf.h"
#include "gk_q.h"

#define LIMIT_MAX 10000

static const char usage[] =
    "Usage: gongkai search [OPTIONS] [--] QUERY...\n"
    "\n"
    "Finds the passages of the indexed reports that match the query, best\n"
    "first, with the report, the section path and a snippet. Several\n"
    "arguments form one query; options may come before or after it.\n"
    "\n"
    "Query language:\n"
    "  微信公众号 行政处罚    every word must occur (in the passage, its\n"
    "                        section headings, or the report's title or\n"
    "                        agency); a Chinese word as that exact string\n"
    "  \"依申请公开 办理\"      a phrase (also “…” and 「…」)\n"
    "  微信 -微博             -word excludes\n"
    "  微信 OR 微博           either; parentheses group: (微信 OR 微博) 公开\n"
    "  agency:晋江            words in the agency's name\n"
    "  year:2023  year:2019..2023\n"
    "  region:福建            words in the region (province, city, county)\n"
    "  section:申请           a standard section (总体 主动 申请 复议诉讼 "
    "收费\n"
    "                        问题 其他) or words in the section headings\n"
    "  type:report            annual reports only (type:other: the rest)\n"
    "  title:年度报告          words in the report's title\n"
    "  申请.本年新收.总计>100  passages of the reports whose statistics\n"
    "                        table gives such a number (> >= < <= =, also\n"
    "                        ＞ ＝ ≥ ≤); a filter, alone or with words:\n"
    "                        year:2023 复议诉讼.行政复议.结果纠正>=1\n"
    "                        (keys: 'gongkai stats --help' and --keys)\n"
    "Full-width forms (：（）) are accepted; case, full/half width and\n"
    "traditional/simplified characters do not matter.\n"
    "\n"
    "Options:\n"
    "  --db DIR         database (default $GONGKAI_DB, else ./gongkai.db)\n"
    "  -n, --limit N    show at most N passages (default 10)\n"
    "  --offset N       skip the first N passages (for paging)\n"
    "  --per-report N   at most N passages of one report (default 3; 0: no\n"
    "                   limit); the rest are counted (\"+2 more\")\n"
    "  --count          print only the number of matching passages\n"
    "  --facets LIST    also count matching passages per year, agency,\n"
    "                   section, type and/or region (comma-separated):\n"
    "                   passages and\n"
    "                   reports; with --json a last line {\"facets\": {…}}\n"
    "  --explain        print how the query was understood, and with each\n"
    "                   hit its score and the terms it matched\n"
    "  --json           one JSON object per line, with the keys rank, score,\n"
    "                   report, title, agency, year, report_type (report or\n"
    "                   other), region, section, text, snippet, highlights\n"
    "                   ([start, end] byte offsets into text),\n"
    "                   snippet_highlights, line, page (null without pages),\n"
    "                   section_key (总体, 主动, 申请, 复议诉讼, 收费, 问题,\n"
    "                   其他 or null), more_in_report and sources (the\n"
    "                   other files of the same report: its PDF, HTML …),\n"
    "                   report_id (the file's id in the database) and\n"
    "                   passage (the passage's number in the report)\n"
    "  --csv            CSV (RFC 4180) with a header row: rank, score,\n"
    "                   report, title, agency, year, report_type, region,\n"
    "                   section, section_key, line, page, more_in_report,\n"
    "                   snippet, text\n"
    "  -h, --help       show this help\n"
    "\n"
    "Exit status: 0 passages found, 1 none found, 2 error.\n";

static int print_explain(const char *parsed, const char *search, void *payload)
{
	(void)payload;
	printf("query:  %s\nsearch: %s\n\n", parsed, search);
	return 0;
}

typedef struct out_ctx {
	int json;
	int csv;
	int color;
	size_t shown;
	json_t *facets; /* facet name -> { value: count } */
} out_ctx;

static int on_facet(const char *facet, const char *value, size_t passages,
                    size_t reports, void *payload)
{
	out_ctx *c = payload;
	json_t *f = json_object_get(c->facets, facet);
	if (!f) {
		f = json_object();
		json_object_set_new(c->facets, facet, f);
	}
	json_object_set_new(f, value,
	                    json_pack("{sIsI}", "passages",
	                              (json_int_t)passages, "reports",
	                              (json_int_t)reports));
	return 0;
}

/* "year,agency" -> GK_Q_FACET_* bits; 0 with a message when unknown. */
static unsigned parse_facets(const char *s)
{
	unsigned bits = 0;
	char buf[128];
	snprintf(buf, sizeof buf, "%s", s);
	char *save = NULL;
	for (char *t = strtok_r(buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (!strcmp(t, "year"))
			bits |= GK_Q_FACET_YEAR;
		else if (!strcmp(t, "agency"))
			bits |= GK_Q_FACET_AGENCY;
		else if (!strcmp(t, "section"))
			bits |= GK_Q_FACET_SECTION;
		else if (!strcmp(t, "type"))
			bits |= GK_Q_FACET_TYPE;
		else if (!strcmp(t, "region"))
			bits |= GK_Q_FACET_REGION;
		else {
			gk_cli_error(
			    "search: unknown facet '%s' (year, agency, "
			    "section, type, region)",
			    t);
			return 0;
		}
	}
	return bits;
}

static void print_facets(const out_ctx *c)
{
	if (c->json) {
		json_t *o = json_pack("{sO}", "facets", c->facets);
		char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (s)
			puts(s);
		free(s);
		json_decref(o);
		return;
	}
	const char *name;
	json_t *vals;
	json_object_foreach(c->facets, name, vals)
	{
		printf("%s:", name);
		const char *v;
		json_t *n;
		json_object_foreach(vals, v, n)
		{
			printf("  %s (%lld in %lld)", v,
			       (long long)json_integer_value(
			           json_object_get(n, "passages")),
			       (long long)json_integer_value(
			           json_object_get(n, "reports")));
		}
		putchar('\n');
	}
}

static int print_json(const gk_q_hit *h)
{
	char *s = gk_q_hit_to_json(h);
	if (!s)
		return GK_ENOMEM;
	puts(s);
	free(s);
	return 0;
}

static void print_human(const gk_q_hit *h, int color)
{
	const char *bold = color ? "\033[1m" : "";
	const char *hl = color ? "\033[1;31m" : "";
	const char *dim = color ? "\033[2m" : "";
	const char *off = color ? "\033[0m" : "";
	printf("%zu. %s%s%s", h->rank, bold, h->title, off);
	if (h->agency || h->year) {
		printf("  (");
		if (h->agency)
			printf("%s%s", h->agency, h->year ? ", " : "");
		if (h->year)
			printf("%d", h->year);
		printf(")");
	}
	putchar('\n');
	if (h->nsection) {
		printf("   ");
		for (size_t i = 0; i < h->nsection; i++)
			printf("%s%s", i ? " › " : "", h->section[i]);
		putchar('\n');
	}
	printf("   ");
	size_t at = 0;
	for (size_t i = 0; i < h->nsnippet_highlights; i++) {
		const gk_q_span *s = &h->snippet_highlights[i];
		fwrite(h->snippet + at, 1, s->start - at, stdout);
		if (color) {
			printf("%s%.*s%s", hl, (int)(s->end - s->start),
			       h->snippet + s->start, off);
		} else {
			printf("[%.*s]", (int)(s->end - s->start),
			       h->snippet + s->start);
		}
		at = s->end;
	}
	fwrite(h->snippet + at, 1, h->snippet_len - at, stdout);
	for (size_t i = 0; i < h->nsources; i++)
		printf("\n   %salso in: %s%s", dim, h->sources[i], off);
	if (h->matched)
		printf("\n   %sscore %.3f from %s%s", dim, h->score, h->matched,
		       off);
	if (h->more_in_report)
		printf("\n   %s+%zu more in this report%s", dim,
		       h->more_in_report, off);
	if (h->page)
		printf("\n   %s%s:%u (page %u)%s\n\n", dim, h->report, h->line,
		       h->page, off);
	else
		printf("\n   %s%s:%u%s\n\n", dim, h->report, h->line, off);
}

/* One CSV field (RFC 4180): quoted when it holds a comma, a quote or a
 * line break, quotes doubled. */
static void csv_field(const char *s, size_t n, int last)
{
	int quote = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = 1;
	if (quote)
		putchar('"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			putchar('"');
		putchar(s[i]);
	}
	if (quote)
		putchar('"');
	fputs(last ? "\r\n" : ",", stdout);
}

static void csv_str(const char *s, int last)
{
	csv_field(s ? s : "", s ? strlen(s) : 0, last);
}

static const char csv_header[] =
    "rank,score,report,title,agency,year,report_type,region,section,"
    "section_key,line,page,more_in_report,snippet,text\r\n";

static void print_csv(const gk_q_hit *h)
{
	char num[64];
	snprintf(num, sizeof num, "%zu", h->rank);
	csv_str(num, 0);
	snprintf(num, sizeof num, "%.6f", h->score);
	csv_str(num, 0);
	csv_str(h->report, 0);
	csv_str(h->title, 0);
	csv_str(h->agency, 0);
	snprintf(num, sizeof num, "%d", h->year);
	csv_str(h->year ? num : "", 0);
	csv_str(h->report_type, 0);
	csv_str(h->region, 0);
	gk_buf sec = GK_BUF_INIT(1u << 16);
	for (size_t i = 0; i < h->nsection; i++)
		gk_buf_appendf(&sec, "%s%s", i ? " › " : "", h->section[i]);
	csv_str(sec.data, 0);
	gk_buf_free(&sec);
	csv_str(h->section_key, 0);
	snprintf(num, sizeof num, "%u", h->line);
	csv_str(num, 0);
	snprintf(num, sizeof num, "%u", h->page);
	csv_str(h->page ? num : "", 0);
	snprintf(num, sizeof num, "%zu", h->more_in_report);
	csv_str(num, 0);
	csv_field(h->snippet, h->snippet_len, 0);
	csv_field(h->text, h->text_len, 1);
}

static int on_hit(const gk_q_hit *h, void *payload)
{
	out_ctx *c = payload;
	c->shown++;
	if (c->json)
		return print_json(h);
	if (c->csv) {
		print_csv(h);
		return 0;
	}
	print_human(h, c->color);
	return 0;
}

/* Matches "--name VALUE" (val left NULL) and "--name=VALUE". */
static int is_opt(const char *arg, const char *name, const char **val)
{
	size_t n = strlen(name);
	if (strncmp(arg, name, n))
		return 0;
	if (arg[n] == '\0')
		return 1;
	if (arg[n] == '=' && name[1] == '-') {
		*val = arg + n + 1;
		return 1;
	}
	return 0;
}

static int parse_count(const char *s, const char *name, size_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || end == s || v < 0 || v > LIMIT_MAX) {
		gk_cli_error("search: %s must be a number from 0 to %d, not "
		             "'%s'",
		             name, LIMIT_MAX, s);
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

int gk_cli_search(int argc, char **argv)
{
	const char *db = NULL;
	gk_q_options qo = { .limit = 10, .per_report = GK_Q_PER_REPORT };
	int count_only = 0;
	out_ctx out = { 0, 0, 0, 0, NULL };
	/* Options may come before or after the query; any other argument,
	 * even one starting with '-', is query text. "--" ends options. */
	char **words = calloc((size_t)argc, sizeof *words);
	int nwords = 0, opts_done = 0;
	if (!words) {
		gk_cli_error("out of memory");
		return GK_EXIT_ERROR;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		int takes =
		    !opts_done &&
		    (is_opt(a, "--db", &val) || is_opt(a, "--limit", &val) ||
		     is_opt(a, "-n", &val) || is_opt(a, "--offset", &val) ||
		     is_opt(a, "--per-report", &val) ||
		     is_opt(a, "--facets", &val));
		if (takes) {
			if (!val) {
				if (i + 1 >= argc) {
					gk_cli_error("search: %s needs a value",
					             a);
					free(words);
					return GK_EXIT_ERROR;
				}
				val = argv[++i];
			}
			int bad = 0;
			if (a[1] == 'n' || !strncmp(a, "--limit", 7))
				bad = parse_count(val, "--limit", &qo.limit);
			else if (!strncmp(a, "--offset", 8))
				bad = parse_count(val, "--offset", &qo.offset);
			else if (!strncmp(a, "--facets", 8)) {
				qo.facets = parse_facets(val);
				qo.facet = on_facet;
				bad = !qo.facets;
			} else if (!strncmp(a, "--per-report", 12))
				bad = parse_count(val, "--per-report",
				                  &qo.per_report);
			else
				db = val;
			if (bad) {
				free(words);
				return GK_EXIT_ERROR;
			}
		} else if (!opts_done && !strcmp(a, "--json")) {
			out.json = 1;
		} else if (!opts_done && !strcmp(a, "--csv")) {
			out.csv = 1;
		} else if (!opts_done && !strcmp(a, "--count")) {
			count_only = 1;
		} else if (!opts_done && !strcmp(a, "--explain")) {
			qo.explain = print_explain;
		} else if (!opts_done &&
		           (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
			free(words);
			fputs(usage, stdout);
			return GK_EXIT_OK;
		} else if (!opts_done && !strcmp(a, "--")) {
			opts_done = 1;
		} else if (!opts_done && !strncmp(a, "--", 2)) {
			gk_cli_error("search: unknown option '%s'", a);
			fputs(usage, stderr);
			free(words);
			return GK_EXIT_ERROR;
		} else {
			words[nwords++] = argv[i];
		}
	}
	if (!nwords) {
		gk_cli_error("search: no query given");
		fputs(usage, stderr);
		free(words);
		return GK_EXIT_ERROR;
	}
	const char *nc = getenv("NO_COLOR");
	out.color =
	    !out.json && !out.csv && isatty(STDOUT_FILENO) && !(nc && *nc);

	gk_buf query = GK_BUF_INIT(1u << 16);
	for (int i = 0; i < nwords; i++)
		if ((i > 0 && gk_buf_appendc(&query, ' ')) ||
		    gk_buf_append(&query, words[i], strlen(words[i]))) {
			gk_buf_free(&query);
			free(words);
			gk_cli_error("search: query too long");
			return GK_EXIT_ERROR;
		}

	gk_error err;
	gk_error_clear(&err);
	gk_q *q = NULL;
	size_t total = 0;
	int rc = gk_q_open(&q, gk_cli_db_path(db), &err);
	if (count_only) {
		qo.limit = 0;
		qo.exact_total = 1;
	}
	if (qo.facets)
		out.facets = json_object();
	if (out.csv && !count_only && !rc)
		fputs(csv_header, stdout);
	if (!rc)
		rc = gk_q_search(q, query.data, query.len, &qo, on_hit, &out,
		                 &total, &err);
	if (!rc && count_only) {
		printf("%zu\n", total);
		json_decref(out.facets);
		gk_q_free(q);
		gk_buf_free(&query);
		free(words);
		return total ? GK_EXIT_OK : GK_EXIT_NOMATCH;
	}
	gk_q_free(q);
	char query_text[256];
	snprintf(query_text, sizeof query_text, "%s",
	         query.data ? query.data : "");
	gk_buf_free(&query);
	free(words);
	if (rc) {
		gk_cli_error("%s", err.msg[0] ? err.msg : gk_status_str(rc));
		json_decref(out.facets);
		return GK_EXIT_ERROR;
	}
	if (qo.facets)
		print_facets(&out);
	if (!out.json && !out.csv && out.shown)
		printf("%zu–%zu of about %zu passages\n", qo.offset + 1,
		       qo.offset + out.shown, total);
	if (!out.shown && !out.json) {
		if (total)
			fprintf(stderr,
			        "gongkai: no passages past --offset %zu "
			        "(about %zu in all)\n",
			        qo.offset, total);
		else
			fprintf(stderr, "gongkai: no passage matches '%s'\n",
			        query_text);
	}
	json_decref(out.facets);
	return out.shown ? GK_EXIT_OK : GK_EXIT_NOMATCH;
}
