/* gongkai stats: the statistics tables of the indexed reports, one record
 * per report, or summed per year, agency or region. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gk_buf.h"
#include "gk_q.h"
#include "gk_stats.h"

/* Keys that --sum takes at most. */
#define SUM_KEYS_MAX 64

static const char usage[] =
    "Usage: gongkai stats [OPTIONS] [--] [QUERY...]\n"
    "\n"
    "Prints the numbers of the standard statistics tables of the indexed\n"
    "reports (表二 主动公开, 表三 收到和处理申请, 表四 复议诉讼), one record\n"
    "per report matching the query (the language of 'gongkai search'), or\n"
    "of every report without a query. A report indexed in two files (a\n"
    ".txt and its .pdf or .html original) counts once, with the file whose\n"
    "tables were read with the most certainty.\n"
    "\n"
    "Keys name the cells whatever the layout the report used:\n"
    "  主动.<row>.<column>       主动.行政规范性文件.现行有效,\n"
    "                           主动.行政处罚.本年处理决定数量\n"
    "  申请.<row>.<column>       申请.本年新收.自然人,\n"
    "                           申请.不予公开.属于国家秘密.总计\n"
    "  复议诉讼.<group>.<column>  复议诉讼.行政复议.结果纠正,\n"
    "                           复议诉讼.复议后起诉.总计\n"
    "  旧表.<label>              rows of pre-2019 tables without an "
    "equivalent\n"
    "'gongkai stats --keys' lists every standard key. In a query, a key\n"
    "compared with a number keeps the reports whose table gives such a\n"
    "number: 申请.本年新收.总计>100, 复议诉讼.行政复议.结果纠正>=1 (also\n"
    "> < <= = and ＞ ＜ ＝ ≥ ≤); only standard keys can be compared.\n"
    "\n"
    "Options:\n"
    "  --db DIR         database (default $GONGKAI_DB, else ./gongkai.db)\n"
    "  --json           one JSON object per line with the keys report,\n"
    "                   report_id, title, agency, year, region, stats\n"
    "                   ({key: number}), uncertain (keys read with doubt)\n"
    "                   and checks (the table arithmetic that fails: rule,\n"
    "                   cells, values, detail); stats_error when the\n"
    "                   tables could not be read\n"
    "  --csv            CSV (RFC 4180): report, agency, year, region, then\n"
    "                   one column per standard key (empty when absent)\n"
    "  --sum KEY,...    sum these keys over the reports instead, with how\n"
    "                   many reports gave each and how many of those were\n"
    "                   uncertain (a table; with --json one object per\n"
    "                   group, with --csv one row per group and key)\n"
    "  --by FIELD       with --sum: one sum per year, agency or region\n"
    "  --keys           list the standard keys, in table order\n"
    "  -h, --help       show this help\n"
    "\n"
    "Exit status: 0 reports found, 1 none found, 2 error.\n";

enum { BY_NONE, BY_YEAR, BY_AGENCY, BY_REGION };
static const char *const by_names[] = { "group", "year", "agency", "region" };

typedef struct stats_ctx {
	int json, csv;
	size_t reports;
	const char *const *keys; /* canonical, for CSV columns */
	size_t nkeys;
	char *sum[SUM_KEYS_MAX];
	size_t nsum;
	int by;
	/* --sum: group -> {"reports": n, "year": …, key: [sum, reports,
	 * uncertain]} */
	json_t *groups;
} stats_ctx;

/* ---- printing ----------------------------------------------------------- */

/* One CSV field (RFC 4180): quoted when it holds a comma, a quote or a
 * line break, quotes doubled. */
static void csv_field(const char *s, int last)
{
	s = s ? s : "";
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	if (quote)
		putchar('"');
	fputs(last ? "\r\n" : ",", stdout);
}

/* A number as people write it: integers without a decimal point. */
static const char *num_text(double v, char *buf, size_t n)
{
	snprintf(buf, n, "%.15g", v);
	return buf;
}

static double json_num(json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : 0;
}

