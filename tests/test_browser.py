"""The report in a real browser: headless Chromium (Debian's `chromium`) through Selenium.

Skipped, with the reason, where Chromium or its driver is not installed; `make test-browser`
installs both and runs these. Set REPORT_SCREENSHOT=PATH to keep the screenshot (the one in
docs/ was made so: `REPORT_SCREENSHOT=docs/report-c-1042.png make test-browser`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from goaltrack.storage import store
from helpers import EXAMPLES, SCRIPT, hostile_client, invoke

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
MISSING = [path for path in (CHROMIUM, DRIVER) if not os.path.exists(path)]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(
        bool(MISSING),
        reason=f"headless Chromium not installed ({', '.join(MISSING)} missing): "
        "`make test-browser` installs Debian's chromium and chromium-driver and runs this",
    ),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module, logging the page's console."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1100,1400"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def write_report(home: Path, client: str, out: Path) -> None:
    """The clinician's HTML report of `client`, as of the example caseload's date."""
    runner = CliRunner(env={"GOALTRACK_AS_OF": "2026-11-28"})
    result = invoke(runner, "--home", str(home), "report", client, "-o", str(out))
    assert result.exit_code == 0, result.output


def console_errors(driver: Any) -> list[str]:
    """The console messages of level SEVERE since the last call."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_report_renders_in_chromium(browser: Any, tmp_path: Path) -> None:
    """c-1042's report loads without console errors, each goal's chart is an SVG of non-zero
    size, each goal title is on the page; a full-page screenshot is taken."""
    from selenium.webdriver.common.by import By

    driver = browser
    page = tmp_path / "report.html"
    write_report(EXAMPLES, "c-1042", page)
    console_errors(driver)  # drop anything logged before this page
    driver.get(page.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    assert console_errors(driver) == []
    record = store.load("c-1042", EXAMPLES)
    text = driver.find_element(By.TAG_NAME, "body").text
    for goal in record.goals:
        assert goal.title in text
        chart = driver.find_element(By.CSS_SELECTOR, f"#goal-{goal.number} figure svg")
        assert chart.size["width"] > 0 and chart.size["height"] > 0
        assert chart.find_elements(By.CSS_SELECTOR, "circle.entry")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1100, height + 120)
    shot = tmp_path / "report.png"
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    keep = os.environ.get("REPORT_SCREENSHOT")
    if keep:
        shutil.copyfile(shot, keep)
    driver.set_window_size(1100, 1400)


def test_script_in_a_note_runs_nowhere(browser: Any, tmp_path: Path) -> None:
    """A <script>alert(1)</script> in a title, concern and notes shows as text: no alert,
    no console error, the text itself on the page."""
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    driver = browser
    home = tmp_path / "home"
    hostile_client(home)
    page = tmp_path / "hostile.html"
    write_report(home, "c-9001", page)
    console_errors(driver)
    driver.get(page.as_uri())
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018
    assert console_errors(driver) == []
    assert f"Lift mood {SCRIPT}" in driver.find_element(By.TAG_NAME, "body").text
    assert driver.find_elements(By.TAG_NAME, "script") == []


#: The printable width of A4 and Letter at the page's 14 mm side margins, in CSS pixels
#: (96 per inch): what the print layout must fit.
PRINT_WIDTHS = {"A4": round((210 - 28) / 25.4 * 96), "Letter": round((215.9 - 28) / 25.4 * 96)}


@pytest.mark.parametrize("paper", sorted(PRINT_WIDTHS))
def test_print_layout_clips_no_chart(browser: Any, tmp_path: Path, paper: str) -> None:
    """With print media at A4's or Letter's printable width, every chart lies inside the page."""
    page = tmp_path / "report.html"
    write_report(EXAMPLES, "c-1042", page)
    width = PRINT_WIDTHS[paper]
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 1200, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        browser.get(page.as_uri())
        boxes = browser.execute_script(
            "return [...document.querySelectorAll('figure svg')].map(s => {"
            "const r = s.getBoundingClientRect(); return [r.left, r.right, r.width, r.height]})"
        )
        page_width = browser.execute_script("return document.documentElement.clientWidth")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert width - 20 <= page_width <= width  # less a scroll bar, if one is drawn
    assert len(boxes) == 3
    for left, right, box_width, box_height in boxes:
        assert left >= 0 and right <= page_width
        assert box_width > 0 and box_height > 0
