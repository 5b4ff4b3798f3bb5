"""Loss in action, the page (AppTest): it renders every demo in both languages, a shared link's settings are
restored, and moving a slider retrains only the models it affects. The training itself: tests/test_in_action.py."""
import json
import re
from pathlib import Path

import pytest

from losses import training as T
from app_pages import open_page
from spies import record_calls
from ui.i18n import t

ROOT = Path(__file__).resolve().parent.parent


def _page(lang: str, **params):
    return open_page("in_action", lang, timeout=180, **params)


def test_page_at_extreme_settings_from_a_shared_link():
    at = _page("zh", **{"action.demo": "imbalance", "action.imbalance.pos": 0.01, "action.imbalance.alpha": 0.0,
                        "action.imbalance.gamma": 5.0, "action.imbalance.lr": 0.5, "action.imbalance.steps": 20})
    assert at.slider(key="action.imbalance.pos").value == 0.01 and not at.error
    at = _page("en", **{"action.demo": "embeddings", "action.embeddings.classes": 6,
                        "action.embeddings.mining": "hard", "action.embeddings.steps": 20})
    assert at.radio(key="action.embeddings.mining").value == "hard" and not at.error
    assert len(json.loads(at.get("plotly_chart")[0].proto.spec)["data"]) == 6


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("demo", ["outliers", "imbalance", "embeddings"])
def test_each_demo_renders_in_both_languages(demo, lang):
    from losses.device import device_name
    at = _page(lang, **{"action.demo": demo})
    assert not at.error, [e.value for e in at.error]
    heads = " ".join(h.value for h in at.subheader)
    assert _cjk(heads) == (lang == "zh"), heads
    assert len(at.get("plotly_chart")) == 3
    captions = " ".join(c.value for c in at.caption)
    assert t("action_seed_device", lang, seed=0, device=device_name("cpu")) in captions   # "Seed 0 · on cpu · …"
    assert at.get("segmented_control")[0].value == demo


def test_results_are_cached_per_settings(monkeypatch):
    calls = record_calls(monkeypatch, T, "fit_lines")
    at = _page("en", **{"action.outliers.seed": 7001, "action.outliers.steps": 60})
    assert len(calls) == 1 and calls[0]["steps"] == 60
    at.slider(key="action.outliers.delta").set_value(2.0).run()      # a new setting: trains once
    assert len(calls) == 2 and calls[1]["delta"] == 2.0 and not at.exception
    at.slider(key="action.outliers.delta").set_value(1.0).run()      # back to a setting seen before
    at.radio(key="lang").set_value("zh").run()                        # the language is not a training setting
    at.get("segmented_control")[0].set_value("imbalance").run()       # another demo, and back
    at.get("segmented_control")[0].set_value("outliers").run()
    assert len(calls) == 2 and not at.exception
    assert any("HuberLoss (δ=1)" in str(v) for v in at.table[0].value.to_numpy().ravel())


def test_focal_sliders_change_the_focal_model_only(monkeypatch):
    calls = record_calls(monkeypatch, T, "fit_classifiers")
    at = _page("en", **{"action.demo": "imbalance", "action.imbalance.seed": 7002, "action.imbalance.steps": 60})
    first = at.table[0].value.to_numpy()
    at.slider(key="action.imbalance.gamma").set_value(0.0).run()
    assert len(calls) == 2 and calls[1]["gamma"] == 0.0 and not at.exception
    second = at.table[0].value.to_numpy()
    assert (first[:2] == second[:2]).all()          # BCE and BCE + pos_weight: the same numbers
    assert "α=0.75, γ=0" in second[2][0] and (first[2][1:] != second[2][1:]).any()


def test_new_data_button_draws_a_new_seed_and_the_url_keeps_it():
    at = _page("en", **{"action.demo": "embeddings", "action.embeddings.steps": 40})
    before = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    at.button(key="action.embeddings.new").click().run()
    assert not at.exception
    assert at.session_state["action.embeddings.seed"] == 1
    assert at.query_params["action.embeddings.seed"] in ("1", ["1"])
    assert any("Seed 1" in c.value for c in at.caption)
    assert json.loads(at.get("plotly_chart")[0].proto.spec)["data"] != before
    at.radio(key="action.embeddings.mining").set_value("hard").run()
    assert at.query_params["action.embeddings.mining"] in ("hard", ["hard"]) and not at.exception


def test_ui_strings_use_the_action_prefix():
    import tomllib
    keys = tomllib.loads((ROOT / "content" / "en" / "ui" / "action.toml").read_text(encoding="utf-8"))
    assert all(k.startswith("action_") or k == "page_in_action" for k in keys)
    src = "".join(p.read_text() for p in sorted((ROOT / "ui").glob("in_action*.py")))
    for key in set(re.findall(r't\("(action_[a-z_0-9]+)"', src)):
        assert key in keys, key
