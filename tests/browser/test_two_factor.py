"""Two-factor sign-in in a real browser (issue 13): set it up from the QR
code as an authenticator app would (the page's QR code, screenshotted as
the browser draws it, read back by zbar, the decoder of common QR tools),
sign out, and sign in again with the password and a code; at 1280 and
375 px, each page checked by axe-core, the console and horizontal
scrolling; screenshots kept."""

import base64
import hashlib
import hmac
import shutil
import struct
import subprocess
import urllib.parse
from datetime import datetime

import pytest

from .conftest import NOW
from .test_back_office import PASSWORD, podium, submit
from .test_browser import check_page, wait_loaded


# the server's clock (PODIUM_NOW): the codes are those of that instant
SERVER_NOW = datetime.fromisoformat(NOW).timestamp()


def totp(secret, at=SERVER_NOW):
    """RFC 6238's code of base32 secret at instant at, written here apart from liboath."""
    key = base64.b32decode(secret)
    counter = int(at) // 30
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = digest[-1] & 15
    return "%06d" % ((struct.unpack(">I", digest[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


def read_qr(png):
    """The text of the QR code in the PNG file, as zbarimg reads it."""
    if not shutil.which("zbarimg"):
        pytest.fail("zbarimg missing (Debian package zbar-tools, installed by make test)", pytrace=False)
    p = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
                       capture_output=True, timeout=60)
    assert p.returncode == 0, p.stderr.decode()
    return p.stdout.decode().strip()


@pytest.mark.parametrize("width", [1280, 375])
def test_two_factor_journey(own_server, driver_factory, axe_source, screenshot_dir, width, tmp_path):
    from selenium.webdriver.common.by import By
    server = own_server
    email = f"two-factor-{width}@example.org"
    podium(server, "user", "add", email, "--name", "Tom Two", "--password-stdin", input=PASSWORD + "\n")
    driver = driver_factory(width)
    problems = []

    def sign_in_password():
        driver.get(server("/login?next=/manage/account"))
        wait_loaded(driver)
        driver.find_element(By.ID, "email").send_keys(email)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        submit(driver, "main form button")

    sign_in_password()
    assert urllib.parse.urlsplit(driver.current_url).path == "/manage/account"
    assert "Two-factor sign-in" in driver.find_element(By.TAG_NAME, "main").text

    driver.get(server("/manage/account/totp"))
    wait_loaded(driver)
    submit(driver)  # set it up: a new secret
    problems += check_page(driver, axe_source, width, "two-factor set-up",
                           screenshot_dir / f"manage-totp-{width}.png")
    secret = driver.find_element(By.ID, "totp-secret").text.replace(" ", "")
    link = driver.find_element(By.CSS_SELECTOR, "a[href^='otpauth:']").get_attribute("href")
    png = tmp_path / "qr.png"
    driver.find_element(By.CSS_SELECTOR, ".qr svg").screenshot(str(png))
    scanned = read_qr(png)
    assert scanned == link, (scanned, link)
    uri = urllib.parse.urlsplit(scanned)
    query = urllib.parse.parse_qs(uri.query)
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    assert urllib.parse.unquote(uri.path) == f"/Podium:{email}"
    assert query["secret"] == [secret] and query["issuer"] == ["Podium"]

    # a wrong code first: the field says so, nothing is on
    driver.find_element(By.ID, "code").send_keys("000000" if totp(secret) != "000000" else "111111")
    submit(driver)
    assert driver.find_element(By.ID, "code").get_attribute("aria-invalid") == "true"
    problems += check_page(driver, axe_source, width, "two-factor wrong code", status=422)
    driver.find_element(By.ID, "code").send_keys(totp(secret))
    submit(driver)
    assert urllib.parse.urlsplit(driver.current_url).path == "/manage/account", \
        driver.find_element(By.TAG_NAME, "main").text[:1000]
    assert "Two-factor sign-in is on" in driver.find_element(By.CSS_SELECTOR, ".notice").text

    # signing in again takes the code; the code just used is taken only once
    submit(driver, "form[action='/logout'] button")
    sign_in_password()
    assert urllib.parse.urlsplit(driver.current_url).path == "/login"
    problems += check_page(driver, axe_source, width, "sign-in code",
                           screenshot_dir / f"login-code-{width}.png")
    # the code of this step was taken by the set-up: the next step's code (the server takes one step
    # either side of its own) signs in
    driver.find_element(By.ID, "code").send_keys(totp(secret, SERVER_NOW + 30))
    submit(driver)
    assert urllib.parse.urlsplit(driver.current_url).path == "/manage/account", \
        driver.find_element(By.TAG_NAME, "main").text[:1000]
    assert not problems, "\n".join(problems)
