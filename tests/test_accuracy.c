/* Accuracy of the report model on the shared corpus: agency and year of
 * every report and the type of every other document against MANIFEST.tsv,
 * and the hand-checked expectations in corpus/expected/.
 * Usage: test_accuracy SHARED_CORPUS_DIR EXPECTED_DIR
 * Exits 77 (skipped) when the shared corpus is not there. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gk_doc.h"
#include "gk_idx.h"
#include "gk_test.h"

static const char *corpus;

static gk_doc *read_doc(const char *rel, char *why, size_t whylen)
{
	char path[2048];
	snprintf(path, sizeof path, "%s/%s", corpus, rel);
	gk_doc *d = NULL;
	gk_error err;
	gk_error_clear(&err);
	if (gk_idx_read_doc(&d, path, rel, NULL, &err))
		snprintf(why, whylen, "%s", err.msg);
	return d;
}

static const char *or_null(const char *s)
{
	return s ? s : "(null)";
}

/* MANIFEST.tsv: file, kind, agency, year, ... */
static void test_manifest(void)
{
	char path[2048];
	snprintf(path, sizeof path, "%s/MANIFEST.tsv", corpus);
	FILE *f = fopen(path, "r");
	GK_CHECK(f != NULL);
	if (!f)
		return;
	char *line = NULL;
	size_t cap = 0;
	int reports = 0, reports_right = 0, others = 0, others_right = 0,
	    unread = 0, originals = 0, originals_right = 0;
	while (getline(&line, &cap, f) > 0) {
		char *save = NULL;
		char *file = strtok_r(line, "\t\n", &save);
		char *kind = strtok_r(NULL, "\t\n", &save);
		char *agency = strtok_r(NULL, "\t\n", &save);
		char *year = strtok_r(NULL, "\t\n", &save);
		if (!file || !kind || !agency || !year || !strcmp(file, "file"))
			continue;
		char why[GK_ERROR_MSG_MAX] = "";
		gk_doc *d = read_doc(file, why, sizeof why);
		if (!strcmp(kind, "report")) {
			reports++;
			GK_CHECK_MSG(d != NULL, "%s", why);
			if (!d)
				continue;
			int ok = !strcmp(gk_doc_type(d), "report") &&
			         gk_doc_agency(d) &&
			         !strcmp(gk_doc_agency(d), agency) &&
			         gk_doc_year(d) == atoi(year);
			GK_CHECK_MSG(ok, "%s: got %s %s %d, want %s %s", file,
			             gk_doc_type(d), or_null(gk_doc_agency(d)),
			             gk_doc_year(d), agency, year);
			reports_right += ok;
		} else if (!strcmp(kind, "original")) {
			/* The same reports as published (PDF, HTML): the
			 * manifest names some agencies by their place alone. */
			originals++;
			GK_CHECK_MSG(d != NULL, "%s", why);
			if (!d)
				continue;
			int ok = !strcmp(gk_doc_type(d), "report") &&
			         gk_doc_agency(d) &&
			         !strncmp(gk_doc_agency(d), agency,
			                  strlen(agency)) &&
			         gk_doc_year(d) == atoi(year);
			GK_CHECK_MSG(ok, "%s: got %s %s %d, want %s %s", file,
			             gk_doc_type(d), or_null(gk_doc_agency(d)),
			             gk_doc_year(d), agency, year);
			originals_right += ok;
		} else if (!strcmp(kind, "distractor")) {
			others++;
			if (!d) {
				/* Formats this build cannot read are not
				 * mistaken for reports either. */
				unread++;
				others_right++;
				continue;
			}
			int ok = !strcmp(gk_doc_type(d), "other") &&
			         !gk_doc_agency(d) && !gk_doc_year(d);
			GK_CHECK_MSG(ok, "%s: typed %s (%s %d)", file,
			             gk_doc_type(d), or_null(gk_doc_agency(d)),
			             gk_doc_year(d));
			others_right += ok;
		}
		gk_doc_free(d);
	}
	free(line);
	fclose(f);
	GK_CHECK(reports >= 20 && others >= 50 && originals >= 5);
	fprintf(stderr,
	        "  reports with agency and year right: %d/%d; originals (PDF, "
	        "HTML): %d/%d; other documents not typed report: %d/%d (%d "
	        "not readable)\n",
	        reports_right, reports, originals_right, originals,
	        others_right, others, unread);
}

