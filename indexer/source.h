/* Private interface between the format-independent part of gk_src
 * (source.c) and its format readers (source_html.c, source_pdf.c). */
#ifndef GK_SOURCE_H
#define GK_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "gk_buf.h"
#include "gk_error.h"

/* What a format reader needs to know about the file it reads. */
typedef struct gk_src__job {
	const char *name;   /* for messages */
	double started;     /* gk_src__now() when reading began */
	double max_seconds; /* time budget, <= 0 for none */
	size_t max_text;    /* the output buffer's limit */
} gk_src__job;

/* Seconds on a monotonic clock. */
double gk_src__now(void);

/* True when the job has used up its time budget. */
bool gk_src__over_time(const gk_src__job *job);

/* Sets err to the time-limit message for job and returns GK_EFORMAT. */
gk_status gk_src__time_error(const gk_src__job *job, gk_error *err);

/* Extracts the main content of a web page. html (len bytes) must already
 * be UTF-8; any charset the page declares is ignored. Appends the text to
 * out (lines may still end in "\r" only if the page had them inside
 * <pre>) and sets *title to a malloc'd copy of the <title> or NULL. */
gk_status gk_src__html(const gk_src__job *job, const char *html, size_t len,
                       gk_buf *out, char **title, gk_error *err);

/* Extracts the text layer of a PDF (len bytes at data, kept alive by the
 * caller), pages separated by "\n\f\n"; *pages receives the page count. */
gk_status gk_src__pdf(const gk_src__job *job, const char *data, size_t len,
                      gk_buf *out, unsigned *pages, gk_error *err);

#endif
