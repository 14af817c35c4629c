#!/usr/bin/env python3
"""Opens every pack's index.html in headless Chromium and checks that it
renders with every image loaded (and nothing fetched from the network);
that every list on a page shows the top rows of its CSV in the CSV's order
(the packs write their lists in order of risk; a ranked list counts up from
1); and that names and nominal references appear in the force packs, whose
pages show them, and nowhere in the evaluation pack (page or files).

Usage: python3 tests/browser/check_pages.py [REPORTS_DIR] [--screenshots DIR]

Needs Debian's `chromium` package (apt-get install chromium); CI does not run
it. For each page, a copy with a small script added is opened from disk
beside the original (so relative paths resolve); the script records, once
the page has loaded, how many images it has and which failed to load, in the
document title, which Chromium prints with --dump-dom. Exit code 0 when every
page passes, 1 otherwise.
"""

import csv
import html.parser
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

PROBE = """<script>
window.addEventListener('load', () => {
  const images = Array.from(document.images);
  const broken = images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'));
  document.title = 'VIGIL-CHECK ' + JSON.stringify({images: images.length, broken: broken});
});
</script>
"""

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--allow-file-access-from-files", "--virtual-time-budget=10000",
]


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("no chromium found: apt-get install chromium")


class Tables(html.parser.HTMLParser):
    """The tables of a rendered page that name their source CSV: (source, header, rows)."""

    def __init__(self):
        super().__init__()
        self.tables, self.cell, self.row = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-source" in attrs:
            self.tables.append((attrs["data-source"], [], []))
        elif tag == "tr" and self.tables:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            _, header, rows = self.tables[-1]
            if header:
                rows.append(self.row)
            else:
                header.extend(self.row)
            self.row = None
        elif tag == "table":
            self.row = None


def csv_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def lists_in_order(page, dom):
    """Each table shows its CSV's first rows, in order; a ranked one counts
    from 1. Returns (problem or None, the rows checked)."""
    parser = Tables()
    parser.feed(dom)
    checked = sum(len(rows) for _, _, rows in parser.tables)
    for source, header, rows in parser.tables:
        expected = csv_rows(page.parent / source)
        for n, row in enumerate(rows):
            want = [expected[n].get(column, "") for column in header] if n < len(expected) else None
            if row != want:
                return f"{page}: {source} row {n + 1} on the page is not the CSV's row {n + 1}", checked
        if "rank" in header:
            ranks = [int(row[header.index("rank")]) for row in rows]
            if ranks != list(range(1, len(ranks) + 1)):
                return f"{page}: {source} ranks are not 1, 2, 3, ...: {ranks[:10]}", checked
    return None, checked


def named_people(reports):
    """Every name and nominal reference the force packs' lists hold."""
    found = set()
    for path in reports.glob("weekly/*/*/*.csv"):
        for row in csv_rows(path):
            found.add(row.get("name", ""))
            found.update(row.get("person_refs", "").split("|"))
    return {text for text in found if len(text) >= 5}


def names_in(text, names):
    return sorted(name for name in names if name in text)


def evaluation_names(reports, names):
    """Names or references found in any text file of the evaluation pack (or its microdata)."""
    leaks = []
    files = [*(reports / "evaluation").rglob("*"), *(reports / "evaluation_microdata").rglob("*")]
    for path in sorted(files):
        if path.suffix in (".csv", ".html", ".json", ".svg"):
            found = names_in(path.read_text(encoding="utf-8", errors="replace"), names)
            if found:
                leaks.append(f"{path}: names {len(found)} people or references")
    return leaks


def check(browser, page, screenshots, names):
    html = page.read_text(encoding="utf-8")
    if re.search(r'(src|href)="(https?:)?//', html):
        return f"{page}: refers to the network"
    probe = page.with_name(".check-index.html")
    probe.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    try:
        with tempfile.TemporaryDirectory() as profile:
            result = subprocess.run(
                [browser, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", probe.resolve().as_uri()],
                capture_output=True, text=True, timeout=120,
            )
            if screenshots:
                name = "_".join(page.parent.relative_to(page.parents[2]).parts) + ".png"
                subprocess.run(
                    [browser, *FLAGS, f"--user-data-dir={profile}", "--window-size=1200,2400",
                     f"--screenshot={screenshots / name}", page.resolve().as_uri()],
                    capture_output=True, timeout=120,
                )
    finally:
        probe.unlink(missing_ok=True)
    found = re.search(r"<title>VIGIL-CHECK (.*?)</title>", result.stdout)
    if not found:
        return f"{page}: the page did not finish loading ({result.stderr.strip()[-300:]})"
    state = json.loads(found.group(1).replace("&quot;", '"'))
    if state["images"] == 0:
        return f"{page}: no images"
    if state["broken"]:
        return f"{page}: images that did not load: {state['broken']}"
    problem, checked = lists_in_order(page, result.stdout)
    if problem:
        return problem
    shown = names_in(result.stdout, names)
    if "evaluation" in page.parts and shown:
        return f"{page}: the evaluation page names {len(shown)} people or references"
    if "weekly" in page.parts and not shown:
        return f"{page}: the force's page names nobody"
    print(f"ok  {page}: {state['images']} images loaded, {checked} list rows in their CSVs' order, {len(shown)} names and references shown")
    return None


def main():
    args = sys.argv[1:]
    screenshots = None
    if "--screenshots" in args:
        at = args.index("--screenshots")
        screenshots = pathlib.Path(args[at + 1])
        screenshots.mkdir(parents=True, exist_ok=True)
        del args[at:at + 2]
    reports = pathlib.Path(args[0] if args else "reports")
    pages = sorted(reports.glob("weekly/*/*/index.html")) + sorted(reports.glob("evaluation/index.html"))
    if not pages:
        sys.exit(f"no pack pages under {reports}: run `cargo run --release -- run` first")
    browser = chromium()
    names = named_people(reports)
    failures = [f for f in (check(browser, p, screenshots, names) for p in pages) if f]
    failed_pages = len(failures)
    failures += evaluation_names(reports, names)
    for failure in failures:
        print("FAIL", failure)
    print(f"{len(pages) - failed_pages} of {len(pages)} pages render with every image, lists in order, names only in the force packs; {len(failures) - failed_pages} evaluation files naming anyone")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
