/* gk_src: reading the file, recognising its format and encoding, and
 * turning everything that is not PDF into UTF-8 before the format readers
 * (source_html.c, source_pdf.c) see it. */
#include "gk_src.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unistd.h>

#include "gk_buf.h"
#include "gk_utf8.h"
#include "source.h"

struct gk_src {
	char *text;
	size_t len;
	gk_src_format format;
	unsigned pages;
	char *title;
	char charset[48];
	char sha256[65];
};

/* How much of the file the cheap sniffing tests look at. */
#define SNIFF_BYTES 1024
/* How much of it ICU's charset detector gets to see. */
#define DETECT_BYTES (256u << 10)
/* ICU's detector confidence (0-100) below which a guess is not tried. */
#define DETECT_MIN_CONFIDENCE 20
/* ... and from which its Big5 verdict outweighs GB18030's decoding. */
#define BIG5_MIN_CONFIDENCE 60

const char *gk_src_format_name(gk_src_format f)
{
	switch (f) {
	case GK_SRC_TEXT: return "text";
	case GK_SRC_MARKDOWN: return "markdown";
	case GK_SRC_HTML: return "html";
	case GK_SRC_PDF: return "pdf";
	}
	return "unknown";
}

void gk_src_free(gk_src *src)
{
	if (!src)
		return;
	free(src->text);
	free(src->title);
	free(src);
}

const char *gk_src_text(const gk_src *src, size_t *len)
{
	if (len)
		*len = src->len;
	return src->text;
}

gk_src_format gk_src_format_of(const gk_src *src)
{
	return src->format;
}

const char *gk_src_charset(const gk_src *src)
{
	return src->charset;
}

const char *gk_src_sha256(const gk_src *src)
{
	return src->sha256;
}

unsigned gk_src_pages(const gk_src *src)
{
	return src->pages;
}

const char *gk_src_title(const gk_src *src)
{
	return src->title;
}

/* ---- Reading the file ---- */

/* "64 MiB", "512 KiB" or "1000 bytes", for the size-limit message. */
static void format_size(char *out, size_t n, size_t size)
{
	if (size >= (1u << 20) && size % (1u << 20) == 0)
		snprintf(out, n, "%zu MiB", size >> 20);
	else if (size >= 1024 && size % 1024 == 0)
		snprintf(out, n, "%zu KiB", size >> 10);
	else
		snprintf(out, n, "%zu bytes", size);
}

static gk_status too_large(const char *name, unsigned long long size,
                           size_t max, gk_error *err)
{
	char lim[32];
	format_size(lim, sizeof lim, max);
	return gk_error_set(err, GK_EFORMAT,
	                    "%s: file too large (%llu bytes; at most %s)", name,
	                    size, lim);
}

/* Reads the whole file into a malloc'd buffer. Regular files are checked
 * against max before anything is read; for others (pipes, devices) the
 * limit stops the reading. */
static gk_status read_file(const char *path, const char *name, size_t max,
                           char **data, size_t *len, gk_error *err)
{
	/* O_NONBLOCK so that opening a FIFO nobody writes to does not wait
	 * forever; reads block again afterwards. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		return gk_error_set(
		    err, e == ENOENT || e == ENOTDIR ? GK_ENOTFOUND : GK_EIO,
		    "%s: %s", name, strerror(e));
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl != -1)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return gk_error_set(err, GK_EIO, "%s: %s", name, strerror(e));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return gk_error_set(err, GK_EIO, "%s: %s", name,
		                    strerror(EISDIR));
	}
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
		close(fd);
		return too_large(name, (unsigned long long)st.st_size, max,
		                 err);
	}
	/* One byte more than the limit tells a file that grew, or a pipe,
	 * from one that fits exactly. */
	size_t cap = max < SIZE_MAX ? max + 1 : max;
	gk_buf b = GK_BUF_INIT(cap);
	char *chunk = malloc(65536);
	if (!chunk) {
		close(fd);
		return gk_error_set(err, GK_ENOMEM, "%s: out of memory", name);
	}
	gk_status rc = GK_OK;
	for (;;) {
		ssize_t r = read(fd, chunk, 65536);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = gk_error_set(err, GK_EIO, "%s: %s", name,
			                  strerror(errno));
			break;
		}
		if (r == 0)
			break;
		if (b.len + (size_t)r > max) {
			rc = too_large(name, (unsigned long long)b.len + r, max,
			               err);
			break;
		}
		if (gk_buf_append(&b, chunk, (size_t)r) != GK_OK) {
			rc = gk_error_set(err, GK_ENOMEM, "%s: out of memory",
			                  name);
			break;
		}
	}
	free(chunk);
	close(fd);
	if (rc != GK_OK) {
		gk_buf_free(&b);
		return rc;
	}
	*len = b.len;
	*data = gk_buf_steal(&b);
	if (!*data)
		return gk_error_set(err, GK_ENOMEM, "%s: out of memory", name);
	return GK_OK;
}

