#!/usr/bin/env python3
"""The search page in a real browser: lighttpd serving gongkai.cgi with
cgi/lighttpd.conf, driven by headless Chromium through Selenium.

Usage: python3 test_browser.py GONGKAI GONGKAI_CGI CORPUS_DIR SOURCE_DIR

Indexes CORPUS_DIR into a temporary database, starts lighttpd on a free
loopback port and checks: a search typed into the box (result cards,
highlights, breadcrumbs), a facet filter and its chip, the pager, the
report view (table of contents, the passage asked for marked and pointed
at by the URL's fragment), that XSS payloads in every parameter never run
or inject an element, and that the page's own stylesheet and script load
under its Content-Security-Policy without console errors. Screenshots of
the results page (desktop and 390 px wide) and of the report view go to
./screenshots/ (the test runs in the build directory).

Needs chromium, chromium-driver, python3-selenium and lighttpd
(scripts/install-deps installs them); without them it exits 77 (skipped).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from urllib.parse import parse_qs, quote, urlsplit

SKIP = 77
CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMEDRIVER = ("/usr/bin/chromedriver", "chromedriver")
SYSTEM_PYTHON = "/usr/bin/python3"  # where Debian's python3-selenium lives


def skip(msg):
    print(f"test_browser: skipped: {msg}")
    sys.exit(SKIP)


def find(names):
    for n in names:
        p = n if os.path.isabs(n) and os.access(n, os.X_OK) else \
            shutil.which(n)
        if p:
            return p
    return None


try:
    from selenium import webdriver
    from selenium.common.exceptions import (NoAlertPresentException,
                                            TimeoutException,
                                            UnexpectedAlertPresentException,
                                            WebDriverException)
    from selenium.webdriver.chromium.remote_connection import \
        ChromiumRemoteConnection
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    # python3 on PATH may not be the system's (pyenv, a venv): the Debian
    # package is installed for /usr/bin/python3, so run under that once.
    if (os.access(SYSTEM_PYTHON, os.X_OK) and
            os.path.realpath(sys.executable) !=
            os.path.realpath(SYSTEM_PYTHON) and
            not os.environ.get("GK_BROWSER_REEXEC")):
        os.environ["GK_BROWSER_REEXEC"] = "1"
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, *sys.argv])
    skip("python3-selenium is not installed (scripts/install-deps)")


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                   "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer")
WEIXIN = "微信"
WAIT = 15  # seconds for one page to appear


# ---- the server ----------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """lighttpd -D with cgi/lighttpd.conf, on a free loopback port."""

    def __init__(self, source_dir, cgi, db, state):
        self.state = state
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        env = {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/bin"),
               "GONGKAI_PORT": str(self.port), "GONGKAI_CGI": cgi,
               "GONGKAI_DB": db, "GONGKAI_STATE": state}
        for k, v in os.environ.items():
            if k.endswith("SAN_OPTIONS"):
                env[k] = v
        lighttpd = find(("/usr/sbin/lighttpd", "lighttpd"))
        conf = os.path.join(source_dir, "cgi", "lighttpd.conf")
        self.out = open(os.path.join(state, "lighttpd.out"), "wb")
        self.proc = subprocess.Popen([lighttpd, "-D", "-f", conf], env=env,
                                     stdin=subprocess.DEVNULL,
                                     stdout=self.out, stderr=self.out)
        deadline = time.monotonic() + 15
        while True:
            if self.proc.poll() is not None:
                raise Fail(f"lighttpd exited with {self.proc.returncode} "
                           f"before answering:\n{self.logs()}")
            try:
                with urllib.request.urlopen(self.base + "?asset=app.js",
                                            timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                raise Fail(f"lighttpd did not answer on port {self.port} "
                           f"within 15 s:\n{self.logs()}")
            time.sleep(0.05)

    def logs(self):
        out = []
        for name in ("lighttpd.out", "error.log"):
            p = os.path.join(self.state, name)
            if os.path.exists(p):
                with open(p, encoding="utf-8", errors="replace") as f:
                    out.append(f"--- {name}\n{f.read()[-4000:]}")
        return "\n".join(out)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()


# ---- the browser ---------------------------------------------------------------

def wait_port(port, proc, what):
    """Waits until something listens on 127.0.0.1:port."""
    deadline = time.monotonic() + WAIT
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), 0.5):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise WebDriverException(
                    f"{what} did not answer on 127.0.0.1:{port}")
            time.sleep(0.05)


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_browser(chromium, chromedriver, profile, log):
    """Headless Chromium and a chromedriver attached to it, both started
    here and reached at 127.0.0.1: left to themselves they find each other
    at "localhost", which a bare system (a fresh chroot has no /etc/hosts)
    cannot resolve. The processes are the returned driver's gk_procs."""
    procs = []
    logf = open(log, "w")
    try:
        cport = free_port()
        procs.append(subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox",
             "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions",
             "--disable-background-networking", "--window-size=1280,900",
             "--lang=zh-CN", f"--user-data-dir={profile}",
             "--remote-debugging-address=127.0.0.1",
             f"--remote-debugging-port={cport}", "about:blank"],
            stdout=logf, stderr=subprocess.STDOUT))
        wait_port(cport, procs[0], "Chromium")
        dport = free_port()
        procs.append(subprocess.Popen(
            [chromedriver, f"--port={dport}", "--allowed-ips=127.0.0.1"],
            stdout=logf, stderr=subprocess.STDOUT))
        wait_port(dport, procs[1], "chromedriver")
        opts = webdriver.ChromeOptions()
        opts.debugger_address = f"127.0.0.1:{cport}"
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # Chromium's connection knows Chrome's own commands (CDP).
        conn = ChromiumRemoteConnection(
            remote_server_addr=f"http://127.0.0.1:{dport}",
            vendor_prefix="goog", browser_name="chrome", keep_alive=True,
            ignore_proxy=True)
        d = webdriver.Remote(command_executor=conn, options=opts)
    except Exception:
        for p in reversed(procs):
            stop(p)
        raise
    finally:
        logf.close()
    d.gk_procs = procs
    d.set_page_load_timeout(WAIT * 2)
    return d


