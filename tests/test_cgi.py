#!/usr/bin/env python3
"""End to end: gongkai.cgi run directly as a CGI program.

Usage: python3 test_cgi.py GONGKAI GONGKAI_CGI CORPUS_DIR

Indexes CORPUS_DIR into a temporary database with GONGKAI, then runs the
CGI program with crafted environments (REQUEST_METHOD, QUERY_STRING,
GONGKAI_DB) and reads its response: the Status line, the headers and the
body. One test per rule of the page's security contract: escaping, headers,
limits, encoding, unknown parameters, methods, report ids, database errors,
files outside the index, JSON output, query errors.

The program is run from a copy in the temporary directory, so that no
gongkai.cgi.conf beside the built program can change what it sees.
Standard library only. Exit status 0 when every test passes, 1 otherwise.
"""

import concurrent.futures
import html
import html.parser
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import unicodedata
import urllib.error
import urllib.request
from urllib.parse import quote

GONGKAI = CGI = CORPUS = None
TMP = DB = None  # temporary directory, the test database

WEIXIN = "微信"


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def check_none(problems, what):
    """Fails with every problem listed (at most 20 shown)."""
    if problems:
        shown = "\n    ".join(problems[:20])
        more = len(problems) - 20
        tail = f"\n    … and {more} more" if more > 0 else ""
        raise Fail(f"{what} ({len(problems)}):\n    {shown}{tail}")


# ---- running the program ---------------------------------------------------

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                   "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer")


class Response:
    def __init__(self, qs, method, out, err, rc):
        self.qs, self.method, self.rc = qs, method, rc
        self.stderr = err.decode("utf-8", "replace")
        head, sep, body = out.partition(b"\r\n\r\n")
        if not sep:
            raise Fail(f"{self.where()}: no blank line after the headers; "
                       f"output starts {out[:200]!r}")
        self.body = body
        self.headers = {}
        for line in head.decode("latin-1").split("\r\n"):
            name, colon, value = line.partition(":")
            if not colon:
                raise Fail(f"{self.where()}: bad header line {line!r}")
            self.headers.setdefault(name.strip().lower(), []).append(
                value.strip())
        status = self.header("status")
        m = re.fullmatch(r"(\d{3}) .+", status or "")
        if not m:
            raise Fail(f"{self.where()}: bad or missing Status header "
                       f"{status!r}")
        self.status = int(m.group(1))

    def where(self):
        return f"{self.method} ?{self.qs[:160]}"

    def header(self, name):
        v = self.headers.get(name.lower())
        return v[0] if v else None

    @property
    def text(self):
        return self.body.decode("utf-8")

    @property
    def ctype(self):
        return (self.header("content-type") or "").split(";")[0].strip()

    def json(self):
        check(self.ctype == "application/json",
              f"{self.where()}: Content-Type {self.header('content-type')!r},"
              f" expected application/json")
        try:
            return json.loads(self.text)
        except ValueError as e:
            raise Fail(f"{self.where()}: body is not valid JSON ({e}): "
                       f"{self.text[:300]!r}")


def qs_of(*pairs):
    """A query string from (name, value) pairs, every byte percent-encoded
    except the unreserved ones."""
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}"
                    for k, v in pairs)


def cgi(qs="", method="GET", db=True, cwd=None):
    """Runs the program once. db: True for the test database, None to leave
    GONGKAI_DB unset, or a path. Fails on a crash or a sanitizer report."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "GATEWAY_INTERFACE": "CGI/1.1",
           "SERVER_PROTOCOL": "HTTP/1.1",
           "SCRIPT_NAME": "/gongkai.cgi",
           "QUERY_STRING": qs}
    if method is not None:
        env["REQUEST_METHOD"] = method
    if db is True:
        env["GONGKAI_DB"] = DB
    elif db is not None:
        env["GONGKAI_DB"] = db
    for k, v in os.environ.items():
        if k.endswith("SAN_OPTIONS"):
            env[k] = v
    p = subprocess.run([CGI], env=env, cwd=cwd or TMP,
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=120)
    where = f"{method} ?{qs[:160]}"
    if any(m in p.stderr.decode("utf-8", "replace")
           for m in SANITIZER_MARKS):
        raise Fail(f"{where}: sanitizer report:\n"
                   f"{p.stderr.decode('utf-8', 'replace')[-3000:]}")
    check(p.returncode == 0, f"{where}: exit status {p.returncode}; "
          f"stderr: {p.stderr.decode('utf-8', 'replace')[-1000:]}")
    r = Response(qs, method, p.stdout, p.stderr, p.returncode)
    if method != "HEAD":
        cl = r.header("content-length")
        check(cl == str(len(r.body)),
              f"{where}: Content-Length {cl!r} but the body has "
              f"{len(r.body)} bytes")
    return r


def expect_status(r, status):
    check(r.status == status,
          f"{r.where()}: status {r.status}, expected {status}; body: "
          f"{r.body[:300].decode('utf-8', 'replace')!r}")


def gongkai(*args):
    env = dict(os.environ)
    env.pop("GONGKAI_DB", None)
    return subprocess.run([GONGKAI, *args], env=env, capture_output=True,
                          text=True, timeout=300)


def search_json(qs_pairs):
    r = cgi(qs_of(*qs_pairs, ("format", "json")))
    expect_status(r, 200)
    return r.json()


# ---- reading HTML ------------------------------------------------------------

class Page(html.parser.HTMLParser):
    """The elements, attributes and text of a page."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, [(name, value)])
        self.scripts = []  # (attrs, inline text)
        self.text = []
        self.stack = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag == "script":
            self.scripts.append([dict(attrs), ""])
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "script" and self.scripts:
            self.scripts[-1][1] += data
        self.text.append(data)

    def all_text(self):
        """Text and attribute values: what a reader or a script could see."""
        vals = [v or "" for _, attrs in self.tags for _, v in attrs]
        return "\n".join(self.text + vals)

    def find(self, tag, **attrs):
        for t, a in self.tags:
            d = dict(a)
            if t == tag and all(d.get(k) == v for k, v in attrs.items()):
                yield d


