"""The log page (``/logs``) through the Flask test client: the running station's entries
newest first, filtered by the GET form (refilled as given), "Older entries" paging by
cursor, every field of an entry, camera links, bad filters shown at their field, markup in
messages and camera names escaped, the support bundle for operators only."""

import html
import logging
import re
import time
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.remote.test_pages import assert_no_inline_code

_log = logging.getLogger("eyepi.test.page")
MARKUP = '<img src=x onerror="alert(1)">'
MARKUP_ESCAPED = "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"
ROW = re.compile(r'<span class="log-message">(.*?)</span>', re.S)


def say(message, level=logging.INFO, event="page_note", **fields):
    _log.log(level, message, extra={"event": event, "fields": fields})


def shown(web, url):
    response = web.client.get(url)
    return response.status_code, response.get_data(as_text=True)


def messages(page):
    return [html.unescape(m) for m in ROW.findall(page)]


def test_a_viewer_opens_logs_from_the_nav_and_sees_the_newest_first(web):
    for n in range(3):
        say(f"note {n}")
    web.login("vera")
    assert '<a href="/logs">Logs</a>' in web.client.get("/").get_data(as_text=True)
    status, page = shown(web, "/logs?events=page_note")
    assert status == 200
    assert messages(page) == ["note 2", "note 1", "note 0"]
    assert_no_inline_code(page)
    assert '<option value="page_note" selected>' in page
    assert 'src="/static/logs.js"' in page


def test_the_filters_narrow_and_the_form_shows_them_as_given(web):
    say("gate camera lost", logging.ERROR, "capture_failed", camera="sim-2")
    say("north bed drift", logging.WARNING, "focus_checked", camera="sim-1")
    say("capture fine", event="capture", camera_id="sim-1")
    web.login("vera")
    _, page = shown(web, "/logs?levels=WARNING&levels=ERROR&cameras=sim-1&cameras=sim-2")
    assert messages(page)[:2] == ["north bed drift", "gate camera lost"]
    assert "capture fine" not in messages(page)
    assert 'name="levels" value="WARNING" checked' in page
    assert 'name="levels" value="INFO">' in page
    assert 'name="cameras" value="sim-2" checked' in page
    _, page = shown(web, "/logs?text=DRIFT$&regex=true&ignore_case=false")
    assert messages(page) == []
    assert 'name="regex" value="true" checked' in page
    assert 'name="ignore_case" value="false" checked' in page
    assert 'id="f-text" name="text" value="DRIFT$"' in page
    _, page = shown(web, "/logs?text=drift$&regex=true&cameras=")
    assert messages(page) == ["north bed drift"]


def test_an_entry_shows_every_field_and_links_its_camera(web):
    say("capture fine", event="capture", camera_id="sim-1", took_s=0.25)
    web.login("vera")
    _, page = shown(web, "/logs?events=capture&limit=1")
    assert '<a class="log-camera" href="/cameras/sim-1/live"><bdi>sim-1</bdi></a>' in page
    fields = html.unescape(re.search(r'<pre class="log-fields">(.*?)</pre>', page, re.S)[1])
    assert '"took_s": 0.25' in fields and '"logger": "eyepi.test.page"' in fields
    assert '"ts": "' in fields and '"level": "INFO"' in fields
    assert "capture · eyepi.test.page" in page


def test_older_entries_page_by_cursor_and_back_to_the_newest(web):
    for n in range(60):
        say(f"paged {n}", event="paged")
    web.login("vera")
    _, first = shown(web, "/logs?events=paged")
    assert messages(first) == [f"paged {n}" for n in range(59, 9, -1)]
    older = html.unescape(re.search(r'href="([^"]+)" id="older"', first)[1])
    assert older.startswith("/logs?events=paged&cursor=M1.")
    _, second = shown(web, older)
    assert messages(second) == [f"paged {n}" for n in range(9, -1, -1)]
    assert 'id="older"' not in second and 'id="log-start"' in second
    assert 'href="/logs?events=paged" id="newest"' in second
    assert "data-follow-url" not in second, "an older page is not followed"


def test_the_newest_page_is_followed_with_its_filters(web):
    web.login("vera")
    _, page = shown(web, "/logs?levels=ERROR&text=lost&limit=100")
    follow = html.unescape(re.search(r'data-follow-url="([^"]+)"', page)[1])
    assert follow == "/api/v1/logs/follow?levels=ERROR&text=lost"
    assert re.search(r'data-cursor="M1\.[\w-]+"', page)
    _, until = shown(web, "/logs?until=2030-01-01T00:00")
    assert "data-follow-url" not in until, "a page ending at a time is not followed"


@pytest.mark.parametrize(
    ("query", "field", "kept"),
    [
        ("limit=100000", "limit", None),
        ("limit=-5", "limit", None),
        ("levels=LOUD", "levels", None),
        ("since=yesterday", "since", 'id="f-since" name="since" value="yesterday"'),
        ("since=2026-06-02T00:00&until=2026-06-01T00:00", "until", None),
        ("text=(unclosed&regex=true", "text", 'id="f-text" name="text" value="(unclosed"'),
        ("text=" + "x" * 501, "text", None),
        ("regex=maybe", "regex", None),
        ("cursor=L1.forged", "cursor", None),
        ("colour=red", "colour", None),
    ],
)
def test_a_bad_filter_is_shown_at_its_field_with_what_was_typed(web, query, field, kept):
    web.login("vera")
    status, page = shown(web, f"/logs?{query}")
    assert status == 400
    assert f'id="{field}-problem"' in page, page[-3000:]
    assert 'id="logs-refused"' in page and 'class="log-entry' not in page
    if kept:
        assert kept in page