/* Columns a string takes in a terminal: two for CJK characters. */
static size_t display_width(const char *s)
{
	size_t w = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned cp = *p;
		size_t k = 1;
		if (cp >= 0xF0)
			cp &= 0x07, k = 4;
		else if (cp >= 0xE0)
			cp &= 0x0F, k = 3;
		else if (cp >= 0xC0)
			cp &= 0x1F, k = 2;
		for (size_t i = 1; i < k && (p[i] & 0xC0) == 0x80; i++)
			cp = (cp << 6) | (p[i] & 0x3F);
		for (size_t i = 0; i < k && *p; i++)
			p++;
		w += (cp >= 0x1100 && cp <= 0x115F) ||
		             (cp >= 0x2E80 && cp <= 0xA4CF) ||
		             (cp >= 0xAC00 && cp <= 0xD7A3) ||
		             (cp >= 0xF900 && cp <= 0xFAFF) ||
		             (cp >= 0xFE30 && cp <= 0xFE4F) ||
		             (cp >= 0xFF00 && cp <= 0xFF60) ||
		             (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000
		         ? 2
		         : 1;
	}
	return w;
}

static void print_padded(const char *s, size_t width)
{
	fputs(s, stdout);
	for (size_t w = display_width(s); w < width; w++)
		putchar(' ');
}

/* ---- one record per report ---------------------------------------------- */

static const char *str_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_t *or_null(json_t *v)
{
	return v ? json_incref(v) : json_null();
}

static int print_json(json_t *rec)
{
	json_t *st = json_object_get(rec, "stats");
	json_t *o = json_object();
	json_t *stats = json_object_get(st, "stats");
	json_t *unc = json_object_get(st, "uncertain");
	json_t *checks = json_object_get(st, "checks");
	json_object_set_new(o, "report",
	                    or_null(json_object_get(rec, "report")));
	json_object_set_new(o, "report_id",
	                    or_null(json_object_get(rec, "id")));
	json_object_set_new(o, "title", or_null(json_object_get(rec, "title")));
	json_object_set_new(o, "agency",
	                    or_null(json_object_get(rec, "agency")));
	json_object_set_new(o, "year", or_null(json_object_get(rec, "year")));
	json_object_set_new(o, "region",
	                    or_null(json_object_get(rec, "region")));
	json_object_set_new(o, "stats",
	                    json_is_object(stats) ? json_incref(stats)
	                                          : json_object());
	json_object_set_new(o, "uncertain",
	                    json_is_array(unc) ? json_incref(unc)
	                                       : json_array());
	json_object_set_new(o, "checks",
	                    json_is_array(checks) ? json_incref(checks)
	                                          : json_array());
	json_t *serr = json_object_get(rec, "stats_error");
	if (serr)
		json_object_set(o, "stats_error", serr);
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return GK_ENOMEM;
	puts(s);
	free(s);
	return 0;
}

static void print_csv_header(const stats_ctx *c)
{
	fputs(c->nkeys ? "report,agency,year,region,"
	               : "report,agency,year,region\r\n",
	      stdout);
	for (size_t i = 0; i < c->nkeys; i++)
		csv_field(c->keys[i], i + 1 == c->nkeys);
}

static void print_csv(const stats_ctx *c, json_t *rec)
{
	char num[64];
	json_t *year = json_object_get(rec, "year");
	json_t *stats = json_object_get(json_object_get(rec, "stats"), "stats");
	csv_field(str_of(rec, "report"), 0);
	csv_field(str_of(rec, "agency"), 0);
	snprintf(num, sizeof num, "%lld", (long long)json_integer_value(year));
	csv_field(json_is_integer(year) ? num : "", 0);
	csv_field(str_of(rec, "region"), !c->nkeys);
	for (size_t i = 0; i < c->nkeys; i++) {
		json_t *v = json_object_get(stats, c->keys[i]);
		csv_field(json_is_number(v)
		              ? num_text(json_number_value(v), num, sizeof num)
		              : "",
		          i + 1 == c->nkeys);
	}
}

static void print_human(const stats_ctx *c, json_t *rec)
{
	json_t *st = json_object_get(rec, "stats");
	json_t *year = json_object_get(rec, "year");
	const char *agency = str_of(rec, "agency");
	const char *region = str_of(rec, "region");
	printf("%zu. %s", c->reports, agency ? agency : "(agency unknown)");
	if (json_is_integer(year))
		printf(", %lld", (long long)json_integer_value(year));
	if (region)
		printf("  (%s)", region);
	printf("\n   %s\n", str_of(rec, "title") ? str_of(rec, "title") : "");
	const char *serr = str_of(rec, "stats_error");
	size_t nvals = json_object_size(json_object_get(st, "stats"));
	json_t *unc = json_object_get(st, "uncertain");
	if (serr)
		printf("   tables not read: %s\n", serr);
	else if (!json_is_object(st))
		printf("   no statistics (index the report again)\n");
	else
		printf("   %zu values", nvals);
	if (!serr && json_is_object(st)) {
		size_t nu = json_array_size(unc);
		if (nu) {
			printf(", %zu uncertain:", nu);
			for (size_t i = 0; i < nu && i < 5; i++)
				printf(" %s", json_string_value(
				                  json_array_get(unc, i)));
			if (nu > 5)
				printf(" …");
		}
		putchar('\n');
	}
	size_t i;
	json_t *chk;
	json_array_foreach(json_object_get(st, "checks"), i, chk)
	{
		const char *rule = str_of(chk, "rule");
		const char *detail = str_of(chk, "detail");
		printf("   check failed: %s%s%s\n", rule ? rule : "?",
		       detail ? ": " : "", detail ? detail : "");
	}
	printf("   %s\n\n", str_of(rec, "report") ? str_of(rec, "report") : "");
}

