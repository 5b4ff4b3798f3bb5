"""Two LossLab replicas behind Debian's nginx on loopback, with deploy/nginx/losslab.conf.template, and one
replica killed mid-lesson.  `make serve-test`, or:

    .venv/bin/python bench/serve_test.py [--sessions 10] [--seconds 40] [--kubernetes-validate PATH]

1. config: `nginx -t` on the rendered template; the Kubernetes manifests with kubernetes-validate.
2. two replicas (same cookie secret, like the compose file and the Deployment) and nginx, all on 127.0.0.1.
3. 2-4 Chromium students open a shared link, download the CSV and the PNG through nginx, until both
   replicas hold at least one of them; the access log says which replica served each.
4. protocol students (bench/load_client.py) run through nginx; once all are under way, the replica of the
   first Chromium student is killed (SIGKILL, as a crash).
5. report: both replicas served sessions; the killed replica's students reconnected to the other one
   with the same view (URL, slider, language) and no traceback; everyone else saw no error.
Output of every process is in test-artifacts/serve/. Exit status 0 only when every check passes.
"""
from __future__ import annotations

import argparse
import asyncio
import secrets
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from load_client import Plan, SessionLog, classroom  # noqa: E402
from load_test import percentile  # noqa: E402
from serve_browsers import BrowserStudent, last_upstream  # noqa: E402
from servers import (free_port, nginx_test, proc_stat, render_nginx_template, start_nginx,  # noqa: E402
                     start_streamlit, stop, wait_healthy, write_nginx_main)

OUT = ROOT / "test-artifacts" / "serve"
MAX_BROWSERS, MAX_OPENED = 4, 8


class Report:
    def __init__(self):
        self.checks: list[tuple[bool, str]] = []
        self.figures: list[str] = []

    def check(self, ok: bool, what: str) -> bool:
        self.checks.append((bool(ok), what))
        print(f"{'PASS' if ok else 'FAIL'}  {what}", flush=True)
        return ok

    def note(self, text: str) -> None:
        self.figures.append(text)
        print(f"NOTE  {text}", flush=True)

    def figure(self, text: str) -> None:
        self.figures.append(text)
        print(f"      {text}", flush=True)


def validate_config(report: Report, kubernetes_validate: str) -> Path:
    """Render the template for loopback and nginx -t it; validate the manifests. Returns nginx.conf."""
    site = OUT / "losslab.conf"
    ports = [free_port(), free_port()]
    site.write_text(render_nginx_template({
        "LOSSLAB_LISTEN": f"127.0.0.1:{free_port()}", "LOSSLAB_ACCESS_LOG": str(OUT / "access.log"),
        "LOSSLAB_UPSTREAM_SERVERS": " ".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in ports)}))
    main = write_nginx_main(OUT, site)
    result = nginx_test(main)
    report.check(result.returncode == 0, f"nginx -t on deploy/nginx/losslab.conf.template: {result.stderr.strip()[-90:]}")
    if kubernetes_validate:
        manifests = sorted(str(p) for p in (ROOT / "deploy" / "k8s").glob("*.yaml"))
        kv = subprocess.run([kubernetes_validate, "--strict", *manifests], capture_output=True, text=True, timeout=120)
        text = (kv.stdout + kv.stderr).strip()
        report.check(kv.returncode == 0 and "ERROR" not in text, f"kubernetes-validate --strict deploy/k8s/*.yaml "
                     f"({len(manifests)} manifests){'' if kv.returncode == 0 else ': ' + text[-300:]}")
    else:
        report.check(False, "kubernetes-validate not given (make serve-test installs it in a tool venv)")
    return main


def listen_of(site: Path) -> str:
    return next(line.split()[1].rstrip(";") for line in site.read_text().splitlines() if line.strip().startswith("listen"))


def upstream_ports(site: Path) -> list[int]:
    import re
    return [int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+)", site.read_text())]


