"""Podium judged from outside, in a real browser.

The issue's bar: every page passes the Nu HTML Checker with 0 errors and
axe-core with 0 violations of any impact, loads in Chromium with no console
errors (a Content-Security-Policy violation is one), reads at 375 px wide
without horizontal scrolling, and prints the timetable cleanly.

- test_journey: open /, open the Malaysia program, pick America/Lima with
  the zone form, open the article; at 1280 and at 375 px wide; screenshots
  kept in test-results/screenshots/NAME-WIDTH.png.
- test_every_page_in_browser: every page reachable from / (and the error
  pages) in Chromium at 375 px: console, axe-core, horizontal scrolling.
- test_every_page_validates: the same pages through vnu in one run.
- test_print_*: the program page in print media and printed to PDF.
"""

import base64
import html.parser
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest


PROGRAM = "/programs/malaysia-hightech-2021"
PROGRAM_ZONE = "Asia/Shanghai"
OTHER_ZONE = "America/Lima"

# Pages that must answer with an error page (status, path).
ERROR_PAGES = [
    (404, "/no-such-page"),
    (404, "/programs/no-such-program"),
    (404, "/people/no-such-person"),
    (404, PROGRAM + "/articles/no-such-article"),
    (400, PROGRAM + "?tz=Nope/Zone"),
]
# Pages not linked from anywhere that are reached through the zone form.
FORM_PAGES = [PROGRAM + "?" + urllib.parse.urlencode({"tz": OTHER_ZONE})]
# Same-site paths that are not HTML pages and are not crawled further.
NOT_PAGES = re.compile(r"^/(static/|api/)|\.(ics|atom|xml|txt)$")
MAX_PAGES = 300
# The language of the Chinese versions of the pages, reached by each page's language link.
OTHER_LANGUAGE = "zh"
TIMEOUT = float(os.environ.get("PODIUM_TEST_TIMEOUT", "60"))


# ------------------------------------------------------------ page checks

def wait_for(driver, predicate, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if predicate():
                return
        except Exception:  # noqa: BLE001 - element not there yet, etc.
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what} "
                                 f"(at {driver.current_url})")
        time.sleep(0.05)


def wait_loaded(driver):
    wait_for(driver, lambda: driver.execute_script(
        "return document.readyState") == "complete", "the page to load")


def console_errors(driver, status=200):
    """SEVERE browser-log entries and CSP violations since the last call.
    On an error page (`status` 4xx) Chromium logs the page's own status as
    an error: that one entry is expected, and left out."""
    own = (f"{driver.current_url} - Failed to load resource: the server "
           f"responded with a status of {status} ")
    errors = [f"console {e.get('level')}: {e.get('message')}"
              for e in driver.get_log("browser") if e.get("level") == "SEVERE"
              and not (status >= 400 and e.get("message", "").startswith(own))]
    csp = driver.execute_script(
        "var v = window.__podiumCSP || []; window.__podiumCSP = []; return v;")
    errors += [f"CSP violation: {v}" for v in csp or []]
    return errors


def run_axe(driver, axe_source):
    """axe-core's violations on the current page, as readable lines."""
    driver.execute_script(axe_source + "\n;window.axe = axe;")
    result = driver.execute_async_script("""
        var done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']}).then(
            function (r) { done(JSON.stringify(r.violations)); },
            function (e) { done('ERROR ' + e); });
    """)
    if result.startswith("ERROR "):
        return [f"axe-core failed to run: {result}"]
    lines = []
    for v in json.loads(result):
        lines.append(f"axe {v['id']} ({v.get('impact')}): {v['help']} "
                     f"[{v.get('helpUrl', '')}]")
        for node in v["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {', '.join(map(str, node['target']))}: "
                         f"{node['html'][:200]}  -- {summary}")
    return lines