/* ---- sums --------------------------------------------------------------- */

static void add_to_group(stats_ctx *c, json_t *rec)
{
	json_t *st = json_object_get(rec, "stats");
	json_t *stats = json_object_get(st, "stats");
	json_t *unc = json_object_get(st, "uncertain");
	char name[512];
	json_t *gv = NULL; /* the group's value, for JSON */
	if (c->by == BY_YEAR) {
		json_t *y = json_object_get(rec, "year");
		if (json_is_integer(y)) {
			snprintf(name, sizeof name, "%lld",
			         (long long)json_integer_value(y));
			gv = json_incref(y);
		}
	} else if (c->by != BY_NONE) {
		const char *v =
		    str_of(rec, c->by == BY_AGENCY ? "agency" : "region");
		if (v) {
			snprintf(name, sizeof name, "%s", v);
			gv = json_string(v);
		}
	} else {
		gv = json_string("all");
		snprintf(name, sizeof name, "all");
	}
	if (!gv) {
		/* After every known value when sorted. */
		snprintf(name, sizeof name, "\x7f(unknown)");
		gv = json_null();
	}
	json_t *g = json_object_get(c->groups, name);
	if (!g) {
		g = json_object();
		json_object_set_new(g, "value", gv);
		json_object_set_new(g, "reports", json_integer(0));
		json_object_set_new(c->groups, name, g);
	} else {
		json_decref(gv);
	}
	json_object_set_new(
	    g, "reports",
	    json_integer(json_integer_value(json_object_get(g, "reports")) +
	                 1));
	for (size_t k = 0; k < c->nsum; k++) {
		json_t *v = json_object_get(stats, c->sum[k]);
		if (!json_is_number(v))
			continue;
		int doubt = 0;
		size_t i;
		json_t *u;
		json_array_foreach(unc, i, u)
		{
			doubt |= json_is_string(u) &&
			         !strcmp(json_string_value(u), c->sum[k]);
		}
		json_t *acc = json_object_get(g, c->sum[k]);
		double sum =
		    json_num(json_array_get(acc, 0)) + json_number_value(v);
		json_int_t n = json_integer_value(json_array_get(acc, 1)) + 1;
		json_int_t nu =
		    json_integer_value(json_array_get(acc, 2)) + doubt;
		json_object_set_new(g, c->sum[k],
		                    json_pack("[fII]", sum, n, nu));
	}
}

static int cmp_names(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	return strcmp(x, y);
}

/* Group names in order (years ascending, unknown last); NULL when out of
 * memory. */
static const char **group_names(const stats_ctx *c, size_t *n)
{
	*n = json_object_size(c->groups);
	const char **names = calloc(*n ? *n : 1, sizeof *names);
	if (!names)
		return NULL;
	size_t i = 0;
	const char *k;
	json_t *v;
	json_object_foreach(c->groups, k, v)
	{
		names[i++] = k;
	}
	qsort(names, *n, sizeof *names, cmp_names);
	return names;
}

static const char *group_label(const char *name)
{
	return name[0] == '\x7f' ? name + 1 : name;
}

