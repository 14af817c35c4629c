#!/usr/bin/env python3
"""Opens every pack's index.html in headless Chromium and checks that it
renders with every image loaded (and nothing fetched from the network).

Usage: python3 tests/browser/check_pages.py [REPORTS_DIR] [--screenshots DIR]

Needs Debian's `chromium` package (apt-get install chromium); CI does not run
it. For each page, a copy with a small script added is opened from disk
beside the original (so relative paths resolve); the script records, once
the page has loaded, how many images it has and which failed to load, in the
document title, which Chromium prints with --dump-dom. Exit code 0 when every
page passes, 1 otherwise.
"""

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


def check(browser, page, screenshots):
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
    print(f"ok  {page}: {state['images']} images loaded")
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
    failures = [f for f in (check(browser, p, screenshots) for p in pages) if f]
    for failure in failures:
        print("FAIL", failure)
    print(f"{len(pages) - len(failures)} of {len(pages)} pages render with every image")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