def test_catastrophic_pattern_is_a_problem_at_the_text_field(web):
    say("a" * 40 + "!")
    web.login("vera")
    status, page = shown(web, "/logs?text=(a|aa)%2B$&regex=true")
    assert status == 400
    assert "too long" in re.search(r'id="text-problem">(.*?)</p>', page)[1]


def test_markup_in_messages_and_camera_names_is_escaped(web):
    say(MARKUP, camera=MARKUP)
    web.login("vera")
    _, page = shown(web, "/logs?events=page_note")
    assert MARKUP not in page
    assert f'<span class="log-message">{MARKUP_ESCAPED}</span>' in page
    assert f"<bdi>{MARKUP_ESCAPED}</bdi>" in page
    assert 'href="/cameras/%3Cimg%20src%3Dx%20onerror%3D%22alert%281%29%22%3E/live"' in page


def test_a_line_that_is_not_json_is_shown_as_written(web, station):
    web.login("vera")
    with open(station.home / "logs" / "eyepi.jsonl", "ab") as log:
        log.write(b"Traceback <most recent call last>\n")
    _, page = shown(web, "/logs?limit=1")
    assert messages(page) == ["Traceback <most recent call last>"]
    assert "Not a JSON line: shown as written." in page


@pytest.mark.parametrize(("who", "offered"), [("vera", False), ("otto", True), ("ada", True)])
def test_the_support_bundle_is_offered_to_operators(web, who, offered):
    web.login(who)
    _, page = shown(web, "/logs")
    link = 'id="support-bundle" href="/api/v1/support/bundle" download>Download support bundle'
    assert (link in page) is offered
    assert ('id="support-refusal"' in page) is not offered


def test_logging_in_is_needed(client):
    response = client.get("/logs")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_last_hour_keeps_the_filters_and_starts_an_hour_ago(web, services):
    web.login("vera")
    _, page = shown(web, "/logs?levels=ERROR&until=2030-01-01T00:00&cursor=")
    links = re.findall(r'<a class="button" href="([^"]+)">Last (hour|day)</a>', page)
    assert [words for _, words in links] == ["hour", "day"]
    hour = html.unescape(links[0][0])
    assert hour.startswith("/logs?levels=ERROR&since=") and "until" not in hour
    since = datetime.fromisoformat(parse_qs(urlsplit(hour).query)["since"][0])
    ago = time.time() - since.replace(tzinfo=services.config.tz()).timestamp()
    assert 3595 < ago < 3605
    assert web.client.get(hour).status_code == 200


def test_the_page_says_when_the_journal_cannot_be_read(web):
    say("one line", event="noted")
    web.login("vera")
    _, page = shown(web, "/logs?events=noted")
    notes = re.findall(r'<p class="note log-source-note">([^<]+)</p>', page)
    assert len(notes) == 1 and "journal" in notes[0]


MORE_OPEN = '<details class="more-filters" id="more-filters" open>'
MORE_FOLDED = '<details class="more-filters" id="more-filters">'


@pytest.mark.parametrize(
    ("query", "opened"),
    [
        ("", False),
        ("text=drift&regex=true&ignore_case=false", False),
        ("limit=50", False),  # the form always sends the first page size
        ("limit=100", True),
        ("levels=ERROR", True),
        ("cameras=sim-1", True),
        ("events=capture", True),
        ("since=2026-06-01T00:00", True),
        ("until=2030-01-01T00:00", True),
        ("since=yesterday", True),  # refused: its error shows
        ("limit=-5", True),
    ],
)
def test_more_filters_fold_unless_one_is_set(web, query, opened):
    web.login("vera")
    _, page = shown(web, f"/logs?{query}")
    assert (MORE_OPEN in page) is opened
    assert (MORE_FOLDED in page) is not opened


def test_a_refused_filter_answer_carries_what_typing_swaps_in(web):
    """logs.js swaps the entries section, the field errors and the recent links in from
    this same page's answer, a 400 one included, and puts the filter status in the form."""
    web.login("vera")
    status, page = shown(web, "/logs?text=(unclosed&regex=true")
    assert status == 400
    assert '<section class="card" aria-labelledby="entries-title" id="entries">' in page
    assert 'id="logs-refused"' in page and "data-follow-url" not in page
    field = re.search(r'<input id="f-text"[^>]*>', page)[0]
    assert 'aria-invalid="true" aria-describedby="text-problem"' in field
    assert re.search(r'<p class="error field-error" id="text-problem">[^<]*regular', page)
    assert 'id="recent"' in page
    assert '<p class="note" id="filter-status" role="status" aria-live="polite" hidden></p>' in page
    assert_no_inline_code(page)
    _, fine = shown(web, "/logs?text=unclosed")
    assert "field-error" not in fine and "aria-invalid" not in fine
    assert 'data-follow-url="/api/v1/logs/follow?text=unclosed"' in fine