static int print_sums(const stats_ctx *c)
{
	size_t ng = 0;
	const char **names = group_names(c, &ng);
	if (!names)
		return GK_ENOMEM;
	const char *by = by_names[c->by];
	char num[64];
	if (c->csv)
		printf("%s,key,sum,reports,uncertain\r\n", by);
	size_t wg = display_width(by), wk = 3;
	for (size_t i = 0; i < ng; i++) {
		size_t w = display_width(group_label(names[i]));
		wg = w > wg ? w : wg;
	}
	for (size_t k = 0; k < c->nsum; k++) {
		size_t w = display_width(c->sum[k]);
		wk = w > wk ? w : wk;
	}
	if (!c->json && !c->csv) {
		print_padded(by, wg + 2);
		print_padded("key", wk + 2);
		printf("%14s  %7s  %9s\n", "sum", "reports", "uncertain");
	}
	for (size_t i = 0; i < ng; i++) {
		json_t *g = json_object_get(c->groups, names[i]);
		const char *label = group_label(names[i]);
		if (c->json) {
			json_t *sums = json_object();
			for (size_t k = 0; k < c->nsum; k++) {
				json_t *acc = json_object_get(g, c->sum[k]);
				double s = json_num(json_array_get(acc, 0));
				json_t *sv = s == (double)(json_int_t)s
				                 ? json_integer((json_int_t)s)
				                 : json_real(s);
				json_object_set_new(
				    sums, c->sum[k],
				    json_pack("{sosIsI}", "sum", sv, "reports",
				              json_integer_value(
				                  json_array_get(acc, 1)),
				              "uncertain",
				              json_integer_value(
				                  json_array_get(acc, 2))));
			}
			json_t *o = json_object();
			json_object_set(o, by, json_object_get(g, "value"));
			json_object_set(o, "reports",
			                json_object_get(g, "reports"));
			json_object_set_new(o, "sums", sums);
			char *s =
			    json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
			json_decref(o);
			if (!s) {
				free(names);
				return GK_ENOMEM;
			}
			puts(s);
			free(s);
			continue;
		}
		for (size_t k = 0; k < c->nsum; k++) {
			json_t *acc = json_object_get(g, c->sum[k]);
			const char *s = num_text(
			    json_num(json_array_get(acc, 0)), num, sizeof num);
			long long n =
			    json_integer_value(json_array_get(acc, 1));
			long long u =
			    json_integer_value(json_array_get(acc, 2));
			if (c->csv) {
				char nb[32], ub[32];
				snprintf(nb, sizeof nb, "%lld", n);
				snprintf(ub, sizeof ub, "%lld", u);
				csv_field(label, 0);
				csv_field(c->sum[k], 0);
				csv_field(s, 0);
				csv_field(nb, 0);
				csv_field(ub, 1);
			} else {
				print_padded(k ? "" : label, wg + 2);
				print_padded(c->sum[k], wk + 2);
				printf("%14s  %7lld  %9lld\n", s, n, u);
			}
		}
	}
	free(names);
	return 0;
}

/* ---- the command -------------------------------------------------------- */

static int on_record(const char *json, size_t len, void *payload)
{
	stats_ctx *c = payload;
	json_t *rec = json_loadb(json, len, 0, NULL);
	if (!json_is_object(rec)) {
		json_decref(rec);
		return GK_ECORRUPT;
	}
	c->reports++;
	int rc = 0;
	if (c->nsum)
		add_to_group(c, rec);
	else if (c->json)
		rc = print_json(rec);
	else if (c->csv)
		print_csv(c, rec);
	else
		print_human(c, rec);
	json_decref(rec);
	return rc;
}

/* Matches "--name VALUE" (val left NULL) and "--name=VALUE". */
static int is_opt(const char *arg, const char *name, const char **val)
{
	size_t n = strlen(name);
	if (strncmp(arg, name, n))
		return 0;
	if (arg[n] == '\0')
		return 1;
	if (arg[n] == '=') {
		*val = arg + n + 1;
		return 1;
	}
	return 0;
}

/* "KEY,KEY" into c->sum; 0 on success, else a message was printed. */
static int parse_sum(stats_ctx *c, const char *s)
{
	const char *p = s;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (n && !gk_stats_key_valid(p, n)) {
			gk_cli_error("stats: unknown key '%.*s' in --sum (see "
			             "'gongkai stats --keys')",
			             (int)(n > 200 ? 200 : n), p);
			return -1;
		}
		if (n && c->nsum == SUM_KEYS_MAX) {
			gk_cli_error("stats: --sum takes at most %d keys",
			             SUM_KEYS_MAX);
			return -1;
		}
		if (n && !(c->sum[c->nsum++] = strndup(p, n))) {
			gk_cli_error("out of memory");
			return -1;
		}
		p += n + (comma ? 1 : 0);
	}
	if (!c->nsum) {
		gk_cli_error("stats: --sum needs a key");
		return -1;
	}
	return 0;
}