def cdp(driver, cmd, params):
    """A Chrome DevTools command through chromedriver."""
    return driver.execute("executeCdpCommand",
                          {"cmd": cmd, "params": params})["value"]


class Browser:
    def __init__(self, driver, base):
        self.d, self.base = driver, base
        self.has_log = True

    def url(self, **params):
        return self.base + ("?" + "&".join(
            f"{quote(k, safe='')}={quote(str(v), safe='')}"
            for k, v in params.items()) if params else "")

    def get(self, url):
        self.d.get(url)

    def wait(self, cond, what, timeout=WAIT):
        try:
            return WebDriverWait(self.d, timeout).until(lambda d: cond())
        except TimeoutException:
            raise Fail(f"timed out after {timeout} s waiting for {what} "
                       f"(at {self.d.current_url})")

    def all(self, css, within=None):
        return (within or self.d).find_elements(By.CSS_SELECTOR, css)

    def one(self, css, what=None):
        els = self.all(css)
        check(els, f"no {what or css} on {self.d.current_url}")
        return els[0]

    def js(self, script, *args):
        return self.d.execute_script(script, *args)

    def click_and_wait(self, el, what):
        """Clicks a link and waits until the next page has replaced this
        one."""
        old = self.one("html")
        el.click()
        self.wait(lambda: self._stale(old) and
                  self.js("return document.readyState") == "complete",
                  what)

    @staticmethod
    def _stale(el):
        try:
            el.tag_name
            return False
        except WebDriverException:
            return True

    def console(self):
        """Console entries since the last call; None when the driver
        cannot give them."""
        if not self.has_log:
            return None
        try:
            return self.d.get_log("browser")
        except (WebDriverException, AttributeError, KeyError):
            self.has_log = False
            return None

    def screenshot(self, name):
        os.makedirs("screenshots", exist_ok=True)
        path = os.path.abspath(os.path.join("screenshots", name))
        check(self.d.save_screenshot(path), f"could not write {path}")
        print(f"screenshot: {path}")
        return path


def console_problems(entries, where):
    """Errors in the console: CSP violations, failed loads, script errors
    (the favicon, which the program does not serve, excepted)."""
    out = []
    for e in entries or []:
        msg = e.get("message", "")
        if "favicon.ico" in msg:
            continue
        if e.get("level") == "SEVERE" or "Content Security Policy" in msg \
                or "Refused to" in msg:
            out.append(f"{where}: console {e.get('level')}: {msg[:300]}")
    return out


# ---- the tests ---------------------------------------------------------------

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


