"""`make serve` (deploy/serve_local.py): replicas behind nginx on one machine answer through nginx, each on its
own port, and a SIGTERM stops every process it started."""
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from servers import free_port, wait_healthy  # noqa: E402

pytestmark = pytest.mark.slow


def _answers(url: str) -> bool:
    try:
        return urllib.request.urlopen(url + "/_stcore/health", timeout=3).read() == b"ok"
    except OSError:
        return False


def test_two_replicas_answer_through_nginx_and_sigterm_stops_them(tmp_path):
    if shutil.which("nginx") is None:
        pytest.fail("nginx is missing: `make test` installs Debian's (make nginx-deps)")
    listen = f"127.0.0.1:{free_port()}"
    proc = subprocess.Popen([sys.executable, str(ROOT / "deploy" / "serve_local.py"), "--replicas", "2",
                             "--listen", listen, "--folder", str(tmp_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = proc.stdout.readline()           # printed once nginx and both replicas answer
        assert first.startswith(f"LossLab: http://{listen} -> 2 replicas"), first + proc.stdout.read()
        direct = first.split("replicas (")[1].split(")")[0].split(", ")
        wait_healthy(f"http://{listen}", timeout=30)
        assert len(direct) == 2 and all(_answers(u) for u in direct)
        page = urllib.request.urlopen(f"http://{listen}/huber", timeout=10).read()
        assert b"<div id=\"root\">" in page or b"id=\"root\"" in page  # Streamlit's page, served through nginx
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        assert not _answers(f"http://{listen}") and not any(_answers(u) for u in direct)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