static void sha256_hex(const char *data, size_t len, char out[65])
{
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
	/* g_checksum_update takes a signed length: feed large files in
	 * pieces. */
	size_t off = 0;
	while (off < len) {
		size_t n = len - off > (1u << 30) ? (1u << 30) : len - off;
		g_checksum_update(ck, (const guchar *)data + off, (gssize)n);
		off += n;
	}
	const gchar *hex = g_checksum_get_string(ck);
	snprintf(out, 65, "%s", hex ? hex : "");
	g_checksum_free(ck);
}

/* ---- Recognising the format ---- */

static bool starts_with(const char *p, size_t n, const char *s)
{
	size_t k = strlen(s);
	return n >= k && memcmp(p, s, k) == 0;
}

static bool istarts_with(const char *p, size_t n, const char *s)
{
	size_t k = strlen(s);
	if (n < k)
		return false;
	for (size_t i = 0; i < k; i++) {
		char c = p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != s[i])
			return false;
	}
	return true;
}

static const char *ifind(const char *p, size_t n, const char *s)
{
	size_t k = strlen(s);
	for (size_t i = 0; i + k <= n; i++)
		if (istarts_with(p + i, n - i, s))
			return p + i;
	return NULL;
}

static const char *find(const char *p, size_t n, const char *s)
{
	size_t k = strlen(s);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(p + i, s, k) == 0)
			return p + i;
	return NULL;
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	if (n < k)
		return false;
	return istarts_with(name + n - k, k, suffix);
}

/* What a known binary format is called in messages, or NULL. */
static const char *binary_kind(const char *p, size_t n)
{
	if (starts_with(p, n, "PK\3\4") || starts_with(p, n, "PK\5\6")) {
		/* OFD, the Chinese standard for fixed-layout documents, is a
		 * ZIP whose first member is OFD.xml. */
		if (n >= 37 && (unsigned char)p[26] == 7 && p[27] == 0 &&
		    memcmp(p + 30, "OFD.xml", 7) == 0)
			return "an OFD document";
		return "a ZIP or Office file";
	}
	if (starts_with(p, n, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
		return "an old Office (OLE) document";
	if (starts_with(p, n, "\x89PNG\r\n\x1A\n"))
		return "a PNG image";
	if (starts_with(p, n, "\xFF\xD8\xFF"))
		return "a JPEG image";
	if (starts_with(p, n, "GIF87a") || starts_with(p, n, "GIF89a"))
		return "a GIF image";
	if (starts_with(p, n, "\x1F\x8B"))
		return "gzip-compressed data";
	if (starts_with(p, n, "Rar!\x1A\x07"))
		return "a RAR archive";
	if (starts_with(p, n, "7z\xBC\xAF\x27\x1C"))
		return "a 7-Zip archive";
	if (starts_with(p, n, "II*\0") || starts_with(p, n, "MM\0*"))
		return "a TIFF image";
	if (starts_with(p, n, "{\\rtf"))
		return "an RTF document";
	return NULL;
}

/* Bytes that have no business in text: C0 controls other than white
 * space and ESC, and DEL. */
static bool is_bad_control(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' &&
	        c != '\r' && c != 0x1B) ||
	       c == 0x7F;
}

static size_t count_controls(const char *p, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (is_bad_control((unsigned char)p[i]))
			k++;
	return k;
}

/* A few stray control characters happen in real text; binary data has
 * them everywhere. */
static bool too_many_controls(size_t controls, size_t n)
{
	return controls > 8 && controls * 50 > n;
}

static size_t skip_space(const char *p, size_t n, size_t i)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
	                 p[i] == '\r' || p[i] == '\f'))
		i++;
	return i;
}