# Elements no page of the program has, which injected markup would bring.
FOREIGN_TAGS = {"img", "iframe", "svg", "math", "object", "embed", "frame",
                "frameset", "base", "video", "audio", "source", "style",
                "xss"}
# Raw fragments of the payloads that only unescaped output can produce.
RAW_MARKS = ["<script>alert", "</script>\"", "<img", "</title><img", "<svg",
             "\"><script", "\"><img", "'onmouseover", "\" onmouseover"]
URL_ATTRS = {"href", "src", "action", "formaction"}
# A link the program makes: ?name=value&… with every value percent-encoded,
# optionally to an anchor; or an anchor alone.
SAFE_LINK = re.compile(r"(\?[A-Za-z0-9._~%=&-]*)?(#p\d+|#stats)?")


def html_problems(r, payloads=()):
    """Everything in an HTML response that shows output escaped for the
    wrong context (or not at all)."""
    where = r.where()
    out = []
    try:
        text = r.text
    except UnicodeDecodeError as e:
        return [f"{where}: body is not UTF-8 ({e})"]
    for p in payloads:
        if any(c in p for c in "<>\"'") and p in text:
            out.append(f"{where}: the payload {p!r} appears unescaped")
    for m in RAW_MARKS:
        if m in text:
            i = text.index(m)
            out.append(f"{where}: raw {m!r} in the body: "
                       f"…{text[max(0, i - 80):i + 80]!r}…")
    page = Page(text)
    for tag, attrs in page.tags:
        if tag in FOREIGN_TAGS:
            out.append(f"{where}: injected element <{tag} {attrs}>")
        for name, value in attrs:
            value = value or ""
            if not re.fullmatch(r"[a-z][a-z0-9-]*", name) or name == "x":
                out.append(f"{where}: stray attribute {name!r} on <{tag}> "
                           "(an attribute value was broken out of)")
            if name.startswith("on"):
                out.append(f"{where}: event handler {name}={value!r} on "
                           f"<{tag}>")
            if name == "id" and value == "xss":
                out.append(f"{where}: injected element <{tag} id=xss>")
            if name in URL_ATTRS:
                v = value.strip().lower()
                if v.startswith(("javascript:", "data:", "vbscript:")):
                    out.append(f"{where}: {name}={value!r} on <{tag}>")
                elif not (SAFE_LINK.fullmatch(value) or
                          re.fullmatch(r"https?://[^\s\"'<>]+", value)):
                    out.append(f"{where}: {name}={value!r} on <{tag}> is "
                               "not a percent-encoded ?query link")
    for attrs, inline in page.scripts:
        if attrs.get("src") != "?asset=app.js" or inline.strip():
            out.append(f"{where}: script other than ?asset=app.js: "
                       f"{attrs} {inline[:100]!r}")
    return out


def json_problems(r, payload=None, param=None):
    where = r.where()
    try:
        data = r.json()
    except Fail as e:
        return [str(e)]
    out = []
    for m in ("<script", "<img", "<svg", "</title>"):
        if m in r.text:
            out.append(f"{where}: raw {m!r} in the JSON text")
    if not isinstance(data, dict):
        return out + [f"{where}: JSON is not an object"]
    if r.status != 200:
        if not isinstance(data.get("error"), str) or \
                data.get("status") != r.status:
            out.append(f"{where}: an error's JSON should be "
                       f"{{\"error\": message, \"status\": {r.status}}}, "
                       f"got {r.text[:200]!r}")
    elif param == "q" and "report=" not in r.qs and \
            data.get("query") != payload:
        out.append(f"{where}: \"query\" is {data.get('query')!r}, expected "
                   f"the query sent, {payload!r}")
    # Every string must survive a round trip through a JSON encoder.
    if json.loads(json.dumps(data, ensure_ascii=False)) != data:
        out.append(f"{where}: JSON strings do not round-trip")
    return out


def csp_of(r):
    csp = r.header("content-security-policy")
    check(csp, f"{r.where()} (status {r.status}): no Content-Security-Policy")
    d = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            d[words[0].lower()] = [w.lower() for w in words[1:]]
    return d


# ---- tests -------------------------------------------------------------------

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