def horizontal_overflow(driver, width):
    """None, or a description of what sticks out past the viewport."""
    m = driver.execute_script("""
        var de = document.documentElement, out = [];
        var all = document.body.querySelectorAll('*');
        for (var i = 0; i < all.length && out.length < 5; i++) {
            var r = all[i].getBoundingClientRect();
            if (r.right > window.innerWidth + 0.5 && r.width > 0) {
                out.push(all[i].tagName.toLowerCase()
                    + (all[i].id ? '#' + all[i].id : '')
                    + (all[i].className && typeof all[i].className === 'string'
                       ? '.' + all[i].className.trim().split(/\\s+/).join('.') : '')
                    + ' right=' + Math.round(r.right));
            }
        }
        return {scrollWidth: de.scrollWidth, innerWidth: window.innerWidth,
                clientWidth: de.clientWidth, wide: out};
    """)
    assert m["innerWidth"] == width, f"viewport is {m['innerWidth']} px, not {width}"
    if m["scrollWidth"] <= m["innerWidth"]:
        return None
    return (f"horizontal scrolling at {width} px: scrollWidth {m['scrollWidth']} > "
            f"innerWidth {m['innerWidth']}; too wide: {', '.join(m['wide'])}")


def screenshot(driver, path, width):
    """Full-page PNG of the current page at `path`."""
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "scale": 1,
                 "width": max(width, int(size["width"])),
                 "height": min(16000, max(1, int(size["height"])))}})
    path.write_bytes(base64.b64decode(shot["data"]))
    # Capturing beyond the viewport may resize it: put it back.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    return path


def check_page(driver, axe_source, width, label, shot=None, status=200):
    """Every check the issue asks of a page; returns the problems found.
    `shot`: where to keep a full-page screenshot, if anywhere; `status`:
    the page's HTTP status."""
    wait_loaded(driver)
    problems = [f"{label}: {e}" for e in console_errors(driver, status)]
    overflow = horizontal_overflow(driver, width)
    if overflow:
        problems.append(f"{label}: {overflow}")
    if shot:
        screenshot(driver, shot, width)
    problems += [f"{label}: {line}" for line in run_axe(driver, axe_source)]
    # Anything logged while axe ran still counts against the page.
    problems += [f"{label}: {e}" for e in console_errors(driver)]
    return problems


def draws_chinese(driver):
    """Whether the page's font draws Chinese characters as glyphs, not as the
    boxes of a missing font: 中文 drawn on a canvas in the body's font must
    differ from two unassigned code points (which any font draws as boxes)."""
    return driver.execute_script("""
        var c = document.createElement('canvas'); c.width = 160; c.height = 60;
        var g = c.getContext('2d');
        g.font = '40px ' + getComputedStyle(document.body).fontFamily;
        function drawn(text) { g.clearRect(0, 0, 160, 60); g.fillText(text, 0, 45); return c.toDataURL(); }
        var boxes = drawn('\\u0378\\u0379');
        return drawn('中文') !== boxes && drawn('日程') !== boxes && drawn('中文') !== drawn('日程');""")


def text_of(driver, css):
    from selenium.webdriver.common.by import By
    return driver.find_element(By.CSS_SELECTOR, css).text


def texts_of(driver, css):
    from selenium.webdriver.common.by import By
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, css)]


# --------------------------------------------------------------- journey