# Run in every page: what of the page's own assets is in force.
ASSETS_JS = """
var top = document.querySelector('.top');
return {
  styled: top ? getComputedStyle(top).backgroundColor : null,
  scripts: Array.from(document.scripts).map(function (s) {
    return s.getAttribute('src'); }),
};
"""


def check_assets(b, where):
    a = b.js(ASSETS_JS)
    check(a["styled"] == "rgb(158, 27, 27)",
          f"{where}: the stylesheet is not applied (the top bar's "
          f"background is {a['styled']!r}); CSP or Content-Type blocked "
          "?asset=style.css?")
    check(a["scripts"] == ["?asset=app.js"],
          f"{where}: scripts on the page: {a['scripts']}")


def http(url, method="GET"):
    req = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(req, timeout=WAIT) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


@test
def server_answers_only_through_the_program(b):
    """lighttpd with cgi/lighttpd.conf: / and /gongkai.cgi run the program
    (its headers intact), every other URL is 404, POST reaches the program
    and is refused."""
    problems = []
    for path, want in (("?q=" + quote(WEIXIN), 200),
                       ("gongkai.cgi?q=" + quote(WEIXIN), 200),
                       ("?asset=style.css", 200), ("etc/passwd", 404),
                       ("gongkai.cgi/../../etc/passwd", 404),
                       ("gongkai.cgi/extra", 404), ("index.html", 404),
                       ("state/error.log", 404)):
        status, headers, body = http(b.base + path)
        if status != want:
            problems.append(f"/{path}: status {status}, expected {want}")
        if b"root:" in body:
            problems.append(f"/{path}: file contents in the body")
        if want == 200:
            csp = headers.get("Content-Security-Policy", "")
            if "default-src 'none'" not in csp or \
                    headers.get("X-Content-Type-Options") != "nosniff":
                problems.append(f"/{path}: the program's security headers "
                                f"did not come through: CSP {csp!r}")
    status, headers, _ = http(b.base + "?q=x", "POST")
    if status != 405 or "GET" not in (headers.get("Allow") or ""):
        problems.append(f"POST /: status {status}, Allow "
                        f"{headers.get('Allow')!r}; expected 405 from the "
                        "program")
    check(not problems, "\n  ".join(problems))


@test
def home_page_loads_its_own_assets(b):
    """The home page: stylesheet applied, app.js run (it focuses the
    search box), no console errors."""
    b.console()
    b.get(b.url())
    b.wait(lambda: b.all("#q"), "the search box #q")
    check_assets(b, "home page")
    b.wait(lambda: b.js("return document.activeElement &&"
                        " document.activeElement.id") == "q",
           "app.js to focus #q (it did not run?)", timeout=5)
    probs = console_problems(b.console(), "home page")
    check(not probs, "\n  ".join(probs))


@test
def search_shows_cards_highlights_and_breadcrumbs(b):
    """A query typed into #q and submitted gives result cards with
    highlighted words and section breadcrumbs."""
    b.get(b.url())
    box = b.wait(lambda: b.all("#q"), "#q")[0]
    box.clear()
    box.send_keys(WEIXIN)
    old = b.one("html")
    box.send_keys(Keys.ENTER)
    b.wait(lambda: b._stale(old) and b.all("li.hit"),
           "result cards (li.hit) after submitting the search")
    q = parse_qs(urlsplit(b.d.current_url).query).get("q")
    check(q == [WEIXIN], f"the search went to {b.d.current_url}, expected "
          f"q={WEIXIN}")
    hits = b.all("li.hit")
    check(len(hits) >= 3, f"only {len(hits)} hits for {WEIXIN}")
    marks = [m.text for m in b.all("li.hit mark")]
    check(marks and all(WEIXIN in m or m in WEIXIN for m in marks),
          f"highlights (mark) in the cards: {marks[:10]}")
    check(all(b.all("mark", h) for h in hits),
          "a card without a highlighted word")
    crumbs = b.all("li.hit .crumbs li")
    check(crumbs and all(c.text.strip() for c in crumbs),
          "no section breadcrumbs (.crumbs) in the cards")
    check(all(b.all("h2 a", h) for h in hits), "a card without a title link")
    check(WEIXIN in b.d.title, f"page title {b.d.title!r}")
    check(b.one("#q").get_attribute("value") == WEIXIN,
          "the search box does not keep the query")
    check_assets(b, "results page")
    probs = console_problems(b.console(), "results page")
    check(not probs, "\n  ".join(probs))
    b.screenshot("results.png")