PAYLOADS = [
    '"><script>alert(1)</script>',
    "'onmouseover=alert(1) x='",
    "javascript:alert(1)",
    "</title><img src=x onerror=alert(1)>",
    '"><img id=xss src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
]
# Queries that parse and find hits, so that result cards, links and the
# title carry the payload too.
Q_PAYLOADS = [
    WEIXIN + ' OR "</title><script>alert(1)</script>"',
    WEIXIN + " OR \"'onmouseover=alert(1) x='\"",
    WEIXIN + ' OR "javascript:alert(1)"',
    WEIXIN + ' -"<img id=xss src=x onerror=alert(1)>"',
]
# Parameters whose values reach the page as they are (the others are
# numbers, ids or names from a fixed list, refused otherwise).
ECHOED = {"q", "agency", "region", "section", "(name)"}
PARAMS = ["q", "agency", "region", "section", "type", "from", "to", "year",
          "offset", "limit", "format", "report", "p", "asset",
          "callback", "utm_source", "q[]"]


def real_hit():
    """The first hit for 微信: its report id, passage and title."""
    data = search_json([("q", WEIXIN)])
    check(data.get("hits"), "no hits for 微信 in the test database")
    h = data["hits"][0]
    check(re.fullmatch(r"[0-9a-f]+", h.get("report_id") or ""),
          f"hit has no report_id: {h}")
    return h


def xss_requests(hit):
    """(params, payload, param name) for every request of the sweep."""
    reqs = []
    for name in PARAMS:
        for p in PAYLOADS:
            base = [] if name == "q" else [("q", WEIXIN)]
            reqs.append((base + [(name, p)], p, name))
    for p in PAYLOADS:
        reqs.append(([("q", WEIXIN), (p, "1")], p, "(name)"))
        reqs.append(([("report", hit["report_id"]), ("q", p)], p, "q"))
        reqs.append(([("report", hit["report_id"]), ("p", p)], p, "p"))
    for p in Q_PAYLOADS:
        reqs.append(([("q", p)], p, "q"))
        reqs.append(([("q", p), ("agency", PAYLOADS[0])], p, "q"))
        reqs.append(([("report", hit["report_id"]),
                      ("p", str(hit["passage"])), ("q", p)], p, "q"))
    return reqs


def pool_map(fn, items):
    workers = max(2, os.cpu_count() or 2)
    with concurrent.futures.ThreadPoolExecutor(workers) as ex:
        return list(ex.map(fn, items))


@test
def every_output_is_escaped_for_its_context():
    """XSS payloads in every parameter: HTML pages carry them only as
    escaped text or percent-encoded links; JSON is valid and round-trips."""
    hit = real_hit()
    reqs = xss_requests(hit)

    def one(req):
        pairs, payload, name = req
        problems = []
        r = cgi(qs_of(*pairs))
        if r.ctype != "text/html":
            problems.append(f"{r.where()}: Content-Type "
                            f"{r.header('content-type')!r}, expected HTML")
        problems += html_problems(r, [payload])
        # An asset is never JSON; a wrong format is refused in HTML. A
        # value refused before any output needs only two payloads.
        if name not in ("format", "asset") and (
                name in ECHOED or payload in PAYLOADS[:2]):
            rj = cgi(qs_of(*pairs, ("format", "json")))
            problems += json_problems(rj, payload, name)
        return problems, r.status

    results = pool_map(one, reqs)
    problems = [p for ps, _ in results for p in ps]
    check_none(problems, "output not escaped for its context")
    # The sweep must have reached real pages, not only refusals.
    ok = sum(1 for _, st in results if st == 200)
    check(ok >= len(Q_PAYLOADS) * 3,
          f"only {ok} payload requests were answered with 200")


