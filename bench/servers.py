"""Start and stop the processes a load or serving test needs: Streamlit servers and Debian's nginx.

Every process logs to a file under the run's folder (printed, never thrown away), listens on
127.0.0.1 only, and is stopped by its own PID.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "losslab.conf.template"
# bench/bare_app.py with LossLab's socket setting (ui/tcp_nodelay.py): tells that setting's gain apart from
# the rest of LossLab's cost (bench/perf.py, bench/load_test.py).
BARE_NODELAY_ENV = {"LOSSLAB_BARE_NODELAY": "1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 120.0, proc: subprocess.Popen | None = None) -> None:
    """Poll Streamlit's health endpoint until it answers 200 (or the process died, or time ran out)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url}/_stcore/health did not answer within {timeout:.0f} s")


def start_streamlit(app: str, port: int, log_path: Path, cpus: str = "", env: dict | None = None) -> subprocess.Popen:
    """`streamlit run <app>` on 127.0.0.1:<port>, output to log_path; pinned to `cpus` with taskset if given."""
    cmd = [sys.executable, "-m", "streamlit", "run", app, "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
           "--client.showErrorDetails", "full"]  # readers see no traceback; a load run's error log says why
    if cpus:
        cmd = ["taskset", "-c", cpus] + cmd
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        return subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def proc_stat(pid: int) -> tuple[float, float]:
    """(CPU seconds used so far, RSS in MB) of one process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime (fields 14, 15 of stat)
    rss = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
    return cpu, rss


def render_nginx_template(values: dict, template: Path = NGINX_TEMPLATE) -> str:
    """Substitute ${NAME} for the given names only, as the nginx image's envsubst step does; nginx's own
    $variables stay as they are."""
    text = template.read_text()
    missing = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)\}", text)) - set(values)
    if missing:
        raise ValueError(f"no value for {sorted(missing)} in {template.name}")
    return re.sub(r"\$\{([A-Z_][A-Z0-9_]*)\}", lambda m: str(values[m.group(1)]), text)


def write_nginx_main(folder: Path, site_conf: Path) -> Path:
    """A main nginx.conf that runs unprivileged in `folder` and includes the site config, as the image's
    /etc/nginx/nginx.conf includes conf.d/*.conf."""
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / "temp" / sub).mkdir(parents=True, exist_ok=True)
    main = folder / "nginx.conf"
    main.write_text(f"""pid {folder}/nginx.pid;
error_log {folder}/error.log info;
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/temp/client_body;
    proxy_temp_path {folder}/temp/proxy;
    fastcgi_temp_path {folder}/temp/fastcgi;
    uwsgi_temp_path {folder}/temp/uwsgi;
    scgi_temp_path {folder}/temp/scgi;
    include {site_conf};
}}
""")
    return main


def nginx_test(main_conf: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on the config (its output is returned for the report)."""
    return subprocess.run(["nginx", "-t", "-p", str(main_conf.parent), "-c", str(main_conf)],
                          capture_output=True, text=True, timeout=30)


def start_nginx(main_conf: Path) -> subprocess.Popen:
    """nginx in the foreground (so it is our child and stops by PID), its output in the run folder."""
    log = open(main_conf.parent / "nginx.out", "wb")
    return subprocess.Popen(["nginx", "-p", str(main_conf.parent), "-c", str(main_conf), "-g", "daemon off;"],
                            stdout=log, stderr=subprocess.STDOUT)


def start_balanced(app: str, n: int, folder: Path, cpus: str = "", listen: str = "") -> tuple[str, list, subprocess.Popen, list[str]]:
    """n replicas of `app` on loopback behind nginx (on `listen`, default a free loopback port), configured
    from deploy/nginx's template as a course runs them (one cookie secret, session affinity by Streamlit's
    XSRF cookie). Returns (nginx's URL, the replicas, nginx, each replica's own URL); stop() each when done."""
    import secrets
    import shutil
    if shutil.which("nginx") is None:
        raise SystemExit("nginx is not installed (make serve-test installs Debian's, or: apt-get install nginx)")
    folder.mkdir(parents=True, exist_ok=True)
    ports, listen = [free_port() for _ in range(n)], listen or f"127.0.0.1:{free_port()}"
    site = folder / "losslab.conf"
    site.write_text(render_nginx_template({
        "LOSSLAB_LISTEN": listen, "LOSSLAB_ACCESS_LOG": str(folder / "access.log"),
        "LOSSLAB_UPSTREAM_SERVERS": " ".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in ports)}))
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    replicas = [start_streamlit(app, p, folder / f"replica-{p}.log", cpus=cpus, env=env) for p in ports]
    nginx = None
    try:
        for p, proc in zip(ports, replicas):
            wait_healthy(f"http://127.0.0.1:{p}", proc=proc)
        nginx = start_nginx(write_nginx_main(folder, site))
        wait_healthy(f"http://{listen.replace('0.0.0.0', '127.0.0.1')}", timeout=30, proc=nginx)
    except BaseException:
        for proc in replicas + [nginx]:
            stop(proc)
        raise
    return f"http://{listen}", replicas, nginx, [f"http://127.0.0.1:{p}" for p in ports]
