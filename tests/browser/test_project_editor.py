"""Editing a project's page in a browser: blocks added, edited, dragged and deleted without reloads."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install -e .[test])")
from playwright.sync_api import expect  # noqa: E402

from tests.browser.conftest import LIVE_TIMEOUT_MS  # noqa: E402
from tests.conftest import make_member  # noqa: E402

pytestmark = pytest.mark.browser


def add_block(page, kind_label: str, fields: dict[str, str]) -> None:
    page.get_by_role("group", name="Add a block").get_by_role("button", name=kind_label).click()
    form = page.locator("#new-block-form")
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    form.get_by_role("button", name="Add").click()
    expect(page.locator("#new-block-form")).to_have_count(0, timeout=LIVE_TIMEOUT_MS)


def ids(page) -> list[str]:
    return [li.get_attribute("data-block-id") for li in page.locator("#block-list > li.block").all()]


def test_author_builds_a_page_of_blocks_without_reloading(open_page, live):
    make_member(live.app, "ada")
    page = open_page("ada")
    page.goto(f"{live.url}/projects/new")
    page.get_by_label("Title").fill("Voice agent")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".state-badge.draft")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    page.evaluate("window.__same_page = 1")  # gone if anything below reloads the page

    add_block(page, "Heading", {"Heading": "Architecture"})
    add_block(page, "Text", {"Text (Markdown)": "Speech in, **tools** out. <script>window.pwned = 1</script>"})
    add_block(page, "Diagram", {"Diagram (Mermaid: flowchart, sequenceDiagram, …)":
                                "flowchart LR\n  Mic --> ASR --> LLM --> TTS"})
    blocks = page.locator("#block-list > li.block")
    expect(blocks).to_have_count(3)
    expect(blocks.nth(1).locator("strong")).to_have_text("tools")
    # Mermaid draws the diagram in the browser; the script in the text never ran.
    expect(blocks.nth(2).locator(".mermaid-diagram svg")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    assert page.evaluate("window.pwned") is None

    # Edit the heading in place.
    blocks.nth(0).get_by_role("button", name="Edit").click()
    page.locator("#block-list input[name=text]").fill("How it works")
    page.locator("#block-list").get_by_role("button", name="Save").click()
    expect(blocks.nth(0)).to_contain_text("How it works", timeout=LIVE_TIMEOUT_MS)

    # Drag the diagram up by its handle, in small steps as a hand would; the order the page shows
    # is the order saved (where exactly it lands depends on the pointer, as for a person).
    diagram = blocks.nth(2).get_attribute("data-block-id")
    handle, top = blocks.nth(2).locator(".drag-handle").bounding_box(), blocks.nth(0).bounding_box()
    with page.expect_response(lambda r: "/blocks/order" in r.url, timeout=30_000):  # the new order is saved
        page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
        page.mouse.down()
        page.mouse.move(top["x"] + 40, top["y"] + 20, steps=15)
        page.mouse.move(top["x"] + 40, top["y"] + 4, steps=5)
        page.mouse.up()
    page.wait_for_load_state("networkidle")
    dragged = ids(page)
    assert dragged.index(diagram) < 2, dragged  # it moved up

    # The last block up one place with its arrow button (keyboard friendly).
    last = dragged[-1]
    blocks.nth(2).get_by_role("button", name="Move up").click()
    expect(blocks.nth(1)).to_have_attribute("data-block-id", last, timeout=LIVE_TIMEOUT_MS)

    # Delete the text block (accepting the confirmation).
    page.once("dialog", lambda dialog: dialog.accept())
    blocks.filter(has_text="Speech in").get_by_role("button", name="Delete").click()
    expect(blocks).to_have_count(2, timeout=LIVE_TIMEOUT_MS)
    assert page.evaluate("window.__same_page") == 1

    # The order survived: a reload shows the blocks as they were left, the diagram drawn.
    shown = ids(page)
    page.reload()
    expect(page.locator("#block-list > li.block")).to_have_count(2)
    assert ids(page) == shown
    expect(page.locator("#block-list .mermaid-diagram svg")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
