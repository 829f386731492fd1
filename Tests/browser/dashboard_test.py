#!/usr/bin/env python3
"""Drives the Errand dashboard in headless Chromium (Selenium + Debian's chromium-driver).

Needs a running server: ERRAND_URL (e.g. http://127.0.0.1:PORT/). Optional: ERRAND_TEST_TASK
(default hello), ERRAND_SCREENSHOTS (a sub-folder for the page screenshots), ERRAND_TEST_PAYLOAD (JSON, default {"name":"browser"}), ERRAND_API_KEY (then the
test signs in through the login page first), ERRAND_ARTIFACTS (screenshots; default
/tmp/errand-browser), ERRAND_RUN_TIMEOUT (seconds to wait for a run to complete; default 60).

Checks, in a real browser, what a person does: open /, go to Tasks, press the task's Test button,
type an invalid payload (an error with its position shows and no run is triggered), type a valid
payload, submit, land on the new run's page, watch its status become `completed` live (no
reload), see its result, its origin (the dashboard) and its log lines arrive live in the Logs panel
(with a level filter), go back to the runs list and find the run's row completed; then trigger a
run through the API while the runs list is open and watch its row appear and complete live; filter
the runs list by origin; publish an event through the API, find it on the Events page, open it
(payload and the runs it caused) and follow its run, whose origin links back to the event.
Screenshots of every page go to $ERRAND_ARTIFACTS/pages; on failure a screenshot of the moment
is saved and its path printed, and the exit status is 1.
"""

import json
import os
import shutil
import sys
import time
import traceback
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["ERRAND_URL"].rstrip("/") + "/"
TASK = os.environ.get("ERRAND_TEST_TASK", "hello")
PAYLOAD = os.environ.get("ERRAND_TEST_PAYLOAD", '{"name": "browser"}')
API_KEY = os.environ.get("ERRAND_API_KEY")
ARTIFACTS = os.environ.get("ERRAND_ARTIFACTS", "/tmp/errand-browser")
RUN_TIMEOUT = float(os.environ.get("ERRAND_RUN_TIMEOUT", "60"))
UI_TIMEOUT = 15

checks = []


def check(name):
    """Records a passed check and prints it."""
    checks.append(name)
    print(f"ok - {name}", flush=True)


def api(method, path, body=None):
    """Calls the HTTP API directly (bearer key when one is given); returns (status, JSON)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE.rstrip("/") + path, data=data, method=method)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if API_KEY:
        request.add_header("Authorization", f"Bearer {API_KEY}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def run_ids(task):
    """The ids of the task's runs (first page of up to 1000), newest first."""
    status, page = api("GET", f"/api/v1/runs?task={task}&limit=1000")
    assert status == 200, f"GET /api/v1/runs answered {status}: {page}"
    return [run["id"] for run in page["runs"]]


def make_driver():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1400,1000", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


def by_testid(testid):
    return (By.CSS_SELECTOR, f'[data-testid="{testid}"]')


class Page:
    """Small helpers over the driver: bounded waits, clicks, screenshots."""

    def __init__(self, driver):
        self.driver = driver
        self.wait = WebDriverWait(driver, UI_TIMEOUT)

    def find(self, testid, within=None):
        root = within or self.driver
        return WebDriverWait(self.driver, UI_TIMEOUT).until(
            lambda d: root.find_element(*by_testid(testid)), f"no element [data-testid={testid}]")

    def visible(self, testid):
        return WebDriverWait(self.driver, UI_TIMEOUT).until(
            lambda d: next((e for e in d.find_elements(*by_testid(testid)) if e.is_displayed()), None),
            f"no visible element [data-testid={testid}]")

    def until(self, what, condition, timeout=UI_TIMEOUT):
        return WebDriverWait(self.driver, timeout, poll_frequency=0.2).until(lambda d: condition(), what)

    def read(self, selector, what="textContent"):
        """An element's text or attribute, read in one script call (the page re-renders live, so
        a found element may be replaced before a second call reads it)."""
        return self.driver.execute_script(
            "const e = document.querySelector(arguments[0]);"
            "return e ? (arguments[1] === 'textContent' ? e.textContent : e.getAttribute(arguments[1])) : null;",
            selector, what)

    def hash(self):
        return self.driver.execute_script("return location.hash")

    def shot(self, name):
        folder = os.path.join(ARTIFACTS, "pages", os.environ.get("ERRAND_SCREENSHOTS", ""))
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{name}.png")
        self.driver.save_screenshot(path)
        return path


