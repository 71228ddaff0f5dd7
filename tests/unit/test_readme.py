"""The README's examples stay true: its station.toml example is accepted as written."""

import re
from pathlib import Path

from eyepi_gui import settings as cfg
from eyepi_gui.adapters.store import AtomicTextFile

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_station_toml_example_is_valid_and_keeps_its_values():
    blocks = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "README.md has no toml example"
    parsed = [cfg.loads(block) for block in blocks]  # every example is valid as written
    station = next(p for p in parsed if p.cameras)
    assert station.security.bcrypt_cost == 12 and station.security.auto_lock_s == 300
    assert station.cameras["sim-1"].window == "05:00-22:00"
    assert station.preview.max_fps == 15
    lock = station.cameras["sim-1"].focus_lock
    assert lock is not None and lock.drift_fraction == 0.7


def test_the_remote_example_shows_the_defaults():
    blocks = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    station = next(cfg.loads(block) for block in blocks if "[remote]" in block)
    assert station.remote == cfg.RemoteSettings()


def test_the_last_good_copy_is_named_as_the_store_names_it():
    text = README.read_text(encoding="utf-8")
    name = AtomicTextFile(Path("station.toml")).last_good.name
    assert name == "station.last-good.toml" and f"`{name}`" in text
    assert "station.toml.last-good" not in text


def test_the_readme_says_how_to_change_a_remote_or_security_key():
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert "keeps its last good value" in text and "To change such a key, write it" in text
    assert "before every save from the kiosk or the web" in text
