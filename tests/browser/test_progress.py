"""Ticks and module progress: kept in the browser, shown everywhere, exported and imported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import PHONE, open_page

pytestmark = [pytest.mark.book, pytest.mark.pdf]

DOCKER = "sessions/s3_reproducibility/docker.html"
SESSION = "sessions/s3_reproducibility/index.html"
KEY = "mlops-handbook/02476-2026-01"


def mark_docker_done(page: Page, base_url: str) -> None:
    open_page(page, base_url + DOCKER)
    button = page.get_by_role("button", name="Mark as done")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-pressed", "true")


def tick(page: Page, base_url: str, text: str) -> None:
    open_page(page, base_url + "checklist.html")
    page.get_by_role("checkbox", name=text).check()


def test_done_modules_show_on_every_page_and_survive_a_reload(page: Page, base_url: str):
    mark_docker_done(page, base_url)
    expect(page.locator(".handbook-done-status")).to_have_text(
        "S3 · Reproducibility: 1 of 2 modules done"
    )
    page.reload()
    expect(page.get_by_role("button", name="Mark as done")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("nav.bd-docs-nav .handbook-nav-progress")).to_have_text(
        "Your progress: 1 of 34 modules done"
    )
    open_page(page, base_url + SESSION)
    expect(page.locator(".handbook-session-progress")).to_contain_text("1 of 2 modules done")
    expect(page.locator(".sd-card", has_text="M10 · Docker")).to_contain_text("✓ Done")
    expect(page.locator(".sd-card", has_text="M11 · Config Files")).not_to_contain_text("Done")
    sidebar = page.locator("nav.bd-docs-nav")
    expect(sidebar.get_by_role("link", name="Docker (done)")).to_have_count(1)
    expect(
        sidebar.get_by_role("link", name="S3 · Reproducibility (1 of 2 modules done)")
    ).to_have_count(1)
    open_page(page, base_url + "index.html")
    expect(page.locator(".handbook-progress-total")).to_have_text(
        "1 of 34 modules done, 0 of 53 checklist items ticked"
    )


def test_ticks_survive_a_reload_and_show_on_module_pages(page: Page, base_url: str):
    text = "Write Dockerfiles for training and for running the model"
    tick(page, base_url, text)
    expect(page.locator(".handbook-checklist-count")).to_have_text("1 of 53 items ticked")
    page.reload()
    expect(page.get_by_role("checkbox", name=text)).to_be_checked()
    open_page(page, base_url + DOCKER)
    expect(page.get_by_role("checkbox", name=text)).to_be_checked()
    expect(
        page.get_by_role("checkbox", name="Build the images and run them on your own machine")
    ).not_to_be_checked()


def test_export_then_import_restores_ticks_and_progress(page: Page, base_url: str, tmp_path: Path):
    mark_docker_done(page, base_url)
    tick(page, base_url, "Keep the data in a cloud storage bucket")
    open_page(page, base_url + "index.html")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export progress").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    body = json.loads(exported.read_text())
    assert body["modules"] == ["M10"]
    assert body["checklist"] == ["cloud-storage"]
    assert body["edition"] == "02476-2026-01"

    page.evaluate(f"localStorage.removeItem({json.dumps(KEY)})")
    page.reload()
    expect(page.locator(".handbook-progress-total")).to_have_text(
        "0 of 34 modules done, 0 of 53 checklist items ticked"
    )
    page.locator(".handbook-progress input[type=file]").set_input_files(exported)
    expect(page.get_by_role("status")).to_have_text(
        "Imported 1 module done and 1 checklist item ticked."
    )
    page.reload()
    expect(page.locator(".handbook-progress-total")).to_have_text(
        "1 of 34 modules done, 1 of 53 checklist items ticked"
    )


BAD_FILES = {
    "not-json": ("{modules: [", "The file is not valid JSON"),
    "other-file": ('{"name": "package"}', 'needs "format": "dtu-mlops-handbook-progress"'),
    "other-edition": (
        '{"format": "dtu-mlops-handbook-progress", "version": 1, "edition": "02476-2025-01",'
        ' "modules": [], "checklist": []}',
        'is for edition "02476-2025-01"',
    ),
    "unknown-module": (
        '{"format": "dtu-mlops-handbook-progress", "version": 1, "edition": "02476-2026-01",'
        ' "modules": ["M10", "M99"], "checklist": []}',
        'Unknown module id in "modules": M99.',
    ),
}


@pytest.mark.parametrize("name", BAD_FILES, ids=BAD_FILES.keys())
def test_import_says_what_is_wrong_and_changes_nothing(
    page: Page, base_url: str, tmp_path: Path, name: str
):
    mark_docker_done(page, base_url)
    content, message = BAD_FILES[name]
    path = tmp_path / "progress.json"
    path.write_text(content)
    open_page(page, base_url + "index.html")
    page.locator(".handbook-progress input[type=file]").set_input_files(path)
    status = page.get_by_role("status")
    expect(status).to_contain_text("Nothing was imported.")
    expect(status).to_contain_text(message)
    expect(page.locator(".handbook-progress-total")).to_contain_text("1 of 34 modules done")


def test_copy_as_markdown_and_reset(context: BrowserContext, page: Page, base_url: str):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    tick(page, base_url, "Keep the data in a cloud storage bucket")
    page.get_by_role("button", name="Copy as Markdown").click()
    expect(page.get_by_role("status")).to_contain_text("Copied 53 items as Markdown")
    markdown = page.evaluate("navigator.clipboard.readText()")
    assert markdown.startswith("## Project checklist (January 2026)\n\n### Week 1\n\n- [ ] ")
    assert "- [x] Keep the data in a cloud storage bucket (M21)\n" in markdown
    assert markdown.count("- [ ] ") == 52
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".handbook-checklist-count")).to_have_text("0 of 53 items ticked")
    page.reload()
    expect(
        page.get_by_role("checkbox", name="Keep the data in a cloud storage bucket")
    ).not_to_be_checked()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["checklist.html", "index.html", "timeplan.html", DOCKER, SESSION])
def test_the_widgets_pass_axe(page: Page, base_url: str, name: str, scheme: str):
    page.emulate_media(color_scheme=scheme)
    mark_docker_done(page, base_url)
    tick(page, base_url, "Keep the data in a cloud storage bucket")
    page.clock.set_fixed_time("2026-01-13T10:00:00+01:00")
    open_page(page, base_url + name)
    found = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
    blocking = [
        (v["id"], [n["target"] for n in v["nodes"][:3]])
        for v in found.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert blocking == []


@pytest.mark.parametrize("name", ["checklist.html", "index.html", DOCKER])
def test_the_widgets_fit_a_phone(page: Page, base_url: str, name: str):
    page.set_viewport_size(PHONE)
    mark_docker_done(page, base_url)
    open_page(page, base_url + name)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