@pytest.mark.parametrize("width", [1280, 375])
def test_journey(server, driver_factory, axe_source, screenshot_dir, width):
    """/ -> the program -> the zone form picks America/Lima -> the article."""
    from selenium.webdriver.common.by import By

    driver = driver_factory(width)
    problems = []

    driver.get(server("/"))
    wait_loaded(driver)
    assert driver.title.startswith("Programs"), driver.title
    problems += check_page(driver, axe_source, width, "/",
                           screenshot_dir / f"home-{width}.png")

    driver.find_element(By.CSS_SELECTOR, f'main a[href="{PROGRAM}"]').click()
    wait_for(driver, lambda: urllib.parse.urlsplit(
        driver.current_url).path == PROGRAM, "the program page")
    wait_loaded(driver)
    assert "Malaysia" in text_of(driver, "h1")
    assert f"Times in {PROGRAM_ZONE}" in text_of(driver, ".zone-line")
    assert texts_of(driver, ".day h3")[0] == "Thursday, 9 December 2021"
    assert texts_of(driver, ".session .time")[0] == "09:00–10:30"
    problems += check_page(driver, axe_source, width, PROGRAM,
                           screenshot_dir / f"program-{width}.png")

    # The zone form shows the zone in effect; replace it as a person would and submit.
    tz = driver.find_element(By.ID, "tz")
    tz.clear()
    driver.execute_script("arguments[0].select();", tz)
    tz.send_keys(OTHER_ZONE)
    assert tz.get_attribute("value") == OTHER_ZONE
    driver.find_element(By.CSS_SELECTOR, ".tz-form button[type=submit]").click()
    wait_for(driver, lambda: "tz=" in driver.current_url, "the zone form's answer")
    wait_loaded(driver)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(driver.current_url).query)
    assert query.get("tz") == [OTHER_ZONE], driver.current_url
    assert f"Times in {OTHER_ZONE}" in text_of(driver, ".zone-line")
    assert driver.find_element(By.ID, "tz").get_attribute("value") == OTHER_ZONE
    # 09:00 in Shanghai (UTC+8) is 20:00 the day before in Lima (UTC-5).
    days = texts_of(driver, ".day h3")
    assert days[0] == "Wednesday, 8 December 2021", days
    assert "Thursday, 9 December 2021" not in days, days
    assert texts_of(driver, ".session .time")[0] == "20:00–21:30"
    problems += check_page(driver, axe_source, width,
                           f"{PROGRAM}?tz={OTHER_ZONE}",
                           screenshot_dir / f"program-lima-{width}.png")

    link = driver.find_element(By.CSS_SELECTOR, f'main a[href^="{PROGRAM}/articles/"]')
    href = link.get_attribute("href")
    link.click()
    wait_for(driver, lambda: driver.current_url == href, "the article")
    wait_loaded(driver)
    assert "Kicked Off" in text_of(driver, "h1")
    problems += check_page(driver, axe_source, width,
                           urllib.parse.urlsplit(href).path,
                           screenshot_dir / f"article-{width}.png")

    assert not problems, (f"{len(problems)} problem(s) at {width} px:\n"
                          + "\n".join(problems))


def test_use_my_time_zone(server, driver_factory):
    """The zone field shows the zone the times are in; where JavaScript runs
    and the viewer's zone differs, a button shows the times in theirs."""
    from selenium.webdriver.common.by import By

    driver = driver_factory(1280)
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": OTHER_ZONE})
    driver.get(server(PROGRAM))
    wait_loaded(driver)
    assert driver.find_element(By.ID, "tz").get_attribute("value") == PROGRAM_ZONE
    button = driver.find_element(By.CSS_SELECTOR, ".tz-form button.use-mine")
    assert OTHER_ZONE in button.text, button.text
    button.click()
    wait_for(driver, lambda: "tz=" in driver.current_url, "the page in the viewer's zone")
    wait_loaded(driver)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(driver.current_url).query)
    assert query.get("tz") == [OTHER_ZONE], driver.current_url
    assert f"Times in {OTHER_ZONE}" in text_of(driver, ".zone-line")
    # the times are in the viewer's zone now: no button
    assert driver.find_elements(By.CSS_SELECTOR, ".tz-form button.use-mine") == []


def test_console_check_catches_csp_violation(server, driver_factory):
    """The console check is not blind: an inline script is refused by the
    page's CSP, and that shows up as an error."""
    driver = driver_factory(1280)
    driver.get(server(PROGRAM))
    wait_loaded(driver)
    assert console_errors(driver) == []
    driver.execute_script("""
        var s = document.createElement('script');
        s.textContent = 'window.__inlineRan = true;';
        document.head.appendChild(s);""")
    time.sleep(0.3)
    assert driver.execute_script("return window.__inlineRan === true") is False, \
        "an inline script ran: the Content-Security-Policy does not forbid it"
    errors = console_errors(driver)
    assert any("Content Security Policy" in e for e in errors), errors
    assert any(e.startswith("CSP violation: script-src") for e in errors), errors