static void check_expected(const char *path)
{
	json_error_t jerr;
	json_t *e = json_load_file(path, 0, &jerr);
	GK_CHECK_MSG(json_is_object(e), "%s: %s", path, jerr.text);
	if (!e)
		return;
	const char *file = json_string_value(json_object_get(e, "file"));
	char why[GK_ERROR_MSG_MAX] = "";
	gk_doc *d = file ? read_doc(file, why, sizeof why) : NULL;
	GK_CHECK_MSG(d != NULL, "%s: %s", path, why);
	if (!d) {
		json_decref(e);
		return;
	}
#define FIELD(key, got)                                                        \
	do {                                                                   \
		json_t *v = json_object_get(e, key);                           \
		const char *want =                                             \
		    json_is_string(v) ? json_string_value(v) : NULL;           \
		const char *g = (got);                                         \
		GK_CHECK_MSG((want && g && !strcmp(want, g)) || (!want && !g), \
		             "%s: %s is %s, want %s", file, key, or_null(g),   \
		             or_null(want));                                   \
	} while (0)
	FIELD("type", gk_doc_type(d));
	FIELD("title", gk_doc_title(d));
	FIELD("agency", gk_doc_agency(d));
	FIELD("region", gk_doc_region(d));
#undef FIELD
	json_t *year = json_object_get(e, "year");
	GK_CHECK_INT(gk_doc_year(d),
	             json_is_integer(year) ? json_integer_value(year) : 0);
	json_t *secs = json_object_get(e, "sections");
	size_t k = 0;
	for (size_t i = 0; i < gk_doc_heading_count(d); i++) {
		const gk_doc_heading *h = gk_doc_heading_at(d, i);
		if (h->depth)
			continue;
		json_t *s = json_array_get(secs, k++);
		const char *want =
		    json_string_value(json_object_get(s, "heading"));
		json_t *key = json_object_get(s, "key");
		GK_CHECK_MSG(want && !strcmp(want, h->text),
		             "%s: section %zu is %s, want %s", file, k, h->text,
		             or_null(want));
		GK_CHECK_MSG((json_is_string(key) && h->key &&
		              !strcmp(json_string_value(key), h->key)) ||
		                 (json_is_null(key) && !h->key),
		             "%s: section %s has key %s", file, h->text,
		             or_null(h->key));
	}
	GK_CHECK_MSG(k == json_array_size(secs), "%s: %zu sections, want %zu",
	             file, k, json_array_size(secs));
	gk_doc_free(d);
	json_decref(e);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr,
		        "usage: test_accuracy SHARED_CORPUS EXPECTED\n");
		return 2;
	}
	corpus = argv[1];
	char manifest[2048];
	snprintf(manifest, sizeof manifest, "%s/MANIFEST.tsv", corpus);
	if (access(manifest, R_OK)) {
		fprintf(stderr, "skipped: no shared corpus at %s\n", corpus);
		return 77;
	}
	GK_RUN(test_manifest);
	DIR *dir = opendir(argv[2]);
	GK_CHECK(dir != NULL);
	int n = 0;
	struct dirent *ent;
	while (dir && (ent = readdir(dir))) {
		size_t len = strlen(ent->d_name);
		if (len < 6 || strcmp(ent->d_name + len - 5, ".json"))
			continue;
		char path[2048];
		snprintf(path, sizeof path, "%s/%s", argv[2], ent->d_name);
		check_expected(path);
		n++;
	}
	if (dir)
		closedir(dir);
	GK_CHECK(n >= 12);
	fprintf(stderr, "  %d hand-checked reports compared\n", n);
	return GK_TEST_RESULT();
}