@test
def facet_filter_narrows_results_and_shows_a_chip(b):
    """Clicking an agency in #facets keeps only its hits and shows a chip
    that removes the filter again."""
    b.get(b.url(q=WEIXIN, limit=100))
    b.wait(lambda: b.all("li.hit"), "result cards")
    before = len(b.all("li.hit"))
    links = b.all('#facets ul[data-facet="agency"] a.facet-value')
    check(len(links) >= 2, "fewer than two agencies in the agency facet")
    # The least common agency: the filter must visibly narrow.
    counts = [int(a.find_element(By.CSS_SELECTOR, ".n").text)
              for a in links]
    link = links[counts.index(min(counts))]
    agency = link.find_element(By.CSS_SELECTOR, "span").text.strip()
    b.click_and_wait(link, f"the page filtered by agency {agency}")
    got = parse_qs(urlsplit(b.d.current_url).query)
    check(got.get("agency") == [agency] and got.get("q") == [WEIXIN],
          f"after clicking {agency!r}: URL {b.d.current_url}")
    hits = b.all("li.hit")
    check(hits, f"no hits after filtering by {agency!r}")
    check(len(hits) < before, f"filtering by {agency!r} left {len(hits)} "
          f"of {before} hits")
    others = [t for t in ("".join(a.text for a in b.all(".agency", h))
                          for h in hits) if agency not in t]
    check(not others, f"hits of other agencies after filtering by "
          f"{agency!r}: {others[:5]}")
    chips = b.all(".chips a")
    check(any(agency in c.text for c in chips),
          f"no chip (.chips a) for {agency!r}: {[c.text for c in chips]}")
    on = b.all('#facets a.facet-value.on')
    check(on and agency in on[0].text, "the chosen facet is not marked .on")
    chip = next(c for c in chips if agency in c.text)
    b.click_and_wait(chip, "the page without the filter")
    check("agency" not in parse_qs(urlsplit(b.d.current_url).query),
          f"the chip did not remove the filter: {b.d.current_url}")
    check(not b.all(".chips a"), "a chip remains after removing the filter")
    check(len(b.all("li.hit")) == before,
          "removing the filter did not bring the hits back")


@test
def pager_goes_to_the_next_page(b):
    """With limit=2, #pager a[rel=next] shows the next two hits."""
    b.get(b.url(q=WEIXIN, limit=2))
    b.wait(lambda: b.all("li.hit"), "result cards")
    first = [h.text for h in b.all("li.hit")]
    check(len(first) == 2, f"limit=2 shows {len(first)} hits")
    nxt = b.one("#pager a[rel=next]", "next-page link (#pager a[rel=next])")
    b.click_and_wait(nxt, "the second page")
    got = parse_qs(urlsplit(b.d.current_url).query)
    check(got.get("offset") == ["2"] and got.get("limit") == ["2"] and
          got.get("q") == [WEIXIN], f"next page URL {b.d.current_url}")
    second = [h.text for h in b.all("li.hit")]
    check(len(second) == 2 and not set(first) & set(second),
          "the second page repeats the first page's hits")
    check(b.one("#results").get_attribute("start") == "3",
          "the second page's list does not start at 3")
    check(b.all("#pager a[rel=prev]"), "no previous-page link on page 2")


@test
def report_view_marks_the_passage(b):
    """A hit's title opens the report: #report, #toc, and the passage with
    class current is the one the URL's fragment points to, in view."""
    b.get(b.url(q=WEIXIN))
    b.wait(lambda: b.all("li.hit h2 a"), "a hit's title link")
    link = b.all("li.hit h2 a")[0]
    title = link.text.strip()
    b.click_and_wait(link, "the report view")
    b.wait(lambda: b.all("#report"), "#report")
    check(b.all("#toc a"), "no table of contents (#toc) with links")
    h1 = b.one("#report h1").text.strip()
    check(h1 == title, f"report title {h1!r}, the hit said {title!r}")
    cur = b.all(".passage.current")
    check(len(cur) == 1, f"{len(cur)} passages with class current")
    frag = urlsplit(b.d.current_url).fragment
    cid = cur[0].get_attribute("id")
    check(frag and frag == cid, f"the URL's fragment is #{frag}, the "
          f"current passage is #{cid}")
    check(b.js("return document.querySelector(':target') === arguments[0]",
               cur[0]), "the current passage is not the :target")
    check(WEIXIN in cur[0].text, "the current passage lacks the query word")
    check(b.js("var r = arguments[0].getBoundingClientRect();"
               "return r.bottom > 0 && r.top < window.innerHeight;", cur[0]),
          "the current passage is not scrolled into view")
    p = parse_qs(urlsplit(b.d.current_url).query).get("p")
    check(p and f"p{p[0]}" == cid, f"p={p} but the current passage is {cid}")
    check_assets(b, "report view")
    probs = console_problems(b.console(), "report view")
    check(not probs, "\n  ".join(probs))
    b.screenshot("report.png")
    # A TOC link moves to its heading's passage.
    toc = b.all("#toc a")[-1]
    target = toc.get_attribute("href").rsplit("#", 1)[1]
    toc.click()
    b.wait(lambda: urlsplit(b.d.current_url).fragment == target,
           f"the TOC link to #{target}", timeout=5)
    check(b.all(f"#{target}"), f"the TOC links to #{target}, which does "
          "not exist")