static bool tag_at(const char *p, size_t n, const char *tag)
{
	size_t k = strlen(tag);
	if (!istarts_with(p, n, tag))
		return false;
	if (n == k)
		return true;
	char c = p[k];
	return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' ||
	       c == '\r';
}

/* Share of the non-blank bytes of the first few KB that sit inside tags
 * or comments, in percent. */
static unsigned markup_percent(const char *p, size_t n)
{
	if (n > 4096)
		n = 4096;
	size_t in = 0, total = 0;
	bool tag = false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (!tag && c == '<' && i + 1 < n &&
		    ((p[i + 1] >= 'a' && p[i + 1] <= 'z') ||
		     (p[i + 1] >= 'A' && p[i + 1] <= 'Z') || p[i + 1] == '/' ||
		     p[i + 1] == '!' || p[i + 1] == '?'))
			tag = true;
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
			total++;
			if (tag)
				in++;
		}
		if (tag && c == '>')
			tag = false;
	}
	return total ? (unsigned)(in * 100 / total) : 0;
}

/* HTML when the first thing in the file is a doctype or <html> (XML
 * declarations and comments may come first), or when it holds typical
 * page tags early on and consists mostly of markup — which tells a page
 * fragment from Markdown with a little inline HTML. p is ASCII-compatible
 * text (UTF-16 is converted first). */
static bool looks_html(const char *p, size_t n)
{
	size_t i = skip_space(p, n, 0);
	bool xml = false;
	for (int guard = 0; guard < 16 && i < n; guard++) {
		if (starts_with(p + i, n - i, "<!--")) {
			size_t lim = n - i < 65536 ? n - i : 65536;
			const char *e = find(p + i, lim, "-->");
			if (!e)
				break;
			i = skip_space(p, n, (size_t)(e - p) + 3);
		} else if (istarts_with(p + i, n - i, "<?xml")) {
			xml = true;
			const char *e = memchr(p + i, '>', n - i);
			if (!e)
				break;
			i = skip_space(p, n, (size_t)(e - p) + 1);
		} else {
			break;
		}
	}
	const char *q = p + i;
	size_t m = n - i;
	if (istarts_with(q, m, "<!doctype html") || tag_at(q, m, "<html"))
		return true;
	if (xml) {
		size_t k = m < SNIFF_BYTES ? m : SNIFF_BYTES;
		return ifind(q, k, "<html") != NULL;
	}
	static const char *const tags[] = { "<head", "<body",  "<meta",
		                            "<div",  "<p",     "<table",
		                            "<br",   "<title", "<span" };
	size_t k = n < SNIFF_BYTES ? n : SNIFF_BYTES;
	bool tagged = false;
	for (size_t j = 0; j < k && !tagged; j++) {
		if (p[j] != '<')
			continue;
		for (size_t t = 0; t < sizeof tags / sizeof *tags; t++)
			if (tag_at(p + j, n - j, tags[t])) {
				tagged = true;
				break;
			}
	}
	return tagged && markup_percent(p, n) >= 30;
}

/* ---- Encodings ---- */

/* Converts n bytes from charset cs to UTF-8 into out, stopping at the
 * first byte sequence that is illegal or has no Unicode mapping. */
static bool convert_strict(const char *cs, const char *p, size_t n, gk_buf *out)
{
	UErrorCode e = U_ZERO_ERROR;
	UConverter *from = ucnv_open(cs, &e);
	if (U_FAILURE(e))
		return false;
	UConverter *to = ucnv_open("UTF-8", &e);
	if (U_FAILURE(e)) {
		ucnv_close(from);
		return false;
	}
	ucnv_setToUCallBack(from, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL,
	                    &e);
	ucnv_setFromUCallBack(to, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL,
	                      &e);
	bool ok = U_SUCCESS(e);
	gk_buf_reset(out);
	UChar pivot[4096];
	UChar *ps = pivot, *pt = pivot;
	char chunk[16384];
	const char *s = p;
	bool first = true;
	while (ok) {
		char *t = chunk;
		e = U_ZERO_ERROR;
		ucnv_convertEx(to, from, &t, chunk + sizeof chunk, &s, p + n,
		               pivot, &ps, &pt, pivot + 4096, first, true, &e);
		first = false;
		if (gk_buf_append(out, chunk, (size_t)(t - chunk)) != GK_OK)
			ok = false;
		else if (e == U_BUFFER_OVERFLOW_ERROR)
			continue;
		else if (U_FAILURE(e))
			ok = false;
		break;
	}
	ucnv_close(from);
	ucnv_close(to);
	return ok;
}

