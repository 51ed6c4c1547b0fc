"""Fixtures for the browser tests of Podium: the pages judged from outside.

A real `podium serve` (env PODIUM_BIN, else <repo>/build/podium) runs over a
fresh database holding the three programs of examples/, with "now" fixed by
PODIUM_NOW.  The pages are driven with Debian's chromium + chromium-driver
through python3-selenium, checked with axe-core and the Nu HTML Checker
(npm packages axe-core and vnu-jar, see <repo>/package.json; vnu runs on
Debian's java).

Test output (screenshots, the printed PDF, the validator's report) goes to
<repo>/test-results/, or to env PODIUM_BROWSER_OUT if set.

The tests skip, saying what is missing, only when a tool is not installed
(`make test` installs them all).  With env PODIUM_BROWSER_STRICT=1 a missing
tool fails the tests instead.
"""

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import backend  # noqa: E402
from backend import before_command, target  # noqa: E402

TESTS_DIR = Path(__file__).resolve().parent
REPO = TESTS_DIR.parents[1]
BIN = os.environ.get("PODIUM_BIN") or str(REPO / "build" / "podium")
backend.schema_template_bin = BIN  # new databases hold the schema (backend.py)
EXAMPLES_DIR = REPO / "examples"
NOW = "2021-12-10T12:00:00+08:00"

OUT_DIR = Path(os.environ.get("PODIUM_BROWSER_OUT") or (REPO / "test-results"))
SCREENSHOT_DIR = OUT_DIR / "screenshots"

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
JAVA = shutil.which("java") or "/usr/bin/java"
NODE_MODULES = REPO / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"

INSTALL_HINT = ("install with: apt-get install -y chromium chromium-driver "
                "python3-selenium default-jre-headless nodejs npm, then "
                "`npm ci --ignore-scripts` in the repository (or run `make test`)")

# Under AddressSanitizer the server is a few times slower.
TIMEOUT = float(os.environ.get("PODIUM_TEST_TIMEOUT", "60"))


def _missing(what):
    """Skip (or, with PODIUM_BROWSER_STRICT=1, fail) because `what` is absent."""
    msg = f"{what} is not installed; {INSTALL_HINT}"
    if os.environ.get("PODIUM_BROWSER_STRICT") == "1":
        pytest.fail(msg, pytrace=False)
    pytest.skip(msg)


def _is_exe(path):
    return os.path.isfile(path) and os.access(path, os.X_OK)