@test
def headers_csp_and_nosniff_on_every_response():
    """Content-Security-Policy with default-src 'none' and no inline
    script, and X-Content-Type-Options: nosniff, on pages, JSON, errors and
    assets; HTML pages use no inline script or style the CSP would block."""
    hit = real_hit()
    missing = os.path.join(TMP, "no-such-db")
    kinds = [
        ("home page", "", "GET", True),
        ("results page", qs_of(("q", WEIXIN)), "GET", True),
        ("empty results page", qs_of(("q", "没有这个词xyzzy")), "GET", True),
        ("JSON", qs_of(("q", WEIXIN), ("format", "json")), "GET", True),
        ("report page", qs_of(("report", hit["report_id"])), "GET", True),
        ("report JSON", qs_of(("report", hit["report_id"]),
                              ("format", "json")), "GET", True),
        ("400 page", qs_of(("limit", "1000")), "GET", True),
        ("400 JSON", "q=x&format=json&limit=1000", "GET", True),
        ("400 query error", qs_of(("q", "(" + WEIXIN)), "GET", True),
        ("404 report", qs_of(("report", "0" * 16)), "GET", True),
        ("404 asset", qs_of(("asset", "nothing.js")), "GET", True),
        ("405", qs_of(("q", WEIXIN)), "POST", True),
        ("500", qs_of(("q", WEIXIN)), "GET", missing),
        ("stylesheet", "asset=style.css", "GET", True),
        ("script", "asset=app.js", "GET", True),
        ("HEAD", qs_of(("q", WEIXIN)), "HEAD", True),
    ]
    problems = []
    for kind, qs, method, db in kinds:
        r = cgi(qs, method, db=db)
        what = f"{kind} ({r.where()}, status {r.status})"
        try:
            csp = csp_of(r)
        except Fail as e:
            problems.append(f"{what}: {e}")
            continue
        if csp.get("default-src") != ["'none'"]:
            problems.append(f"{what}: CSP default-src is "
                            f"{csp.get('default-src')}, expected 'none'")
        script = csp.get("script-src", csp.get("default-src", []))
        bad = [w for w in script if w in ("'unsafe-inline'", "'unsafe-eval'",
                                          "*", "data:", "http:", "https:",
                                          "blob:")]
        if bad:
            problems.append(f"{what}: CSP script-src allows {bad}")
        if "object-src" in csp and csp["object-src"] != ["'none'"]:
            problems.append(f"{what}: CSP object-src {csp['object-src']}")
        nosniff = r.headers.get("x-content-type-options", [])
        if [v.lower() for v in nosniff] != ["nosniff"]:
            problems.append(f"{what}: X-Content-Type-Options is {nosniff}, "
                            "expected nosniff")
        if not r.header("content-type"):
            problems.append(f"{what}: no Content-Type")
        if r.ctype == "text/html" and r.body:
            page = Page(r.text)
            if any(t == "style" for t, _ in page.tags) or \
                    any(n == "style" for _, a in page.tags for n, _ in a):
                problems.append(f"{what}: inline style, which the CSP "
                                "blocks")
            for attrs, inline in page.scripts:
                if "src" not in attrs or inline.strip():
                    problems.append(f"{what}: inline script, which the CSP "
                                    "blocks")
    for name, ctype in (("style.css", "text/css"),
                        ("app.js", "text/javascript")):
        r = cgi(qs_of(("asset", name)))
        if r.status != 200 or r.ctype != ctype:
            problems.append(f"asset {name}: status {r.status}, Content-Type"
                            f" {r.header('content-type')!r}, expected 200 "
                            f"{ctype} (nosniff makes the browser refuse "
                            "another type)")
    check_none(problems, "responses without the security headers")


@test
def request_limits_are_enforced_exactly():
    """q at most 1000 bytes and 64 words, limit at most 100, offset at most
    10000; the limits themselves are accepted."""
    def q_of_bytes(n):
        # 50 words of 18 bytes, then one ASCII word making up the rest.
        words = ["政府信息公开"] * 50
        s = " ".join(words)
        return s + " " + "x" * (n - len(s.encode()) - 1)

    q1000, q1001 = q_of_bytes(1000), q_of_bytes(1001)
    assert len(q1000.encode()) == 1000 and len(q1001.encode()) == 1001
    cases = [
        ("q of 1000 bytes", [("q", q1000)], 200),
        ("q of 1001 bytes", [("q", q1001)], 400),
        ("q of 334 characters (1002 bytes)", [("q", "公" * 334)], 400),
        ("q of 64 words", [("q", " ".join([WEIXIN] * 64))], 200),
        ("q of 65 words", [("q", " ".join([WEIXIN] * 65))], 400),
        ("q of 65 words split by ideographic spaces",
         [("q", "\u3000".join([WEIXIN] * 65))], 400),
        ("limit=100", [("q", WEIXIN), ("limit", "100")], 200),
        ("limit=101", [("q", WEIXIN), ("limit", "101")], 400),
        ("limit=0", [("q", WEIXIN), ("limit", "0")], 400),
        ("limit=99999999999", [("q", WEIXIN), ("limit", "99999999999")],
         400),
        ("offset=10000", [("q", WEIXIN), ("offset", "10000")], 200),
        ("offset=10001", [("q", WEIXIN), ("offset", "10001")], 400),
        ("offset=-1", [("q", WEIXIN), ("offset", "-1")], 400),
    ]
    problems = []
    for what, pairs, want in cases:
        for fmt in ("html", "json"):
            r = cgi(qs_of(*pairs, ("format", fmt)))
            if r.status != want:
                problems.append(f"{what} ({fmt}): status {r.status}, "
                                f"expected {want}")
    data = search_json([("q", WEIXIN), ("limit", "100")])
    if data.get("limit") != 100 or len(data.get("hits", [])) > 100:
        problems.append(f"limit=100: JSON says limit {data.get('limit')} "
                        f"with {len(data.get('hits', []))} hits")
    check_none(problems, "limits not enforced exactly")


@test
def invalid_utf8_and_bad_percent_encoding_are_refused():
    """Invalid UTF-8, malformed %-escapes and NUL bytes give 400 in any
    parameter, known or not, and in names."""
    bad_values = {
        "%C3%28 (bad continuation)": "%C3%28",
        "%FF": "%FF",
        "%C0%AF (overlong /)": "%C0%AF",
        "%E0%80%AF (overlong /)": "%E0%80%AF",
        "%ED%A0%80 (surrogate)": "%ED%A0%80",
        "%F4%90%80%80 (above U+10FFFF)": "%F4%90%80%80",
        "% alone": "%",
        "%G1": "%G1",
        "%4 at the end": "%4",
        "%00": "%00",
        "%00 inside": "a%00b",
    }
    reqs = [(what, f"{where}={raw}{fmt}")
            for what, raw in bad_values.items()
            for where in ("q", "agency", "report", "asset", "unknown")
            for fmt in ("", "&format=json")]
    problems = [f"{what} in ?{qs}: status {st}, expected 400"
                for (what, qs), st in zip(reqs, pool_map(
                    lambda req: cgi(req[1]).status, reqs)) if st != 400]
    # Names are never shown, but must be well-formed %-encoding too.
    for raw in ("%", "%G1", "%4", "%00"):
        r = cgi(f"q=x&a{raw}=1")
        if r.status != 400:
            problems.append(f"{raw} in a parameter name: status "
                            f"{r.status}, expected 400")
    r = cgi("q=" + quote("微信") + "&agency=%E6%99%8B%E6%B1%9F")
    if r.status != 200:
        problems.append(f"well-formed UTF-8: status {r.status}")
    check_none(problems, "badly encoded requests not refused")