/* True when decoded UTF-8 text holds C1 controls, which no real text in a
 * legacy charset contains: the sign of a wrong single-byte guess. */
static bool has_c1_controls(const char *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if ((unsigned char)p[i] == 0xC2 &&
		    (unsigned char)p[i + 1] >= 0x80 &&
		    (unsigned char)p[i + 1] <= 0x9F)
			return true;
	return false;
}

static bool plausible(const char *p, size_t n)
{
	return !has_c1_controls(p, n) &&
	       !too_many_controls(count_controls(p, n), n) &&
	       memchr(p, '\0', n) == NULL;
}

/* The standard (MIME or IANA) name of an ICU converter name, for
 * gk_src_charset. */
static void standard_name(const char *cs, char *out, size_t n)
{
	UErrorCode e = U_ZERO_ERROR;
	const char *std = ucnv_getStandardName(cs, "MIME", &e);
	if (!std || U_FAILURE(e)) {
		e = U_ZERO_ERROR;
		std = ucnv_getStandardName(cs, "IANA", &e);
	}
	if (!std || U_FAILURE(e))
		std = cs;
	snprintf(out, n, "%s", std);
}

/* The converter to use for a charset a page declares, or NULL to ignore
 * the declaration. GB2312 and GBK pages routinely use characters only
 * their superset GB18030 has; Latin-1 declarations mean windows-1252 (as
 * browsers read them); a "UTF-16" meta cannot describe bytes that were
 * readable enough to find it. */
static const char *declared_converter(const char *decl, char *buf, size_t n)
{
	static const char *const gb[] = { "gb2312",     "gbk",      "x-gbk",
		                          "cp936",      "gb18030",  "euc-cn",
		                          "gb_2312-80", "x-euc-cn", "csgb2312",
		                          "windows-936" };
	static const char *const latin[] = { "iso-8859-1", "iso8859-1",
		                             "latin1",     "us-ascii",
		                             "ascii",      "l1" };
	for (size_t i = 0; i < sizeof gb / sizeof *gb; i++)
		if (strcmp(decl, gb[i]) == 0)
			return "GB18030";
	for (size_t i = 0; i < sizeof latin / sizeof *latin; i++)
		if (strcmp(decl, latin[i]) == 0)
			return "windows-1252";
	if (strncmp(decl, "utf-16", 6) == 0 || strcmp(decl, "unicode") == 0 ||
	    strncmp(decl, "utf-32", 6) == 0)
		return NULL;
	snprintf(buf, n, "%s", decl);
	return buf;
}

/* The charset named by the first <meta charset=…> or <meta
 * http-equiv=content-type content="…; charset=…"> near the top of a page,
 * lower-cased, or "" when there is none. */
static void meta_charset(const char *p, size_t n, char *out, size_t outn)
{
	out[0] = '\0';
	if (n > 64 * 1024)
		n = 64 * 1024;
	size_t i = 0;
	while (i < n) {
		const char *m = ifind(p + i, n - i, "<meta");
		if (!m)
			return;
		size_t at = (size_t)(m - p);
		/* A tag longer than this is no charset declaration. */
		size_t lim = n - at < 1024 ? n - at : 1024;
		const char *end = memchr(m, '>', lim);
		size_t tn = end ? (size_t)(end - m) : lim;
		const char *c = ifind(m, tn, "charset");
		if (c) {
			size_t j = (size_t)(c - m) + 7;
			while (j < tn && (m[j] == ' ' || m[j] == '='))
				j++;
			while (j < tn && (m[j] == '"' || m[j] == '\''))
				j++;
			size_t k = 0;
			while (j < tn && k + 1 < outn) {
				char ch = m[j];
				bool ok = (ch >= 'a' && ch <= 'z') ||
				          (ch >= 'A' && ch <= 'Z') ||
				          (ch >= '0' && ch <= '9') ||
				          ch == '-' || ch == '_' || ch == '.' ||
				          ch == ':';
				if (!ok)
					break;
				if (ch >= 'A' && ch <= 'Z')
					ch = (char)(ch - 'A' + 'a');
				out[k++] = ch;
				j++;
			}
			out[k] = '\0';
			if (k)
				return;
		}
		i = at + 5;
	}
}

