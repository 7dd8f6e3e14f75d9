"""The control-room UI in a real browser (Playwright driving Debian's chromium) against a
real `vigil serve`-style server with its alarm worker and the real chat model, on the
lobby sample clip. Every page is screenshotted into var/artifacts/ui at 1280x800 and
1920x1080 and checked with axe-core (no serious or critical violation)."""

from __future__ import annotations

import json
import os
import time
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.conftest import ALARM_SECRETS, LOBBY_START
from tests.servers import CLOCK_READER_JS, ClockCamera, VigilServer
from vigil.ingest import Ingestor
from vigil.keys import init_keys
from vigil.settings import Settings
from vigil.signing import signed_headers
from vigil.store import Store

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"  # Debian's, from make system-deps
ARTIFACTS = REPO / "var" / "artifacts" / "ui"
PASSWORD = "a long passphrase"


@pytest.fixture(scope="module")
def server(tmp_path_factory, models, shared_data):
    """A server over a data dir holding the lobby clip, two users and a signing key; the
    lobby's live stream is a camera that paints the time into each frame."""
    data = tmp_path_factory.mktemp("browser-site")
    camera = ClockCamera().start()
    policy = data / "sample.yaml"
    policy.write_text(
        (REPO / "policies" / "sample.yaml")
        .read_text(encoding="utf-8")
        .replace("  lobby:\n", f"  lobby:\n    stream: {camera.url}\n", 1),
        encoding="utf-8",
    )
    settings = Settings(data_dir=data, timezone="Europe/Amsterdam", policy_file=policy)
    store = Store(settings)
    Ingestor(settings, store, models).ingest(
        shared_data / "clips" / "one-by-one-person-detection.mp4", "lobby", LOBBY_START
    )
    store.users.add("olivia", "operator", PASSWORD, "test")
    store.users.add("sam", "supervisor", PASSWORD, "test")
    init_keys(settings.keys_dir)
    env = {
        "VIGIL_DATA_DIR": str(data),
        "VIGIL_TIMEZONE": "Europe/Amsterdam",
        "VIGIL_POLICY_FILE": str(policy),
        "VIGIL_ALARM_SOURCES": json.dumps(ALARM_SECRETS),
    }
    vigil = VigilServer(env, REPO).start()
    yield vigil.url
    vigil.stop()
    camera.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def post_alarm(url: str, seconds: float) -> str:
    body = json.dumps(
        {
            "source_event_id": uuid.uuid4().hex,
            "camera": "lobby",
            "type": "intrusion",
            "time": (LOBBY_START + timedelta(seconds=seconds)).isoformat(),
        }
    ).encode()
    headers = signed_headers("nvr", ALARM_SECRETS["nvr"], time.time(), body)
    answer = httpx.post(
        f"{url}/api/alarms", content=body, headers={**headers, "Content-Type": "application/json"}
    )
    assert answer.status_code == 202, answer.text
    return answer.json()["id"]


def wait_until(page, expression: str, timeout_s: float = 30) -> None:
    """Poll ``expression`` in the page until it is true. (Playwright's wait_for_function
    compiles its predicate with eval, which the pages' security policy rightly refuses.)"""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        time.sleep(0.1)


WIDER_THAN_THE_WINDOW = """
Array.from(document.querySelectorAll("body *"))
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map((e) => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""))
  .slice(0, 8)
"""


