/* Recall against grep: every passage of the bundled corpus that contains a
 * string of 2+ Han characters is found by searching for that string,
 * whatever the word segmentation made of the text around it.
 * Usage: test_recall CORPUS_DIR */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gk_doc.h"
#include "gk_idx.h"
#include "gk_q.h"
#include "gk_test.h"
#include "gk_utf8.h"

#define SAMPLES 250

typedef struct passage {
	char *report;
	char *text;
} passage;

static passage *passages;
static size_t npassages, npassages_cap;

/* The passages of every report, as the indexer makes them. */
static void load_passages(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	GK_CHECK(n > 0);
	for (int i = 0; i < n; i++) {
		char path[2048];
		snprintf(path, sizeof path, "%.1024s/%.255s", dir,
		         names[i]->d_name);
		int hidden = names[i]->d_name[0] == '.';
		free(names[i]);
		size_t len = 0;
		char *text = hidden ? NULL : gk_test_read_file(path, &len);
		gk_doc *d = NULL;
		if (!text || gk_doc_parse(&d, path, text, len, NULL)) {
			free(text);
			continue;
		}
		for (size_t k = 0; k < gk_doc_passage_count(d); k++) {
			if (npassages == npassages_cap) {
				npassages_cap =
				    npassages_cap ? npassages_cap * 2 : 256;
				passages = realloc(
				    passages, npassages_cap * sizeof *passages);
			}
			passages[npassages].report = strdup(path);
			passages[npassages].text =
			    strdup(gk_doc_passage_at(d, k)->text);
			npassages++;
		}
		gk_doc_free(d);
		free(text);
	}
	free(names);
}

typedef struct found {
	const char *needle;
	char **texts;
	size_t n, cap;
} found;

static int on_hit(const gk_q_hit *h, void *payload)
{
	found *f = payload;
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->texts = realloc(f->texts, f->cap * sizeof *f->texts);
	}
	f->texts[f->n++] = strndup(h->text, h->text_len);
	/* Every hit holds the string, highlighted, unless it matched only by
	 * the report title or by a normalised form. */
	if (strstr(h->text, f->needle) && h->nhighlights == 0)
		GK_CHECK_MSG(0, "hit for %s has no highlight", f->needle);
	return 0;
}

static void check_string(gk_q *q, const char *needle, size_t *checked)
{
	found f = { needle, NULL, 0, 0 };
	gk_q_options opt = { .offset = 0, .limit = 10000 };
	gk_error err;
	size_t total;
	int rc = gk_q_search(q, needle, strlen(needle), &opt, on_hit, &f,
	                     &total, &err);
	GK_CHECK_MSG(rc == 0, "%s: %s", needle, err.msg);
	for (size_t i = 0; i < npassages; i++) {
		if (!strstr(passages[i].text, needle))
			continue;
		int hit = 0;
		for (size_t k = 0; k < f.n && !hit; k++)
			hit = !strcmp(f.texts[k], passages[i].text);
		GK_CHECK_MSG(hit, "'%s' not found in %s: %.60s…", needle,
		             passages[i].report, passages[i].text);
		(*checked)++;
	}
	for (size_t k = 0; k < f.n; k++)
		free(f.texts[k]);
	free(f.texts);
}

/* Picks a run of 2 to 8 Han characters from a passage, or returns 0. */
static size_t pick(const char *text, size_t len, unsigned *seed, char *out,
                   size_t cap)
{
	*seed = *seed * 1103515245u + 12345u;
	size_t at = (*seed >> 8) % (len ? len : 1);
	while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80)
		at++;
	size_t want = 2 + (*seed >> 4) % 7, got = 0, o = 0, i = at;
	while (i < len && got < want) {
		uint32_t cp;
		size_t k = gk_utf8_decode(text + i, len - i, &cp);
		if (!k || !(cp >= 0x4E00 && cp <= 0x9FFF) || o + k >= cap)
			break;
		memcpy(out + o, text + i, k);
		o += k;
		i += k;
		got++;
	}
	out[o] = '\0';
	return got >= 2 ? o : 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_recall CORPUS_DIR\n");
		return 2;
	}
	char reports[1024];
	snprintf(reports, sizeof reports, "%s/reports", argv[1]);
	char dir[] = "/tmp/gk_recall_XXXXXX";
	if (!mkdtemp(dir))
		return 2;
	char db[64];
	snprintf(db, sizeof db, "%s/db", dir);

	gk_error err;
	gk_idx *ix = NULL;
	GK_CHECK_INT(gk_idx_open(&ix, db, NULL, &err), GK_OK);
	GK_CHECK_INT(gk_idx_add_path(ix, reports, &err), GK_OK);
	GK_CHECK_INT(gk_idx_commit(ix, &err), GK_OK);
	gk_idx_free(ix);
	load_passages(reports);
	GK_CHECK(npassages > 100);

	gk_q *q = NULL;
	GK_CHECK_INT(gk_q_open(&q, db, &err), GK_OK);
	if (!q)
		return GK_TEST_RESULT();
	size_t checked = 0;
	/* Strings the word segmentation cuts across, and everyday ones. */
	static const char *fixed[] = { "海尾村",   "复议",       "微信",
		                       "企業名单", "信息公开",   "政府信",
		                       "公开申请", "依申请公开", "三安全一稳定",
		                       "镇海" };
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		check_string(q, fixed[i], &checked);
	unsigned seed = 20261125;
	size_t samples = 0;
	for (int tries = 0; samples < SAMPLES && tries < SAMPLES * 20;
	     tries++) {
		seed = seed * 1103515245u + 12345u;
		const passage *p = &passages[(seed >> 8) % npassages];
		char needle[64];
		if (!pick(p->text, strlen(p->text), &seed, needle,
		          sizeof needle))
			continue;
		check_string(q, needle, &checked);
		samples++;
	}
	fprintf(stderr,
	        "%zu strings, %zu passages containing them, all found\n",
	        samples + sizeof fixed / sizeof fixed[0], checked);
	gk_q_free(q);
	for (size_t i = 0; i < npassages; i++) {
		free(passages[i].report);
		free(passages[i].text);
	}
	free(passages);
	gk_test_rm_tree(dir);
	return GK_TEST_RESULT();
}
