# LossLab, one replica: Streamlit on port 8501. Run several behind deploy/nginx (compose) or an Ingress (k8s).
#   docker build -t losslab .        (or: podman build -t losslab .)
#   docker run -p 8501:8501 -e STREAMLIT_SERVER_COOKIE_SECRET=$(openssl rand -hex 32) losslab
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Runtime requirements only: requirements.txt lists the app's packages, then "# tests" and the test tools.
# torch first, from PyTorch's CPU index at the version requirements.txt pins: PyPI's Linux wheel is the
# multi-GB CUDA build. (==2.13.0 then matches 2.13.0+cpu, so the second install keeps it.)
COPY requirements.txt /tmp/requirements.txt
RUN sed '/^# tests/,$d' /tmp/requirements.txt > /tmp/runtime.txt \
 && grep -q '^streamlit==' /tmp/runtime.txt \
 && pip install --index-url https://download.pytorch.org/whl/cpu "$(grep '^torch==' /tmp/runtime.txt)" \
 && pip install -r /tmp/runtime.txt \
 && rm /tmp/requirements.txt /tmp/runtime.txt

# A non-root user owns nothing it could overwrite: the code stays root's, read-only to the app.
RUN useradd --create-home --uid 10001 losslab
COPY --chown=root:root . /app
# plotly.js for the live chart, copied from the installed plotly package now: /app is not writable at run time.
RUN python -c "from ui.live_chart import plotly_src; print(plotly_src())"
USER losslab

# .streamlit/config.toml comes with the code (postScriptGC off, headless). The address must be all
# interfaces inside a container; every replica behind one balancer needs the same cookie secret,
# given at run time as STREAMLIT_SERVER_COOKIE_SECRET (never baked into the image).
ENV STREAMLIT_SERVER_ADDRESS=0.0.0.0 \
    STREAMLIT_SERVER_PORT=8501 \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false
EXPOSE 8501

HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status != 200)"

CMD ["python", "-m", "streamlit", "run", "app.py"]
