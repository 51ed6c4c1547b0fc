"""The back office in a real browser (issue 13): sign in, create a program,
give it a session of two speeches (one on behalf of someone), import a
roster, and see all of it on the public page; at 1280 and 375 px, every page
checked by axe-core (no violation), with no console error and no horizontal
scrolling; screenshots kept; every back-office page through the Nu HTML
Checker."""

import html
import http.client
import json
import os
import re
import subprocess
import urllib.parse

import pytest

from .conftest import BIN, TIMEOUT
from .test_browser import check_page, wait_for, wait_loaded

PASSWORD = "correct horse battery staple"
ROSTER = ("name,position,organization,country,email,role,status\n"
          "Aminah Yusof,Deputy Director,Ministry of Investment,MY,aminah@example.my,participant,invited\n"
          "Tan Wei Ming,Senior Officer,Ministry of Investment,MY,tan@example.my,participant,confirmed\n")


def podium(server, *args, input=None):
    from backend import before_command
    db, env = before_command(args, server.db, dict(os.environ, LC_ALL="C.UTF-8"))
    p = subprocess.run([BIN, "--db", str(db), *args], input=(input or "").encode(), capture_output=True,
                       timeout=TIMEOUT, env=env)
    assert p.returncode == 0, p.stderr.decode()
    return p.stdout.decode()


@pytest.fixture(scope="module")
def admin(own_server):
    server = own_server
    email = "browser-admin@example.org"
    podium(server, "user", "add", email, "--name", "Ada Admin", "--admin", "--password-stdin",
           input=PASSWORD + "\n")
    return email


def sign_in(driver, server, email):
    from selenium.webdriver.common.by import By
    driver.get(server("/login?next=/manage"))
    wait_loaded(driver)
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button").click()
    wait_for(driver, lambda: urllib.parse.urlsplit(driver.current_url).path == "/manage", "/manage")
    wait_loaded(driver)


def fill(driver, values):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    for name, value in values.items():
        el = driver.find_element(By.NAME, name)
        if el.tag_name == "select":
            Select(el).select_by_value(value)
        elif el.get_attribute("type") in ("date", "datetime-local"):
            # typed as a person types into the control: date, then time
            driver.execute_script("arguments[0].value = arguments[1]", el, value)
        else:
            el.clear()
            el.send_keys(value)


