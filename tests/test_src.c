#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gk_buf.h"
#include "gk_src.h"
#include "gk_test.h"
#include "gk_utf8.h"

/* Fixtures are written to a fresh directory; the few that cannot be made
 * here (an encrypted PDF) are in tests/data next to this file. The
 * published web pages the reports came from are checked when the shared
 * corpus is around (GK_CORPUS or /work/shared/corpus). */
static char tmpdir[PATH_MAX];

static const char *tmp_path(const char *name)
{
	static char paths[8][PATH_MAX];
	static int next;
	char *p = paths[next++ % 8];
	int n = snprintf(p, PATH_MAX, "%s/%s", tmpdir, name);
	GK_CHECK(n > 0 && n < PATH_MAX);
	return p;
}

static const char *fixture(const char *name, const void *data, size_t n)
{
	const char *path = tmp_path(name);
	FILE *f = fopen(path, "wb");
	GK_CHECK_MSG(f != NULL, "%s: %s", path, strerror(errno));
	if (!f)
		return path;
	if (n)
		fwrite(data, 1, n, f);
	fclose(f);
	return path;
}

static const char *fixture_str(const char *name, const char *s)
{
	return fixture(name, s, strlen(s));
}

/* Reads path, checking that it succeeds and that the text keeps the
 * promises every caller relies on. */
static gk_src *read_ok(const char *path)
{
	gk_src *src = NULL;
	gk_error err;
	gk_error_clear(&err);
	gk_status st = gk_src_read(&src, path, NULL, NULL, &err);
	GK_CHECK_MSG(st == GK_OK, "%s: %s", path, err.msg);
	if (st != GK_OK)
		return NULL;
	size_t len;
	const char *t = gk_src_text(src, &len);
	GK_CHECK(t != NULL && t[len] == '\0');
	GK_CHECK(strlen(t) == len);
	GK_CHECK(gk_utf8_valid(t, len, NULL));
	GK_CHECK(strchr(t, '\r') == NULL);
	GK_CHECK_INT(strlen(gk_src_sha256(src)), 64);
	return src;
}

/* The text of the file at path (malloc'd), or NULL with a failed check. */
static char *read_text(const char *path, gk_src_format want_format,
                       const char *want_charset)
{
	gk_src *src = read_ok(path);
	if (!src)
		return NULL;
	GK_CHECK_STR(gk_src_format_name(gk_src_format_of(src)),
	             gk_src_format_name(want_format));
	if (want_charset)
		GK_CHECK_STR(gk_src_charset(src), want_charset);
	char *t = strdup(gk_src_text(src, NULL));
	gk_src_free(src);
	return t;
}

/* Reads path expecting failure with status want and a message that starts
 * with the name and contains each of the fragments. */
static void read_fails(const char *path, const gk_src_limits *lim,
                       gk_status want, const char *frag1, const char *frag2)
{
	gk_src *src = (gk_src *)&src; /* must be reset to NULL */
	gk_error err;
	gk_error_clear(&err);
	gk_status st = gk_src_read(&src, path, "x.doc", lim, &err);
	GK_CHECK_MSG(st == want, "%s: status %d (%s), want %d", path, st,
	             err.msg, want);
	GK_CHECK(src == NULL);
	GK_CHECK_MSG(strncmp(err.msg, "x.doc: ", 7) == 0, "%s", err.msg);
	GK_CHECK_MSG(!frag1 || strstr(err.msg, frag1), "'%s' lacks '%s'",
	             err.msg, frag1);
	GK_CHECK_MSG(!frag2 || strstr(err.msg, frag2), "'%s' lacks '%s'",
	             err.msg, frag2);
	if (st == GK_OK)
		gk_src_free(src);
}

/* GK_CHECK_STR for strings that may be NULL after a failed read. */
#define CHECK_TEXT(a, b) GK_CHECK_STR((a) ? (a) : "(null)", (b))

static bool contains(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

#define CHECK_HAS(text, s)                                                     \
	GK_CHECK_MSG(contains((text), (s)), "missing '%s' in:\n%s", (s),       \
	             (text) ? (text) : "(null)")
#define CHECK_LACKS(text, s)                                                   \
	GK_CHECK_MSG(!contains((text), (s)), "unexpected '%s' in:\n%s", (s),   \
	             (text) ? (text) : "(null)")

static size_t count_char(const char *s, char c)
{
	size_t k = 0;
	for (; s && *s; s++)
		k += *s == c;
	return k;
}

/* ---- Text ---- */

static void test_text_utf8(void)
{
	char *t = read_text(fixture_str("a.txt", "一、总体情况\r\n正文。\rx\n"),
	                    GK_SRC_TEXT, "UTF-8");
	CHECK_TEXT(t, "一、总体情况\n正文。\nx\n");
	free(t);

	gk_src *src = read_ok(fixture_str("abc.txt", "abc\n"));
	if (src) {
		GK_CHECK_STR(gk_src_sha256(src),
		             "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb"
		             "34982ddf0efd18cb");
		GK_CHECK_INT(gk_src_pages(src), 0);
		GK_CHECK(gk_src_title(src) == NULL);
		size_t len = 0;
		gk_src_text(src, &len);
		GK_CHECK_INT(len, 4);
	}
	gk_src_free(src);
	gk_src_free(NULL);

	/* Stray control characters are dropped, tabs and form feeds kept. */
	t = read_text(fixture_str("c.txt", "a\tb\x01\x7f\fc"), GK_SRC_TEXT,
	              NULL);
	CHECK_TEXT(t, "a\tb\x7f\fc");
	free(t);
}

static void test_markdown(void)
{
	char *t = read_text(fixture_str("r.md", "\xEF\xBB\xBF# 报告\n正文\n"),
	                    GK_SRC_MARKDOWN, "UTF-8");
	CHECK_TEXT(t, "# 报告\n正文\n");
	free(t);
	t = read_text(fixture_str("r.markdown", "# x\n"), GK_SRC_MARKDOWN,
	              NULL);
	free(t);
	t = read_text(fixture_str("R.MD", "# x\n"), GK_SRC_MARKDOWN, NULL);
	free(t);
	/* A little inline HTML does not make Markdown a web page. */
	t = read_text(fixture_str("h.md",
	                          "# 政府信息公开工作年度报告\n\n<div "
	                          "align=\"center\">平潭综合实验区</div>\n\n"
	                          "本报告根据《中华人民共和国政府信息公开条例》"
	                          "编制。本年度共主动公开政府信息13561条，"
	                          "办结依申请公开81件。\n"),
	              GK_SRC_MARKDOWN, NULL);
	CHECK_HAS(t, "<div align=\"center\">");
	free(t);
}

/* s (UTF-8) as UTF-16, little- or big-endian, after an optional BOM. */
static size_t to_utf16(const char *s, bool big, bool bom, char *out)
{
	size_t o = 0, n = strlen(s), i = 0;
	if (bom) {
		out[o++] = big ? '\xFE' : '\xFF';
		out[o++] = big ? '\xFF' : '\xFE';
	}
	while (i < n) {
		uint32_t cp;
		size_t k = gk_utf8_decode(s + i, n - i, &cp);
		if (!k)
			break;
		i += k;
		uint16_t u[2];
		int nu = 1;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			u[0] = (uint16_t)(0xD800 | (cp >> 10));
			u[1] = (uint16_t)(0xDC00 | (cp & 0x3FF));
			nu = 2;
		} else {
			u[0] = (uint16_t)cp;
		}
		for (int j = 0; j < nu; j++) {
			out[o + (big ? 0 : 1)] = (char)(u[j] >> 8);
			out[o + (big ? 1 : 0)] = (char)(u[j] & 0xFF);
			o += 2;
		}
	}
	return o;
}

