#!/usr/bin/env python3
"""Opens every weekly pack's review.xlsx in LibreOffice (headless), converts
each sheet back to CSV, and checks it holds the same rows as the pack's CSV
of that list; and checks in the workbook's own XML that each list's header
row is frozen, its filter is on and its column widths are set.

Usage: python3 tests/browser/check_workbook.py [REPORTS_DIR]

Needs LibreOffice (Debian: apt-get install libreoffice-calc-nogui; 7.2 or
later, which converts every sheet); CI does not run it. A number may come
back written differently (`10` for `10.0` in a column whose other values
carry a decimal), so two cells are the same when their texts are equal or
both are numbers of equal value. Exit code 0 when every workbook passes, 1
otherwise.
"""

import csv
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

SHEETS = [
    ("New", "review_new.csv"),
    ("Carried over", "review_carried.csv"),
    ("Closed", "review_closed.csv"),
    ("Expired", "review_expired.csv"),
    ("Priority victims", "priority_victims.csv"),
    ("Priority perpetrators", "priority_perpetrators.csv"),
    ("Missed opportunities", "missed_opportunities.csv"),
    ("Flags", "flags.csv"),
    ("KPIs", "kpis.csv"),
]

# Comma, double quote, UTF-8, from line 1, no cell formats, default language,
# text not all quoted, special numbers detected, cells as shown, no formulas,
# spaces kept, every sheet (-1: one file per sheet, `<name>-<sheet>.csv`).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def soffice():
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("no LibreOffice found: apt-get install libreoffice-calc-nogui")


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def same_cell(a, b):
    if a == b:
        return True
    try:
        return abs(float(a) - float(b)) < 1e-9
    except ValueError:
        return False


def compare(sheet, converted, expected):
    # LibreOffice leaves out trailing empty cells of a row.
    width = len(expected[0]) if expected else 0
    converted = [row + [""] * (width - len(row)) for row in converted]
    if len(converted) != len(expected):
        return [f"{sheet}: {len(converted)} rows, the CSV has {len(expected)}"]
    problems = []
    for n, (got, want) in enumerate(zip(converted, expected), start=1):
        for c, (a, b) in enumerate(zip(got, want)):
            if not same_cell(a, b):
                problems.append(f"{sheet} row {n} column {expected[0][c]}: {a!r} for {b!r}")
    return problems[:10]


def layout(workbook):
    """Each list sheet's XML: a frozen pane, an autofilter, column widths."""
    problems = []
    with zipfile.ZipFile(workbook) as z:
        book = z.read("xl/workbook.xml").decode("utf-8")
        names = re.findall(r'<sheet name="([^"]+)"', book)
        for n, name in enumerate(names, start=1):
            if name not in dict(SHEETS):
                continue
            xml = z.read(f"xl/worksheets/sheet{n}.xml").decode("utf-8")
            for what, pattern in [("frozen header", r'state="frozen"'), ("filter", r"<autoFilter "), ("widths", r"<col ")]:
                if not re.search(pattern, xml):
                    problems.append(f"{name}: no {what}")
    return problems


def check(office, workbook):
    pack = workbook.parent
    problems = layout(workbook)
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [office, f"-env:UserInstallation={pathlib.Path(profile).as_uri()}", "--headless",
             "--convert-to", CSV_FILTER, "--outdir", out, str(workbook)],
            capture_output=True, text=True, timeout=300,
        )
        if result.returncode != 0:
            return [f"LibreOffice could not convert it: {result.stderr.strip()}"]
        for sheet, file in SHEETS:
            converted = pathlib.Path(out) / f"{workbook.stem}-{sheet}.csv"
            if not converted.exists():
                problems.append(f"{sheet}: no sheet converted")
                continue
            problems += compare(sheet, rows(converted), rows(pack / file))
    return problems


def main():
    reports = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "reports")
    workbooks = sorted(reports.glob("weekly/*/*/review.xlsx"))
    if not workbooks:
        sys.exit(f"no weekly pack with a review.xlsx under {reports}")
    office = soffice()
    failed = 0
    for workbook in workbooks:
        problems = check(office, workbook)
        status = "ok" if not problems else "FAILED"
        print(f"{status}: {workbook} ({len(SHEETS)} sheets)")
        for p in problems:
            print(f"  {p}")
        failed += bool(problems)
    print(f"{len(workbooks) - failed} of {len(workbooks)} workbooks open in LibreOffice with the CSVs' rows")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