def submit(driver, css="main form.form button[type=submit]", button=None):
    """Clicks the form's button (the last one, or button) and waits for the next page."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    old = driver.find_element(By.TAG_NAME, "html")
    (button or driver.find_elements(By.CSS_SELECTOR, css)[-1]).click()

    def gone(_):
        # the old page's root is stale once the next page replaced it; caught while the
        # document is being replaced, Chromium says so in other words (an inspector error)
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            if "does not belong to the document" in str(e):
                return True
            raise

    WebDriverWait(driver, TIMEOUT).until(gone)
    wait_loaded(driver)


@pytest.mark.parametrize("width", [1280, 375])
def test_back_office_journey(own_server, admin, driver_factory, axe_source, screenshot_dir, width, tmp_path):
    from selenium.webdriver.common.by import By
    server = own_server
    slug = f"browser-seminar-{width}"
    driver = driver_factory(width)
    problems = []
    sign_in(driver, server, admin)
    problems += check_page(driver, axe_source, width, "/manage", screenshot_dir / f"manage-{width}.png")

    # a new program
    driver.get(server("/manage/new-program"))
    wait_loaded(driver)
    fill(driver, {"slug": slug, "title": "Seminar on Digital Trade for Officials", "kind": "seminar",
                  "mode": "hybrid", "timezone": "Asia/Shanghai", "starts_on": "2026-03-02",
                  "ends_on": "2026-03-13", "host": "mofcom", "organizer": "mofcom"})
    submit(driver)
    assert urllib.parse.urlsplit(driver.current_url).path == f"/manage/programs/{slug}", \
        driver.find_element(By.TAG_NAME, "main").text[:2000]
    problems += check_page(driver, axe_source, width, "program form",
                           screenshot_dir / f"manage-program-{width}.png")

    # a session of two speeches, one on behalf of someone
    driver.get(server(f"/manage/programs/{slug}/new-session"))
    wait_loaded(driver)
    fill(driver, {"key": "opening", "title": "Opening ceremony", "kind": "ceremony",
                  "starts_at": "2026-03-02T09:00", "ends_at": "2026-03-02T10:30",
                  "items-0-kind": "speech", "items-0-speaker": "yu-jun", "items-0-title": "Welcome address",
                  "items-1-kind": "speech", "items-1-speaker": "liu-beimin",
                  "items-1-title": "Remarks for the organizer",
                  "items-1-on_behalf_of": "the Ministry of Commerce"})
    submit(driver)
    assert urllib.parse.urlsplit(driver.current_url).path == f"/manage/programs/{slug}/sessions", \
        driver.find_element(By.TAG_NAME, "main").text[:2000]
    problems += check_page(driver, axe_source, width, "sessions", screenshot_dir / f"manage-sessions-{width}.png")
    driver.get(server(f"/manage/programs/{slug}/sessions/opening"))
    problems += check_page(driver, axe_source, width, "session form",
                           screenshot_dir / f"manage-session-{width}.png")

    # a roster, checked then imported
    roster = tmp_path / "delegation.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    driver.get(server(f"/manage/programs/{slug}/roster"))
    wait_loaded(driver)
    driver.find_element(By.ID, "file").send_keys(str(roster))
    submit(driver)
    assert "What importing this file does" in driver.find_element(By.TAG_NAME, "main").text
    assert "aminah-yusof" in driver.find_element(By.TAG_NAME, "main").text
    problems += check_page(driver, axe_source, width, "roster check",
                           screenshot_dir / f"manage-roster-{width}.png")
    submit(driver, button=driver.find_element(By.XPATH, "//button[text()='Import it']"))
    assert "The roster was imported." in driver.find_element(By.TAG_NAME, "main").text

    # a field error, shown beside its field
    driver.get(server(f"/manage/programs/{slug}"))
    wait_loaded(driver)
    fill(driver, {"timezone": "Mars/Base"})
    submit(driver)
    assert "not a time zone" in driver.find_element(By.ID, "timezone-error").text
    problems += check_page(driver, axe_source, width, "program form with an error", status=422)

    # all of it on the public page
    driver.get(server(f"/programs/{slug}"))
    wait_loaded(driver)
    text = driver.find_element(By.TAG_NAME, "main").text
    for needle in ("Seminar on Digital Trade for Officials", "Opening ceremony", "Welcome address",
                   "Remarks for the organizer", "the Ministry of Commerce"):
        assert needle in text, needle
    assert "aminah@example.my" not in driver.page_source
    problems += check_page(driver, axe_source, width, "public page", screenshot_dir / f"public-new-{width}.png")
    assert not problems, "\n".join(problems)


def back_office_paths(admin, slug="malaysia-hightech-2021"):
    """Every page of the back office that a GET shows (the examples' program and records)."""
    return ["/login", "/manage", "/manage/account", "/manage/account/totp", "/manage/audit",
            "/manage/new-program", "/manage/users", f"/manage/users/{admin}",
            f"/manage/programs/{slug}", f"/manage/programs/{slug}/phases", f"/manage/programs/{slug}/venues",
            f"/manage/programs/{slug}/enrolments", f"/manage/programs/{slug}/sessions",
            f"/manage/programs/{slug}/sessions/opening-ceremony", f"/manage/programs/{slug}/new-session",
            f"/manage/programs/{slug}/roster", f"/manage/programs/{slug}/articles",
            f"/manage/programs/{slug}/new-article", f"/manage/programs/{slug}/articles/opening-kicked-off",
            f"/manage/programs/{slug}/articles/opening-kicked-off/revisions",
            f"/manage/programs/{slug}/articles/opening-kicked-off?translation=zh",
            f"/manage/programs/{slug}/articles/opening-kicked-off/photos", "/manage/people", "/manage/people/yu-jun",
            "/manage/people/yu-jun/delete", "/manage/new-person", "/manage/organizations",
            "/manage/organizations/mofcom", "/manage/organizations/mofcom/delete", "/manage/new-organization"]


def test_back_office_in_chinese(own_server, admin, driver_factory, axe_source, screenshot_dir):
    """Every back-office page in Chinese at 375 px: no axe violation, no console
    error, no horizontal scrolling, its interface Chinese and drawn in Chinese glyphs."""
    from selenium.webdriver.common.by import By
    from .test_browser import draws_chinese
    server = own_server
    driver = driver_factory(375)
    sign_in(driver, server, admin)
    problems = []
    for path in back_office_paths(admin)[1:]:
        zh = path + ("&" if "?" in path else "?") + "lang=zh"
        driver.get(server(zh))
        wait_loaded(driver)
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh", path
        shot = screenshot_dir / "manage-zh-375.png" if path == "/manage" else None
        problems += check_page(driver, axe_source, 375, zh, shot)
    driver.get(server("/manage/programs/malaysia-hightech-2021?lang=zh"))
    wait_loaded(driver)
    assert "保存" in driver.find_element(By.TAG_NAME, "main").text
    assert draws_chinese(driver)
    assert not problems, "\n".join(problems)


def _get(server, path, cookie):
    u = urllib.parse.urlsplit(server("/"))
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=TIMEOUT)
    c.request("GET", path, headers={"Cookie": cookie})
    r = c.getresponse()
    return r.status, r.read()