def sign_in(page):
    """With a key: the dashboard sends a signed-out visitor to the login page, rejects a wrong key, accepts the right one."""
    driver = page.driver
    driver.get(BASE + "#/tasks")
    page.until("the login page", lambda: page.hash().startswith("#/login"))
    page.visible("login-form")
    page.shot("login")
    key = page.find("login-key")
    key.send_keys("not-a-key")
    page.find("login-submit").click()
    error = page.visible("login-error")
    assert "not valid" in error.text, error.text
    check("a wrong API key shows an error on the login page")
    key.clear()
    key.send_keys(API_KEY)
    page.find("login-submit").click()
    page.until("back on the tasks page after signing in", lambda: page.hash() == "#/tasks")
    check("signing in with the API key returns to the page asked for")
    # After a reload the page has only the cookie: it fetches the CSRF token again from the session
    # route, which the trigger below needs.
    driver.refresh()
    page.visible(f"test-button-{TASK}")
    check("a reload keeps the session (the trigger below needs the CSRF token fetched again)")


def invalid_payload_triggers_nothing(page, before):
    editor = page.visible("payload-editor")
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    editor.send_keys('{"name": }')
    page.find("trigger-submit").click()
    error = page.visible("payload-editor-error")
    assert "Invalid JSON" in error.text and "column" in error.text, f"unexpected error text: {error.text!r}"
    check(f"invalid JSON shows an error with its position: {error.text!r}")
    page.shot("tasks-invalid-payload")
    assert page.hash() == "#/tasks", f"navigated away on invalid JSON: {page.hash()}"
    # Nothing was sent: the page stays, and the API lists the same runs after a round trip.
    page.driver.execute_script("return fetch('/healthz').then(r => r.status)")
    after = run_ids(TASK)
    assert after == before, f"invalid JSON triggered runs: {set(after) - set(before)}"
    check("invalid JSON triggers no run")


def json_error_positions(page):
    """The editor's JSON check, run in the page: where it places the error for a few inputs."""
    cases = {
        '{"name": }': "line 1, column 10",
        '{"a": 1,}': "line 1, column 9",
        '[1, 2': "line 1, column 6",
        '{\n  "a": tru\n}': "line 2, column 8",
        '{"a": 1}\n  x': "line 2, column 3",
        '"\\q"': "line 1, column 3",
        '': "empty",
    }
    for text, where in cases.items():
        result = page.driver.execute_script("return parsePayload(arguments[0])", text)
        assert not result["ok"] and where in result["error"], f"{text!r}: {result}"
    for text in ('{}', 'null', '[1, {"b": [true, false, null, -1.5e3, "\\u00e9"]}]', '  "x"  '):
        result = page.driver.execute_script("return parsePayload(arguments[0])", text)
        assert result["ok"] and result["value"] == json.loads(text), f"{text!r}: {result}"
        assert page.driver.execute_script("return jsonErrorAt(arguments[0])", text) is None, text
    check(f"the payload check places JSON errors by line and column ({len(cases)} invalid, 4 valid inputs)")


