"""Today's session, worked out in the browser in Copenhagen time, before, during and after."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import open_page

pytestmark = [pytest.mark.book, pytest.mark.pdf]

WHEN = {
    "before": "2026-01-02T10:00:00+01:00",
    "first-day": "2026-01-05T08:00:00+01:00",
    "during": "2026-01-13T10:00:00+01:00",
    # 23:30 on 12 January in London is already 13 January in Copenhagen.
    "after-midnight-in-copenhagen": "2026-01-12T23:30:00+00:00",
    "project-day": "2026-01-15T10:00:00+01:00",
    "weekend": "2026-01-17T12:00:00+01:00",
    "after": "2026-01-24T10:00:00+01:00",
}
EXPECTED = {
    "before": "Starts Monday 5 January with S1 · Development Environment",
    "first-day": "Today: S1 · Development Environment",
    "during": "Today: S6 · The cloud",
    "after-midnight-in-copenhagen": "Today: S6 · The cloud",
    "project-day": "Today: Project day",
    "weekend": "No course today. Next course day: Monday 19 January, S8 · Monitoring",
    "after": "The January 2026 edition has ended.",
}


def today_on(page: Page, url: str, when: str) -> str:
    page.clock.set_fixed_time(when)
    open_page(page, url)
    banner = page.locator(".handbook-today")
    expect(banner).to_be_visible()
    return " ".join(banner.locator(".handbook-today-line").inner_text().split())


@pytest.mark.parametrize("name", ["index.html", "timeplan.html"])
@pytest.mark.parametrize("moment", WHEN, ids=WHEN.keys())
def test_the_banner_names_the_day(page: Page, base_url: str, name: str, moment: str):
    assert today_on(page, base_url + name, WHEN[moment]) == EXPECTED[moment]


def test_a_course_day_links_to_its_session_and_modules(page: Page, base_url: str):
    today_on(page, base_url + "index.html", WHEN["during"])
    banner = page.locator(".handbook-today")
    banner.get_by_role("link", name="S6 · The cloud").click()
    expect(page).to_have_url(base_url + "sessions/s6_the_cloud/index.html")
    page.go_back()
    modules = banner.locator(".handbook-today-modules a")
    expect(modules).to_have_text(["M20 · Cloud Setup", "M21 · Using the Cloud"])


def test_a_project_day_shows_its_note(page: Page, base_url: str):
    today_on(page, base_url + "index.html", WHEN["project-day"])
    expect(page.locator(".handbook-today")).to_contain_text("week 1 and week 2 items")


def test_the_time_plan_highlights_todays_row(page: Page, base_url: str):
    today_on(page, base_url + "timeplan.html", WHEN["during"])
    row = page.locator('table.handbook-timeplan tr[aria-current="date"]')
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text("Tue 13 Jan Today")


def test_no_row_is_highlighted_outside_the_course(page: Page, base_url: str):
    today_on(page, base_url + "timeplan.html", WHEN["weekend"])
    expect(page.locator('table.handbook-timeplan tr[aria-current="date"]')).to_have_count(0)


@pytest.mark.parametrize("name", ["index.html", "timeplan.html"])
def test_add_to_calendar_downloads_the_calendar(page: Page, base_url: str, site: Path, name: str):
    open_page(page, base_url + name)
    button = page.get_by_role("link", name="Add the course days to your calendar (.ics)")
    with page.expect_download() as download:
        button.click()
    saved = Path(download.value.path()).read_bytes()
    assert saved == (site / "timeplan.ics").read_bytes()
    assert saved.startswith(b"BEGIN:VCALENDAR")


def test_today_works_from_disk(page: Page, site: Path):
    page.clock.set_fixed_time(WHEN["during"])
    open_page(page, (site / "index.html").as_uri())
    line = page.locator(".handbook-today-line")
    expect(line).to_have_text("Today: S6 · The cloud")
    href = line.get_by_role("link").get_attribute("href")
    assert (site / href).is_file()