@pytest.fixture(scope="session")
def browser_tools():
    """Checks that chromium, chromedriver and selenium are there."""
    if not _is_exe(CHROMIUM):
        _missing("chromium (Debian package chromium)")
    if not _is_exe(CHROMEDRIVER):
        _missing(f"{CHROMEDRIVER} (Debian package chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        _missing("selenium for Python (Debian package python3-selenium)")
    return True


@pytest.fixture(scope="session")
def vnu_tools():
    """Checks that java and the Nu HTML Checker jar are there."""
    if not _is_exe(JAVA):
        _missing("java (Debian package default-jre-headless)")
    if not VNU_JAR.is_file():
        _missing(f"{VNU_JAR} (npm package vnu-jar)")
    return [JAVA, "-jar", str(VNU_JAR)]


@pytest.fixture(scope="session")
def out_dir():
    """Where test output is kept: <repo>/test-results (or PODIUM_BROWSER_OUT)."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUT_DIR


@pytest.fixture(scope="session")
def screenshot_dir(out_dir):
    """<out_dir>/screenshots: NAME-375.png, NAME-1280.png, program-print.pdf."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


# ------------------------------------------------------------------ server

class Server:
    def __init__(self, proc, url, db):
        self.proc = proc
        self.url = url  # "http://127.0.0.1:PORT" (no trailing slash)
        self.db = db

    def __call__(self, path="/"):
        return self.url + path


def _podium(*args, db, cwd, env):
    db, env = before_command(args, db, env)
    proc = subprocess.run([BIN, "--db", str(db), *map(str, args)],
                          stdin=subprocess.DEVNULL, capture_output=True,
                          cwd=cwd, env=env, timeout=TIMEOUT)
    assert proc.returncode == 0, (
        f"podium {' '.join(map(str, args))} exited {proc.returncode}:\n"
        + proc.stderr.decode("utf-8", "replace"))


def _serve(tmp_path_factory):
    """`podium serve` over a fresh database with the three example programs (a generator)."""
    if not _is_exe(BIN):
        pytest.fail(f"no podium binary at {BIN} (run `make` or set PODIUM_BIN)",
                    pytrace=False)
    work = tmp_path_factory.mktemp("podium-browser")
    db = work / "browser.db"
    env = dict(os.environ)
    env.pop("PODIUM_DB", None)
    env.setdefault("LC_ALL", "C.UTF-8")
    env["PODIUM_NOW"] = NOW
    examples = sorted(EXAMPLES_DIR.glob("*.json"))
    assert len(examples) == 3, f"expected the three examples, found {examples}"
    for f in examples:
        _podium("import", f, db=db, cwd=work, env=env)

    stderr_path = work / "serve.stderr"
    with open(stderr_path, "wb") as errf:
        proc = subprocess.Popen(
            [BIN, "--db", str(target(db)), "serve", "--listen", "127.0.0.1:0"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errf,
            cwd=work, env=env)
    url = None
    line = b""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None:
        ready, _, _ = select.select([proc.stdout], [], [], 0.2)
        if ready:
            line = proc.stdout.readline()
            m = re.search(rb"http://127\.0\.0\.1:(\d+)/", line)
            if m:
                url = f"http://127.0.0.1:{int(m.group(1))}"
                break
    if url is None:
        proc.kill()
        proc.wait()
        pytest.fail("podium serve did not announce its address; stdout line "
                    f"{line!r}, stderr:\n{stderr_path.read_text('utf-8', 'replace')}",
                    pytrace=False)

    srv = Server(proc, url, db)
    yield srv

    proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        rc = "killed after SIGTERM timed out"
    proc.stdout.close()
    err = stderr_path.read_text("utf-8", "replace")
    assert rc == 0, f"podium serve ended with {rc} on SIGTERM; stderr:\n{err}"
    assert "Sanitizer" not in err, f"sanitizer report from podium serve:\n{err}"


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """`podium serve` over a database with the three example programs."""
    yield from _serve(tmp_path_factory)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """The same, for one module that changes what it serves (the back office)."""
    yield from _serve(tmp_path_factory)


# ------------------------------------------------------------------ browser

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
    "--force-device-scale-factor=1", "--lang=en-US",
]


def make_driver(width, height=900):
    """A fresh headless Chromium whose viewport is `width` CSS px wide."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="podium-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in CHROMIUM_ARGS:
        opts.add_argument(a)
    opts.add_argument(f"--user-data-dir={profile}")
    opts.add_argument(f"--window-size={width},{height}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=CHROMEDRIVER,
                      log_path=os.path.join(profile, "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=opts)
    driver.set_page_load_timeout(TIMEOUT)
    driver.set_script_timeout(TIMEOUT)
    # Make the viewport exactly `width` x `height` CSS px, whatever the
    # window decorations of this Chromium build.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1,
        "mobile": False})
    # Record CSP violations from the very start of every document (the
    # console also reports them; this catches them even if the log misses).
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__podiumCSP = [];"
        "document.addEventListener('securitypolicyviolation', function (e) {"
        "  window.__podiumCSP.push(e.violatedDirective + ' blocked '"
        "    + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':'"
        "    + e.lineNumber);"
        "});")})
    driver._podium_profile = profile
    return driver


def quit_driver(driver):
    try:
        driver.quit()
    finally:
        shutil.rmtree(driver._podium_profile, ignore_errors=True)


@pytest.fixture
def driver_factory(browser_tools):
    """make(width) -> a webdriver; every one made is quit at teardown."""
    made = []

    def make(width, height=900):
        d = make_driver(width, height)
        made.append(d)
        return d

    yield make
    for d in made:
        quit_driver(d)


@pytest.fixture(scope="session")
def axe_source(browser_tools):
    """The text of axe-core's axe.min.js, to inject into pages."""
    if not AXE_JS.is_file():
        _missing(f"{AXE_JS} (npm package axe-core)")
    return AXE_JS.read_text("utf-8")
