"""A Dutch site walked through as its operator and supervisor would: every page, fragment
and error page is read (text, alt texts, labels, titles) and any English sentence Vigil
generated for it fails the test. What the site wrote itself (rule titles, actions, contact,
camera, user and site names) stays as written and is set aside first."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from tests.conftest import sample_alarm_site, verified_lobby_alarm
from tests.web.test_pages import PASSWORD, csrf_of, signed_in
from vigil.context import Context
from vigil.policies import load_policy
from web.app import create_app
from web.deps import get_context, login_throttle

pytestmark = pytest.mark.slow

# words that are English and not Dutch: two in one piece of text make it English
_ENGLISH_WORDS = """the and of with were are to from for by this that not nobody seen person people
    vehicle vehicles frame frames walking standing still wearing carrying left right bottom
    view report search evidence confirmed needs review false none more than which what who
    when where there here your you please will can has have been clause holds armed raised
    on at trousers grey black white red blue green yellow into its it only yet drafted
    shortened query removed characters guard keyholder send call known staff done called
    dispatched closed add write nothing described close backs stored about minute every
    sentence cites ask questions recorded answers they yes should must could would"""
ENGLISH = frozenset(_ENGLISH_WORDS.split())
WORD = re.compile(r"[a-zA-Z][a-zA-Z']*")
SHOWN_ATTRIBUTES = re.compile(r'\b(?:alt|title|aria-label|placeholder)="([^"]*)"')


def pieces(page: str) -> list[str]:
    """What a person reads of a page: its text, one piece per element, and the texts of
    its images, labels and titles."""
    page = re.sub(r"<(script|style|code)\b.*?</\1>", " ", page, flags=re.S)
    said = [html.unescape(a) for a in SHOWN_ATTRIBUTES.findall(page)]
    said += [html.unescape(t) for t in re.split(r"<[^>]+>", page)]
    return [s.strip() for s in said if s.strip()]


def english_in(page: str, site_words: list[str]) -> list[str]:
    """The pieces of a page that read as English once the site's own words are set aside."""
    found = []
    for piece in pieces(page):
        rest = piece
        for words in site_words:
            rest = rest.replace(words, " ")
        english = {w.lower() for w in WORD.findall(rest)} & ENGLISH
        if len(english) >= 2:
            found.append(f"{piece[:160]}  <- {sorted(english)}")
    return found


@pytest.fixture(scope="module")
def dutch_site(tmp_path_factory, models, shared_data):
    """The sample site of its own, writing its reports in Dutch, with an operator and a
    supervisor."""
    site = sample_alarm_site(tmp_path_factory.mktemp("dutch-site"), models, shared_data)
    ctx = Context(site.settings.model_copy(update={"language": "nl"}), site.store, site.models)
    ctx.store.users.add("walk-olivia", "operator", PASSWORD, "test")
    ctx.store.users.add("walk-sam", "supervisor", PASSWORD, "test")
    app = create_app(alarm_services=False)
    app.dependency_overrides[get_context] = lambda: ctx
    yield app, ctx
    login_throttle._failures.clear()


def site_words(ctx: Context) -> list[str]:
    """What the site wrote itself, longest first."""
    policy = load_policy(ctx.settings.policy_file)
    words = [policy.name, *ctx.store.videos.camera_names(), "walk-olivia", "walk-sam"]
    for rule in policy.rules:
        words += [rule.id, rule.title, *rule.actions, *rule.escalate_to]
    return sorted(set(words), key=len, reverse=True)