/* How much decoded text looks like the text it should be: line breaks,
 * spaces and digits. UTF-16 read with the wrong byte order turns them
 * into U+0A00, U+2000 and U+3x00, while the other way round only turns
 * a few Han characters (U+4E00 一, U+5F00 开) into ASCII letters. */
static size_t text_score(const char *p, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] == '\n' || p[i] == ' ' || (p[i] >= '0' && p[i] <= '9'))
			k++;
	return k;
}

/* UTF-16 without a BOM, which the NUL bytes of its ASCII characters
 * betray: both byte orders are tried, and the one that decodes into
 * plausible text with the more line breaks, spaces and digits wins.
 * Binary data does not decode (its runs of NUL bytes become U+0000).
 * Returns the charset with the text in out, or NULL. */
static const char *utf16_without_bom(const char *p, size_t n, gk_buf *out)
{
	if (n < 2 || n % 2)
		return NULL;
	gk_buf be = GK_BUF_INIT(out->max);
	bool le_ok = convert_strict("UTF-16LE", p, n, out) &&
	             plausible(out->data, out->len);
	bool be_ok =
	    convert_strict("UTF-16BE", p, n, &be) && plausible(be.data, be.len);
	const char *cs = NULL;
	if (be_ok && (!le_ok || text_score(be.data, be.len) >
	                            text_score(out->data, out->len))) {
		gk_buf t = *out;
		*out = be;
		be = t;
		cs = "UTF-16BE";
	} else if (le_ok) {
		cs = "UTF-16LE";
	}
	gk_buf_free(&be);
	return cs;
}

/* ICU's guesses for n bytes at p, best first; NULL when it has none.
 * Close *det after use. */
static const UCharsetMatch **detect(const char *p, size_t n, bool html,
                                    const char *declared,
                                    UCharsetDetector **det, int32_t *nm)
{
	UErrorCode e = U_ZERO_ERROR;
	*nm = 0;
	*det = ucsdet_open(&e);
	if (U_FAILURE(e))
		return NULL;
	int32_t sample = (int32_t)(n < DETECT_BYTES ? n : DETECT_BYTES);
	ucsdet_setText(*det, p, sample, &e);
	ucsdet_enableInputFilter(*det, html);
	if (declared)
		ucsdet_setDeclaredEncoding(*det, declared, -1, &e);
	const UCharsetMatch **m = ucsdet_detectAll(*det, nm, &e);
	if (U_FAILURE(e))
		return NULL;
	return m;
}

/* A detector guess worth a try: confident enough, and not UTF-16 or
 * UTF-32, which any even-length run of bytes "is" (text in them without a
 * BOM has NUL bytes and is recognised before). */
static const char *usable_guess(const UCharsetMatch *m)
{
	UErrorCode e = U_ZERO_ERROR;
	const char *name = ucsdet_getName(m, &e);
	int32_t conf = ucsdet_getConfidence(m, &e);
	if (U_FAILURE(e) || !name || conf < DETECT_MIN_CONFIDENCE)
		return NULL;
	if (strncmp(name, "UTF-16", 6) == 0 || strncmp(name, "UTF-32", 6) == 0)
		return NULL;
	return name;
}

/* The decoding rules for text and pages that are not UTF-16: valid UTF-8
 * as it is; then the page's own declaration (HTML only); then GB18030,
 * the superset of GBK and GB2312 most Chinese legacy files are in; then
 * ICU's detector's guesses in order of confidence. Valid UTF-8 goes
 * first even on a page that declares something else: wrong declarations
 * are common, while a text in another charset that happens to be valid
 * UTF-8 is practically unheard of, and UTF-8 bytes often decode "strictly"
 * as nonsense GBK. Big5 text also decodes as (nonsense) GB18030, so when
 * the detector is sure of Big5, Big5 goes before GB18030. On success out
 * holds the UTF-8 text (or is empty when *as_is: the input was UTF-8
 * already). */