def server_text_is_escaped(page):
    """Rows and step tables built from hostile server strings hold them as text, never as markup."""
    evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>'
    result = page.driver.execute_script("""
        const evil = arguments[0];
        const run = {id: 'run_x', task: evil, status: 'failed', tags: [evil], createdAt: '2026-01-01T00:00:00Z',
                     progressPercent: null, progressMessage: null, errorMessage: evil};
        const step = {key: evil, kind: 'step', status: 'failed', attempts: 2, startedAt: '2026-01-01T00:00:00Z',
                      endedAt: null, outputSize: 12, error: {name: evil, message: evil}, childIDs: []};
        const box = document.createElement('div');
        box.append(runRow(run), stepsTable([step]), attemptsTimeline([{number: 1, workerID: evil,
            startedAt: '2026-01-01T00:00:00Z', endedAt: null, outcome: null, error: {name: 'E', message: evil, stack: evil}}]));
        return {markup: box.querySelectorAll('img, b').length, text: box.textContent, steps: box.querySelectorAll('[data-testid=step-row]').length};
    """, evil)
    assert result["markup"] == 0, f"server text became markup: {result}"
    assert result["text"].count(evil) >= 6, f"server text is not shown as text: {result['text']!r}"
    assert result["steps"] == 1, result
    assert not page.driver.execute_script("return window.__pwned === 1"), "a server string ran script"
    check("server strings (task, tags, errors, step keys, worker) are shown as text, never as markup")


def trigger_from_test_button(page):
    driver = page.driver
    page.find("nav-tasks").click()
    page.until("the tasks page", lambda: page.hash() == "#/tasks")
    button = page.visible(f"test-button-{TASK}")
    page.shot("tasks")
    before = run_ids(TASK)
    button.click()
    invalid_payload_triggers_nothing(page, before)

    editor = page.visible("payload-editor")
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    editor.send_keys(PAYLOAD)
    error = driver.find_element(*by_testid("payload-editor-error"))
    assert not error.is_displayed(), f"valid JSON still shows an error: {error.text!r}"
    # Start it 5 s later, so the run page opens before the run is done and must follow it live.
    driver.find_element(By.CSS_SELECTOR, '[data-testid="trigger-form"] details summary').click()
    page.visible("trigger-after").send_keys("5 seconds")
    page.shot("tasks-editor")
    page.find("trigger-submit").click()
    page.until("the new run's page", lambda: page.hash().startswith("#/runs/"))
    run_id = page.hash()[len("#/runs/"):]
    assert run_id not in before, f"landed on an old run {run_id}"
    page.visible("run-detail")
    assert page.find("run-id").text == run_id
    check(f"the Test button triggered run {run_id} and opened its page")
    return run_id


def watch_run_complete(page, run_id):
    driver = page.driver
    driver.execute_script("window.__errandNoReload = true")
    page.find("run-detail-status")
    seen = []
    live_lines = []

    def completed():
        text = page.read('[data-testid="run-detail-status"]')
        if not seen or seen[-1] != text:
            seen.append(text)
        final = text in ("completed", "failed", "canceled", "timedOut", "crashed", "expired")
        if not final and not live_lines:
            lines = page.driver.execute_script(
                "return [...document.querySelectorAll('[data-testid=log-message]')].map(e => e.textContent)")
            if lines:
                live_lines.extend(lines)
        return final and text

    final = page.until(f"run {run_id} to finish within {RUN_TIMEOUT:.0f} s (statuses seen {seen})", completed, RUN_TIMEOUT)
    assert final == "completed", f"the run ended {final}; statuses seen {seen}"
    assert seen[0] == "delayed", f"the page did not open on the delayed run: statuses seen {seen}"
    assert driver.execute_script("return window.__errandNoReload === true"), "the page reloaded"
    check(f"the run page turned completed live, without reloading (statuses seen: {' → '.join(seen)})")

    status_code, run = api("GET", f"/api/v1/runs/{run_id}")
    assert status_code == 200 and run["status"] == "completed", f"the API says {status_code} {run}"
    result = page.find("run-result").text
    assert run["result"] is not None, "the run has no result to show"
    shown = json.loads(result)
    assert shown == run["result"], f"the page shows {shown!r}, the API {run['result']!r}"
    check(f"the result is shown: {result.strip()[:80]}")
    attempts = driver.find_elements(*by_testid("attempt"))
    assert len(attempts) == len(run["attempts"]) >= 1, f"{len(attempts)} attempts shown, {len(run['attempts'])} in the API"
    payload = json.loads(page.find("run-payload").text)
    assert payload == json.loads(PAYLOAD), f"payload shown {payload!r}"
    check("the payload and the attempts timeline are shown")
    page.shot("run-detail")
    logs_panel(page, run_id, live_lines)
    origin = page.read('[data-testid="run-origin"]', "data-origin")
    assert origin == run["origin"] and origin.startswith("dashboard"), f"origin shown {origin!r}, the API {run['origin']!r}"
    if API_KEY:
        assert origin == "dashboard:browser-test", f"a signed-in trigger is recorded as {origin!r}"
    check(f"the run detail shows who triggered it: {origin}")


