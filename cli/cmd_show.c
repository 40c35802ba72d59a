#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gk_doc.h"
#include "gk_idx.h"

static const char usage[] =
    "Usage: gongkai show [--json] FILE...\n"
    "\n"
    "Prints what gongkai makes of a report file, without indexing it: its\n"
    "metadata (type, title, agency, year, region, date, source), its\n"
    "section tree with the canonical keys of the standard sections, and\n"
    "its passages with their section paths and source lines — the thing\n"
    "to run when a search surprises you.\n"
    "\n"
    "Options:\n"
    "  --json      one JSON object per file\n"
    "  -h, --help  show this help\n"
    "\n"
    "Exit status: 0 when every file could be read, 2 otherwise.\n";

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *doc_json(const char *file, const gk_doc *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "file", json_string(file));
	json_object_set_new(o, "type", json_string(gk_doc_type(d)));
	json_object_set_new(o, "title", json_string(gk_doc_title(d)));
	json_object_set_new(o, "agency", str_or_null(gk_doc_agency(d)));
	json_object_set_new(o, "year",
	                    gk_doc_year(d) ? json_integer(gk_doc_year(d))
	                                   : json_null());
	json_object_set_new(o, "region", str_or_null(gk_doc_region(d)));
	json_object_set_new(o, "date", str_or_null(gk_doc_date(d)));
	json_object_set_new(o, "url", str_or_null(gk_doc_url(d)));
	json_object_set_new(o, "format", str_or_null(gk_doc_format(d)));
	json_object_set_new(o, "charset", str_or_null(gk_doc_charset(d)));
	json_object_set_new(o, "sha256", str_or_null(gk_doc_sha256(d)));
	json_object_set_new(o, "pages", json_integer(gk_doc_pages(d)));
	json_t *secs = json_array();
	for (size_t i = 0; i < gk_doc_heading_count(d); i++) {
		const gk_doc_heading *h = gk_doc_heading_at(d, i);
		json_t *s = json_object();
		json_object_set_new(s, "heading", json_string(h->text));
		json_object_set_new(s, "depth",
		                    json_integer((json_int_t)h->depth));
		json_object_set_new(s, "key", str_or_null(h->key));
		json_object_set_new(s, "line", json_integer(h->line));
		json_array_append_new(secs, s);
	}
	json_object_set_new(o, "sections", secs);
	json_t *ps = json_array();
	for (size_t i = 0; i < gk_doc_passage_count(d); i++) {
		const gk_doc_passage *p = gk_doc_passage_at(d, i);
		json_t *a = json_object();
		json_t *path = json_array();
		for (size_t k = 0; k < p->nsection; k++)
			json_array_append_new(path, json_string(p->section[k]));
		json_object_set_new(a, "line", json_integer(p->line));
		json_object_set_new(
		    a, "page", p->page ? json_integer(p->page) : json_null());
		json_object_set_new(a, "section", path);
		json_object_set_new(a, "section_key",
		                    str_or_null(p->section_key));
		json_object_set_new(a, "text", json_stringn(p->text, p->len));
		json_array_append_new(ps, a);
	}
	json_object_set_new(o, "passages", ps);
	return o;
}

static void print_human(const char *file, const gk_doc *d, int bold)
{
	const char *b = bold ? "\033[1m" : "", *off = bold ? "\033[0m" : "";
	printf("%s%s%s\n", b, file, off);
	printf("  type    %s\n", gk_doc_type(d));
	printf("  title   %s\n", gk_doc_title(d));
	printf("  agency  %s\n", gk_doc_agency(d) ? gk_doc_agency(d) : "-");
	if (gk_doc_year(d))
		printf("  year    %d\n", gk_doc_year(d));
	else
		printf("  year    -\n");
	printf("  region  %s\n", gk_doc_region(d) ? gk_doc_region(d) : "-");
	printf("  date    %s\n", gk_doc_date(d) ? gk_doc_date(d) : "-");
	if (gk_doc_url(d))
		printf("  url     %s\n", gk_doc_url(d));
	if (gk_doc_format(d)) {
		printf("  format  %s (%s)", gk_doc_format(d),
		       gk_doc_charset(d) ? gk_doc_charset(d) : "?");
		if (gk_doc_pages(d))
			printf(", %u pages", gk_doc_pages(d));
		printf("\n  sha256  %s\n",
		       gk_doc_sha256(d) ? gk_doc_sha256(d) : "-");
	}
	printf("\n%ssections%s\n", b, off);
	for (size_t i = 0; i < gk_doc_heading_count(d); i++) {
		const gk_doc_heading *h = gk_doc_heading_at(d, i);
		printf("  %*s%s", (int)(h->depth * 2), "", h->text);
		if (h->key)
			printf("  [%s]", h->key);
		printf("  (line %u)\n", h->line);
	}
	printf("\n%spassages (%zu)%s\n", b, gk_doc_passage_count(d), off);
	for (size_t i = 0; i < gk_doc_passage_count(d); i++) {
		const gk_doc_passage *p = gk_doc_passage_at(d, i);
		printf("  %zu. line %u", i + 1, p->line);
		if (p->page)
			printf(", page %u", p->page);
		for (size_t k = 0; k < p->nsection; k++)
			printf("%s%s", k ? " › " : "  ", p->section[k]);
		printf("\n     ");
		for (size_t k = 0; k < p->len; k++)
			putchar(p->text[k] == '\n' ? ' ' : p->text[k]);
		printf("\n");
	}
}

int gk_cli_show(int argc, char **argv)
{
	int json = 0, nfiles = 0, failed = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			return GK_EXIT_OK;
		}
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (argv[i][0] == '-' && argv[i][1] == '-') {
			gk_cli_error("show: unknown option '%s'", argv[i]);
			fputs(usage, stderr);
			return GK_EXIT_ERROR;
		} else
			nfiles++;
	}
	if (!nfiles) {
		gk_cli_error("show: no file given");
		fputs(usage, stderr);
		return GK_EXIT_ERROR;
	}
	const char *nc = getenv("NO_COLOR");
	int bold = !json && isatty(STDOUT_FILENO) && !(nc && *nc);
	int first = 1;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] == '-')
			continue;
		gk_error err;
		gk_error_clear(&err);
		gk_doc *d = NULL;
		if (gk_idx_read_doc(&d, argv[i], argv[i], NULL, &err)) {
			gk_cli_error("%s", err.msg);
			failed = 1;
			continue;
		}
		if (json) {
			json_t *o = doc_json(argv[i], d);
			char *s =
			    json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
			if (s)
				puts(s);
			free(s);
			json_decref(o);
		} else {
			if (!first)
				putchar('\n');
			print_human(argv[i], d, bold);
		}
		first = 0;
		gk_doc_free(d);
	}
	return failed ? GK_EXIT_ERROR : GK_EXIT_OK;
}