static bool decode(const char *p, size_t n, bool html, gk_buf *out, bool *as_is,
                   char *cs, size_t csn)
{
	*as_is = false;
	if (gk_utf8_valid(p, n, NULL)) {
		*as_is = true;
		snprintf(cs, csn, "UTF-8");
		return true;
	}
	char decl[40] = "", buf[40];
	const char *declared = NULL;
	if (html) {
		meta_charset(p, n, decl, sizeof decl);
		if (decl[0])
			declared = declared_converter(decl, buf, sizeof buf);
	}
	if (declared && strcmp(declared, "utf-8") != 0 &&
	    strcmp(declared, "utf8") != 0 &&
	    convert_strict(declared, p, n, out) &&
	    plausible(out->data, out->len)) {
		standard_name(declared, cs, csn);
		return true;
	}
	UCharsetDetector *det = NULL;
	int32_t nm = 0;
	const UCharsetMatch **m = detect(p, n, html, declared, &det, &nm);
	bool found = false;
	if (m && nm > 0) {
		UErrorCode e = U_ZERO_ERROR;
		const char *top = ucsdet_getName(m[0], &e);
		int32_t conf = ucsdet_getConfidence(m[0], &e);
		if (U_SUCCESS(e) && top && strcmp(top, "Big5") == 0 &&
		    conf >= BIG5_MIN_CONFIDENCE &&
		    convert_strict(top, p, n, out) &&
		    plausible(out->data, out->len)) {
			standard_name(top, cs, csn);
			found = true;
		}
	}
	if (!found && convert_strict("GB18030", p, n, out) &&
	    plausible(out->data, out->len)) {
		snprintf(cs, csn, "GB18030");
		found = true;
	}
	for (int32_t i = 0; m && i < nm && !found; i++) {
		const char *name = usable_guess(m[i]);
		/* UTF-8 and GB18030 are ruled out already. */
		if (!name || strcmp(name, "UTF-8") == 0 ||
		    strcmp(name, "GB18030") == 0)
			continue;
		if (convert_strict(name, p, n, out) &&
		    plausible(out->data, out->len)) {
			standard_name(name, cs, csn);
			found = true;
		}
	}
	if (det)
		ucsdet_close(det);
	return found;
}

/* ---- Clean-up common to all formats ---- */

/* Copies text into out with CRLF and CR turned into LF and NUL and other
 * C0 controls except tab, LF and FF dropped. Ill-formed UTF-8, which only a
 * PDF's text layer or a broken page can bring, becomes U+FFFD. */
static gk_status finish_text(const char *p, size_t n, gk_buf *out)
{
	char *fixed = NULL;
	if (!gk_utf8_valid(p, n, NULL)) {
		size_t fn;
		fixed = gk_utf8_repair(p, n, &fn);
		if (!fixed)
			return GK_ENOMEM;
		p = fixed;
		n = fn;
	}
	gk_status st = gk_buf_append(out, "", 0);
	size_t i = 0;
	while (st == GK_OK && i < n) {
		size_t j = i;
		while (j < n && ((unsigned char)p[j] >= 0x20 || p[j] == '\t' ||
		                 p[j] == '\n' || p[j] == '\f'))
			j++;
		st = gk_buf_append(out, p + i, j - i);
		if (st != GK_OK || j >= n)
			break;
		if (p[j] == '\r') {
			st = gk_buf_appendc(out, '\n');
			if (j + 1 < n && p[j + 1] == '\n')
				j++;
		}
		i = j + 1;
	}
	free(fixed);
	return st;
}

/* ---- Dispatch ---- */

typedef gk_status (*pdf_reader)(const gk_src__job *, const char *, size_t,
                                gk_buf *, unsigned *, gk_error *);

/* PDF support lives in a module of its own (gongkai-pdf.so, with poppler
 * and its many libraries), loaded the first time a PDF is read, so that
 * searching does not pay for loading them. It is looked for at
 * $GONGKAI_PDF_MODULE, beside the program, and where it was built. */