def logs_panel(page, run_id, live_lines):
    """The run's log lines (the task's standard error) came live while it ran, and the level select filters them."""
    assert any("payload was" in line for line in live_lines), f"no log line arrived while the run was executing: {live_lines}"
    check(f"log lines arrived live in the Logs panel while the run executed ({len(live_lines)} seen before it ended)")
    code, logs = api("GET", f"/api/v1/runs/{run_id}/logs")
    assert code == 200 and logs["lines"], f"GET logs answered {code}: {logs}"
    shown = lambda: page.driver.execute_script(
        "return [...document.querySelectorAll('[data-testid=log-line]')].filter(e => !e.hidden).map(e => e.dataset.level)")
    page.until("the stored lines in the Logs panel", lambda: len(shown()) == len(logs["lines"]))
    levels = [line["level"] for line in logs["lines"]]
    assert shown() == levels, f"the panel shows {shown()}, the API {levels}"
    select = lambda level: page.driver.execute_script(
        "const s = document.querySelector('[data-testid=log-level]'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));", level)
    select("error")
    expected = [level for level in levels if level in ("error", "critical")]
    page.until("only error lines", lambda: shown() == expected)
    if not expected:
        assert page.find("logs-empty").is_displayed(), "no line and no note at level error"
    select("trace")
    page.until("every line again", lambda: shown() == levels)
    page.shot("run-logs")
    check(f"the Logs panel lists the run's {len(levels)} stored line(s) and its level select filters them")


def origin_filter(page, dashboard_run):
    """The runs list's origin filter keeps the runs the dashboard triggered and drops the API's."""
    code, body = api("POST", f"/api/v1/tasks/{TASK}/trigger", {"payload": json.loads(PAYLOAD), "after": "1 hour"})
    assert code == 202, f"trigger answered {code}: {body}"
    api_run = body["id"]
    page.driver.get(BASE + "#/runs")
    page.find("runs-table")
    origin = page.find("filter-origin")
    origin.clear()
    origin.send_keys("dashboard", Keys.ENTER)
    page.until("the origin filter in the address", lambda: "origin=dashboard" in page.hash())
    ids = lambda: page.driver.execute_script(
        "return [...document.querySelectorAll('[data-testid=run-row]')].map(r => r.dataset.runId)")
    page.until(f"run {dashboard_run} listed", lambda: dashboard_run in ids())
    assert api_run not in ids(), f"the API's run {api_run} is listed under origin=dashboard"
    check("the runs list's origin filter keeps the dashboard's runs and drops the API's")
    page.driver.get(BASE + "#/runs?origin=robot")
    error = page.visible("runs-error")
    assert "origin" in error.text, error.text
    check(f"a bad origin filter shows the server's error: {error.text[:80]!r}")


