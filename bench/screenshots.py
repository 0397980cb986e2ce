"""Screenshots for issue 14's closing note: the matrix, the edit form, the portfolio page and the
first page of the mission and portfolio PDFs, from a running server.

    .venv/bin/python bench/screenshots.py --base-url http://127.0.0.1:8101 --output DIR
                                          [--small DIR] [--project DIR] [--mission MONUC]
                                          [--assessment 2] [--portfolio-path /portfolio/]

Signs in with the demo accounts (`manage.py ensure_demo_accounts`): the planner shoots the
matrix (the recommendations page of --assessment) and the edit form of a new draft of --mission
(started from the mission page, as a planner would), each 1280 and 390 px wide, plus one screen
of the form at its Context section (`form-<width>-context-screen`); the HQ reviewer shoots the
portfolio page, if the server has one. Page shots are full-page, at device scale 1, in British
English. The PDFs come from --project's `manage.py report` (default: this checkout), run with
this process's environment: point DATABASE_URL at the server's database. Run it on fresh sample
data (`load_sample_data`): it starts a draft of --mission, and a report of a mission with a draft
may show the draft.

DIR gets the full shots, the PDFs and their first pages at --pdf-dpi, and `pages.json` (each
page's address, status, size, header height and the top of its first table in CSS px, where a
scroll width over the viewport's means sideways scrolling; each PDF's page count).
--small DIR gets copies for the docs: page shots cut to their first --crop px, PDF pages at 60 dpi,
in 256 colours where that is smaller (a warning names any file still over --max-kb).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

ACCOUNTS = {"planner": "planner-demo-2007", "reviewer": "reviewer-demo-2007"}
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
SMALL_PDF_DPI = 60


# The page's size, the header's height and where the first table (the matrix) starts, in CSS px.
MEASURE = """() => {
    const root = document.documentElement, header = document.querySelector("header");
    const table = document.querySelector("main table");
    return [root.scrollWidth, root.scrollHeight, header ? header.offsetHeight : 0,
            table ? Math.round(table.getBoundingClientRect().top + window.scrollY) : -1];
}"""


SAVE_BAR_ON_SCREEN = """() => {
    const bar = document.querySelector(".sticky-actions");
    if (!bar) return 0;
    const box = bar.getBoundingClientRect();
    return Math.max(0, Math.round(Math.min(box.bottom, innerHeight) - Math.max(box.top, 0)));
}"""


@dataclass
class Shot:
    name: str
    url: str
    status: int
    width: int
    scroll_width: int
    height: int
    header_height: int
    first_table_top: int


def main() -> None:
    args = _arguments()
    args.output.mkdir(parents=True, exist_ok=True)
    if args.small:
        args.small.mkdir(parents=True, exist_ok=True)
    # The PDFs first: the form's shot leaves a new draft behind, which a report could pick up.
    pdfs = _pdf_shots(args)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        shots, bars = _page_shots(browser, args)
        browser.close()
    record = {"pages": [asdict(shot) for shot in shots], "save_bar_px": bars, "pdfs": pdfs}
    (args.output / "pages.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    for shot in shots:
        print(
            f"{shot.name}: {shot.status} {shot.scroll_width}x{shot.height} px, header "
            f"{shot.header_height} px, first table at {shot.first_table_top} px  {shot.url}"
        )
    for name, bar in bars.items():
        print(f"{name}: the save bar covers {bar} px of the screen")
    for name, pdf in pdfs.items():
        print(f"{name}: {pdf['file']}, {pdf['pages']} pages")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--small", type=Path, help="directory for reduced copies (docs)")
    parser.add_argument("--project", type=Path, default=ROOT, help="checkout whose manage.py")
    parser.add_argument("--mission", default="MONUC")
    parser.add_argument("--assessment", type=int, default=2, help="the matrix's assessment")
    parser.add_argument("--portfolio-path", default="/portfolio/")
    parser.add_argument("--pdf-dpi", type=int, default=100)
    parser.add_argument("--crop", type=int, default=3000, help="height of the small copies")
    parser.add_argument("--max-kb", type=int, default=400)
    args = parser.parse_args()
    args.base_url = args.base_url.rstrip("/")
    return args


def _page_shots(browser: Browser, args) -> tuple[list[Shot], dict[str, int]]:
    """The shots, and the height of the save bar in each screen of the form at its Context."""
    base = args.base_url
    shots: list[Shot] = []
    bars: dict[str, int] = {}
    form_url = ""
    for width, height in WIDTHS.values():
        page = _sign_in(browser, base, "planner", width, height)
        matrix = f"{base}/assessments/{args.assessment}/recommendations/"
        shots.append(_shoot(page, matrix, f"matrix-{width}", args))
        form_url = form_url or _draft_edit_url(page, base, args.mission)
        shots.append(_shoot(page, form_url, f"form-{width}", args))
        bars[f"form-{width}-context-screen"] = _screen_at_context(
            page, f"form-{width}-context-screen", args
        )
        page.context.close()
    page = _sign_in(browser, base, "reviewer", *WIDTHS["desktop"])
    shots.append(_shoot(page, base + args.portfolio_path, "portfolio-1280", args))
    page.context.close()
    return shots, bars


def _sign_in(browser: Browser, base: str, username: str, width: int, height: int) -> Page:
    context = browser.new_context(
        locale="en-GB", viewport={"width": width, "height": height}, device_scale_factor=1
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", ACCOUNTS[username])
    page.locator("form:has(#id_username) button[type=submit]").click()
    page.wait_for_load_state()
    if "/login/" in page.url:
        raise SystemExit(f"{username} could not sign in at {base} (ensure_demo_accounts?)")
    return page


def _draft_edit_url(page: Page, base: str, mission: str) -> str:
    """A new draft of the mission, started with the mission page's button, or an open one."""
    page.goto(f"{base}/missions/{mission}/")
    start = page.locator('form[action$="/assessments/new/"]')
    if start.count():
        start.first.locator("button, input[type=submit]").first.click()
        page.wait_for_url("**/edit/")
        return page.url
    edit = page.locator('a[href$="/edit/"]')
    if not edit.count():
        raise SystemExit(f"No way to start or edit a draft of {mission} on its page")
    return base + edit.first.get_attribute("href")


