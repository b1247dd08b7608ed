#!/usr/bin/env python3
"""Loads ngbench's HTML report in real headless Chromium with the network off.

    html_browser_test.py NGBENCH RESULTS_DIR ARTIFACT_DIR
    html_browser_test.py --html REPORT.html ARTIFACT_DIR

Writes ARTIFACT_DIR/report.html with `NGBENCH html RESULTS_DIR` (or takes
REPORT.html), opens it from file:// in Chromium driven by Selenium, and checks
that every plotly chart rendered (.main-svg elements of non-zero size), that the
page logged no SEVERE console message, that it fetched nothing but the file
itself, and that clicking a table header sorts it. Saves a full-page
screenshot as ARTIFACT_DIR/report.png.

Needs Debian's chromium, chromium-driver and python3-selenium (run it with
/usr/bin/python3, whose dist-packages hold python3-selenium). Exits 77 (ctest
SKIP_RETURN_CODE) when one of them is missing.
"""
import os
import shutil
import subprocess
import sys
import time

SKIP = 77


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(SKIP)


def find_browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def main(argv):
    if len(argv) == 4 and argv[1] == "--html":
        html, artifacts = os.path.abspath(argv[2]), argv[3]
    elif len(argv) == 4:
        ngbench, results, artifacts = argv[1], argv[2], argv[3]
        html = None
    else:
        print(__doc__)
        return 2
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait
    except ImportError:
        skip(f"selenium is not importable by {sys.executable} (apt-get install python3-selenium)")
    browser, driver_path = find_browser(), shutil.which("chromedriver")
    if not browser or not driver_path:
        skip("chromium or chromedriver is missing (apt-get install chromium chromium-driver)")

    os.makedirs(artifacts, exist_ok=True)
    if html is None:
        html = os.path.abspath(os.path.join(artifacts, "report.html"))
        subprocess.run([ngbench, "html", results, "--out", html], check=True)

    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-default-apps", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1400,1000",
                 # No network: every host name fails to resolve, and any proxy use fails.
                 "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
                 "--proxy-bypass-list=<-loopback>"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=opts)
    failures = []
    try:
        driver.set_page_load_timeout(60)
        driver.get("file://" + html)
        WebDriverWait(driver, 60).until(
            lambda d: d.execute_script("return document.querySelectorAll('.js-plotly-plot .main-svg').length") > 0)
        time.sleep(0.5)  # let plotly finish its last layout pass
        charts = driver.find_elements(By.CSS_SELECTOR, ".js-plotly-plot")
        # Three charts per device matrix, one Fig. 8 per device of the fusion study, one Fig. 9 per
        # configuration of the quantization study, one prefill-vs-decode chart per model configuration with a
        # decode result.
        expected = driver.execute_script(
            "const d = JSON.parse(document.getElementById('ngbench-data').textContent);"
            "return 3 * d.matrices.length + new Set(d.fusion_study.map(g => g.device)).size"
            " + (d.quant ? d.quant.length : 0) + (d.phase ? d.phase.length : 0);")
        if len(charts) != expected:
            failures.append(f"{len(charts)} charts, expected {expected}")
        for i, chart in enumerate(charts):
            svgs = chart.find_elements(By.CSS_SELECTOR, ".main-svg")
            if not svgs:
                failures.append(f"chart {i} has no .main-svg")
                continue
            size = svgs[0].size
            if size["width"] <= 0 or size["height"] <= 0:
                failures.append(f"chart {i} .main-svg has size {size}")
            bars = chart.find_elements(By.CSS_SELECTOR, ".point, .trace")
            if not bars:
                failures.append(f"chart {i} drew no trace")
        # Missing and failed configurations are drawn (hatched), labelled.
        labels = driver.execute_script(
            "return Array.from(document.querySelectorAll('.js-plotly-plot .legendtext')).map(e => e.textContent)")
        states = driver.execute_script(
            "const d = JSON.parse(document.getElementById('ngbench-data').textContent);"
            "return d.matrices.flatMap(m => m.series.flatMap(s => s.cells.map(c => c.state)));")
        wanted = ["GEMM"] + [label for state, label in (("missing", "n/a: no result"), ("failed", "run failed"))
                             if state in states]
        for want in wanted:
            if want not in labels:
                failures.append(f"legend lacks '{want}': {sorted(set(labels))}")

        # The fusion study (Fig. 8 and Table V): one table row per run of every group.
        runs = driver.execute_script(
            "const d = JSON.parse(document.getElementById('ngbench-data').textContent);"
            "return d.fusion_study.reduce((n, g) => n + g.runs.length, 0);")
        if runs:
            rows = driver.find_elements(By.CSS_SELECTOR, "#fusion tbody tr")
            if len(rows) != runs:
                failures.append(f"fusion study table has {len(rows)} rows, expected {runs}")
            if "non-GEMM" not in labels:
                failures.append(f"no non-GEMM bars in the fusion figure: {sorted(set(labels))}")
            if not any("baseline" in r.text for r in rows):
                failures.append("no baseline run in the fusion study table")

        # Prefill vs decode: one table row per context of every configuration, both phases in the legend.
        phase_rows = driver.execute_script(
            "const d = JSON.parse(document.getElementById('ngbench-data').textContent);"
            "return (d.phase || []).reduce((n, s) => n + s.rows.length, 0);")
        if phase_rows:
            rows = driver.find_elements(By.CSS_SELECTOR, "#phase tbody tr")
            if len(rows) != phase_rows:
                failures.append(f"prefill vs decode table has {len(rows)} rows, expected {phase_rows}")
            for want in ("prefill (per forward)", "decode (per token)"):
                if want not in labels:
                    failures.append(f"legend lacks '{want}': {sorted(set(labels))}")

        # Sorting: click the share column of Table IV twice (descending, then ascending).
        table = driver.find_element(By.CSS_SELECTOR, "#table-iv table")
        header = [th for th in table.find_elements(By.CSS_SELECTOR, "th") if th.text.startswith("share_percent")][0]
        index = [th.text for th in table.find_elements(By.CSS_SELECTOR, "th")].index(header.text)

        def column():
            cells = driver.execute_script(
                "return Array.from(document.querySelectorAll('#table-iv tbody tr'))"
                f".map(r => r.children[{index}].textContent)")
            return [float(c) for c in cells if c != "n/a"]

        header.click()
        desc = column()
        header.click()
        asc = column()
        if desc != sorted(desc, reverse=True) or asc != sorted(asc) or not asc:
            failures.append(f"table sort failed: {desc} / {asc}")

        # Nothing but the page itself (and data: URLs) was fetched.
        resources = driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
            ".concat(performance.getEntriesByType('navigation').map(e => e.name))")
        remote = [r for r in resources if not r.startswith(("file:", "data:", "blob:", "about:"))]
        if remote:
            failures.append(f"fetched from the network: {remote}")

        severe = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        if severe:
            failures.append(f"console errors: {severe}")

        driver.execute_script("window.scrollTo(0, 0)")
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1400, min(max(height, 1000), 12000))
        time.sleep(0.5)
        shot = os.path.join(artifacts, "report.png")
        driver.save_screenshot(shot)
        print(f"screenshot: {shot}")
    finally:
        driver.quit()
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print(f"OK: {html} rendered {len(charts)} charts offline with no console error")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
