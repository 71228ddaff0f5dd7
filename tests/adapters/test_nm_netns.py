"""The NetworkManager test fixture itself (root only): its processes, namespace and folder are
gone after the block, also when the block fails; NM can be stopped and started on its state."""

import subprocess
from pathlib import Path

import pytest

from tests.nm_netns import running_network_manager

pytestmark = pytest.mark.root


def namespaces():
    return subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout


def test_everything_is_gone_after_a_failing_block():
    seen = {}

    def failing_test():
        with running_network_manager() as manager:
            seen["pids"] = [manager.nm.pid, manager._dbus.pid, manager._holder.pid]
            seen["name"], seen["base"] = manager.netns, manager.base
            assert manager.netns in namespaces()
            raise RuntimeError("the test failed")

    with pytest.raises(RuntimeError, match="the test failed"):
        failing_test()
    assert seen["name"] not in namespaces()
    assert not seen["base"].exists()
    assert not [pid for pid in seen["pids"] if Path(f"/proc/{pid}").exists()]


def test_stop_and_start_keep_profiles_and_state(network_manager):
    add = ["nmcli", "connection", "add", "type", "ethernet", "ifname", "veth-a", "con-name", "kept"]
    subprocess.run(add, env=network_manager.env, check=True, capture_output=True)
    network_manager.stop()
    assert network_manager.nm.poll() is not None
    network_manager.start()
    assert network_manager.ready_s < 2.0
    names = ["nmcli", "-t", "-f", "NAME", "connection", "show"]
    listed = subprocess.run(names, env=network_manager.env, capture_output=True, text=True)
    assert "kept" in listed.stdout.splitlines()
    assert any(network_manager.keyfile_dir.iterdir())