def events_page(page):
    """An event published through the API is listed on the Events page; its page shows the payload and
    the run it caused, and that run's origin links back to it."""
    event_id = f"browser-{int(time.time() * 1000)}"
    payload = {"email": "ada@example.com", "plan": "pro", "note": "<b>not bold</b>"}
    code, body = api("POST", "/api/v1/events", {"name": "created:user:42", "payload": payload, "id": event_id})
    assert code == 201 and len(body["runs"]) == 1, f"publish answered {code}: {body}"
    run_id = body["runs"][0]
    page.find("nav-events").click()
    page.until("the events page", lambda: page.hash() == "#/events")
    row = f'[data-testid="event-row"][data-event-id="{event_id}"]'
    page.until(f"a row for event {event_id}", lambda: page.read(row) is not None)
    first = page.read('[data-testid="event-row"]', "data-event-id")
    assert first == event_id, f"the newest event is not first: {first}"
    assert page.read(f'{row} [data-testid="event-name"]') == "created:user:42"
    page.shot("events")
    check("the Events page lists the published event first")
    page.driver.find_element(By.CSS_SELECTOR, row).click()
    page.until("the event's page", lambda: page.hash() == f"#/events/{event_id}")
    page.visible("event-detail")
    shown = json.loads(page.find("event-payload").text)
    assert shown == payload, f"the payload shown is {shown!r}"
    assert not page.driver.find_elements(By.CSS_SELECTOR, '[data-testid="event-payload"] b'), "payload text became markup"
    run_row = f'[data-testid="event-run-row"][data-run-id="{run_id}"]'
    page.until("the run it caused", lambda: page.read(run_row) is not None)
    assert "welcome" in page.read(run_row), page.read(run_row)
    page.shot("event-detail")
    check(f"the event's page shows its payload and the run it caused ({run_id})")
    page.driver.find_element(By.CSS_SELECTOR, f"{run_row} a").click()
    page.until("the run's page", lambda: page.hash() == f"#/runs/{run_id}")
    page.until("the run's origin", lambda: page.read('[data-testid="run-origin"]', "data-origin") == f"event:{event_id}")
    page.driver.find_element(By.CSS_SELECTOR, '[data-testid="run-origin-link"]').click()
    page.until("back on the event's page", lambda: page.hash() == f"#/events/{event_id}")
    page.visible("event-detail")
    check("the run's origin links back to the event")
    page.driver.get(BASE + "#/events/no-such-event")
    page.until("the unknown event's page", lambda: "Event not found" in page.driver.find_element(By.TAG_NAME, "main").text)
    check("an unknown event shows Event not found")


def runs_list_shows(page, run_id):
    page.find("nav-runs").click()
    page.until("the runs page", lambda: page.hash() == "#/runs")
    page.find("runs-table")
    selector = f'[data-testid="run-row"][data-run-id="{run_id}"] [data-testid="run-status"]'
    status = page.until(f"a row for run {run_id}", lambda: page.read(selector))
    assert status == "completed", f"the row says {status}"
    check("the runs list shows the run's row with status completed")


def runs_list_live(page):
    """A run triggered elsewhere appears in the open runs list and turns completed, live."""
    page.driver.execute_script("window.__errandNoReload = true")
    body = {"payload": json.loads(PAYLOAD), "tags": ["browser-live"], "after": "5 seconds"}
    code, body = api("POST", f"/api/v1/tasks/{TASK}/trigger", body)
    assert code == 202, f"trigger answered {code}: {body}"
    run_id = body["id"]
    selector = f'[data-testid="run-row"][data-run-id="{run_id}"]'
    seen = []

    def row_status():
        status = page.read(selector, "data-status")
        if status and (not seen or seen[-1] != status):
            seen.append(status)
        return status == "completed"

    page.until(f"run {run_id} to appear completed in the open list within {RUN_TIMEOUT:.0f} s (seen {seen})",
               row_status, RUN_TIMEOUT)
    assert seen[0] == "delayed", f"the row did not appear while the run was delayed: statuses seen {seen}"
    assert page.driver.execute_script("return window.__errandNoReload === true"), "the page reloaded"
    check(f"a run triggered through the API appeared in the open runs list and turned completed live ({' → '.join(seen)})")
    tags = page.read(selector)
    assert "browser-live" in tags, f"the row does not show the tag: {tags!r}"
    page.shot("runs")

    # The tag search finds it.
    search = page.find("search")
    search.clear()
    search.send_keys("browser-live", Keys.ENTER)
    page.until("the search by tag", lambda: "q=browser-live" in page.hash())
    page.until("only tagged runs", lambda: page.driver.execute_script(
        "const rows = [...document.querySelectorAll('[data-testid=run-row]')];"
        "return rows.length > 0 && rows.some(r => r.matches(arguments[0])) && rows.every(r => r.textContent.includes('browser-live'));",
        selector))
    check("searching a tag lists the tagged run")


def load_more(page):
    """With one run per page (#/runs?limit=1), Load more appends the next page."""
    page.driver.get(BASE + "#/runs?limit=1")
    page.find("runs-table")
    count = lambda: page.driver.execute_script("return document.querySelectorAll('[data-testid=run-row]').length")
    page.until("the first page of one run", lambda: count() == 1)
    page.visible("load-more").click()
    page.until("a second page", lambda: count() == 2)
    check("Load more appends the next page of runs")