def hit_keys(data):
    return [(h.get("report"), h.get("passage"), h.get("text"))
            for h in data.get("hits", [])]


@test
def unknown_parameters_are_ignored():
    """Parameters the page does not know change nothing: 200 and the same
    hits, even ones named like the database setting."""
    base = [("q", WEIXIN), ("limit", "20")]
    want = hit_keys(search_json(base))
    check(want, "no hits for 微信")
    extras = [("foo", "bar"), ("utm_source", "x"), ("callback", "alert"),
              ("GONGKAI_DB", os.path.join(TMP, "no-such-db")),
              ("db", "/etc"), ("你好", "1"), ("a-very-long-parameter-name",
                                              "1"), ("x", ""), ("flag", None)]
    problems = []
    for k, v in extras:
        pairs = base + ([(k, v)] if v is not None else [])
        qs = qs_of(*pairs) + ("&flag" if v is None else "")
        r = cgi(qs)
        if r.status != 200:
            problems.append(f"?{qs}: status {r.status}, expected 200")
        rj = cgi(qs + "&format=json")
        if rj.status != 200 or hit_keys(rj.json()) != want:
            problems.append(f"?{qs}: hits differ from the same search "
                            "without the unknown parameter")
    check_none(problems, "unknown parameters not ignored")


@test
def only_get_and_head_are_answered():
    """POST, PUT, DELETE, OPTIONS… give 405 with Allow: GET, HEAD; HEAD
    gives the headers of GET and no body."""
    problems = []
    for m in ("POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE",
              "CONNECT", None):
        r = cgi(qs_of(("q", WEIXIN)), method=m)
        if r.status != 405:
            problems.append(f"{m}: status {r.status}, expected 405")
        allow = {a.strip() for a in (r.header("allow") or "").split(",")}
        if allow != {"GET", "HEAD"}:
            problems.append(f"{m}: Allow is {r.header('allow')!r}, "
                            "expected GET, HEAD")
    for qs, want in ((qs_of(("q", WEIXIN)), 200), ("asset=style.css", 200),
                     ("limit=1000", 400), (qs_of(("report", "0" * 16)),
                                           404)):
        g, h = cgi(qs, "GET"), cgi(qs, "HEAD")
        if h.status != want or g.status != want:
            problems.append(f"HEAD/GET ?{qs}: status {h.status}/{g.status},"
                            f" expected {want}")
        if h.body:
            problems.append(f"HEAD ?{qs}: a body of {len(h.body)} bytes")
        if h.ctype != g.ctype:
            problems.append(f"HEAD ?{qs}: Content-Type {h.ctype!r}, GET "
                            f"has {g.ctype!r}")
        cl = h.header("content-length")
        if not cl or not cl.isdigit() or int(cl) == 0:
            problems.append(f"HEAD ?{qs}: Content-Length {cl!r}")
        elif qs.startswith("asset=") and int(cl) != len(g.body):
            problems.append(f"HEAD ?{qs}: Content-Length {cl}, GET sends "
                            f"{len(g.body)} bytes")
    check_none(problems, "methods not handled as required")


@test
def report_ids_are_validated():
    """Malformed ids give 400, an unknown well-formed one 404, a real one
    the report with its title."""
    hit = real_hit()
    rid = hit["report_id"]
    unknown = "0123456789abcdef"[:len(rid)]
    if unknown == rid:
        unknown = "f" * len(rid)
    problems = []
    bad = {"non-hex": "g" * len(rid), "one short": rid[:-1],
           "one long": rid + "0", "upper case": rid.upper(),
           "path": "../../etc/passwd", "encoded path": "%2e%2e%2fetc",
           "empty": "", "space": rid[:-1] + " ", "sign": "-" + rid[1:]}
    for what, v in bad.items():
        for fmt in ("html", "json"):
            r = cgi(qs_of(("report", v), ("format", fmt)))
            if r.status != 400:
                problems.append(f"report id {what} ({v!r}, {fmt}): status "
                                f"{r.status}, expected 400")
    for fmt in ("html", "json"):
        r = cgi(qs_of(("report", unknown), ("format", fmt)))
        if r.status != 404:
            problems.append(f"unknown report id {unknown} ({fmt}): status "
                            f"{r.status}, expected 404")
    r = cgi(qs_of(("report", rid), ("p", str(hit["passage"]))))
    if r.status != 200:
        problems.append(f"real report id {rid}: status {r.status}")
    else:
        page = Page(r.text)
        h1 = "".join(page.text)
        title = hit["title"]
        if title not in h1 or not list(page.find("article", id="report")):
            problems.append(f"report {rid}: the page lacks the title "
                            f"{title!r} or the #report article")
        titles = re.findall(r"<title>(.*?)</title>", r.text, re.S)
        if not titles or title not in html.unescape(titles[0]):
            problems.append(f"report {rid}: <title> is {titles!r}")
    rj = cgi(qs_of(("report", rid), ("format", "json")))
    if rj.status != 200 or rj.json().get("title") != hit["title"]:
        problems.append(f"report {rid} as JSON: status {rj.status}, title "
                        "differs from the hit's")
    check_none(problems, "report ids not validated")