def seat_browsers(browser, base: str, report: Report) -> list[BrowserStudent]:
    """Open Chromium students until both replicas hold one (at most 2 each), each downloading CSV + PNG."""
    students, opened = [], 0
    while opened < MAX_OPENED and len({s.replica for s in students}) < 2:
        student = BrowserStudent(browser, base, ("zh", "en")[opened % 2], round(2.5 + 0.1 * opened, 2),
                                 OUT / "access.log", OUT, f"browser{opened}")
        opened += 1
        student.open()
        csv_ok, student.replica = student.download_csv()
        png_ok = student.download_png()
        report.check(csv_ok and png_ok and student.replica is not None,
                     f"{student.name} ({student.lang}): CSV and PNG downloaded through nginx, CSV from {student.replica}")
        if sum(s.replica == student.replica for s in students) >= 2 or len(students) >= MAX_BROWSERS:
            student.close()  # that replica has its students already
            continue
        students.append(student)
    return students


def kill_when_under_way(logs: list[SessionLog], replica: subprocess.Popen, limit: float) -> float:
    """Kill the replica once every protocol student has loaded a page and moved a widget (or at `limit`)."""
    deadline = time.time() + limit
    while time.time() < deadline and not all(log.page_loads and log.reruns for log in logs):
        time.sleep(0.2)
    killed_at = time.time()
    replica.kill()
    replica.wait(10)
    return killed_at


def judge_protocol(logs: list[SessionLog], report: Report) -> None:
    dropped = [log for log in logs if log.reconnects or any("reconnect" in e for e in log.errors)]
    others = [log for log in logs if log not in dropped]
    report.check(dropped, f"{len(dropped)} of {len(logs)} protocol students were on the killed replica")
    report.check(all(log.reconnects and not log.errors for log in dropped),
                 "each of them reconnected through nginx with no error: "
                 + "; ".join(e for log in dropped for e in log.errors)[:300])
    report.check(not any(log.errors for log in others),
                 f"the other {len(others)} saw no error " + "; ".join(e for log in others for e in log.errors)[:300])
    report.note(f"moves the new replica ignored (a rerun of a fragment it does not hold; the student reloads): "
                f"{sum(log.no_effect for log in dropped)} on the killed replica's students, "
                f"{sum(log.no_effect for log in others)} on the others")
    report.check(not sum(log.no_effect for log in others), "every move of the other students redrew its part")
    waits = [w for log in dropped for w in log.reconnects]
    if waits:
        report.figure(f"protocol reconnect (drop -> connected again): p50 {percentile(waits, 50):.1f} s, "
                      f"max {max(waits):.1f} s")
    loads = [s for log in logs for s in log.page_loads]
    reruns = [s for log in logs for s in log.reruns]
    report.figure(f"through nginx: {len(loads)} page loads p50 {percentile(loads, 50) * 1000:.0f} ms / p95 "
                  f"{percentile(loads, 95) * 1000:.0f} ms; {len(reruns)} reruns p50 "
                  f"{percentile(reruns, 50) * 1000:.0f} ms / p95 {percentile(reruns, 95) * 1000:.0f} ms")


def judge_victim(s: BrowserStudent, victim: str, killed_at: float, report: Report) -> None:
    """A Chromium student whose replica died: reconnect, what the tab shows, what works, in that order."""
    s.wait_reconnected(killed_at)
    seconds = s.reconnect_seconds(killed_at) or float("nan")
    view = s.view()
    s.screenshot("after_reconnect")
    report.check(view["url_kept"] and view["slider"] and view["language"] and view["plot"] and not view["traceback"],
                 f"{s.name} (killed replica) reconnected in {seconds:.1f} s through nginx; states seen "
                 f"{sorted(set(s.states_since(killed_at * 1000)))}; same view, no traceback: {view}")
    # Streamlit's frontend does not rerun after a reconnect (it expects its session to be resumed), so the
    # new replica holds nothing for this tab until a full run: these two are reported, not judged.
    report.note(f"{s.name}: CSV clicked right after the reconnect: {s.try_download_csv()}")
    moved = s.move_slider()
    report.note(f"{s.name}: first δ move after the reconnect redrew the page on the new replica: {moved}")
    s.reload()
    view = s.view()
    s.screenshot("after_reload")
    csv = s.try_download_csv()
    report.check(view["url_kept"] and view["slider"] and view["language"] and not view["traceback"]
                 and "CSV from" in csv and victim not in csv,
                 f"{s.name}: the shared link opened again restores the view from the URL: {view}; {csv}")


