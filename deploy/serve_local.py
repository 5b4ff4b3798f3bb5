"""One LossLab replica per core behind nginx on this machine, without containers: how a course serves a
class from one server (README "Serving a class"). One Streamlit process uses one core at most (Python's
GIL); on a 2-core machine two replicas served a busy class of 30 twice as many runs a second.

    make serve                                   # a replica per core, nginx on 0.0.0.0:8080
    make serve REPLICAS=3 SERVE_PORT=9000

nginx is configured from deploy/nginx/losslab.conf.template, as in the containers (session affinity by
Streamlit's XSRF cookie, one cookie secret for all replicas). Logs go to --folder. Ctrl-C or SIGTERM stops
everything; if a replica or nginx stops by itself, the others are stopped too and the exit status is 1.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))  # the nginx helpers the load and failover tests use too

from servers import start_balanced, stop  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--listen", default="0.0.0.0:8080", help="where nginx listens (host:port)")
    parser.add_argument("--folder", default=str(ROOT / "test-artifacts" / "serve"), help="logs and nginx's files")
    args = parser.parse_args(argv)
    if not 1 <= args.replicas <= 64:
        parser.error("--replicas 1..64")
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append("SIGTERM"))
    url, replicas, nginx, direct = start_balanced("app.py", args.replicas, Path(args.folder), listen=args.listen)
    print(f"LossLab: {url} -> {args.replicas} replicas ({', '.join(direct)}); logs in {args.folder}; Ctrl-C stops",
          flush=True)
    try:
        while not stopping and all(p.poll() is None for p in [nginx, *replicas]):
            time.sleep(0.5)
    except KeyboardInterrupt:
        stopping.append("Ctrl-C")
    finally:
        for proc in [nginx, *replicas]:
            stop(proc)
    if not stopping:
        print(f"a process stopped by itself: see the logs in {args.folder}", file=sys.stderr)
    return 0 if stopping else 1


if __name__ == "__main__":
    sys.exit(main())