PATHISH = re.compile(r"(?<![\w?=.])/[\w.-]+(/[\w.-]*)*")
INTERNAL_WORDS = ("xapian", "glass", "couldn't", "no such file", "errno",
                  "exception", "gongkai.cgi:", "opening error",
                  "corrupt", "iamglass", "permission denied")


@test
def database_errors_give_500_without_internals():
    """A missing, garbage or unset database gives a 500 page that names no
    path and holds no internal message."""
    garbage = os.path.join(TMP, "garbage.db")
    with open(garbage, "wb") as f:
        f.write(b"\x00\x01garbage, not a database\xff" * 200)
    empty = os.path.join(TMP, "empty-dir.db")
    os.mkdir(empty)
    cases = [("missing directory", os.path.join(TMP, "nowhere", "db")),
             ("garbage file", garbage), ("empty directory", empty),
             ("unset (no config file)", None), ("empty", "")]
    problems = []
    for what, db in cases:
        for fmt in ("html", "json"):
            for extra in ([("q", WEIXIN)], [("report", "0" * 16)], []):
                pairs = extra + [("format", fmt)]
                if fmt == "html" and not extra:
                    continue  # the home page needs no database
                r = cgi(qs_of(*pairs), db=db)
                where = f"GONGKAI_DB {what}, ?{qs_of(*pairs)}"
                if r.status != 500:
                    problems.append(f"{where}: status {r.status}, "
                                    "expected 500")
                text = r.text
                if fmt == "html":
                    text = Page(text).all_text()
                else:
                    text = json.dumps(r.json(), ensure_ascii=False)
                if db and db in text:
                    problems.append(f"{where}: the body names the database "
                                    f"path")
                m = PATHISH.search(text)
                if m:
                    problems.append(f"{where}: the body holds a path "
                                    f"{m.group(0)!r}")
                low = text.lower()
                for w in INTERNAL_WORDS:
                    if w in low:
                        problems.append(f"{where}: the body holds the "
                                        f"internal word {w!r}")
    check_none(problems, "database errors that leak internals")


@test
def no_request_reads_a_file_outside_the_index():
    """Paths in asset, report and other parameters never return a file:
    400 or 404, and no file contents."""
    secret = os.path.join(TMP, "secret.txt")
    with open(secret, "w") as f:
        f.write("CANARY-7d1f0c secret contents\n")
    attempts = [
        ("asset", "../../etc/passwd"), ("asset", "/etc/passwd"),
        ("asset", "../secret.txt"), ("asset", secret),
        ("asset", "....//....//etc/passwd"), ("asset", "style.css/../../x"),
        ("asset", "./style.css"), ("asset", "STYLE.CSS"),
        ("asset", "file:///etc/passwd"), ("asset", "..\\..\\etc\\passwd"),
        ("report", "../../etc/passwd"), ("report", "/etc/passwd"),
        ("report", secret), ("report", "..%2f..%2fetc%2fpasswd"),
        ("report", "%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
    ]
    raw = ["asset=%2e%2e%2f%2e%2e%2fetc%2fpasswd",
           "report=%2e%2e%2f%2e%2e%2fetc%2fpasswd",
           "asset=..%2f..%2fetc%2fpasswd", "asset=%252e%252e%252fetc",
           "asset=style.css%00.txt"]
    problems = []
    reqs = [qs_of(p) for p in attempts] + raw
    for qs in reqs:
        for fmt in ("", "&format=json"):
            r = cgi(qs + fmt, cwd=os.path.join(TMP, "bin"))
            body = r.body.decode("utf-8", "replace")
            if r.status not in (400, 404):
                problems.append(f"?{qs}{fmt}: status {r.status}, expected "
                                "400 or 404")
            if "root:" in body or "CANARY-7d1f0c" in body or \
                    "/bin/" in body:
                problems.append(f"?{qs}{fmt}: file contents in the body")
    # A path as a search word is just a word.
    for v in ("/etc/passwd", secret):
        r = cgi(qs_of(("q", v)))
        if "root:x" in r.text or "CANARY-7d1f0c" in r.text:
            problems.append(f"?q={v}: file contents in the body")
    check_none(problems, "requests that reach files outside the index")


QUERIES = [WEIXIN, "行政复议 OR 行政诉讼", '"依申请公开" section:申请',
           "国家秘密"]


@test
def json_matches_the_command_line():
    """format=json gives the hits `gongkai search --json` gives: same
    reports, passages in the same order, same text; keys hits, total,
    facets."""
    problems = []
    for q in QUERIES:
        r = cgi(qs_of(("q", q), ("format", "json"), ("limit", "20")))
        if r.status != 200:
            problems.append(f"{q}: status {r.status}")
            continue
        data = r.json()
        for k in ("hits", "total", "facets"):
            if k not in data:
                problems.append(f"{q}: no key {k!r} in {sorted(data)}")
        if not isinstance(data.get("facets"), dict) or \
                not isinstance(data.get("total"), int):
            problems.append(f"{q}: total or facets of the wrong type")
        p = gongkai("search", "--db", DB, "--json", "--limit", "20", q)
        check(p.returncode in (0, 1), f"gongkai search {q}: exit "
              f"{p.returncode}: {p.stderr}")
        cli = [json.loads(line) for line in p.stdout.splitlines() if line]
        if not cli:
            problems.append(f"{q}: the command line finds nothing; pick "
                            "another query")
        web = data.get("hits", [])
        fields = ("report", "title", "section", "text", "line",
                  "highlights", "snippet", "snippet_highlights")
        a = [tuple(json.dumps(h.get(f), ensure_ascii=False) for f in fields)
             for h in web]
        b = [tuple(json.dumps(h.get(f), ensure_ascii=False) for f in fields)
             for h in cli]
        if a != b:
            first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y),
                         min(len(a), len(b)))
            problems.append(f"{q}: {len(web)} hits on the page, {len(cli)} "
                            f"on the command line; first difference at hit "
                            f"{first + 1}")
        if [h.get("rank") for h in web] != list(range(1, len(web) + 1)):
            problems.append(f"{q}: ranks are not 1, 2, …")
        c = gongkai("search", "--db", DB, "--count", q)
        if c.stdout.strip().isdigit() and \
                int(c.stdout.strip()) != data.get("total"):
            problems.append(f"{q}: total {data.get('total')}, the command "
                            f"line counts {c.stdout.strip()}")
    check_none(problems, "JSON output differs from `gongkai search --json`")


