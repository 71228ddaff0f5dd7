import os

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/bench/" in str(item.fspath):
            item.add_marker(pytest.mark.bench)


@pytest.fixture
def quick() -> bool:
    """Quick mode (CI): EYEPI_BENCH=quick. Full mode otherwise."""
    return os.environ.get("EYEPI_BENCH", "quick") == "quick"
