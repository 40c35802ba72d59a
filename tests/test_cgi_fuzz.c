/* Random requests through the web page's handler, against a real index
 * of the bundled corpus: every request must get a well-formed answer
 * (a known status, a content type, valid UTF-8, JSON that parses, no
 * script but the page's own) — never a crash, a hang or a leak (the
 * sanitizer build runs this too). Built from a fixed seed.
 * Usage: test_cgi_fuzz CORPUS_DIR [ROUNDS] */
#define _DEFAULT_SOURCE
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgi.h"
#include "gk_idx.h"
#include "gk_test.h"
#include "gk_utf8.h"

static unsigned long long seed = 0x2545f4914f6cdd1dULL;

static unsigned rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return n ? (unsigned)(seed % n) : 0;
}

static const char *const keys[] = {
	"q",  "agency", "region", "section", "type",    "from",
	"to", "year",   "offset", "limit",   "format",  "report",
	"p",  "asset",  "x",      "",        "q%5B%5D", "%71",
};

static const char *const values[] = {
	"%E5%BE%AE%E4%BF%A1",
	"%E8%A1%8C%E6%94%BF%E5%A4%8D%E8%AE%AE",
	"%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
	"%27onmouseover%3Dalert(1)%20x%3D%27",
	"javascript:alert(1)",
	"%3C%2Ftitle%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
	"(",
	"%28%E5%BE%AE%E4%BF%A1",
	"%22abc",
	"OR",
	"a+OR+b",
	"year%3A2023",
	"2023",
	"2019",
	"0",
	"100",
	"101",
	"10000",
	"10001",
	"-1",
	"99999999999999999999",
	"json",
	"html",
	"report",
	"other",
	"style.css",
	"app.js",
	"..%2F..%2Fetc%2Fpasswd",
	"0123456789abcdef",
	"%C3%28",
	"%FF",
	"%C0%AF",
	"%",
	"%G1",
	"%4",
	"%00",
	"+",
	"%E7%94%B3%E8%AF%B7",
	"",
};

static const char *const methods[] = { "GET", "GET", "GET",  "GET",
	                               "GET", "GET", "HEAD", "POST",
	                               "PUT", "",    NULL };

static size_t make_qs(char *out, size_t cap, const char *report_id)
{
	size_t n = 0;
	unsigned params = rnd(7);
	for (unsigned i = 0; i < params; i++) {
		const char *k = keys[rnd(sizeof keys / sizeof keys[0])];
		const char *v = values[rnd(sizeof values / sizeof values[0])];
		if (!strcmp(k, "report") && rnd(2))
			v = report_id;
		int w = snprintf(out + n, cap - n, "%s%s%s%s", i ? "&" : "", k,
		                 rnd(8) ? "=" : "", v);
		if (w < 0 || (size_t)w >= cap - n)
			break;
		n += (size_t)w;
		if (!rnd(10) && n + 1 < cap) /* a raw random byte */
			out[n++] = (char)(1 + rnd(255));
	}
	out[n] = '\0';
	return n;
}

static size_t count(const char *hay, size_t n, const char *needle)
{
	size_t c = 0, k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(hay + i, needle, k))
			c++;
	return c;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_cgi_fuzz CORPUS_DIR [ROUNDS]\n");
		return 2;
	}
	unsigned rounds = argc > 2 ? (unsigned)atoi(argv[2]) : 1500;
	char dir[] = "/tmp/gk-cgi-fuzz-XXXXXX";
	GK_CHECK(mkdtemp(dir) != NULL);
	char db[256];
	snprintf(db, sizeof db, "%s/db", dir);
	gk_error err;
	gk_idx *ix = NULL;
	GK_CHECK(gk_idx_open(&ix, db, NULL, &err) == GK_OK);
	GK_CHECK(gk_idx_add_path(ix, argv[1], &err) == GK_OK);
	GK_CHECK(gk_idx_commit(ix, &err) == GK_OK);
	gk_idx_free(ix);

	gk_cgi_ctx ctx = { db, NULL, 0 };
	/* A real report id, so that report views are exercised too. */
	char report_id[17] = "0123456789abcdef";
	gk_cgi_resp resp;
	gk_cgi_handle(&ctx, "GET", "q=%E5%85%AC%E5%BC%80&format=json", &resp);
	json_t *o = json_loadb(resp.body.b.data, resp.body.b.len, 0, NULL);
	const char *id = json_string_value(json_object_get(
	    json_array_get(json_object_get(o, "hits"), 0), "report_id"));
	GK_CHECK(id != NULL);
	if (id)
		snprintf(report_id, sizeof report_id, "%s", id);
	json_decref(o);
	gk_cgi_resp_clear(&resp);

	size_t by_status[6] = { 0 };
	for (unsigned i = 0; i < rounds; i++) {
		char qs[1024];
		make_qs(qs, sizeof qs, report_id);
		const char *m =
		    methods[rnd(sizeof methods / sizeof methods[0])];
		gk_cgi_handle(&ctx, m, qs, &resp);
		int s = resp.status;
		GK_CHECK_MSG(s == 200 || s == 400 || s == 404 || s == 405 ||
		                 s == 500,
		             "status %d for %s", s, qs);
		by_status[s == 200   ? 0
		          : s == 400 ? 1
		          : s == 404 ? 2
		          : s == 405 ? 3
		          : s == 500 ? 4
		                     : 5]++;
		GK_CHECK(resp.ctype != NULL);
		const char *b = resp.body.b.data ? resp.body.b.data : "";
		size_t n = resp.body.b.len;
		GK_CHECK_MSG(gk_utf8_valid(b, n, NULL), "invalid UTF-8 for %s",
		             qs);
		if (strstr(resp.ctype, "json")) {
			json_error_t je;
			json_t *j = json_loadb(b, n, 0, &je);
			GK_CHECK_MSG(j != NULL, "bad JSON for %s: %s", qs,
			             je.text);
			json_decref(j);
		} else if (strstr(resp.ctype, "html")) {
			GK_CHECK_MSG(count(b, n, "<script") == 1,
			             "scripts in the page for %s", qs);
			/* The payloads' markup and quotes only ever come
			 * out escaped (as text they are harmless). */
			GK_CHECK_MSG(
			    !count(b, n, "<img") &&
			        !count(b, n, "<script>alert") &&
			        !count(b, n, "'onmouseover"),
			    "markup from the request in the page for %s", qs);
			GK_CHECK_MSG(!count(b, n, "root:"),
			             "file contents in the page for %s", qs);
		}
		if (s == 405)
			GK_CHECK(strstr(resp.headers, "Allow:") != NULL);
		gk_cgi_resp_clear(&resp);
	}
	printf("%u requests: %zu ok, %zu refused (400), %zu not found, "
	       "%zu wrong method, %zu server errors\n",
	       rounds, by_status[0], by_status[1], by_status[2], by_status[3],
	       by_status[4]);
	GK_CHECK_INT(by_status[4], 0);
	gk_q_free(ctx.q);
	gk_test_rm_tree(dir);
	return GK_TEST_RESULT();
}
