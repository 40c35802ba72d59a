/* Private to the report model: from the raw lines of a file to the logical
 * lines a reader sees. Page markers (-1-, — 2 —, 第3页) and form feeds go;
 * lines that a PDF converter hard-wrapped are joined again (across a page
 * break too), without a space between Chinese characters; run-on lines
 * of crawled pages are cut where a numbered heading starts inside them. */
#ifndef GK_DOC_CLEAN_H
#define GK_DOC_CLEAN_H

#include <stddef.h>

#include "gk_error.h"

typedef struct gk_doc__line {
	const char *p; /* into the lines' own text; not NUL-terminated */
	size_t n;
	unsigned no;   /* 1-based line of the source where it starts */
	unsigned page; /* 1-based page, 0 for text without page breaks */
} gk_doc__line;

typedef struct gk_doc__lines {
	gk_doc__line *v;
	size_t n;
	char *text; /* storage of the lines */
} gk_doc__lines;

/* Cleans len bytes of valid UTF-8. On success out owns its memory: free
 * it with gk_doc__lines_free. */
gk_status gk_doc__clean(const char *text, size_t len, gk_doc__lines *out);
void gk_doc__lines_free(gk_doc__lines *lines);

/* True when the trimmed line is only a page marker. */
int gk_doc__is_page_marker(const char *p, size_t n);

#endif