# ------------------------------------------------------------ every page

class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self._form = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("a", "link", "area") and a.get("href"):
            self.links.append(a["href"])
        elif tag in ("script", "img", "source") and a.get("src"):
            self.links.append(a["src"])
        elif tag == "form" and (a.get("method") or "get").lower() == "get":
            self._form = {"action": a.get("action") or "", "fields": {}}
        elif tag == "input" and self._form is not None and a.get("name"):
            self._form["fields"][a["name"]] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            query = urllib.parse.urlencode(self._form["fields"])
            self.links.append(self._form["action"] + ("?" + query if query else ""))
            self._form = None


def fetch(url):
    """(status, content type, body bytes); HTTP errors are answers too."""
    req = urllib.request.Request(url, headers={"Accept": "text/html,*/*"})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


@pytest.fixture(scope="session")
def site(server):
    """Every same-site URL reachable from /, plus the error pages, and the
    Chinese version of every page through its language link:
    {path: (status, content type, body)}; asserts that no link is broken.
    Language links are not followed further (they lead to the same pages)."""
    origin = urllib.parse.urlsplit(server.url)
    seen = {}
    queue = ["/"] + FORM_PAGES + [p for _, p in ERROR_PAGES]
    versions = {}  # the Chinese version's path -> the page it is of
    broken = []
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        assert len(seen) < MAX_PAGES, f"more than {MAX_PAGES} pages: {sorted(seen)}"
        status, ctype, body = fetch(server(path))
        seen[path] = (status, ctype, body)
        if not ctype.startswith("text/html") or NOT_PAGES.search(path):
            continue
        parser = _Links()
        parser.feed(body.decode("utf-8", "replace"))
        for href in parser.links:
            u = urllib.parse.urlsplit(urllib.parse.urljoin(server(path), href))
            if (u.scheme, u.netloc) != (origin.scheme, origin.netloc):
                continue
            target = u.path + ("?" + u.query if u.query else "")
            lang = urllib.parse.parse_qs(u.query).get("lang")
            if lang:
                if lang == [OTHER_LANGUAGE]:
                    versions.setdefault(target, path)
            elif target not in seen and target not in queue:
                queue.append(target)
    expected = dict((p, s) for s, p in ERROR_PAGES)
    for target, of in versions.items():
        if target not in seen:
            seen[target] = fetch(server(target))
            expected[target] = expected.get(of, 200)
    for path, (status, ctype, _) in seen.items():
        want = expected.get(path, 200)
        if status != want:
            broken.append(f"{path}: HTTP {status}, expected {want} ({ctype})")
    assert not broken, "broken links or wrong statuses:\n" + "\n".join(broken)
    return seen


def html_pages(site):
    return sorted(p for p, (_, ctype, _) in site.items()
                  if ctype.startswith("text/html"))


# The kinds of page the crawl must reach: name -> test of (site, path) for a page in English.
KINDS = {
    "the program list": lambda site, p: p == "/",
    "the article list": lambda site, p: p == "/articles",
    "a program": lambda site, p: re.fullmatch(r"/programs/[^/?]+", p),
    "a program in another zone": lambda site, p: re.fullmatch(r"/programs/[^/?]+\?tz=[^&]+", p),
    "an article": lambda site, p: re.fullmatch(r"/programs/[^/]+/articles/[^/?]+", p),
    "a person": lambda site, p: re.fullmatch(r"/people/[^/?]+", p) and site[p][0] == 200,
    "a 404 page": lambda site, p: "lang=" not in p and site[p][0] == 404,
    "the 400 page for a bad zone": lambda site, p: "lang=" not in p and site[p][0] == 400,
}


def other_language_of(pages, path):
    """The Chinese version of path among pages, or None."""
    unquote = urllib.parse.unquote
    for q in pages:
        if unquote(q) in (unquote(path) + f"?lang={OTHER_LANGUAGE}", unquote(path) + f"&lang={OTHER_LANGUAGE}"):
            return q
    return None