def _shoot(page: Page, url: str, name: str, args) -> Shot:
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    size = page.evaluate(MEASURE)
    status = response.status if response else 0
    shot = Shot(name, url, status, page.viewport_size["width"], *size)
    if shot.status != 200:
        return shot
    page.screenshot(path=args.output / f"{name}.png", full_page=True)
    if args.small:
        path = args.small / f"{name}.png"
        clip = {"x": 0, "y": 0, "width": shot.scroll_width, "height": min(shot.height, args.crop)}
        page.screenshot(path=path, full_page=True, clip=clip)
        _shrink(path, args.max_kb)
    return shot


def _screen_at_context(page: Page, name: str, args) -> int:
    """One screen of the form as a planner filling it sees it, after its Context link: a full-page
    shot draws the sticky save bar only once, mid-page. Returns the bar's height on that screen."""
    link = page.get_by_role("link", name="Context", exact=True).first
    link.click()
    # The section's top at the screen's top, whatever the click's scrolling did with the layout.
    page.evaluate(
        "(id) => document.getElementById(id).scrollIntoView({block: 'start'})",
        link.get_attribute("href").lstrip("#"),
    )
    page.wait_for_timeout(500)
    page.screenshot(path=args.output / f"{name}.png")
    if args.small:
        page.screenshot(path=args.small / f"{name}.png")
        _shrink(args.small / f"{name}.png", args.max_kb)
    return page.evaluate(SAVE_BAR_ON_SCREEN)


def _pdf_shots(args) -> dict[str, dict]:
    pdfs = {}
    with tempfile.TemporaryDirectory(prefix="shots-pdf-") as tmp:
        for name, command in (
            ("mission-pdf-page1", ["mission", args.mission]),
            ("portfolio-pdf-page1", ["portfolio"]),
        ):
            pdf = _report_pdf(args.project, command, Path(tmp))
            _pdf_page(pdf, args.output / name, args.pdf_dpi)
            if args.small:
                _pdf_page(pdf, args.small / name, SMALL_PDF_DPI)
                _shrink(args.small / f"{name}.png", args.max_kb)
            shutil.copy(pdf, args.output / pdf.name)
            pdfs[name] = {"file": pdf.name, "pages": _pdf_page_count(pdf)}
    return pdfs


def _report_pdf(project: Path, command: list[str], tmp: Path) -> Path:
    python = project / ".venv" / "bin" / "python"
    out = subprocess.run(
        [str(python), "manage.py", "report", *command, "--format", "pdf", "--output", str(tmp)],
        cwd=project,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pdfs = [Path(line.strip()) for line in out.splitlines() if line.strip().endswith(".pdf")]
    if not pdfs:
        raise SystemExit(f"manage.py report {' '.join(command)} printed no PDF:\n{out}")
    return pdfs[0]


def _pdf_page(pdf: Path, prefix: Path, dpi: int) -> None:
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", pdf, prefix],
        check=True,
    )


def _pdf_page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _shrink(path: Path, max_kb: int) -> None:
    """256 colours when that is smaller: text and the flat tints survive it, the size halves."""
    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    candidate = path.with_suffix(".256.png")
    reduced.save(candidate, optimize=True)
    if candidate.stat().st_size < path.stat().st_size:
        candidate.replace(path)
    else:
        candidate.unlink()
    if path.stat().st_size > max_kb * 1024:
        print(f"warning: {path} is {path.stat().st_size // 1024} KB, over {max_kb} KB")


if __name__ == "__main__":
    main()
