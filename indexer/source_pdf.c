/* The text layer of a PDF, through poppler-glib. */
#include <glib.h>
#include <poppler.h>
#include <stdbool.h>
#include <string.h>

#include "gk_buf.h"
#include "source.h"

/* Fewer non-blank characters than this per page, on average, means the
 * pages are images (a scan) with at most a page number or a stamp in
 * text. */
#define MIN_CHARS_PER_PAGE 10

static size_t count_chars(const char *p)
{
	size_t k = 0;
	for (const unsigned char *s = (const unsigned char *)p; *s; s++)
		if (*s > ' ' && (*s & 0xC0) != 0x80)
			k++;
	return k;
}

/* Appends a page's text: line endings are left to the caller's clean-up,
 * but a form feed inside the page would throw the page count off. Trailing
 * line breaks go, so that the separator stands on a line of its own. */
static gk_status append_page(gk_buf *out, const char *t)
{
	size_t n = strlen(t);
	while (n && (t[n - 1] == '\n' || t[n - 1] == '\r' || t[n - 1] == '\f'))
		n--;
	size_t i = 0;
	gk_status st = GK_OK;
	while (st == GK_OK && i < n) {
		const char *ff = memchr(t + i, '\f', n - i);
		size_t j = ff ? (size_t)(ff - t) : n;
		st = gk_buf_append(out, t + i, j - i);
		if (st == GK_OK && j < n)
			st = gk_buf_appendc(out, '\n');
		i = j + 1;
	}
	return st;
}

gk_status gk_src__pdf(const gk_src__job *job, const char *data, size_t len,
                      gk_buf *out, unsigned *pages, gk_error *err)
{
	const char *name = job->name;
	*pages = 0;
	GBytes *bytes = g_bytes_new_static(data, len);
	GError *ge = NULL;
	PopplerDocument *doc =
	    poppler_document_new_from_bytes(bytes, NULL, &ge);
	if (!doc) {
		gk_status st;
		if (ge &&
		    g_error_matches(ge, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
			st = gk_error_set(err, GK_EFORMAT,
			                  "%s: encrypted PDF: needs a password",
			                  name);
		else
			st = gk_error_set(
			    err, GK_EFORMAT, "%s: damaged PDF (%s)", name,
			    ge && ge->message ? ge->message
			                      : "cannot be opened");
		if (ge)
			g_error_free(ge);
		g_bytes_unref(bytes);
		return st;
	}

	int n = poppler_document_get_n_pages(doc);
	gk_status st = GK_OK;
	size_t chars = 0;
	for (int i = 0; i < n && st == GK_OK; i++) {
		if (i > 0 && gk_src__over_time(job)) {
			st = gk_src__time_error(job, err);
			break;
		}
		PopplerPage *page = poppler_document_get_page(doc, i);
		char *t = page ? poppler_page_get_text(page) : NULL;
		if (i > 0)
			st = gk_buf_append(out, "\n\f\n", 3);
		if (st == GK_OK && t) {
			chars += count_chars(t);
			st = append_page(out, t);
		}
		g_free(t);
		if (page)
			g_object_unref(page);
		if (st != GK_OK)
			gk_error_set(err, st, "%s: text too large", name);
	}
	if (st == GK_OK && gk_src__over_time(job))
		st = gk_src__time_error(job, err);
	if (st == GK_OK && chars < (size_t)(n > 0 ? n : 1) * MIN_CHARS_PER_PAGE)
		st = gk_error_set(err, GK_EFORMAT,
		                  "%s: no text layer — needs OCR", name);
	if (st == GK_OK && out->len)
		st = gk_buf_appendc(out, '\n');
	*pages = n > 0 ? (unsigned)n : 0;
	g_object_unref(doc);
	g_bytes_unref(bytes);
	return st;
}