def judge_browsers(students, victim: str, killed_at: float, report: Report) -> None:
    for s in students:
        if s.replica == victim:
            judge_victim(s, victim, killed_at, report)
        else:
            moved = s.move_slider()
            states = s.states_since(killed_at * 1000)
            report.check(moved and not [x for x in states if x != "CONNECTED"],
                         f"{s.name} (other replica): stayed connected {sorted(set(states)) or ['CONNECTED']}, "
                         f"a δ move still redraws and serves its CSV: {moved}")


def count_stream_upstreams(access_log: Path) -> Counter:
    return Counter(last_upstream(line) for line in access_log.read_text().splitlines()
                   if "/_stcore/stream" in line and "upstream=127." in line)


def run(args, report: Report) -> None:
    main_conf = validate_config(report, args.kubernetes_validate)
    site = OUT / "losslab.conf"
    base = f"http://{listen_of(site)}"
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}  # shared by both, as in deploy/
    replicas = {f"127.0.0.1:{p}": start_streamlit("app.py", p, OUT / f"replica-{p}.log", env=env)
                for p in upstream_ports(site)}
    nginx = None
    try:
        for addr, proc in replicas.items():
            wait_healthy(f"http://{addr}", proc=proc)
        nginx = start_nginx(main_conf)
        wait_healthy(base, timeout=30, proc=nginx)
        report.figure(f"nginx {base} -> replicas {', '.join(replicas)} (PIDs {[p.pid for p in replicas.values()]})")
        lesson(args, report, base, replicas)
    finally:
        stop(nginx)
        for proc in replicas.values():
            stop(proc)
    counts = count_stream_upstreams(OUT / "access.log")
    report.check(all(counts.get(a) for a in replicas), f"both replicas served websocket sessions: {dict(counts)}")


def lesson(args, report: Report, base: str, replicas: dict) -> None:
    from browser import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright
    from losses import REGISTRY
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            students = seat_browsers(browser, base, report)
            on = Counter(s.replica for s in students)
            report.check(len(on) == 2, f"{len(students)} Chromium students, by replica: {dict(on)}")
            for s in students:
                s.screenshot("before")
            for addr, proc in replicas.items():
                report.figure(f"replica {addr}: RSS {proc_stat(proc.pid)[1]:.0f} MB with its browser students")
            victim = students[0].replica
            logs = [SessionLog() for _ in range(args.sessions)]
            plan = Plan(pages=list(REGISTRY))
            load = threading.Thread(target=lambda: asyncio.run(classroom(base, plan, args.sessions, args.seconds,
                                                                           logs=logs)), daemon=True)
            load.start()
            started = time.time()
            killed_at = kill_when_under_way(logs, replicas[victim], args.seconds / 2)
            report.figure(f"killed replica {victim} (SIGKILL) {killed_at - started:.0f} s into the load")
            judge_browsers(students, victim, killed_at, report)
            load.join(args.seconds + 120)
            judge_protocol(logs, report)
        finally:
            browser.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=10, help="protocol students through nginx (1-60)")
    parser.add_argument("--seconds", type=float, default=40, help="how long they run (10-90)")
    parser.add_argument("--kubernetes-validate", default=shutil.which("kubernetes-validate") or "")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 60 or not 10 <= args.seconds <= 90:
        parser.error("--sessions 1..60, --seconds 10..90: the test stays bounded")
    if not shutil.which("nginx"):
        raise SystemExit("nginx not found: apt-get install -y nginx (make serve-test does it)")
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    report = Report()
    try:
        run(args, report)
    except Exception as exc:  # a step that could not even run is a failed check, with its reason
        report.check(False, f"{type(exc).__name__}: {str(exc)[:300]}")
    failed = [what for ok, what in report.checks if not ok]
    print(f"\n{len(report.checks) - len(failed)} of {len(report.checks)} checks passed; logs and screenshots in "
          f"{OUT.relative_to(ROOT)}/")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