def cells(s):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in s)


BAD_QUERIES = ["(" + WEIXIN, WEIXIN + " (公开", WEIXIN + ")", WEIXIN + " OR",
               '"' + WEIXIN, "year:xx", WEIXIN + ") OR (公开"]


@test
def bad_query_shows_message_and_caret():
    """A query the command line rejects gives 400 with the same message
    and a caret under the place it names (column of the query typed); the
    filters cannot turn it into a valid query."""
    problems = []
    for q in BAD_QUERIES:
        p = gongkai("search", "--db", DB, q)
        check(p.returncode == 2, f"`gongkai search {q}` exits "
              f"{p.returncode}: the test expects a syntax error")
        msg = p.stderr.strip().splitlines()[-1]
        msg = msg[len("gongkai: "):] if msg.startswith("gongkai: ") else msg
        m = re.search(r"\(column (\d+)\)", msg)
        col = int(m.group(1)) if m else None
        for extra in ([], [("agency", "晋江")]):
            r = cgi(qs_of(("q", q), *extra))
            where = f"q={q!r}{' with agency=晋江' if extra else ''}"
            if r.status != 400:
                problems.append(f"{where}: status {r.status}, expected 400"
                                f" (the command line says: {msg})")
                continue
            shown = re.search(r'<p class="message">(.*?)</p>', r.text, re.S)
            shown = html.unescape(shown.group(1)) if shown else None
            if shown != msg:
                problems.append(f"{where}: the page says {shown!r}, the "
                                f"command line {msg!r}")
            pre = re.search(r'<pre class="query">(.*?)</pre>', r.text, re.S)
            if not pre:
                problems.append(f"{where}: no <pre class=\"query\">")
                continue
            lines = pre.group(1).split("\n")
            if html.unescape(lines[0]) != q:
                problems.append(f"{where}: the query shown is {lines[0]!r}")
            if col is None:
                continue
            caret = '<span class="caret">^</span>'
            if len(lines) != 2 or not lines[1].endswith(caret):
                problems.append(f"{where}: no caret line under the query "
                                f"(error at column {col}): {pre.group(0)!r}")
                continue
            pad = html.unescape(lines[1][:-len(caret)])
            if pad.strip(" \u3000") or cells(pad) != cells(q[:col - 1]):
                problems.append(f"{where}: caret at cell {cells(pad) + 1}, "
                                f"the error is at column {col} (cell "
                                f"{cells(q[:col - 1]) + 1})")
        rj = cgi(qs_of(("q", q), ("format", "json")))
        if rj.status != 400 or rj.json().get("error") != msg:
            problems.append(f"q={q!r} as JSON: status {rj.status}, body "
                            f"{rj.text[:200]!r}, expected 400 with error "
                            f"{msg!r}")
    check_none(problems, "query errors not shown as required")