def checked(page, name: str) -> None:
    """Screenshot the page, see no error banner and no sideways scroll, and run axe-core."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # lazy images out of view are not fetched until scrolled to (the hour's frames)
    wait_until(page, "Array.from(document.images).every(i => i.complete || i.loading == 'lazy')")
    broken = page.evaluate(
        "Array.from(document.images).filter(i => i.complete && !i.naturalWidth).map(i => i.src)"
    )
    assert not broken, f"{name}: images that did not load: {broken}"
    size = page.viewport_size
    page.screenshot(path=ARTIFACTS / f"{name}-{size['width']}x{size['height']}.png", full_page=True)
    wider = page.evaluate(WIDER_THAN_THE_WINDOW)
    assert not wider, f"{name} at {size['width']} px scrolls sideways: {wider}"
    assert page.locator(".error").count() == 0, (
        f"{name}: {page.locator('.error').first.inner_text()}"
    )
    blocked = page.evaluate("window.__blocked || []")
    assert not blocked, f"{name}: the page's security policy blocked {blocked}"
    # axe-core from this site's origin: the pages' policy runs no inline script, axe's neither
    page.add_script_tag(url="/__test__/axe.min.js")
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{name}: {serious}"


AXE = os.environ.get("VIGIL_AXE", str(REPO / "var" / "npm" / "axe.min.js"))
# what the Content-Security-Policy blocks is noted (an init script runs outside its reach)
NOTE_BLOCKED = """
window.__blocked = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__blocked.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


def open_page(browser, **options):
    """A page that notes every Content-Security-Policy violation and serves axe-core."""
    page = browser.new_page(**options)
    page.add_init_script(NOTE_BLOCKED)
    page.route(
        "**/__test__/axe.min.js",
        lambda route: route.fulfill(path=AXE, content_type="application/javascript"),
    )
    return page


def sign_in(page, url: str, name: str) -> None:
    page.goto(f"{url}/alarms")
    assert "/login" in page.url
    checked(page, "login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/alarms")


@pytest.mark.parametrize("size", [(1440, 900), (768, 1024), (390, 844)])
def test_an_operator_works_an_alarm_a_report_search_and_the_assistant(server, browser, size):
    page = open_page(browser, viewport={"width": size[0], "height": size[1]}, accept_downloads=True)
    sign_in(page, server, "olivia")
    checked(page, "alarms-empty")

    alarm_id = post_alarm(server, 12 + size[0] % 7)  # live: the row comes by server-sent events
    row = page.locator(f"#row-{alarm_id}")
    row.wait_for(timeout=120_000)
    wait_until(
        page,
        f"!['queued', 'verifying'].includes("
        f"document.querySelector('#row-{alarm_id} .word').textContent.trim())",
        timeout_s=120,
    )
    # keyboard only: select it, open it, overrule with a reason
    page.locator("body").focus()
    page.keyboard.press("j")
    page.locator(f"#alarm-detail article[data-alarm='{alarm_id}'] .review-form").wait_for()
    checked(page, "alarm")
    page.keyboard.press("o")
    assert page.evaluate("document.activeElement.name") == "reason"
    page.keyboard.type("the cleaner, on the rota")
    page.keyboard.press("Enter")
    page.locator("#alarm-detail .review").wait_for()
    assert "the cleaner, on the rota" in page.inner_text("#alarm-detail .review")

    # its report was withdrawn with the overrule: shown as such, not offered for editing
    page.goto(f"{server}/incidents")
    checked(page, "incidents")
    page.locator("table.list a").first.click()
    assert page.locator("p.withdrawn").count() == 1 and page.locator("form.editor").count() == 0

    # the report of the next alarm was drafted when its verdict came: edit it, see the
    # version, export a PDF
    second = post_alarm(server, 30 + size[0] % 7)
    page.goto(f"{server}/alarms")
    page.locator(f"#row-{second}").wait_for(timeout=120_000)
    wait_until(
        page,
        f"!['queued', 'verifying'].includes("
        f"document.querySelector('#row-{second} .word').textContent.trim())",
        timeout_s=120,
    )
    page.click(f"#row-{second}")
    page.click(f"#alarm-detail article[data-alarm='{second}'] button[value=confirm]")
    page.locator(f"#alarm-detail article[data-alarm='{second}'] .review").wait_for()
    for _ in range(120):
        page.goto(f"{server}/incidents")
        if page.locator("table.list a").count() >= 2:
            break
        time.sleep(1)
    page.locator("table.list a").first.click()
    page.fill("#new_action", "Night guard sent to the lobby")
    with page.expect_navigation():
        page.click("form.editor button[type=submit]")
    assert "Night guard sent to the lobby" in page.inner_text("main")
    assert page.locator("ol.history li").count() >= 2
    checked(page, "incident")
    with page.expect_download() as download:
        page.click("a.button:text('PDF')")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    page.goto(f"{server}/search?q=a+person+walking")
    page.locator(".moment img").first.wait_for()
    checked(page, "search")
    page.locator(".moment a:text('Find similar')").first.click()
    page.locator(".moment img").first.wait_for()
    page.goto(f"{server}/timeline?camera=lobby")
    assert page.locator("svg.daybar .mark-person").count() > 0  # the day's people at a glance
    checked(page, "timeline")
    page.locator(".hours a.has").first.click()
    page.locator(".evidence figure a").first.click()  # any time in two clicks
    wait_until(  # the clip around the frame plays (H.264 MP4)
        page,
        "document.querySelector('video') && document.querySelector('video').readyState >= 2",
        timeout_s=60,
    )
    checked(page, "frame")
    page.goto(f"{server}/status")
    checked(page, "status")
    page.goto(f"{server}/shift?from=00:00&to=23:59")  # today's shift, in the site's clock
    checked(page, "shift")

    page.goto(f"{server}/chat")
    page.fill("#question", "Was anyone in the lobby?")
    page.keyboard.press("Enter")
    page.locator(".chat .steps-taken li").first.wait_for(timeout=5_000)  # a sign at once
    assert page.locator("#chat-form button[type=submit]").is_disabled()  # one at a time
    page.locator(".chat .cited img").first.wait_for(timeout=180_000)
    assert page.locator("#chat-form button[type=submit]").is_enabled()
    checked(page, "chat")

    with page.expect_navigation():
        page.select_option("#lang-select", "nl")
    assert "Assistent" in page.inner_text("nav")
    page.goto(f"{server}/alarms")
    assert "Alarmwachtrij" in page.inner_text("main")
    with page.expect_navigation():
        page.select_option("#lang-select", "en")
    page.close()