static pdf_reader load_pdf_reader(char *why, size_t whylen)
{
	const char *env = getenv("GONGKAI_PDF_MODULE");
	char here[4096];
	ssize_t n = readlink("/proc/self/exe", here, sizeof here - 64);
	if (n > 0) {
		here[n] = '\0';
		char *slash = strrchr(here, '/');
		if (slash)
			strcpy(slash + 1, "gongkai-pdf.so");
		else
			here[0] = '\0';
	} else {
		here[0] = '\0';
	}
	const char *paths[] = { env && *env ? env : NULL, here[0] ? here : NULL,
		                GK_PDF_MODULE };
	why[0] = '\0';
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		if (!paths[i] || access(paths[i], R_OK))
			continue;
		/* Never closed: poppler stays loaded for the next PDF. */
		void *h = dlopen(paths[i], RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			snprintf(why, whylen, "%s", dlerror());
			continue;
		}
		void *sym = dlsym(h, "gk_src__pdf");
		if (sym) {
			pdf_reader r;
			memcpy(&r, &sym, sizeof r);
			return r;
		}
		snprintf(why, whylen, "%s has no PDF reader", paths[i]);
	}
	if (!why[0])
		snprintf(why, whylen, "gongkai-pdf.so not found");
	return NULL;
}

static gk_status read_pdf(gk_src *src, const gk_src__job *job, const char *data,
                          size_t len, gk_buf *raw, gk_error *err)
{
	src->format = GK_SRC_PDF;
	snprintf(src->charset, sizeof src->charset, "PDF");
	char why[512];
	pdf_reader reader = load_pdf_reader(why, sizeof why);
	if (!reader)
		return gk_error_set(err, GK_EFORMAT,
		                    "%s: PDF support is not available (%s)",
		                    job->name, why);
	return reader(job, data, len, raw, &src->pages, err);
}

static gk_status unknown_encoding(const char *name, gk_error *err)
{
	return gk_error_set(err, GK_EFORMAT,
	                    "%s: text in an unknown encoding (not UTF-8, "
	                    "GB18030 or UTF-16)",
	                    name);
}

static gk_status binary_data(const char *name, const char *what, gk_error *err)
{
	return gk_error_set(err, GK_EFORMAT,
	                    "%s: binary data (%s), not a report", name, what);
}

/* Text and HTML: decodes data into UTF-8 (into conv, unless it already
 * is UTF-8), then extracts a page's text or takes the text as it is. */
static gk_status read_textual(gk_src *src, const gk_src__job *job,
                              const char *path, const char *data, size_t len,
                              gk_buf *conv, gk_buf *raw, gk_error *err)
{
	const char *name = job->name;
	const char *utf16 = NULL;
	size_t skip = 0;
	if (starts_with(data, len, "\xFF\xFE")) {
		utf16 = "UTF-16LE";
		skip = 2;
	} else if (starts_with(data, len, "\xFE\xFF")) {
		utf16 = "UTF-16BE";
		skip = 2;
	} else if (memchr(data, '\0', len)) {
		utf16 = utf16_without_bom(data, len, conv);
		if (!utf16)
			return binary_data(name, "contains NUL bytes", err);
	}

	const char *text = NULL;
	size_t tlen = 0;
	if (utf16) {
		if (skip &&
		    (!convert_strict(utf16, data + skip, len - skip, conv) ||
		     !plausible(conv->data, conv->len)))
			return gk_error_set(err, GK_EFORMAT,
			                    "%s: not valid %s despite its byte "
			                    "order mark",
			                    name, utf16);
		snprintf(src->charset, sizeof src->charset, "%s", utf16);
		text = conv->data ? conv->data : "";
		tlen = conv->len;
	} else {
		if (starts_with(data, len, "\xEF\xBB\xBF")) {
			data += 3;
			len -= 3;
		}
		if (too_many_controls(count_controls(data, len), len))
			return binary_data(name, "many control characters",
			                   err);
		bool html = looks_html(data, len);
		bool as_is;
		if (!decode(data, len, html, conv, &as_is, src->charset,
		            sizeof src->charset))
			return unknown_encoding(name, err);
		text = as_is ? data : (conv->data ? conv->data : "");
		tlen = as_is ? len : conv->len;
	}
	/* After UTF-16 conversion the sniffing can finally see the
	 * markup. */
	if (looks_html(text, tlen)) {
		src->format = GK_SRC_HTML;
		return gk_src__html(job, text, tlen, raw, &src->title, err);
	}
	src->format = has_suffix(path, ".md") || has_suffix(path, ".markdown")
	                  ? GK_SRC_MARKDOWN
	                  : GK_SRC_TEXT;
	if (gk_buf_append(raw, text, tlen) != GK_OK)
		return gk_error_set(err, GK_ENOMEM, "%s: out of memory", name);
	return GK_OK;
}