def test_back_office_pages_validate(own_server, admin, vnu_tools, tmp_path, out_dir):
    """Every back-office page (and a form with errors) through the Nu HTML Checker: 0 errors."""
    server = own_server
    import urllib.request
    u = urllib.parse.urlsplit(server("/"))
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=TIMEOUT)
    conn.request("GET", "/login")
    r = conn.getresponse()
    login_page = r.read().decode()
    pre = re.search(r"podium_login=([^;]+)", r.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrf" value="([^"]+)"', login_page).group(1)
    body = urllib.parse.urlencode({"csrf": token, "email": admin, "password": PASSWORD}).encode()
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=TIMEOUT)
    conn.request("POST", "/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"podium_login={pre}"})
    r = conn.getresponse()
    r.read()
    cookie = "podium_session=" + re.search(r"podium_session=([^;]+)", r.getheader("Set-Cookie")).group(1)
    paths = back_office_paths(admin) + [podium(server, "user", "reset", admin).strip()]
    # and each in Chinese too
    paths += [p + ("&" if "?" in p else "?") + "lang=zh" for p in paths]
    files = {}
    for i, path in enumerate(paths):
        status, data = _get(server, path, cookie)
        assert status == 200, (path, status)
        f = tmp_path / f"manage-{i:02d}.html"
        f.write_bytes(data)
        files[str(f)] = path
    # the two-factor page while a secret is pending (its QR code an inline <svg>)
    status, data = _get(server, "/manage", cookie)
    token = re.search(r'name="csrf" value="([^"]+)"', data.decode()).group(1)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=TIMEOUT)
    conn.request("POST", "/manage/account/totp/begin", body=urllib.parse.urlencode({"csrf": token}).encode(),
                 headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    r = conn.getresponse()
    r.read()
    assert r.status == 303, r.status
    status, data = _get(server, "/manage/account/totp", cookie)
    assert status == 200 and b'id="totp-secret"' in data, status
    f = tmp_path / "manage-totp-pending.html"
    f.write_bytes(data)
    files[str(f)] = "/manage/account/totp (pending)"
    proc = subprocess.run(vnu_tools + ["--format", "json", "--stdout", *files], capture_output=True, timeout=600)
    report = json.loads(proc.stdout.decode("utf-8"))
    errors = [f"{files.get(urllib.parse.urlsplit(m.get('url', '')).path, m.get('url'))} line {m.get('lastLine')}: "
              f"{m.get('message')} {(m.get('extract') or '').strip()!r}"
              for m in report.get("messages", []) if m.get("type") in ("error", "non-document-error")]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("width", [1280, 375])
def test_newsroom_journey(own_server, driver_factory, axe_source, screenshot_dir, width, tmp_path):
    """An editor writes an article, previews it (the live preview of the
    script) and submits it; a reviewer compares the revisions and publishes
    it; the public page shows it. Every page checked by axe-core."""
    from selenium.webdriver.common.by import By
    server = own_server
    slug = "malaysia-hightech-2021"
    key = f"lab-visit-{width}"
    editor, reviewer = f"ed-{width}@example.org", f"rev-{width}@example.org"
    for email, role, person in ((editor, "editor", "guan-rui"), (reviewer, "reviewer", "chen-wei")):
        podium(server, "user", "add", email, "--name", role, "--person", person, "--password-stdin",
               input=PASSWORD + "\n")
        podium(server, "role", "grant", email, role, slug)
    problems = []
    driver = driver_factory(width)
    sign_in(driver, server, editor)
    driver.get(server(f"/manage/programs/{slug}/new-article"))
    wait_loaded(driver)
    fill(driver, {"key": key, "title": "Officials visit an AI laboratory"})
    body = driver.find_element(By.NAME, "body_markdown")
    body.send_keys("The officials visited **the laboratory** of the base.")
    wait_for(driver, lambda: "the laboratory" in driver.find_element(By.ID, "preview").get_attribute("innerHTML")
             and "<strong>" in driver.find_element(By.ID, "preview").get_attribute("innerHTML"), "live preview")
    problems += check_page(driver, axe_source, width, "new article", screenshot_dir / f"article-new-{width}.png")
    submit(driver, button=driver.find_element(By.CSS_SELECTOR, "button[value=save]"))
    assert urllib.parse.urlsplit(driver.current_url).path == f"/manage/programs/{slug}/articles/{key}"
    # two photos, sent at once
    from PIL import Image
    files = []
    for n, color in ((1, (190, 40, 40)), (2, (40, 90, 190))):
        f = tmp_path / f"lab-{n}.jpg"
        Image.new("RGB", (1200, 800), color).save(f, "JPEG")
        files.append(str(f))
    driver.get(server(f"/manage/programs/{slug}/articles/{key}/photos"))
    wait_loaded(driver)
    driver.find_element(By.ID, "files").send_keys("\n".join(files))
    fill(driver, {"new_caption": "Officials at the laboratory"})
    submit(driver, css="main form.photos-form button[type=submit]")
    assert len(driver.find_elements(By.CSS_SELECTOR, "img.thumbnail")) == 2
    problems += check_page(driver, axe_source, width, "photos", screenshot_dir / f"article-photos-{width}.png")
    driver.get(server(f"/manage/programs/{slug}/articles/{key}"))
    wait_loaded(driver)
    fill(driver, {"body_markdown": "The officials visited **the AI laboratory** of the base."})
    submit(driver, button=driver.find_element(By.CSS_SELECTOR, "button[value=submit]"))
    assert "In review" in driver.find_element(By.TAG_NAME, "main").text or "in review" in \
        driver.find_element(By.TAG_NAME, "main").text
    driver.delete_all_cookies()
    sign_in(driver, server, reviewer)
    driver.get(server(f"/manage/programs/{slug}/articles"))
    problems += check_page(driver, axe_source, width, "articles", screenshot_dir / f"articles-desk-{width}.png")
    driver.get(server(f"/manage/programs/{slug}/articles/{key}/revisions"))
    wait_loaded(driver)
    assert driver.find_elements(By.CSS_SELECTOR, "table.compare ins")
    problems += check_page(driver, axe_source, width, "revisions", screenshot_dir / f"revisions-{width}.png")
    driver.get(server(f"/manage/programs/{slug}/articles/{key}"))
    wait_loaded(driver)
    submit(driver, button=driver.find_element(By.CSS_SELECTOR, "button[value=publish]"))
    driver.get(server(f"/programs/{slug}/articles/{key}"))
    wait_loaded(driver)
    main = driver.find_element(By.TAG_NAME, "main")
    assert "the AI laboratory" in main.text
    # the photos, each with its caption (a gallery: the text places neither), and the credits
    figures = driver.find_elements(By.CSS_SELECTOR, ".gallery figure picture img")
    assert len(figures) == 2
    for f in figures:  # lazy after the first: each loads once scrolled to
        driver.execute_script("arguments[0].scrollIntoView()", f)
        wait_for(driver, lambda: f.get_attribute("naturalWidth") not in ("0", None), "a photo loaded")
    driver.execute_script("window.scrollTo(0, 0)")
    assert main.text.count("Officials at the laboratory") >= 2
    assert "Photographed by" in main.text and "Reviewed by" in main.text
    problems += check_page(driver, axe_source, width, "published", screenshot_dir / f"article-published-{width}.png")
    assert not problems, "\n".join(problems)
