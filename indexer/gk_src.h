/* gk_src: reads one report file — plain text, Markdown, HTML or PDF, in
 * whatever encoding it came in — and hands back clean UTF-8 text.
 *
 * The format is recognised from the content first and the file name second:
 * "%PDF-" is a PDF; markup that looks like a web page is HTML; anything
 * else is text, and Markdown when the name ends in .md or .markdown. Known
 * binary formats (ZIP/Office/OFD, OLE, images, gzip) and files full of NUL
 * bytes or control characters are refused with GK_EFORMAT and a message
 * that says what the file looks like.
 *
 * Text and HTML are converted to UTF-8 strictly, never repaired: UTF-16
 * with a BOM, UTF-8 (BOM stripped), GB18030 (which covers GBK and GB2312),
 * then ICU's best guess; for HTML a <meta> charset is honoured when the
 * bytes really are in it. Input that decodes as none of them fails with
 * GK_EFORMAT.
 *
 * The text always follows these conventions, which the report parser
 * relies on:
 * - valid UTF-8, NUL-terminated, no NUL bytes inside; lines end in "\n"
 *   (CRLF and CR are normalised);
 * - HTML: only the main content of the page (site chrome — menus,
 *   breadcrumbs, headers, footers, share boxes — is left out). Each block
 *   (p, div, li, h1–h6, tr, …) ends a line, a paragraph (p, h1–h6, table)
 *   is followed by an empty line, inline elements do not break lines.
 *   White space is collapsed to single spaces, except that a line break
 *   between two CJK characters disappears; &nbsp; becomes a space and
 *   U+3000 stays. Each table row is one line with its cells separated by
 *   "\t": colspan=N adds N-1 empty cells, rowspan=N repeats the cell's
 *   text in the same column of the next N-1 rows, so that every row has
 *   all its columns. Tables have an empty line before and after;
 * - PDF: poppler's text layer page by page, laid out as on the page (lines
 *   rebuilt from the characters' positions, table columns kept apart by
 *   runs of spaces, as `pdftotext -layout` does), the pages separated by a form
 *   feed on a line of its own ("\n\f\n"), so that the page of any offset
 *   is one plus the number of "\f" before it.
 *
 * Every message starts with the name the caller gave for the file. */
#ifndef GK_SRC_H
#define GK_SRC_H

#include <stddef.h>

#include "gk_error.h"

typedef enum gk_src_format {
	GK_SRC_TEXT,
	GK_SRC_MARKDOWN,
	GK_SRC_HTML,
	GK_SRC_PDF
} gk_src_format;

typedef struct gk_src_limits {
	size_t max_bytes;   /* larger files are refused (default 64 MiB) */
	double max_seconds; /* parsing time budget per file (default 60 s) */
} gk_src_limits;

#define GK_SRC_LIMITS_DEFAULT                                                  \
	{                                                                      \
		64u << 20, 60.0                                                \
	}

typedef struct gk_src gk_src;

/* Reads the file at path; name is used in messages (the path as the user
 * gave it; path itself when NULL). lim may be NULL for the defaults; a
 * max_seconds of 0 means no time budget.
 *
 * Fails with GK_ENOTFOUND when the file does not exist, GK_EIO when it
 * cannot be read, GK_EFORMAT when it is empty, too large, in no supported
 * format or encoding, a damaged or encrypted PDF, a PDF without a text
 * layer, or took longer than lim->max_seconds (checked between PDF pages
 * and between the stages of reading a web page: a single PDF page is
 * never interrupted). On success *out is the caller's to free with
 * gk_src_free. */
gk_status gk_src_read(gk_src **out, const char *path, const char *name,
                      const gk_src_limits *lim, gk_error *err);

/* NULL-safe. */
void gk_src_free(gk_src *src);

/* Getters: what they return is borrowed from src and valid until
 * gk_src_free. */

/* The text: valid UTF-8, NUL-terminated; *len (when not NULL) receives
 * its length in bytes. */
const char *gk_src_text(const gk_src *src, size_t *len);

gk_src_format gk_src_format_of(const gk_src *src);

/* "text", "markdown", "html" or "pdf" ("unknown" for any other value). */
const char *gk_src_format_name(gk_src_format f);

/* The encoding the file was in: "UTF-8", "GB18030", "UTF-16LE",
 * "UTF-16BE" or another ICU name; "PDF" for a PDF, whose text comes out
 * of its fonts' own encodings. */
const char *gk_src_charset(const gk_src *src);

/* Hex SHA-256 of the file's bytes (64 lower-case digits). */
const char *gk_src_sha256(const gk_src *src);

/* Number of pages of a PDF, 0 for any other format. */
unsigned gk_src_pages(const gk_src *src);

/* The <title> of a web page, white space collapsed; NULL when there is
 * none or the file is not HTML. */
const char *gk_src_title(const gk_src *src);

#endif