@pytest.mark.parametrize("size", [(1440, 900), (768, 1024), (390, 844)])
def test_a_supervisor_exports_a_span_from_the_zoomed_timeline_in_dutch(server, browser, size):
    """The lobby's hour zoomed in, a span of it exported as an evidence package: the page
    shows how far the package is, then offers it; in Dutch, at every size."""
    page = open_page(browser, viewport={"width": size[0], "height": size[1]}, accept_downloads=True)
    sign_in(page, server, "sam")
    with page.expect_navigation():
        page.select_option("#lang-select", "nl")
    start = LOBBY_START.astimezone(ZoneInfo("Europe/Amsterdam"))
    page.goto(f"{server}/policy")  # the rules, and a changed policy decided again
    assert "Nu actief" in page.inner_text("main")
    page.fill("#text", (REPO / "policies" / "sample.yaml").read_text())
    with page.expect_navigation():
        page.click("form[action='/policy/whatif'] button[type=submit]")
    assert "zouden veranderen" in page.inner_text("main")
    checked(page, "policy-whatif")
    page.goto(f"{server}/shift?from=19:00&to=07:00&day={start.date() + timedelta(days=1)}")
    with page.expect_navigation():  # the night's shift as a report, to edit and export
        page.click("form[action='/shift/report'] button")
    # the report is the site's document (this site writes English), the page is Dutch
    assert "/incidents/" in page.url and "opgesteld uit een dienstoverzicht" in page.inner_text(
        "main"
    )
    checked(page, "shift-report")
    page.goto(f"{server}/timeline?camera=lobby&day={start.date()}&hour={start.hour}")
    assert page.locator("svg.hourbar .mark-frame").count() > 10  # each frame of the hour
    checked(page, "timeline-hour")
    page.fill("#span-start", f"{start:%H:%M}")
    page.fill("#span-end", f"{start + timedelta(minutes=3):%H:%M}")
    with page.expect_navigation():
        page.click("form.export-span button[type=submit]")
    assert "/exports/" in page.url
    page.locator("#package").wait_for()
    checked(page, "export-progress")
    page.locator("a[href$='package.zip']").wait_for(timeout=300_000)
    assert "Het pakket is klaar" in page.inner_text("main")
    checked(page, "export-ready")
    with page.expect_download() as download:
        page.click("a[href$='package.zip']")
    assert zipfile.is_zipfile(download.value.path())
    page.close()