static int parse_by(stats_ctx *c, const char *s)
{
	for (int i = BY_YEAR; i <= BY_REGION; i++)
		if (!strcmp(s, by_names[i])) {
			c->by = i;
			return 0;
		}
	gk_cli_error("stats: --by is year, agency or region, not '%s'", s);
	return -1;
}

static int finish(stats_ctx *c, gk_buf *query, char **words, int status)
{
	for (size_t i = 0; i < c->nsum; i++)
		free(c->sum[i]);
	json_decref(c->groups);
	gk_buf_free(query);
	free(words);
	return status;
}

int gk_cli_stats(int argc, char **argv)
{
	const char *db = NULL;
	stats_ctx c = { 0 };
	c.keys = gk_stats_keys(&c.nkeys);
	gk_buf query = GK_BUF_INIT(1u << 16);
	int by_given = 0, opts_done = 0, nwords = 0;
	char **words = calloc((size_t)argc + 1, sizeof *words);
	if (!words) {
		gk_cli_error("out of memory");
		return GK_EXIT_ERROR;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		if (!opts_done &&
		    (is_opt(a, "--db", &val) || is_opt(a, "--sum", &val) ||
		     is_opt(a, "--by", &val))) {
			if (!val && i + 1 >= argc) {
				gk_cli_error("stats: %s needs a value", a);
				return finish(&c, &query, words, GK_EXIT_ERROR);
			}
			if (!val)
				val = argv[++i];
			int bad = 0;
			if (!strncmp(a, "--sum", 5))
				bad = parse_sum(&c, val);
			else if (!strncmp(a, "--by", 4))
				bad = parse_by(&c, val), by_given = 1;
			else
				db = val;
			if (bad)
				return finish(&c, &query, words, GK_EXIT_ERROR);
		} else if (!opts_done && !strcmp(a, "--json")) {
			c.json = 1;
		} else if (!opts_done && !strcmp(a, "--csv")) {
			c.csv = 1;
		} else if (!opts_done && !strcmp(a, "--keys")) {
			for (size_t k = 0; k < c.nkeys; k++)
				puts(c.keys[k]);
			return finish(&c, &query, words, GK_EXIT_OK);
		} else if (!opts_done &&
		           (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
			fputs(usage, stdout);
			return finish(&c, &query, words, GK_EXIT_OK);
		} else if (!opts_done && !strcmp(a, "--")) {
			opts_done = 1;
		} else if (!opts_done && !strncmp(a, "--", 2)) {
			gk_cli_error("stats: unknown option '%s'", a);
			fputs(usage, stderr);
			return finish(&c, &query, words, GK_EXIT_ERROR);
		} else {
			words[nwords++] = argv[i];
		}
	}
	if (by_given && !c.nsum) {
		gk_cli_error("stats: --by goes with --sum KEY");
		return finish(&c, &query, words, GK_EXIT_ERROR);
	}
	if (c.json && c.csv) {
		gk_cli_error("stats: --json or --csv, not both");
		return finish(&c, &query, words, GK_EXIT_ERROR);
	}
	for (int i = 0; i < nwords; i++)
		if ((i > 0 && gk_buf_appendc(&query, ' ')) ||
		    gk_buf_append(&query, words[i], strlen(words[i]))) {
			gk_cli_error("stats: query too long");
			return finish(&c, &query, words, GK_EXIT_ERROR);
		}
	if (c.nsum && !(c.groups = json_object())) {
		gk_cli_error("out of memory");
		return finish(&c, &query, words, GK_EXIT_ERROR);
	}

	gk_error err;
	gk_error_clear(&err);
	gk_q *q = NULL;
	int rc = gk_q_open(&q, gk_cli_db_path(db), &err);
	if (!rc && c.csv && !c.nsum)
		print_csv_header(&c);
	if (!rc)
		rc = gk_q_reports(q, query.data ? query.data : "", query.len,
		                  on_record, &c, &err);
	gk_q_free(q);
	if (!rc && c.nsum && c.reports)
		rc = print_sums(&c);
	if (rc) {
		gk_cli_error("%s", err.msg[0] ? err.msg : gk_status_str(rc));
		return finish(&c, &query, words, GK_EXIT_ERROR);
	}
	if (!c.reports)
		gk_cli_error("no report matches%s%s%s", nwords ? " '" : "",
		             nwords ? query.data : "", nwords ? "'" : "");
	else if (!c.json && !c.csv && !c.nsum)
		printf("%zu reports\n", c.reports);
	return finish(&c, &query, words,
	              c.reports ? GK_EXIT_OK : GK_EXIT_NOMATCH);
}