def browser_pages(site):
    """What goes through the browser: every page, in English and in Chinese."""
    pages = html_pages(site)
    english = [p for p in pages if "lang=" not in p]
    return english + [other_language_of(pages, p) for p in english if other_language_of(pages, p)]


def test_crawl_reaches_every_kind_of_page(site):
    pages = html_pages(site)
    missing = [k for k, ok in KINDS.items() if not any(ok(site, p) for p in pages)]
    assert not missing, f"the crawl found no {missing} among {pages}"
    # Every program of examples/ is linked from /.
    programs = [p for p in pages if re.fullmatch(r"/programs/[^/?]+", p)
                and site[p][0] == 200]
    assert len(programs) == 3, programs
    # and every page in Chinese, through its language link
    english = [p for p in pages if "lang=" not in p]
    missing = [p for p in english if not other_language_of(pages, p)]
    assert not missing, f"pages without a Chinese version: {missing}"
    assert len(browser_pages(site)) == 2 * len(english)


def test_every_page_in_browser(server, site, driver_factory, axe_source):
    """Every page at 375 px, in English and in Chinese: no console error, no
    axe violation, no horizontal scrolling."""
    driver = driver_factory(375)
    problems = []
    for path in browser_pages(site):
        driver.delete_all_cookies()  # a ?lang= page set one: each page is seen as linked
        driver.get(server(path))
        problems += check_page(driver, axe_source, 375, path,
                               status=site[path][0])
    assert not problems, (f"{len(problems)} problem(s):\n" + "\n".join(problems))


def test_every_page_validates(site, vnu_tools, out_dir, tmp_path):
    """Every page through the Nu HTML Checker, in one run: 0 errors."""
    files = {}
    for i, path in enumerate(html_pages(site)):
        f = tmp_path / f"page-{i:03d}.html"
        f.write_bytes(site[path][2])
        files[f.resolve().as_uri()] = path
    proc = subprocess.run(
        vnu_tools + ["--format", "json", "--stdout", *sorted(
            urllib.parse.urlsplit(u).path for u in files)],
        capture_output=True, timeout=600)
    try:
        report = json.loads(proc.stdout.decode("utf-8"))
    except ValueError:
        pytest.fail(f"vnu gave no JSON (exit {proc.returncode}):\n"
                    f"{proc.stdout[:2000]!r}\n{proc.stderr[:2000]!r}", pytrace=False)
    (out_dir / "vnu.json").write_text(json.dumps(
        {"pages": {u: p for u, p in files.items()}, **report}, indent=1), "utf-8")

    def page_of(url):
        for u, p in files.items():
            if url and (url == u or url.endswith(urllib.parse.urlsplit(u).path)):
                return p
        return url

    errors, warnings = [], []
    for m in report.get("messages", []):
        where = (f"{page_of(m.get('url'))} line {m.get('lastLine', '?')}"
                 f" col {m.get('firstColumn', m.get('lastColumn', '?'))}")
        line = (f"{where}: {m.get('type')}"
                f"{'/' + m['subType'] if m.get('subType') else ''}: {m.get('message')}"
                f"\n    {(m.get('extract') or '').strip()!r}")
        if m.get("type") in ("error", "non-document-error") or \
                m.get("subType") == "fatal":
            errors.append(line)
        elif m.get("subType") == "warning":
            warnings.append(line)
    if warnings:
        print(f"vnu warnings ({len(warnings)}):\n" + "\n".join(warnings))
    assert not errors, (f"vnu: {len(errors)} error(s) in {len(files)} pages:\n"
                        + "\n".join(errors))
    assert len(files) >= 8


# ------------------------------------------------------------------ print

def hidden_in_print(driver, css):
    """For each element matching css: is it out of the printed page?"""
    return driver.execute_script("""
        return Array.prototype.map.call(document.querySelectorAll(arguments[0]),
            function (el) {
                for (var e = el; e; e = e.parentElement) {
                    var s = getComputedStyle(e);
                    if (s.display === 'none' || s.visibility === 'hidden') return true;
                }
                return false;
            });""", css)