def test_a_supervisor_sees_the_audit_an_operator_does_not(server, browser):
    page = open_page(browser, viewport={"width": 1280, "height": 800})
    sign_in(page, server, "sam")
    page.goto(f"{server}/audit?check=1")
    assert "Intact" in page.inner_text("main")
    checked(page, "audit")
    page.close()
    page = open_page(browser, viewport={"width": 1280, "height": 800})
    sign_in(page, server, "olivia")
    assert page.locator("nav a:text('Audit')").count() == 0
    answer = page.goto(f"{server}/audit")
    assert answer.status == 403
    page.close()


def test_keyboard_only_sign_in_search_and_a_frame(server, browser):
    """No mouse: Tab and Enter reach every control, and the focus is always visible."""
    page = open_page(browser, viewport={"width": 1280, "height": 800})
    page.goto(f"{server}/login")
    assert page.evaluate("document.activeElement.id") == "name"  # the name field has the focus
    page.keyboard.type("olivia")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for _ in range(30):  # Tab to the Search link of the main navigation
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Search":
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "Search"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused link shows it"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # the query box has the focus (autofocus lands at the next rendering, not at load)
    wait_until(page, "document.activeElement.id === 'q'", timeout_s=10)
    page.keyboard.type("a person walking")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for _ in range(40):  # Tab to the first result's frame link
        page.keyboard.press("Tab")
        if "/frames/" in (page.evaluate("document.activeElement.getAttribute('href')") or ""):
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/frames/" in page.url and "lobby" in page.inner_text("h1")
    page.close()


@pytest.mark.parametrize("size", [(1440, 900), (768, 1024), (390, 844)])
def test_the_live_view_plays_the_camera_as_it_happens(server, browser, size):
    """The lobby live, in Dutch, at desk, tablet and phone size: frames arrive and show the
    camera's clock moving (how far behind it is, bench/live_view.py measures), the page
    never scrolls sideways, and the alarm and frame pages link to it."""
    page = open_page(browser, viewport={"width": size[0], "height": size[1]})
    sign_in(page, server, "olivia")
    with page.expect_navigation():
        page.select_option("#lang-select", "nl")
    page.goto(f"{server}/live")
    page.locator("a[href='/live/lobby']").wait_for()
    assert page.locator("video[data-live]").count() == 1  # the parking camera has no stream
    page.goto(f"{server}/live/lobby")
    wait_until(page, "document.querySelector('video').currentTime > 0", timeout_s=60)
    page.evaluate(CLOCK_READER_JS)
    wait_until(page, "window.clockLags.length >= 10", timeout_s=30)
    read = page.evaluate("window.clockLags")
    assert all(0 <= lag < 60_000 for lag in read)  # the painted clock reads back as recent
    assert page.evaluate("document.querySelector('[data-live-status]').hidden")
    assert page.locator("a[href='/timeline?camera=lobby']").inner_text() == "Tijdlijn"
    checked(page, "live")
    page.goto(f"{server}/search?q=persoon")
    page.locator("a[href^='/frames/']").first.click()
    page.locator("a[href='/live/lobby']").wait_for()  # the frame links to its camera live
    page.close()