@test
def phone_width_results(b):
    """At 390 px wide the results page needs no horizontal scrolling."""
    cdp(b.d, "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    try:
        b.get(b.url(q=WEIXIN))
        b.wait(lambda: b.all("li.hit"), "result cards")
        width = b.js("return window.innerWidth")
        check(width == 390, f"the viewport is {width} px wide, not 390")
        over = b.js("return document.documentElement.scrollWidth")
        check(over <= width + 1, f"the page is {over} px wide at {width} px:"
              " it scrolls sideways")
        b.screenshot("phone-results.png")
    finally:
        cdp(b.d, "Emulation.clearDeviceMetricsOverride", {})


# Everything that injected markup or script would leave behind.
INJECTED_JS = """
var bad = [];
document.querySelectorAll('script').forEach(function (s) {
  if (s.getAttribute('src') !== '?asset=app.js' || s.textContent.trim())
    bad.push('script ' + (s.getAttribute('src') || s.textContent.slice(0, 60)));
});
document.querySelectorAll('img, svg, iframe, object, embed, base, style, #xss')
  .forEach(function (e) { bad.push('element <' + e.tagName.toLowerCase() +
                                   (e.id ? ' id=' + e.id : '') + '>'); });
document.querySelectorAll('*').forEach(function (e) {
  for (var i = 0; i < e.attributes.length; i++) {
    var a = e.attributes[i];
    if (/^on/i.test(a.name) || a.name === 'x')
      bad.push('attribute ' + a.name + ' on <' + e.tagName.toLowerCase() + '>');
    if (/^(href|src|action|formaction)$/i.test(a.name) &&
        /^\\s*(javascript|data|vbscript):/i.test(a.value))
      bad.push(a.name + '=' + a.value);
  }
});
if (window.__gk_xss) bad.push('payload ran: ' + window.__gk_xss);
return bad;
"""
XSS_PAYLOADS = [
    "\"'><script>window.__gk_xss='script';alert(1)</script>"
    "<img id=xss src=x onerror=alert(2)></title><svg onload=alert(3)>",
    "' onmouseover='alert(4)' x='\" onfocus=\"alert(5)\" autofocus x=\"",
    "javascript:alert(6)",
]
XSS_PARAMS = ["q", "agency", "region", "section", "type", "from", "to",
              "year", "offset", "limit", "format", "report", "p", "asset",
              "callback", "utm_source"]


def xss_urls(b, report_id):
    urls = []
    for name in XSS_PARAMS:
        for p in XSS_PAYLOADS:
            params = {} if name == "q" else {"q": WEIXIN}
            params[name] = p
            urls.append(b.url(**params))
    for p in XSS_PAYLOADS:
        urls.append(b.url(q=WEIXIN, **{p: "1"}))
        # Queries that parse and find hits, so that the cards carry them.
        urls.append(b.url(q=f'{WEIXIN} OR "{p.replace(chr(34), "")}"'))
        urls.append(b.url(report=report_id, p=0, q=p))
    return urls


@test
def xss_payloads_never_run(b):
    """XSS payloads in every parameter: no alert opens, no element or
    handler is injected, no inline script is refused by the CSP (which
    would mean it got through the escaping)."""
    b.get(b.url(q=WEIXIN))
    link = b.wait(lambda: b.all("li.hit h2 a"), "a hit")[0]
    rid = parse_qs(urlsplit(link.get_attribute("href")).query)["report"][0]
    b.console()
    problems = []
    for url in xss_urls(b, rid):
        try:
            b.get(url)
            b.wait(lambda: b.js("return document.readyState") == "complete",
                   "the page")
        except UnexpectedAlertPresentException as e:
            problems.append(f"{url}: an alert opened ({e.alert_text!r})")
        try:
            a = b.d.switch_to.alert
            problems.append(f"{url}: an alert opened ({a.text!r})")
            a.accept()
        except NoAlertPresentException:
            pass
        # Focus and hover everything a handler could hang on.
        b.js("document.querySelectorAll('a, input, button, li, p, h1')"
             ".forEach(function (e) {"
             " e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));"
             " if (e.focus) e.focus(); });")
        try:
            a = b.d.switch_to.alert
            problems.append(f"{url}: an alert opened on hover/focus "
                            f"({a.text!r})")
            a.accept()
        except NoAlertPresentException:
            pass
        bad = b.js(INJECTED_JS)
        if bad:
            problems.append(f"{url}: {'; '.join(bad[:5])}")
        problems += console_problems(
            [e for e in (b.console() or [])
             if "Content Security Policy" in e.get("message", "") or
             "Refused to" in e.get("message", "")], url)
    check(not problems, f"payloads that got through "
          f"({len(problems)}):\n  " + "\n  ".join(problems[:20]))


# ---- main --------------------------------------------------------------------

def main():
    if len(sys.argv) != 5:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    gongkai, cgi, corpus, source = (os.path.abspath(a) for a in sys.argv[1:])
    chromium, chromedriver = find(CHROMIUM), find(CHROMEDRIVER)
    if not chromium:
        skip("chromium is not installed (scripts/install-deps)")
    if not chromedriver:
        skip("chromedriver (chromium-driver) is not installed "
             "(scripts/install-deps)")
    if not find(("/usr/sbin/lighttpd", "lighttpd")):
        skip("lighttpd is not installed (scripts/install-deps)")
    t0 = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="gk-browser-")
    server = driver = None
    failed = 0
    try:
        db = os.path.join(tmp, "db")
        env = dict(os.environ)
        env.pop("GONGKAI_DB", None)
        p = subprocess.run([gongkai, "index", "-q", "--db", db, corpus],
                           env=env, capture_output=True, text=True,
                           timeout=300)
        check(p.returncode == 0, f"gongkai index {corpus} exited "
              f"{p.returncode}:\n{p.stderr}")
        state = os.path.join(tmp, "state")
        os.mkdir(state)
        server = Server(source, cgi, db, state)
        try:
            driver = start_browser(chromium, chromedriver,
                                   os.path.join(tmp, "profile"),
                                   os.path.join(tmp, "chromedriver.log"))
        except WebDriverException as e:
            log = os.path.join(tmp, "chromedriver.log")
            tail = ""
            if os.path.exists(log):
                with open(log, errors="replace") as f:
                    tail = f.read()[-3000:]
            raise Fail(f"Chromium did not start: {e.msg}\n{tail}")
        b = Browser(driver, server.base)
        for t in TESTS:
            t1 = time.monotonic()
            try:
                t(b)
                print(f"ok    {t.__name__} ({time.monotonic() - t1:.1f} s)")
            except Fail as e:
                failed += 1
                print(f"FAIL  {t.__name__} ({time.monotonic() - t1:.1f} s):"
                      f" {t.__doc__.split(chr(10))[0]}\n  {e}")
            except Exception:
                failed += 1
                print(f"FAIL  {t.__name__}: unexpected error\n"
                      f"{traceback.format_exc()}")
            sys.stdout.flush()
        if b.has_log is False:
            print("note: the browser's console log is not available; "
                  "console checks were skipped")
        # The CGI's stderr is lighttpd's error log: a sanitizer report
        # there is a failure even when every page looked right.
        logs = server.logs()
        if any(m in logs for m in SANITIZER_MARKS):
            failed += 1
            print(f"FAIL  sanitizer report from gongkai.cgi:\n{logs}")
        print(f"{len(TESTS) - failed} of {len(TESTS)} tests passed in "
              f"{time.monotonic() - t0:.0f} s")
        return 1 if failed else 0
    except Fail as e:
        print(f"FAIL  setup: {e}")
        if server:
            print(server.logs())
        return 1
    finally:
        if driver:
            try:
                driver.quit()
            except Exception:
                pass
            for p in reversed(driver.gk_procs):
                stop(p)
        if server:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