def cancel_and_replay(page):
    """Cancel a delayed run from its page (it turns canceled), then Replay it (a new run page opens)."""
    code, body = api("POST", f"/api/v1/tasks/{TASK}/trigger", {"payload": json.loads(PAYLOAD), "after": "1 hour"})
    assert code == 202, f"trigger answered {code}: {body}"
    run_id = body["id"]
    page.driver.get(BASE + f"#/runs/{run_id}")
    page.until("the delayed run's page", lambda: page.read('[data-testid="run-detail-status"]') == "delayed")
    page.visible("cancel-button").click()
    page.until("the run to turn canceled", lambda: page.read('[data-testid="run-detail-status"]') == "canceled")
    assert api("GET", f"/api/v1/runs/{run_id}")[1]["status"] == "canceled"
    check("the Cancel button cancels the run")
    page.visible("replay-button").click()
    page.until("the replay's page", lambda: page.hash().startswith("#/runs/") and page.hash() != f"#/runs/{run_id}")
    replay_id = page.hash()[len("#/runs/"):]
    page.until("the replay's page to show it", lambda: page.read('[data-testid="run-id"]') == replay_id)
    code, replay = api("GET", f"/api/v1/runs/{replay_id}")
    assert code == 200 and replay["replayOf"] == run_id, f"the replay is {code} {replay}"
    assert run_id in page.driver.find_element(By.TAG_NAME, "main").text, "the replay's page does not link the original"
    check(f"the Replay button opens the new run {replay_id} (replay of {run_id})")


def schedules_page(page):
    """Create a schedule from the form, see its next five fire times, pause, resume and delete it."""
    page.find("nav-schedules").click()
    page.until("the schedules page", lambda: page.hash() == "#/schedules")
    page.find("schedules-table")
    page.until("the task list in the form", lambda: page.driver.execute_script(
        "return [...document.querySelectorAll('[data-testid=schedule-task] option')].some(o => o.value === arguments[0])", TASK))
    page.driver.execute_script(
        "const s = document.querySelector('[data-testid=schedule-task]'); s.value = arguments[0];", TASK)
    page.find("schedule-expression").send_keys("cron(30 6 * * ? *)")
    zone = page.find("schedule-timezone")
    zone.clear()
    zone.send_keys("Europe/Paris")
    page.find("schedule-key").send_keys("browser-test")
    editor = page.find("schedule-payload")
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    editor.send_keys(PAYLOAD)
    page.find("schedule-submit").click()
    row = '[data-testid="schedule-row"][data-schedule-key="browser-test"]'
    page.until("the new schedule's row", lambda: page.read(row) is not None)
    fires = page.driver.execute_script(
        "return [...document.querySelectorAll(arguments[0] + ' [data-testid=next-fire-times] time')].map(t => t.getAttribute('datetime'))",
        row)
    assert len(fires) == 5, f"{len(fires)} fire times shown: {fires}"
    check(f"a schedule created from the form lists its next five fire times ({fires[0]} …)")
    page.shot("schedules-created")
    state = f'{row} [data-testid="schedule-state"]'
    button = lambda label: page.driver.find_element(
        By.XPATH, f"//tr[@data-schedule-key='browser-test']//button[text()='{label}']")
    button("Pause").click()
    page.until("the schedule paused", lambda: page.read(state) == "paused")
    button("Resume").click()
    page.until("the schedule resumed", lambda: page.read(state) == "active")
    button("Delete").click()
    WebDriverWait(page.driver, UI_TIMEOUT).until(lambda d: d.switch_to.alert).accept()
    page.until("the schedule gone", lambda: page.read(row) is None)
    code, body = api("GET", "/api/v1/schedules")
    assert code == 200 and not [s for s in body["schedules"] if s["key"] == "browser-test"], body
    check("pause, resume and delete work from the schedules page")

    # A bad expression shows the server's error naming the field.
    page.find("schedule-expression").send_keys("cron(nope)")
    page.find("schedule-submit").click()
    error = page.visible("schedule-error")
    assert "expression" in error.text, error.text
    check(f"a bad expression shows the server's error: {error.text[:90]!r}")


