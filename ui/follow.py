"""A loss page's explanation (panels, worked example, inspector) follows its controls in a run of its own.

A move of a control reruns the controls' fragment: its widgets and the plot, ~20 messages. The browser draws
a components-v2 element (the live chart) only once it has handled the run's messages, so with the
explanation in the same run (50-90 more messages) the plot waited for all of them (bench/perf.py,
README). Now the controls' run ends with a beacon carrying the setting's version; in the browser the beacon
tells the explanation's follower, which asks for its fragment's rerun (a trigger) when the version it shows
is older. That run reads the setting the controls stored in session state. A full run draws both at once
(same version: no second run); AppTest runs are full runs.

Each element's key holds the version (st-key-ll-setting-<page>-<version>, st-key-ll-follow-<page>-<version>):
tests/browser.py waits until every follower shows its beacon's version before it reads the page.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache

_BEACON_JS = """export default function ({data}) {
  if (!data) return;
  const d = JSON.parse(data);
  (window.llSettings = window.llSettings || {})[d.page] = d.version;
  window.dispatchEvent(new CustomEvent("ll-setting", {detail: d}));
}"""

# One listener per tab for every follower (a follower remounts with each version: its key holds it).
_FOLLOWER_JS = """export default function ({data, setTriggerValue}) {
  if (!data) return;
  const d = JSON.parse(data);
  const all = window.llFollowers = window.llFollowers || {};
  // Asked once per setting while this version is shown: a follower drawn with another version (the run that
  // answered, or one that started before the newest setting) may ask again.
  const prev = all[d.page] || {};
  all[d.page] = {shown: d.version, asked: prev.shown === d.version ? prev.asked : null, trigger: setTriggerValue};
  const check = (page) => {
    const f = all[page], want = (window.llSettings || {})[page];
    if (f && want !== undefined && want !== f.shown && want !== f.asked) {
      f.asked = want;
      f.trigger("follow", want);
      // Streamlit's frontend may send a trigger together with another element's change, as one rerun of
      // that element's fragment (seen with the chart's own trigger): then this one is lost. Not redrawn
      // by then: ask again.
      setTimeout(() => { if (all[page] === f && f.asked === want) { f.asked = null; check(page); } }, 700);
    }
  };
  if (!window.llFollowing) {
    window.llFollowing = true;
    window.addEventListener("ll-setting", (e) => check(e.detail.page));
  }
  check(d.page);
}"""


@lru_cache(maxsize=1)
def _beacon():
    import streamlit as st
    return st.components.v2.component("losslab_setting", html="", js=_BEACON_JS, isolate_styles=False)


@lru_cache(maxsize=1)
def _follower():
    import streamlit as st
    return st.components.v2.component("losslab_follow", html="", js=_FOLLOWER_JS, isolate_styles=False)


def setting_key(page: str) -> str:
    return f"{page}.__setting"


def version_of(setting: dict) -> str:
    """A short fingerprint of a setting (hyperparameters as resolved: tensors as lists)."""
    return hashlib.sha1(repr(sorted(setting.items())).encode()).hexdigest()[:12]


def publish_setting(page: str, setting: dict) -> None:
    """End of the controls' run: keep the setting for the explanation's run, and tell the browser its version."""
    import streamlit as st
    st.session_state[setting_key(page)] = setting
    version = version_of(setting)
    _beacon()(data=json.dumps({"page": page, "version": version}), key=f"ll-setting-{page}-{version}")


def follow_setting(page: str, fallback: dict) -> dict:
    """Start of the explanation's run: the setting the controls published (`fallback` before they ever ran),
    with a follower that asks for this run again when the controls publish a newer one."""
    import streamlit as st
    setting = st.session_state.get(setting_key(page), fallback)
    version = version_of(setting)
    _follower()(data=json.dumps({"page": page, "version": version}), key=f"ll-follow-{page}-{version}",
                on_follow_change=_nothing)
    return setting


def _nothing() -> None:
    """The follower's trigger only asks for the rerun: its value is not needed."""
