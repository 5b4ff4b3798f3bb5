# Two commands do all set-up on a fresh machine with Python 3.11:
#   make run    install (venv + requirements) and start LossLab on http://localhost:8501
#   make test   install everything the tests need (venv, requirements, Debian chromium + CJK fonts + nginx) and run them all
# and, while working:
#   make test-fast   the same install minus the browser's, and every test but the browser and slow ones,
#                    with a tenth of the Hypothesis examples (tests/conftest.py: LOSSLAB_HYPOTHESIS=fast)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# Two pytest workers (pytest-xdist): a browser test mostly waits on the server and Chromium, so the other
# worker's tests fill that time; each worker starts its own server and browser. `make test WORKERS=0` runs
# everything in one process.
WORKERS ?= 2

.PHONY: run test test-fast browser-deps a11y-deps screenshots

$(VENV)/installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

run: $(VENV)/installed
	$(PY) -m streamlit run app.py --server.port $(PORT)

# Debian's Chromium (Playwright cannot download its own browser here) and CJK fonts for Chinese screenshots.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# axe-core for the accessibility test (tests/test_a11y_browser.py), pinned by package-lock.json, injected
# into Chromium from node_modules/ (never a CDN). Debian's nodejs + npm when npm is missing.
a11y-deps: node_modules/axe-core/axe.min.js
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --silent
	touch $@

test: $(VENV)/installed browser-deps a11y-deps nginx-deps
	$(PY) -m pytest -n $(WORKERS) --dist worksteal

test-fast: $(VENV)/installed
	LOSSLAB_HYPOTHESIS=fast $(PY) -m pytest -n $(WORKERS) --dist worksteal -m "not browser and not slow"

# Every page in both languages, full length, into test-artifacts/screenshots/ (the tests take none).
screenshots: $(VENV)/installed browser-deps
	$(PY) tests/screenshot.py

# Debian's nginx: the balancer in front of replicas on one machine (make serve, make serve-test, tests).
.PHONY: nginx-deps
nginx-deps:
	@command -v nginx >/dev/null 2>&1 || { if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx >/dev/null; }

# A class from one machine without containers: one replica per core behind nginx (deploy/serve_local.py).
REPLICAS ?= $(shell nproc)
SERVE_PORT ?= 8080
.PHONY: serve
serve: $(VENV)/installed nginx-deps
	$(PY) deploy/serve_local.py --replicas $(REPLICAS) --listen 0.0.0.0:$(SERVE_PORT)

# Two LossLab replicas behind Debian's nginx on loopback, one killed mid-run (bench/serve_test.py; README
# "Serving a class"). kubernetes-validate lives in its own tool venv, outside the app's.
SERVE_TOOLS ?= /tmp/losslab-serve-tools
.PHONY: serve-test
serve-test: $(VENV)/installed browser-deps nginx-deps
	@test -x $(SERVE_TOOLS)/bin/kubernetes-validate || { $(PYTHON) -m venv $(SERVE_TOOLS) && \
	  $(SERVE_TOOLS)/bin/pip install --quiet kubernetes-validate==1.37.0; }
	timeout 900 $(PY) bench/serve_test.py --kubernetes-validate $(SERVE_TOOLS)/bin/kubernetes-validate
