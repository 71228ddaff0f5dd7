"""Every web path the README names is served: the endpoint's own routes, not a plan."""

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
PARAM = re.compile(r"<[^>]+>")


def named_paths():
    """Backticked absolute URL paths (``/login``, ``/api/v1/cameras/<id>/stream``)."""
    return {c for c in re.findall(r"`(/[a-z][^`\s]*)`", README) if "." not in c.split("/")[1]}


def api_resources():
    """The names listed in the README's "JSON API" item (``cameras``, ``focus/roi``, ...)."""
    item = README.split("**JSON API**", 1)[1].split("\n- ", 1)[0]
    item = item.split("The OpenAPI", 1)[0]
    return set(re.findall(r"`([a-z][a-z0-9./<>_-]*)`", item)) - {"GET/PUT"}


def test_every_path_and_api_resource_the_readme_names_is_a_route(app):
    rules = {PARAM.sub("<>", rule.rule) for rule in app.url_map.iter_rules()}
    paths = named_paths()
    assert "/api/v1/health" in paths and "/login" in paths  # the README's text was read
    missing = [p for p in paths if not any(r.startswith(PARAM.sub("<>", p)) for r in rules)]
    assert missing == []
    resources = api_resources()
    assert "focus/roi" in resources
    api = [r.removeprefix("/api/v1/") for r in rules if r.startswith("/api/v1/")]
    unserved = [
        name
        for name in resources
        if not any(re.search(rf"(^|/){re.escape(PARAM.sub('<>', name))}(/|$)", r) for r in api)
    ]
    assert unserved == []