HIDDEN_IN_PRINT = ["header.site nav", ".tz-form", "#tz", ".ics", ".skip",
                   "footer.site"]
SHOWN_IN_PRINT = ["main h1", ".timetable h2", ".zone-line", ".day h3",
                  ".session .time", ".session h4", ".session .items li"]


def test_print_media_hides_chrome_keeps_timetable(server, driver_factory):
    driver = driver_factory(1280)
    driver.get(server(PROGRAM))
    wait_loaded(driver)
    for css in ["header.site nav", ".tz-form"]:  # the site's and the languages' navs
        got = hidden_in_print(driver, css)
        assert got and not any(got), f"{css} not shown on screen: {got}"

    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert driver.execute_script("return matchMedia('print').matches") is True
    wrong = []
    for css in HIDDEN_IN_PRINT:
        got = hidden_in_print(driver, css)
        if not got or not all(got):
            wrong.append(f"{css} is printed (or missing): {got}")
    for css in SHOWN_IN_PRINT:
        got = hidden_in_print(driver, css)
        if not got or any(got):
            wrong.append(f"{css} is not printed (or missing): {got}")
    # A4 minus margins is about 700 CSS px: the timetable must fit across.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 700, "height": 990, "deviceScaleFactor": 1, "mobile": False})
    overflow = horizontal_overflow(driver, 700)
    if overflow:
        wrong.append(f"print: {overflow}")
    assert not wrong, "print style:\n" + "\n".join(wrong)


def test_print_to_pdf(server, driver_factory, screenshot_dir):
    driver = driver_factory(1280)
    driver.get(server(PROGRAM))
    wait_loaded(driver)
    result = driver.execute_cdp_cmd("Page.printToPDF", {
        "paperWidth": 8.27, "paperHeight": 11.69,  # A4, in inches
        "printBackground": True, "preferCSSPageSize": True})
    pdf = base64.b64decode(result["data"])
    (screenshot_dir / "program-print.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 10, f"{pages} pages printed"
    assert console_errors(driver) == []


# ------------------------------------------------------------ names in their own scripts

def test_arabic_and_chinese_names_in_one_timetable(own_server, driver_factory, screenshot_dir, tmp_path):
    """A name written in Arabic and one given in characters, in the same
    timetable of a Chinese page: each drawn in its own direction (dir="auto"),
    the Chinese in Chinese glyphs; kept as a screenshot."""
    from selenium.webdriver.common.by import By
    from .conftest import _podium
    doc = {"format": "podium-program/1", "people": [
        {"key": "liu-beimin", "name": "Liu Beimin", "honorific": "Ms.", "position": "Investigator",
         "organization": "sh-comm-fec", "translations": {"zh": {"name": "刘蓓敏（测试）"}}},
        {"key": "yu-jun", "name": "يو جون", "honorific": "Mr.", "position": "Counsellor (political affairs)",
         "organization": "cn-embassy-my"}]}
    f = tmp_path / "names.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    _podium("import", "--replace", f, db=own_server.db, cwd=tmp_path, env=dict(os.environ, LC_ALL="C.UTF-8"))
    driver = driver_factory(1280)
    driver.get(own_server("/programs/malaysia-hightech-2021?lang=zh"))
    wait_loaded(driver)
    names = {e.text: e for e in driver.find_elements(By.CSS_SELECTOR, ".items a span[dir=auto]")}
    assert "刘蓓敏（测试）" in names and "يو جون" in names, sorted(names)
    direction = "return getComputedStyle(arguments[0]).direction"
    assert driver.execute_script(direction, names["يو جون"]) == "rtl"
    assert driver.execute_script(direction, names["刘蓓敏（测试）"]) == "ltr"
    assert draws_chinese(driver)
    driver.execute_script("arguments[0].scrollIntoView()", names["يو جون"])
    screenshot(driver, screenshot_dir / "timetable-arabic-chinese-1280.png", 1280)