def queues_page(page):
    page.find("nav-queues").click()
    page.until("the queues page", lambda: page.hash() == "#/queues")
    page.find("queues-table")
    queue = page.until("a queue row", lambda: page.read('[data-testid="queue-row"]', "data-queue"))
    toggle = f'[data-testid="queue-toggle-{queue}"]'
    page.driver.find_element(By.CSS_SELECTOR, toggle).click()
    page.until("the queue paused", lambda: api("GET", "/api/v1/queues")[1]["queues"][0]["paused"] is True
               and page.read(toggle) == "Resume")
    page.driver.find_element(By.CSS_SELECTOR, toggle).click()
    page.until("the queue resumed", lambda: api("GET", "/api/v1/queues")[1]["queues"][0]["paused"] is False
               and page.read(toggle) == "Pause")
    check(f"queue {queue} paused and resumed from the queues page")


def other_pages(page):
    for name in ("schedules", "queues"):
        page.find(f"nav-{name}").click()
        page.until(f"the {name} page", lambda: page.hash() == f"#/{name}")
        page.find(f"{name}-table")
        page.until(f"the {name} page loaded", lambda: not page.driver.find_elements(*by_testid("page-error")))
        page.shot(name)
    check("the schedules and queues pages load")
    if not API_KEY:
        page.driver.get(BASE + "#/login")
        page.until("the login page", lambda: "no sign-in" in page.driver.find_element(By.TAG_NAME, "main").text)
        page.shot("login-open")


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    code, tasks = api("GET", "/api/v1/tasks")
    assert code == 200, f"GET /api/v1/tasks answered {code}: {tasks}"
    names = [t["name"] for t in tasks["tasks"]]
    if TASK not in names:
        print(f"FAIL: the server has no task {TASK!r} (it has {names})", file=sys.stderr)
        return 1
    driver = make_driver()
    page = Page(driver)
    try:
        if API_KEY:
            sign_in(page)
        else:
            driver.get(BASE)
            page.find("runs-table")
            check("the dashboard opens on the runs list")
        json_error_positions(page)
        server_text_is_escaped(page)
        run_id = trigger_from_test_button(page)
        watch_run_complete(page, run_id)
        runs_list_shows(page, run_id)
        runs_list_live(page)
        origin_filter(page, run_id)
        events_page(page)
        load_more(page)
        cancel_and_replay(page)
        schedules_page(page)
        queues_page(page)
        other_pages(page)
        # The answers the test provokes on purpose (the wrong key, the bad cron expression) are
        # logged by the browser; anything else severe is a bug.
        provoked = ((" - ", "/login", "status of 401"), (" - ", "/api/v1/schedules", "status of 400"),
                    (" - ", "/api/v1/runs?origin=robot", "status of 400"), (" - ", "/api/v1/events/no-such-event", "status of 404"))
        errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE" and not any(
            e.get("source") == "network" and all(part in e.get("message", "") for part in parts) for parts in provoked)]
        assert not errors, f"the browser console has errors: {errors}"
        check("no error in the browser console")
    except (AssertionError, TimeoutException, Exception) as error:  # noqa: BLE001 - any failure gets a screenshot
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = os.path.join(ARTIFACTS, f"failure-{stamp}.png")
        try:
            driver.save_screenshot(path)
            print(f"screenshot of the failure: {path}", file=sys.stderr)
            for entry in driver.get_log("browser"):
                print(f"console: {entry}", file=sys.stderr)
            print(f"page at failure: {driver.current_url}", file=sys.stderr)
        except Exception as shot_error:  # noqa: BLE001
            print(f"(no screenshot: {shot_error})", file=sys.stderr)
        traceback.print_exc()
        print(f"FAIL: {error}", file=sys.stderr)
        print(f"{len(checks)} passed, 1 failed")
        return 1
    finally:
        driver.quit()
    print(f"screenshots: {os.path.join(ARTIFACTS, 'pages')}")
    print(f"{len(checks)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