# ---- main --------------------------------------------------------------------
@test
def config_file_beside_the_program_names_the_database():
    """Without GONGKAI_DB, the `db = PATH` line of gongkai.cgi.conf beside
    the program names the database; GONGKAI_DB, when set, wins."""
    binq = os.path.join(TMP, "confbin")
    os.mkdir(binq)
    prog = os.path.join(binq, "gongkai.cgi")
    shutil.copy2(CGI, prog)
    with open(os.path.join(binq, "gongkai.cgi.conf"), "w") as f:
        f.write("# the search database\n  db =  %s  \n" % DB)
    saved = CGI
    try:
        globals()["CGI"] = prog
        r = cgi(qs_of(("q", "微信"), ("format", "json")), db=None)
        expect_status(r, 200)
        check(json.loads(r.body)["hits"], "no hits through the config file")
        r = cgi(qs_of(("q", "微信")), db=os.path.join(TMP, "missing"))
        expect_status(r, 500)
    finally:
        globals()["CGI"] = saved


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@test
def fastcgi_mode_serves_many_requests_and_sees_a_changed_index():
    """Under lighttpd's FastCGI (cgi/lighttpd-fastcgi.conf) the program
    answers request after request like the CGI does, and a report indexed
    meanwhile is found without a restart."""
    lighttpd = shutil.which("lighttpd") or "/usr/sbin/lighttpd"
    check(os.access(lighttpd, os.X_OK),
          "lighttpd is not installed (scripts/install-deps installs it)")
    db = os.path.join(TMP, "fdb")
    p = gongkai("index", "-q", "--db", db, CORPUS)
    check(p.returncode == 0, f"gongkai index: {p.stderr}")
    state = tempfile.mkdtemp(prefix="gkf-")  # short: socket paths
    port = free_port()
    env = {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/bin"),
           "GONGKAI_PORT": str(port), "GONGKAI_CGI": CGI,
           "GONGKAI_DB": db, "GONGKAI_STATE": state}
    for k, v in os.environ.items():
        if k.endswith("SAN_OPTIONS"):
            env[k] = v
    conf = os.path.join(os.path.dirname(CORPUS), "cgi",
                        "lighttpd-fastcgi.conf")
    out = open(os.path.join(state, "out"), "wb")
    proc = subprocess.Popen([lighttpd, "-D", "-f", conf], env=env,
                            stdin=subprocess.DEVNULL, stdout=out,
                            stderr=out)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            check(proc.poll() is None, "lighttpd exited: " + open(
                os.path.join(state, "out"), errors="replace").read())
            try:
                if http_get(base + "?asset=app.js")[0] == 200:
                    break
            except OSError:
                pass
            check(time.monotonic() < deadline, "lighttpd did not answer")
            time.sleep(0.05)
        want = json.loads(cgi(qs_of(("q", "微信"), ("format", "json")),
                              db=db).body)
        for i in range(30):
            status, body = http_get(base + "?" + qs_of(
                ("q", "微信"), ("format", "json")))
            check(status == 200, f"request {i}: status {status}")
            got = json.loads(body)
            check([h["text"] for h in got["hits"]] ==
                  [h["text"] for h in want["hits"]],
                  f"request {i}: hits differ from the CGI's")
        status, _ = http_get(base + "?" + qs_of(("q", "(微信")))
        check(status == 400, f"a bad query gave {status} under FastCGI")
        marker = "甲乙丙丁戊己庚辛"
        doc = os.path.join(TMP, "new-report.txt")
        with open(doc, "w") as f:
            f.write("测试市测试局2024年政府信息公开工作年度报告\n\n"
                    "一、总体情况\n\n本年度%s新增。\n" % marker)
        p = gongkai("index", "-q", "--db", db, doc)
        check(p.returncode == 0, f"gongkai index: {p.stderr}")
        status, body = http_get(base + "?" + qs_of(("q", marker),
                                                   ("format", "json")))
        check(status == 200 and json.loads(body)["hits"],
              "a report indexed while the server ran is not found")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out.close()
        log = open(os.path.join(state, "out"), errors="replace").read()
        shutil.rmtree(state, ignore_errors=True)
    check(not any(m in log for m in SANITIZER_MARKS),
          "sanitizer report from the FastCGI program:\n" + log[-3000:])


def main():
    global GONGKAI, CGI, CORPUS, TMP, DB
    if len(sys.argv) != 4:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    GONGKAI, cgi_built, CORPUS = (os.path.abspath(a) for a in sys.argv[1:])
    TMP = tempfile.mkdtemp(prefix="gk-test-cgi-")
    try:
        os.mkdir(os.path.join(TMP, "bin"))
        CGI = os.path.join(TMP, "bin", "gongkai.cgi")
        shutil.copy2(cgi_built, CGI)
        DB = os.path.join(TMP, "db")
        p = gongkai("index", "-q", "--db", DB, CORPUS)
        if p.returncode != 0:
            print(f"setup: gongkai index {CORPUS} exited {p.returncode}:\n"
                  f"{p.stderr}", file=sys.stderr)
            return 1
        failed = 0
        for t in TESTS:
            t0 = time.monotonic()
            try:
                t()
                print(f"ok    {t.__name__} ({time.monotonic() - t0:.1f} s)")
            except Fail as e:
                failed += 1
                print(f"FAIL  {t.__name__} ({time.monotonic() - t0:.1f} s): "
                      f"{t.__doc__.split(chr(10))[0]}\n  {e}")
            except Exception:
                failed += 1
                print(f"FAIL  {t.__name__}: unexpected error\n"
                      f"{traceback.format_exc()}")
            sys.stdout.flush()
        print(f"{len(TESTS) - failed} of {len(TESTS)} tests passed")
        return 1 if failed else 0
    finally:
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