static gk_status read_data(gk_src *src, const gk_src__job *job,
                           const char *path, const char *data, size_t len,
                           gk_buf *raw, gk_error *err)
{
	const char *name = job->name;
	if (starts_with(data, len, "%PDF-"))
		return read_pdf(src, job, data, len, raw, err);
	/* Some producers put junk before the header; readers accept it
	 * within the first KB, but only a .pdf name makes that likely. */
	if (has_suffix(path, ".pdf")) {
		size_t k = len < SNIFF_BYTES ? len : SNIFF_BYTES;
		for (size_t i = 0; i + 5 <= k; i++)
			if (memcmp(data + i, "%PDF-", 5) == 0)
				return read_pdf(src, job, data + i, len - i,
				                raw, err);
	}
	const char *kind = binary_kind(data, len);
	if (kind)
		return binary_data(name, kind, err);

	gk_buf conv = GK_BUF_INIT(job->max_text);
	gk_status st = read_textual(src, job, path, data, len, &conv, raw, err);
	gk_buf_free(&conv);
	if (st == GK_ENOMEM && err && err->msg[0] == '\0')
		gk_error_set(err, st, "%s: out of memory", name);
	return st;
}

gk_status gk_src_read(gk_src **out, const char *path, const char *name,
                      const gk_src_limits *lim, gk_error *err)
{
	if (out)
		*out = NULL;
	if (!out || !path)
		return gk_error_set(err, GK_EINVAL,
		                    "gk_src_read: no output or path");
	if (!name)
		name = path;
	gk_src_limits defaults = GK_SRC_LIMITS_DEFAULT;
	if (!lim)
		lim = &defaults;
	gk_error_clear(err);

	gk_src__job job = { name, gk_src__now(), lim->max_seconds, 0 };
	/* Output may outgrow the input (PDF streams are compressed, table
	 * cells repeat under rowspan) but not without bound. */
	size_t base = lim->max_bytes < (1u << 20) ? (1u << 20) : lim->max_bytes;
	job.max_text = base > SIZE_MAX / 4 ? SIZE_MAX / 4 : base * 4;

	char *data = NULL;
	size_t len = 0;
	gk_status st = read_file(path, name, lim->max_bytes, &data, &len, err);
	if (st != GK_OK)
		return st;
	if (len == 0) {
		free(data);
		return gk_error_set(err, GK_EFORMAT, "%s: empty file", name);
	}
	gk_src *src = calloc(1, sizeof *src);
	if (!src) {
		free(data);
		return gk_error_set(err, GK_ENOMEM, "%s: out of memory", name);
	}
	sha256_hex(data, len, src->sha256);

	gk_buf raw = GK_BUF_INIT(job.max_text);
	gk_buf text = GK_BUF_INIT(job.max_text);
	st = read_data(src, &job, path, data, len, &raw, err);
	free(data);
	if (st == GK_OK) {
		st = finish_text(raw.data ? raw.data : "", raw.len, &text);
		if (st != GK_OK)
			gk_error_set(err, st, "%s: text too large", name);
	}
	gk_buf_free(&raw);
	if (st != GK_OK) {
		gk_buf_free(&text);
		gk_src_free(src);
		return st;
	}
	src->len = text.len;
	src->text = gk_buf_steal(&text);
	if (!src->text) {
		gk_src_free(src);
		return gk_error_set(err, GK_ENOMEM, "%s: out of memory", name);
	}
	*out = src;
	return GK_OK;
}