static void test_utf16(void)
{
	const char *s = "政府信息公开\r\n𠀀 report 2023\n";
	char buf[256];
	size_t n = to_utf16(s, false, true, buf);
	char *t = read_text(fixture("le.txt", buf, n), GK_SRC_TEXT, "UTF-16LE");
	CHECK_TEXT(t, "政府信息公开\n𠀀 report 2023\n");
	free(t);
	n = to_utf16(s, true, true, buf);
	t = read_text(fixture("be.md", buf, n), GK_SRC_MARKDOWN, "UTF-16BE");
	CHECK_TEXT(t, "政府信息公开\n𠀀 report 2023\n");
	free(t);
	/* Without a BOM, the NUL bytes of ASCII characters give it away. */
	n = to_utf16(s, false, false, buf);
	t = read_text(fixture("nobom.txt", buf, n), GK_SRC_TEXT, "UTF-16LE");
	CHECK_TEXT(t, "政府信息公开\n𠀀 report 2023\n");
	free(t);
	/* 开 and 一 have NUL low bytes: many of them do not mislead. */
	n = to_utf16("政府信息公开，公开一一一，公开开开。\n第一\n", true,
	             false, buf);
	t = read_text(fixture("nobom-be.txt", buf, n), GK_SRC_TEXT, "UTF-16BE");
	CHECK_TEXT(t, "政府信息公开，公开一一一，公开开开。\n第一\n");
	free(t);
	/* A lone surrogate is not UTF-16. */
	read_fails(fixture("bad16.txt", "\xFF\xFE\x00\xD8\x41\x00", 6), NULL,
	           GK_EFORMAT, "not valid UTF-16LE", NULL);
	/* HTML in UTF-16 is still HTML. */
	n = to_utf16("<html><head><title>标题</title></head><body><p>正文"
	             "</p></body></html>",
	             false, true, buf);
	t = read_text(fixture("p16.txt", buf, n), GK_SRC_HTML, "UTF-16LE");
	CHECK_TEXT(t, "正文\n");
	free(t);
}

/* 政府信息公开工作年度报告 in GBK. */
#define GBK_REPORT                                                             \
	"\xD5\xFE\xB8\xAE\xD0\xC5\xCF\xA2\xB9\xAB\xBF\xAA\xB9\xA4\xD7\xF7"     \
	"\xC4\xEA\xB6\xC8\xB1\xA8\xB8\xE6"

static void test_gb18030(void)
{
	char *t = read_text(fixture_str("gbk.txt", GBK_REPORT "\r\n2023\n"),
	                    GK_SRC_TEXT, "GB18030");
	CHECK_TEXT(t, "政府信息公开工作年度报告\n2023\n");
	free(t);
	/* Four-byte GB18030 sequences (beyond GBK): 𠀀. */
	t = read_text(fixture_str("gb4.txt", GBK_REPORT "\x95\x32\x82\x36"),
	              GK_SRC_TEXT, "GB18030");
	CHECK_TEXT(t, "政府信息公开工作年度报告𠀀");
	free(t);
}

static void test_unknown_encoding(void)
{
	/* Invalid in UTF-8 and GB18030, and nothing ICU's detector offers
	 * decodes it without control characters. */
	static const char junk[] = "abc \x81\x20\x81\x20 \xff\xfe\xff\x80\x80"
	                           " xyz \x81\x81\x20\x8d\x8f\x90\x9d";
	read_fails(fixture("junk.txt", junk, sizeof junk - 1), NULL, GK_EFORMAT,
	           "text in an unknown encoding",
	           "(not UTF-8, GB18030 or UTF-16)");
}

