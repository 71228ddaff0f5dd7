"""Finding the resources/ and ui/ folders from an editable checkout."""

import json

from eyepi_gui.resources import resource_path, ui_path


def test_resource_path_finds_the_demo_scene():
    scene = resource_path("sim", "scene.json")
    assert scene.is_file()
    assert "pots" in json.loads(scene.read_text(encoding="utf-8"))


def test_ui_path_points_at_the_ui_folder():
    assert ui_path().name == "ui"
    assert ui_path().is_dir()
    assert ui_path("main_window.ui").parent == ui_path()