def test_a_dutch_walk_through_reads_no_english(dutch_site):
    app, ctx = dutch_site
    confirmed = verified_lobby_alarm(ctx, "dutch-walk-1", 18)
    overruled = verified_lobby_alarm(ctx, "dutch-walk-2", 20)
    operator = signed_in(app, "walk-olivia")
    operator.post("/lang", data={"lang": "nl", "next": "/alarms"})
    token = csrf_of(operator)
    operator.post(
        f"/ui/alarms/{overruled.id}/review",
        data={"decision": "overrule", "reason": "medewerker met pas", "csrf": token},
    )
    report = ctx.store.reports.find("alarm", confirmed.id)
    withdrawn = ctx.store.reports.find("alarm", overruled.id)
    frame = ctx.store.keyframes.list("lobby", limit=5)[2]
    day = confirmed.time.astimezone(ctx.settings.tz).date().isoformat()
    shift_start = confirmed.time.astimezone(ctx.settings.tz) - timedelta(hours=1)
    pages = [
        "/alarms",
        f"/alarms?selected={confirmed.id}",
        f"/ui/alarms/{confirmed.id}",
        f"/ui/alarms/{overruled.id}",
        "/alarms?view=reviewed",
        "/search?q=persoon met een zwarte broek",
        "/search?q=rode bestelbus&camera=parking",
        f"/search?similar={frame.id}",
        f"/search?q={'x' * 600}",
        "/search?q=persoon&camera=lobby&from=2020-01-01 00:00&to=2020-01-01 06:00",
        f"/timeline?camera=lobby&day={day}",
        f"/timeline?camera=lobby&day={day}&hour={confirmed.time.astimezone(ctx.settings.tz).hour}",
        f"/frames/{frame.id}",
        "/chat",
        "/incidents",
        f"/incidents/{report.id}",
        f"/incidents/{withdrawn.id}",
        "/status",
        f"/shift?from={shift_start:%H}:00&to=23:59&day={day}",
        "/live",
        "/frames/no-such-frame",
        "/no-such-page",
        "/audit",
    ]
    shift = {"from": f"{shift_start:%H}:00", "to": "23:59", "day": day, "csrf": token}
    shift_report = operator.post("/shift/report", data=shift, follow_redirects=False)
    assert shift_report.status_code == 303, shift_report.text[:300]
    pages.append(shift_report.headers["location"])  # the shift's report, in Dutch
    said = site_words(ctx)
    english = {}
    for page in pages:
        answer = operator.get(page, headers={"accept": "text/html"})
        assert answer.status_code in (200, 403, 404, 422), (page, answer.status_code)
        english.update({f"{page}: {e}": 1 for e in english_in(answer.text, said)})
        if not page.startswith("/ui/"):  # a fragment has no menu
            assert "Uitloggen" in answer.text, page  # signed in, on error pages too
    supervisor = signed_in(app, "walk-sam")
    supervisor.post("/lang", data={"lang": "nl", "next": "/audit"})
    for page in ("/audit", "/audit?action=alarm.review", f"/incidents/{report.id}", "/policy"):
        answer = supervisor.get(page)
        assert answer.status_code == 200, page
        english.update({f"{page}: {e}": 1 for e in english_in(answer.text, said)})
    # the what-if: the lobby clause moved to office hours flips the night's confirmed alarm
    text = ctx.settings.policy_file.read_text()
    lobby = "    camera: lobby\n    objects: [person]\n    when: outside office-hours\n"
    moved = text.replace(lobby, lobby.replace("outside", "during"), 1)
    assert moved != text
    whatif = supervisor.post(
        "/policy/whatif", data={"text": moved, "days": 30, "csrf": csrf_of(supervisor)}
    )
    assert whatif.status_code == 200 and "zouden veranderen" in whatif.text
    assert "bevestigd" in whatif.text and "sample/lobby/after-hours" in whatif.text
    pasted = re.sub(r"<textarea.*?</textarea>", "", whatif.text, flags=re.S)  # the site's
    english.update({f"what-if: {e}": 1 for e in english_in(pasted, said)})
    broken = supervisor.post(
        "/policy/whatif", data={"text": "site: [", "days": 30, "csrf": csrf_of(supervisor)}
    )
    assert broken.status_code == 200 and 'role="alert"' in broken.text
    assert operator.get("/policy").status_code == 403  # supervisors only
    shift_id = shift_report.headers["location"].rsplit("/", 1)[1]
    for incident, fmt in ((report.id, "html"), (report.id, "md"), (shift_id, "html")):
        # the report is the site's document: in its language
        exported = supervisor.get(f"/api/reports/{incident}/export?format={fmt}")
        assert exported.status_code == 200, exported.text[:200]
        english.update({f"{fmt} export: {e}": 1 for e in english_in(exported.text, said)})
    signed_out = TestClient(app, cookies={"vigil_lang": "nl"}).get("/login")
    english.update({f"/login: {e}": 1 for e in english_in(signed_out.text, said)})
    assert not english, "English on Dutch pages:\n" + "\n".join(english)


def test_the_english_finder_finds_english_and_lets_dutch_and_site_words_be():
    assert english_in("<p>1 person: a person in a grey top walking left</p>", [])
    assert english_in('<img alt="Evidence: 2 frames at the door">', [])
    assert not english_in("<p>1 persoon: een persoon in een grijs bovenstuk</p>", [])
    title = "Anyone in the lobby outside office hours"
    assert not english_in(f"<li>{title}: 1 persoon tegelijk in beeld</li>", [title])