static void test_binary(void)
{
	static const struct {
		const char *name;
		const char *data;
		size_t len;
		const char *what;
	} cases[] = {
		{ "z.txt", "PK\3\4\24\0\0\0\10\0", 10, "a ZIP or Office file" },
		{ "d.doc", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10, "OLE" },
		{ "i.png", "\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16, "PNG" },
		{ "i.jpg", "\xFF\xD8\xFF\xE0\0\x10JFIF", 10, "JPEG" },
		{ "i.gif", "GIF89a\1\0\1\0", 10, "GIF" },
		{ "a.gz", "\x1F\x8B\x08\0\0\0\0\0", 8, "gzip" },
		{ "n.txt", "hello\0world", 11, "NUL" },
		{ "o.ofd",
		  "PK\3\4\24\0\0\0\10\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
		  "\0\0\7\0\0\0OFD.xml",
		  37, "OFD" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		read_fails(fixture(cases[i].name, cases[i].data, cases[i].len),
		           NULL, GK_EFORMAT, "binary data", cases[i].what);

	char ctl[400];
	for (size_t i = 0; i < sizeof ctl; i++)
		ctl[i] = (char)(1 + i % 8);
	read_fails(fixture("ctl.txt", ctl, sizeof ctl), NULL, GK_EFORMAT,
	           "binary data", "control characters");
}

static void test_file_errors(void)
{
	read_fails(fixture("empty.txt", "", 0), NULL, GK_EFORMAT, "empty file",
	           NULL);
	read_fails(tmp_path("missing.txt"), NULL, GK_ENOTFOUND,
	           strerror(ENOENT), NULL);
	read_fails(tmpdir, NULL, GK_EIO, NULL, NULL);

	gk_src_limits lim = { 16, 60.0 };
	read_fails(fixture_str("big.txt", "0123456789012345678"), &lim,
	           GK_EFORMAT, "file too large (19 bytes; at most 16 bytes)",
	           NULL);
	lim.max_bytes = 2048;
	char big[3000];
	memset(big, 'a', sizeof big);
	read_fails(fixture("big2.txt", big, sizeof big), &lim, GK_EFORMAT,
	           "(3000 bytes; at most 2 KiB)", NULL);
	lim.max_bytes = 19; /* exactly the size is fine */
	gk_src *src = NULL;
	GK_CHECK(gk_src_read(&src, tmp_path("big.txt"), NULL, &lim, NULL) ==
	         GK_OK);
	gk_src_free(src);

	/* The default limit, as the message states it. */
	gk_src_limits def = GK_SRC_LIMITS_DEFAULT;
	GK_CHECK_INT(def.max_bytes, 64u << 20);
	char msgbuf[64];
	snprintf(msgbuf, sizeof msgbuf, "%d", (int)def.max_seconds);
	GK_CHECK_STR(msgbuf, "60");

	gk_error err;
	GK_CHECK(gk_src_read(NULL, "x", NULL, NULL, &err) == GK_EINVAL);
	GK_CHECK(gk_src_read(&src, NULL, NULL, NULL, &err) == GK_EINVAL);
	GK_CHECK(src == NULL);
}

static void test_detect(void)
{
	/* Content first: a .txt that is a web page, a fragment starting
	 * with a comment, an XHTML document. */
	char *t = read_text(fixture_str("page.txt",
	                                "\n  <!DOCTYPE html><html><body><p>"
	                                "正文</p></body></html>"),
	                    GK_SRC_HTML, "UTF-8");
	CHECK_TEXT(t, "正文\n");
	free(t);
	t = read_text(fixture_str("frag.dat",
	                          "<!-- saved from a CMS -->\n<div "
	                          "class=\"wrap\"><table><tr><td>一</td><td>二"
	                          "</td></tr></table><p>正文</p></div>"),
	              GK_SRC_HTML, NULL);
	CHECK_TEXT(t, "一\t二\n\n正文\n");
	free(t);
	t = read_text(
	    fixture_str("x.xhtml",
	                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	                "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 "
	                "Strict//EN\" \"x\">\n<html "
	                "xmlns=\"http://www.w3.org/1999/xhtml\"><body>"
	                "<p>正文</p></body></html>"),
	    GK_SRC_HTML, NULL);
	CHECK_TEXT(t, "正文\n");
	free(t);
	/* XML that is not a web page is text. */
	t = read_text(fixture_str("d.xml", "<?xml version=\"1.0\"?>\n<doc>"
	                                   "<p>x</p></doc>\n"),
	              GK_SRC_TEXT, NULL);
	free(t);
	/* Text that mentions a tag stays text, whatever the name says. */
	t = read_text(
	    fixture_str("t.html",
	                "本报告说明：网页中的<p>标签不影响本报告的"
	                "内容。全年主动公开政府信息1136条，受理"
	                "政府信息公开申请21件，均在法定期限内答复。\n"),
	    GK_SRC_TEXT, NULL);
	CHECK_HAS(t, "<p>标签");
	free(t);
	GK_CHECK_STR(gk_src_format_name(GK_SRC_TEXT), "text");
	GK_CHECK_STR(gk_src_format_name(GK_SRC_MARKDOWN), "markdown");
	GK_CHECK_STR(gk_src_format_name(GK_SRC_HTML), "html");
	GK_CHECK_STR(gk_src_format_name(GK_SRC_PDF), "pdf");
	GK_CHECK_STR(gk_src_format_name((gk_src_format)42), "unknown");
}

/* ---- HTML ---- */

static char *html_text(const char *body)
{
	gk_buf b = GK_BUF_INIT(1u << 20);
	gk_buf_appendf(&b,
	               "<!DOCTYPE html><html><head><title> 年度\n报告 2023 "
	               "</title><style>p{color:red}</style><script>var "
	               "x='<p>脚本</p>';</script></head><body>%s</body>"
	               "</html>",
	               body);
	char *t =
	    read_text(fixture("t.html", b.data, b.len), GK_SRC_HTML, "UTF-8");
	gk_buf_free(&b);
	return t;
}

static void test_html_blocks(void)
{
	char *t = html_text("<h1>标题</h1><p>第一段<span>内联</span><b>粗体"
	                    "</b><a href=\"#\">链接</a>。</p><p>第二\n  段 "
	                    "text\n more</p><div>块一</div><div>块二<br>"
	                    "换行</div><ul><li>甲</li><li>乙</li></ul>"
	                    "<p>&nbsp;&nbsp;缩进</p><p>\xE3\x80\x80\xE3\x80"
	                    "\x80全角</p><p>a &amp; b &lt;c&gt;</p>"
	                    "<pre>  预\n    格式</pre><p>末</p>");
	CHECK_TEXT(t, "标题\n\n"
	              "第一段内联粗体链接。\n\n"
	              "第二段 text more\n\n"
	              "块一\n"
	              "块二\n换行\n"
	              "甲\n乙\n"
	              "  缩进\n\n"
	              "\xE3\x80\x80\xE3\x80\x80全角\n\n"
	              "a & b <c>\n\n"
	              "  预\n    格式\n\n"
	              "末\n");
	free(t);

	/* Line breaks between CJK characters vanish; spaces stay. */
	t = html_text("<p>政府\n信息 公开\nreport\n2023</p>");
	CHECK_TEXT(t, "政府信息 公开 report 2023\n");
	free(t);

	/* Consecutive <br>s: one empty line at most. */
	t = html_text("<div>一<br><br><br><br>二</div>");
	CHECK_TEXT(t, "一\n\n二\n");
	free(t);

	/* Script, style, forms, iframes and the title stay out of the
	 * text; the title is available on its own. */
	gk_src *src = read_ok(tmp_path("t.html"));
	if (src)
		CHECK_TEXT(gk_src_title(src), "年度报告 2023");
	gk_src_free(src);
	t = html_text("<p>正文</p><form><input value=\"表单\"><select><option>"
	              "选项</option></select><button>按钮</button></form>"
	              "<iframe>框架</iframe><noscript>无脚本</noscript>"
	              "<svg><text>图</text></svg>");
	CHECK_TEXT(t, "正文\n");
	free(t);
}

static void test_html_tables(void)
{
	char *t = html_text(
	    "<p>前文</p><table><tr><th colspan=\"3\">第二十条第（一）项</th>"
	    "</tr><tr><td>信息内容</td><td>本年<br/>制发</td><td><p>现行</p>"
	    "<p>有效</p></td></tr><tr><td rowspan=\"2\">规章</td><td>1</td>"
	    "<td>2</td></tr><tr><td>3</td><td>4</td></tr></table>后文");
	CHECK_TEXT(t, "前文\n\n"
	              "第二十条第（一）项\t\t\n"
	              "信息内容\t本年 制发\t现行 有效\n"
	              "规章\t1\t2\n"
	              "规章\t3\t4\n\n"
	              "后文\n");
	free(t);

	/* The statistics table shape: a rowspan in the first column, a
	 * colspan+rowspan header, rows that end early. */
	t = html_text("<table><tbody>"
	              "<tr><td rowspan=\"3\" colspan=\"2\">项</td><td "
	              "colspan=\"2\">申请人</td></tr>"
	              "<tr><td>自然人</td><td>法人</td></tr>"
	              "<tr><td>甲</td><td>乙</td></tr>"
	              "<tr><td rowspan=\"2\">三、办理</td><td>（一）</td>"
	              "<td>5</td><td>6</td></tr>"
	              "<tr><td>（二）</td><td>7</td></tr>"
	              "</tbody></table>");
	CHECK_TEXT(t, "项\t\t申请人\t\n"
	              "项\t\t自然人\t法人\n"
	              "项\t\t甲\t乙\n"
	              "三、办理\t（一）\t5\t6\n"
	              "三、办理\t（二）\t7\n");
	free(t);

	/* A table that lays out the page is written as blocks. */
	t = html_text("<table><tr><td><p>第一段很长的正文。</p><table><tr>"
	              "<td>甲</td><td>乙</td></tr></table><p>第二段。</p>"
	              "</td></tr></table>");
	CHECK_TEXT(t, "第一段很长的正文。\n\n甲\t乙\n\n第二段。\n");
	free(t);

	/* Absurd spans are bounded. */
	t = html_text("<table><tr><td colspan=\"999999999\" "
	              "rowspan=\"99999999999\">x</td></tr><tr><td>y</td></tr>"
	              "</table>");
	GK_CHECK(t != NULL && count_char(t, '\t') < 2000);
	CHECK_HAS(t, "x\t");
	free(t);
}

/* A report page the way government sites serve them. */
static const char chrome_page[] =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
    "<title>某区2023年政府信息公开工作年度报告_政府信息公开年报_某区人民政府"
    "</title><link rel=\"stylesheet\" href=\"/a.css\"></head><body>"
    "<div class=\"header menu_hov\"><div class=\"logo\">某区人民政府门户网站"
    "</div><div class=\"top_links\"><a href=\"/\">国务院</a><a "
    "href=\"/\">省政府</a></div></div>"
    "<div class=\"nav\"><ul><li><a href=\"/\">首页</a></li><li><a "
    "href=\"/\">政务公开</a></li><li><a href=\"/\">政务服务</a></li><li><a "
    "href=\"/\">互动交流</a></li></ul></div>"
    "<div class=\"search_area\"><form><input placeholder=\"请输入您要搜索的"
    "内容\"><span>热门搜索：</span></form></div>"
    "<div class=\"main\"><div class=\"breadcrumb\"><span>当前位置：</span><a "
    "href=\"/\">首页</a> &gt; <a href=\"/\">政府信息公开年报</a></div>"
    "<div class=\"row\"><div class=\"col-18\"><div class=\"article\">"
    "<h1 class=\"article_title\">某区2023年政府信息公开工作年度报告</h1>"
    "<div class=\"info\"><span>来源：某区人民政府办公室</span> "
    "<span>时间：2024-01-31</span><span class=\"share\">分享到：<a>微信</a>"
    "<a>微博</a></span><span class=\"print\">打印</span></div>"
    "<div class=\"TRS_Editor\">"
    "<p>本报告根据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限"
    "自2023年1月1日起至2023年12月31日止。</p>"
    "<p><strong>一、总体情况</strong></p>"
    "<p>2023年，某区坚持以人民为中心，持续推进政务公开标准化规范化，全年主动"
    "公开政府信息1136条，受理政府信息公开申请21件，均在法定期限内答复。</p>"
    "<p>二、主动公开政府信息情况</p>"
    "<table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td>"
    "<td>0</td></tr></table>"
    "<p>六、其他需要报告的事项</p><p>本年度无收取信息处理费情况。</p>"
    "</div>"
    "<div class=\"article_qrcode\"><p>扫一扫在手机上查看当前页面</p></div>"
    "<div class=\"btns\"><a>【打印本页】</a><a>【关闭窗口】</a></div>"
    "</div></div>"
    "<div class=\"col-6 "
    "sidebar\"><h3>相关文章</h3><ul><li><a>某区2022年政府信息"
    "公开工作年度报告</a></li><li><a>某区2021年政府信息公开工作年度报告</a>"
    "</li></ul></div></div></div>"
    "<div class=\"related\"><h4>相关链接</h4><ul><li><a>关于某区政务公开工作"
    "的通知</a></li></ul></div>"
    "<div class=\"footer\"><p>主办单位：某区人民政府办公室 版权所有</p><p>"
    "网站标识码：1234567890 闽ICP备00000000号</p><p><a>关于我们</a> <a>联系"
    "我们</a> <a>网站地图</a></p></div>"
    "<script>document.write('统计代码');</script></body></html>";

static void test_html_chrome(void)
{
	gk_src *src = read_ok(fixture_str("chrome.html", chrome_page));
	const char *t = src ? gk_src_text(src, NULL) : NULL;
	if (src)
		CHECK_TEXT(gk_src_title(src),
		           "某区2023年政府信息公开工作年度报告_政府信息公开"
		           "年报_某区人民政府");
	CHECK_HAS(t, "某区2023年政府信息公开工作年度报告\n");
	CHECK_HAS(t, "来源：某区人民政府办公室 时间：2024-01-31");
	CHECK_HAS(t, "\n一、总体情况\n");
	CHECK_HAS(t, "全年主动公开政府信息1136条");
	CHECK_HAS(t, "\n\n信息内容\t本年制发件数\n规章\t0\n\n");
	CHECK_HAS(t, "本年度无收取信息处理费情况。\n");
	static const char *const chrome[] = {
		"门户网站", "国务院",   "首页",     "政务服务", "热门搜索",
		"当前位置", "微信",     "打印",     "扫一扫",   "关闭",
		"相关文章", "2022年",   "相关链接", "主办单位", "版权所有",
		"ICP",      "关于我们", "网站地图", "统计代码", "请输入",
	};
	for (size_t i = 0; i < sizeof chrome / sizeof *chrome; i++)
		CHECK_LACKS(t, chrome[i]);
	gk_src_free(src);

	/* An ASP.NET page holds everything in one <form>: that is no reason
	 * to drop it. */
	char *t2 = html_text("<form id=\"form1\"><div class=\"content\"><p>"
	                     "正文第一段，内容较长。</p><p>正文第二段。</p>"
	                     "</div></form>");
	CHECK_TEXT(t2, "正文第一段，内容较长。\n\n正文第二段。\n");
	free(t2);

	/* Hidden elements are chrome too. */
	t2 = html_text("<div><p>正文第一段，内容较长，比隐藏的多。</p><div "
	               "style=\"display: none\">隐藏</div><p hidden>藏</p>"
	               "</div>");
	CHECK_TEXT(t2, "正文第一段，内容较长，比隐藏的多。\n");
	free(t2);

	/* A short page is its paragraphs, not its longest one. */
	t2 = html_text("<div class=\"wrap\"><table><tr><td>发文机关：</td><td>"
	               "国务院</td></tr></table><div id=\"UCAP-CONTENT\"><p>"
	               "国务院关于某事的批复</p><p>某省人民政府：</p><p>你省"
	               "关于某事的请示收悉。现批复如下：同意你省的意见，请认真"
	               "组织实施，切实做好各项工作，确保取得实效。</p><p>国务院"
	               "</p><p>2018年12月24日</p></div></div>");
	CHECK_HAS(t2, "发文机关：\t国务院\n");
	CHECK_HAS(t2, "国务院关于某事的批复\n");
	CHECK_HAS(t2, "\n2018年12月24日\n");
	free(t2);
}

static void test_html_charsets(void)
{
	/* Declared and true: GBK page saying gb2312. */
	char *t = read_text(fixture_str("gbk.html",
	                                "<html><head><meta "
	                                "http-equiv=\"Content-Type\" "
	                                "content=\"text/html; charset=gb2312\">"
	                                "<title>" GBK_REPORT "</title></head>"
	                                "<body><p>" GBK_REPORT "</p></body>"
	                                "</html>"),
	                    GK_SRC_HTML, "GB18030");
	CHECK_TEXT(t, "政府信息公开工作年度报告\n");
	free(t);
	gk_src *src = read_ok(tmp_path("gbk.html"));
	if (src)
		CHECK_TEXT(gk_src_title(src), "政府信息公开工作年度报告");
	gk_src_free(src);

	/* Declared gb2312, but the bytes are UTF-8. */
	t = read_text(fixture_str("lie.html",
	                          "<html><head><meta charset=\"gb2312\"></head>"
	                          "<body><p>政府信息公开工作年度报告</p></body>"
	                          "</html>"),
	              GK_SRC_HTML, "UTF-8");
	CHECK_TEXT(t, "政府信息公开工作年度报告\n");
	free(t);

	/* Declared UTF-8, but the bytes are GBK. */
	t = read_text(fixture_str("lie2.html",
	                          "<html><head><meta charset='utf-8'></head>"
	                          "<body><p>" GBK_REPORT "</p></body></html>"),
	              GK_SRC_HTML, "GB18030");
	CHECK_TEXT(t, "政府信息公开工作年度报告\n");
	free(t);

	/* A declaration ICU does not know is ignored. */
	t = read_text(fixture_str("odd.html",
	                          "<html><head><meta charset=\"x-nonsense\">"
	                          "</head><body><p>" GBK_REPORT "</p></body>"
	                          "</html>"),
	              GK_SRC_HTML, "GB18030");
	CHECK_TEXT(t, "政府信息公开工作年度报告\n");
	free(t);
}

/* ---- PDF ---- */

/* A minimal PDF whose pages show the given lines of text (NULL for a page
 * with a drawing and no text). With cjk, the text goes through a Type0
 * font whose ToUnicode map makes each UTF-16 code unit its own glyph. */
static void make_pdf(gk_buf *b, const char *const *pages, int npages, bool cjk)
{
	size_t off[64];
	int nobj = 0;
	gk_buf_reset(b);
	gk_buf_appendf(b, "%%PDF-1.4\n%%\xE2\xE3\xCF\xD3\n");
	off[++nobj] = b->len; /* 1: catalog */
	gk_buf_appendf(b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n"
	                  "endobj\n");
	off[++nobj] = b->len; /* 2: pages */
	gk_buf_appendf(b, "2 0 obj\n<< /Type /Pages /Count %d /Kids [", npages);
	for (int i = 0; i < npages; i++)
		gk_buf_appendf(b, " %d 0 R", 6 + 2 * i);
	gk_buf_appendf(b, " ] >>\nendobj\n");
	off[++nobj] = b->len; /* 3: font */
	if (cjk)
		gk_buf_appendf(b,
		               "3 0 obj\n<< /Type /Font /Subtype /Type0 "
		               "/BaseFont /NoSuchCJKFont /Encoding /Identity-H "
		               "/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>\n"
		               "endobj\n");
	else
		gk_buf_appendf(b, "3 0 obj\n<< /Type /Font /Subtype /Type1 "
		                  "/BaseFont /Helvetica >>\nendobj\n");
	off[++nobj] = b->len; /* 4: CID font */
	gk_buf_appendf(b,
	               "4 0 obj\n<< /Type /Font /Subtype /CIDFontType2 "
	               "/BaseFont /NoSuchCJKFont /CIDSystemInfo << /Registry "
	               "(Adobe) /Ordering (Identity) /Supplement 0 >> /DW "
	               "1000 >>\nendobj\n");
	/* 5: ToUnicode for every code unit the pages use. */
	gk_buf cmap = GK_BUF_INIT(1u << 20);
	gk_buf_appendf(
	    &cmap, "/CIDInit /ProcSet findresource begin\n12 dict begin\n"
	           "begincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering "
	           "(UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS "
	           "def\n/CMapType 2 def\n1 begincodespacerange\n<0000> "
	           "<FFFF>\nendcodespacerange\n");
	uint16_t seen[512];
	size_t nseen = 0;
	for (int i = 0; cjk && i < npages; i++) {
		const char *p = pages[i];
		size_t n = p ? strlen(p) : 0, j = 0;
		while (j < n) {
			uint32_t cp;
			size_t k = gk_utf8_decode(p + j, n - j, &cp);
			j += k ? k : 1;
			if (cp == '\n' || cp > 0xFFFF)
				continue;
			bool dup = false;
			for (size_t s = 0; s < nseen; s++)
				dup = dup || seen[s] == cp;
			if (!dup && nseen < 512)
				seen[nseen++] = (uint16_t)cp;
		}
	}
	for (size_t s = 0; s < nseen; s += 100) {
		size_t e = s + 100 < nseen ? s + 100 : nseen;
		gk_buf_appendf(&cmap, "%zu beginbfchar\n", e - s);
		for (size_t j = s; j < e; j++)
			gk_buf_appendf(&cmap, "<%04X> <%04X>\n", seen[j],
			               seen[j]);
		gk_buf_appendf(&cmap, "endbfchar\n");
	}
	gk_buf_appendf(&cmap, "endcmap\nCMapName currentdict /CMap "
	                      "defineresource pop\nend\nend\n");
	off[++nobj] = b->len;
	gk_buf_appendf(b, "5 0 obj\n<< /Length %zu >>\nstream\n", cmap.len);
	gk_buf_append(b, cmap.data, cmap.len);
	gk_buf_appendf(b, "\nendstream\nendobj\n");
	gk_buf_free(&cmap);

	for (int i = 0; i < npages; i++) {
		gk_buf c = GK_BUF_INIT(1u << 20);
		const char *p = pages[i];
		if (!p) {
			gk_buf_appendf(&c, "0.5 w 72 72 m 500 700 l S 100 100 "
			                   "300 300 re f\n");
		} else {
			gk_buf_appendf(&c, "BT /F1 12 Tf 14 TL 72 770 Td\n");
			size_t n = strlen(p), j = 0;
			while (j <= n) {
				const char *nl = memchr(p + j, '\n', n - j);
				size_t e = nl ? (size_t)(nl - p) : n;
				if (cjk) {
					gk_buf_appendc(&c, '<');
					size_t q = j;
					while (q < e) {
						uint32_t cp;
						size_t k = gk_utf8_decode(
						    p + q, e - q, &cp);
						q += k ? k : 1;
						gk_buf_appendf(&c, "%04X",
						               cp & 0xFFFF);
					}
					gk_buf_appendf(&c, "> Tj T*\n");
				} else {
					gk_buf_appendc(&c, '(');
					gk_buf_append(&c, p + j, e - j);
					gk_buf_appendf(&c, ") Tj T*\n");
				}
				j = e + 1;
			}
			gk_buf_appendf(&c, "ET\n");
		}
		off[++nobj] = b->len;
		gk_buf_appendf(
		    b,
		    "%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox "
		    "[0 0 595 842] /Resources << /Font << /F1 3 0 R >> "
		    ">> /Contents %d 0 R >>\nendobj\n",
		    nobj, nobj + 1);
		off[++nobj] = b->len;
		gk_buf_appendf(b, "%d 0 obj\n<< /Length %zu >>\nstream\n", nobj,
		               c.len);
		gk_buf_append(b, c.data, c.len);
		gk_buf_appendf(b, "\nendstream\nendobj\n");
		gk_buf_free(&c);
	}
	size_t xref = b->len;
	gk_buf_appendf(b, "xref\n0 %d\n0000000000 65535 f \n", nobj + 1);
	for (int i = 1; i <= nobj; i++)
		gk_buf_appendf(b, "%010zu 00000 n \n", off[i]);
	gk_buf_appendf(b,
	               "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%zu\n"
	               "%%%%EOF\n",
	               nobj + 1, xref);
}

static const char *pdf_fixture(const char *name, const char *const *pages,
                               int npages, bool cjk)
{
	gk_buf b = GK_BUF_INIT(1u << 22);
	make_pdf(&b, pages, npages, cjk);
	const char *path = fixture(name, b.data, b.len);
	gk_buf_free(&b);
	return path;
}

static void test_pdf(void)
{
	static const char *const pages[] = {
		"Annual report on government information disclosure\n"
		"Page one, second line",
		"Page two text, long enough to count",
		"Page three text, long enough to count",
	};
	gk_src *src = read_ok(pdf_fixture("three.pdf", pages, 3, false));
	if (src) {
		const char *t = gk_src_text(src, NULL);
		GK_CHECK_STR(gk_src_format_name(gk_src_format_of(src)), "pdf");
		GK_CHECK_STR(gk_src_charset(src), "PDF");
		GK_CHECK_INT(gk_src_pages(src), 3);
		GK_CHECK_INT(count_char(t, '\f'), 2);
		CHECK_HAS(t, "Annual report on government information "
		             "disclosure\nPage one, second line\n\f\nPage two");
		CHECK_HAS(t, "count\n\f\nPage three");
		GK_CHECK(t[strlen(t) - 1] == '\n');
		GK_CHECK(gk_src_title(src) == NULL);
	}
	gk_src_free(src);

	static const char *const zh[] = {
		"洪泽区人民政府\n2023年政府信息公开工作年度报告",
		"一、总体情况\n全年主动公开政府信息1136条。",
	};
	src = read_ok(pdf_fixture("zh.pdf", zh, 2, true));
	if (src) {
		const char *t = gk_src_text(src, NULL);
		GK_CHECK_INT(gk_src_pages(src), 2);
		CHECK_HAS(t,
		          "洪泽区人民政府\n2023年政府信息公开工作年度报告\n\f\n"
		          "一、总体情况\n全年主动公开政府信息1136条。\n");
	}
	gk_src_free(src);

	/* Junk before the header is accepted in a .pdf. */
	gk_buf b = GK_BUF_INIT(1u << 22);
	gk_buf_appendf(&b, "HTTP junk\r\n\r\n");
	gk_buf tail = GK_BUF_INIT(1u << 22);
	make_pdf(&tail, pages, 3, false);
	gk_buf_append(&b, tail.data, tail.len);
	src = read_ok(fixture("junk.pdf", b.data, b.len));
	if (src)
		GK_CHECK_INT(gk_src_pages(src), 3);
	gk_src_free(src);
	gk_buf_free(&b);
	gk_buf_free(&tail);
}

static const char *data_path(const char *name)
{
	static char path[PATH_MAX];
	const char *dir = __FILE__;
	const char *slash = strrchr(dir, '/');
	int n = slash ? (int)(slash - dir) : 1;
	snprintf(path, sizeof path, "%.*s/data/%s", n, slash ? dir : ".", name);
	return path;
}

static void test_pdf_errors(void)
{
	static const char *const blank[] = { NULL, NULL };
	read_fails(pdf_fixture("scan.pdf", blank, 2, false), NULL, GK_EFORMAT,
	           "no text layer — needs OCR", NULL);

	read_fails(fixture_str("garbage.pdf", "%PDF-1.4\nnothing here\n"), NULL,
	           GK_EFORMAT, "damaged PDF (", NULL);

	/* Cut short: no xref, no trailer, objects cut off. */
	static const char *const pages[] = { "Some text on the only page",
		                             "and a second page" };
	gk_buf b = GK_BUF_INIT(1u << 22);
	make_pdf(&b, pages, 2, false);
	read_fails(fixture("cut.pdf", b.data, 200), NULL, GK_EFORMAT,
	           "damaged PDF (", NULL);
	gk_buf_free(&b);

	read_fails(data_path("encrypted.pdf"), NULL, GK_EFORMAT,
	           "encrypted PDF: needs a password", NULL);

	/* The time budget, checked between pages. */
	static const char *const many[] = { "page one of three", "page two",
		                            "page three" };
	gk_src_limits lim = { 64u << 20, 1e-9 };
	read_fails(pdf_fixture("slow.pdf", many, 3, false), &lim, GK_EFORMAT,
	           "took longer than 1e-09 s to read (limit)", NULL);
	read_fails(fixture_str("slow.html", chrome_page), &lim, GK_EFORMAT,
	           "took longer than", NULL);
}

/* ---- Nothing crashes or hangs ---- */

static void read_any(const char *path)
{
	gk_src *src = NULL;
	gk_error err;
	gk_error_clear(&err);
	gk_status st = gk_src_read(&src, path, "f", NULL, &err);
	if (st == GK_OK) {
		size_t len;
		const char *t = gk_src_text(src, &len);
		GK_CHECK(gk_utf8_valid(t, len, NULL));
		GK_CHECK(memchr(t, '\0', len) == NULL);
	} else {
		GK_CHECK(src == NULL);
		GK_CHECK_MSG(strncmp(err.msg, "f: ", 3) == 0, "%s", err.msg);
	}
	gk_src_free(src);
}

static void test_hostile(void)
{
	gk_buf b = GK_BUF_INIT(16u << 20);
	/* Deep nesting. */
	gk_buf_appendf(&b, "<html><body>");
	for (int i = 0; i < 20000; i++)
		gk_buf_appendf(&b, "<div><table><tr><td><span>");
	gk_buf_appendf(&b, "正文");
	read_any(fixture("deep.html", b.data, b.len));

	/* Unclosed tags pile up: text 1000 levels down is still text. */
	gk_buf_reset(&b);
	gk_buf_appendf(&b, "<html><body>");
	for (int i = 0; i < 1000; i++)
		gk_buf_appendf(&b, "<div><font>");
	gk_buf_appendf(&b, "深处的正文");
	char *t = read_text(fixture("deep2.html", b.data, b.len), GK_SRC_HTML,
	                    "UTF-8");
	CHECK_TEXT(t, "深处的正文\n");
	free(t);

	/* Rowspans over many rows: output grows but stays bounded. */
	gk_buf_reset(&b);
	gk_buf_appendf(&b, "<html><body><table><tr>");
	for (int i = 0; i < 50; i++)
		gk_buf_appendf(&b,
		               "<td rowspan=\"60000\">长长的单元格文字</td>");
	gk_buf_appendf(&b, "</tr>");
	for (int i = 0; i < 20000; i++)
		gk_buf_appendf(&b, "<tr>");
	read_any(fixture("rows.html", b.data, b.len));

	/* Unclosed, misnested, invalid references. */
	read_any(fixture_str("bad.html",
	                     "<html><body><p>a<table><td>b<p>c</table></b>"
	                     "&#xD800;&#0;&#x110000;&bogus;<tr>d</tr><td>"
	                     "<!-- unterminated"));
	/* Random bytes, with and without a PDF or HTML header. */
	unsigned long seed = 12345;
	for (int round = 0; round < 60; round++) {
		gk_buf_reset(&b);
		if (round % 3 == 1)
			gk_buf_appendf(&b, "%%PDF-1.7\n");
		else if (round % 3 == 2)
			gk_buf_appendf(&b, "<html><body><p>");
		for (int i = 0; i < 2000; i++) {
			seed = seed * 6364136223846793005ul +
			       1442695040888963407ul;
			char c = (char)(seed >> 56);
			if (round % 3 == 2 && c == 0)
				c = '<';
			gk_buf_appendc(&b, c);
		}
		read_any(fixture("rand.bin", b.data, b.len));
	}
	/* A real PDF cut at many places. */
	static const char *const pages[] = { "First page of text here",
		                             "Second page of text here" };
	gk_buf pdf = GK_BUF_INIT(1u << 22);
	make_pdf(&pdf, pages, 2, false);
	for (size_t cut = 10; cut < pdf.len; cut += 97)
		read_any(fixture("cut.pdf", pdf.data, cut));
	gk_buf_free(&pdf);
	gk_buf_free(&b);
}

/* ---- The published pages of real reports ---- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	gk_buf b = GK_BUF_INIT(64u << 20);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		gk_buf_append(&b, chunk, n);
	fclose(f);
	return gk_buf_steal(&b);
}

/* s without any white space (ASCII, NBSP or U+3000). */
static char *squeeze(const char *s)
{
	size_t n = strlen(s), o = 0;
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\f')
			continue;
		if (c == 0xC2 && (unsigned char)s[i + 1] == 0xA0) {
			i++;
			continue;
		}
		if (c == 0xE3 && (unsigned char)s[i + 1] == 0x80 &&
		    (unsigned char)s[i + 2] == 0x80) {
			i += 2;
			continue;
		}
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

/* Share (percent) of the report's sentences that appear in text, white
 * space aside. The crawler's copy flattens tables into runs of digits,
 * so sentences holding table contents are left out of the count. */
static int sentence_coverage(const char *report, const char *text)
{
	const char *body = strstr(report, "==== 正文 ====");
	body = body ? strchr(body, '\n') : report;
	char *flat = squeeze(text);
	size_t found = 0, total = 0;
	const char *p = body;
	while (p && *p) {
		const char *end = strstr(p, "。");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *s = malloc(n + 1);
		memcpy(s, p, n);
		s[n] = '\0';
		char *q = squeeze(s);
		if (strlen(q) >= 30 && !strstr(q, "第二十条") &&
		    !strstr(q, "当前位置") && !strstr(q, "总计")) {
			total++;
			found += strstr(flat, q) != NULL;
		}
		free(q);
		free(s);
		p = end ? end + strlen("。") : NULL;
	}
	free(flat);
	return total ? (int)(found * 100 / total) : 100;
}

static void test_corpus_originals(void)
{
	const char *root = getenv("GK_CORPUS");
	if (!root)
		root = "/work/shared/corpus";
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/originals", root);
	struct stat st;
	if (stat(dir, &st) != 0) {
		fprintf(stderr,
		        "test_corpus_originals: %s not found, skipped\n", dir);
		return;
	}
	static const struct {
		const char *base;
		const char *key[3];
	} pages[] = {
		{ "福建_平潭县人民政府_2012_政府信息公开工作年度报告",
		  { "本报告所列数据的统计期限自2012年1月1日起至2012年12月31日",
		    "2012年刊出政务公开栏12期", "行政复议数\t条\t0\t0" } },
		{ "福建_平潭综合实验区_2019_政府信息公开工作年度报告",
		  { "本报告所列数据的统计期限自2019年1月1日起至2019年12月31日"
		    "止",
		    "区办公室设立“行政执法公示”专栏，对行政执法事前公开、事后公"
		    "开"
		    "进行全流程公示，全年公布631条",
		    "六、其他需要报告的事项" } },
		{ "福建_平潭综合实验区_2020_政府信息公开工作年度报告",
		  { "本报告所列数据的统计期限自2020年1月1日起至2020年12月31日"
		    "止",
		    "三、本年度办理结果\t（四）无法提供\t1."
		    "本机关不掌握相关政府信"
		    "息\t4\t0\t0\t0\t0\t0\t4",
		    "对于问题比较突出的部门，主动帮助整改落实" } },
		{ "福建_平潭综合实验区_2021_政府信息公开工作年度报告",
		  { "本报告所列数据的统计期限自2021年1月1日起至2021年12月31日"
		    "止",
		    "不断改造升级OA系统与门户网站",
		    "2021年，无收取信息处理费情况" } },
		{ "福建_平潭综合实验区_2023_政府信息公开工作年度报告",
		  { "2023年全区接收通过邮寄、网络提交的各类政府信息公开申请共计"
		    "81件，涉及自然人80件、商业企业1件",
		    "平潭综合实验区2023年度政府信息公开工作年度报告\n来源：",
		    "行政许可\t2629" } },
	};
	static const char *const chrome[] = {
		"ICP备",    "主办单位", "关于我们", "友情链接", "当前位置",
		"扫一扫",   "无障碍",   "热门搜索", "版权所有", "网站标识码",
		"联系我们", "长者模式", "便民惠企", "文件下载", "分享到",
	};
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		char path[PATH_MAX], rpath[PATH_MAX];
		int n1 = snprintf(path, sizeof path, "%s/%s.html", dir,
		                  pages[i].base);
		int n2 = snprintf(rpath, sizeof rpath, "%s/reports/%s.txt",
		                  root, pages[i].base);
		if (n1 < 0 || n1 >= PATH_MAX || n2 < 0 || n2 >= PATH_MAX)
			continue;
		gk_src *src = read_ok(path);
		if (!src)
			continue;
		const char *t = gk_src_text(src, NULL);
		GK_CHECK_STR(gk_src_charset(src), "UTF-8");
		GK_CHECK(contains(gk_src_title(src), "政府信息公开"));
		for (int k = 0; k < 3; k++)
			GK_CHECK_MSG(contains(t, pages[i].key[k]),
			             "%s: missing '%s'", pages[i].base,
			             pages[i].key[k]);
		for (size_t k = 0; k < sizeof chrome / sizeof *chrome; k++)
			GK_CHECK_MSG(!contains(t, chrome[k]), "%s: '%s'",
			             pages[i].base, chrome[k]);
		char *report = slurp(rpath);
		if (report) {
			int cov = sentence_coverage(report, t);
			GK_CHECK_MSG(cov >= 95, "%s: %d%% of the sentences",
			             pages[i].base, cov);
		}
		free(report);
		gk_src_free(src);
	}
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "%s/gk_src_XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	GK_RUN(test_text_utf8);
	GK_RUN(test_markdown);
	GK_RUN(test_utf16);
	GK_RUN(test_gb18030);
	GK_RUN(test_unknown_encoding);
	GK_RUN(test_binary);
	GK_RUN(test_file_errors);
	GK_RUN(test_detect);
	GK_RUN(test_html_blocks);
	GK_RUN(test_html_tables);
	GK_RUN(test_html_chrome);
	GK_RUN(test_html_charsets);
	GK_RUN(test_pdf);
	GK_RUN(test_pdf_errors);
	GK_RUN(test_hostile);
	GK_RUN(test_corpus_originals);

	DIR *d = opendir(tmpdir);
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			unlink(tmp_path(de->d_name));
	if (d)
		closedir(d);
	if (rmdir(tmpdir) != 0)
		fprintf(stderr, "note: %s left behind: %s\n", tmpdir,
		        strerror(errno));
	return GK_TEST_RESULT();
}
