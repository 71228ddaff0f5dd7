"""Holds a private mount namespace for a NetworkManager under test (run by tests/nm_netns.py).

Started as ``ip netns exec NS unshare --mount --uts --propagation private -- python nm_holder.py
BASE``: mounts a tmpfs on /run and /var/lib/NetworkManager, an overlay on /etc (its upper layer
in BASE/etc-upper, so what NM writes there stays visible from outside) and remounts /sys
read-only (NM then does not wait for udev). Prints "ready" and waits until its stdin closes, so
the namespace ends with the test process that holds the pipe, however that one ends.
"""

import ctypes
import os
import sys

MS_RDONLY = 0x1
MS_REMOUNT = 0x20
MS_BIND = 0x1000

_libc = ctypes.CDLL(None, use_errno=True)


def _mount(source: str, target: str, fstype: str, flags: int = 0, data: str = "") -> None:
    done = _libc.mount(source.encode(), target.encode(), fstype.encode(), flags, data.encode())
    if done != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {fstype} on {target}: {os.strerror(err)}")


def main(base: str) -> None:
    _mount("tmpfs", "/run", "tmpfs", 0, "mode=0755")
    _mount("tmpfs", "/var/lib/NetworkManager", "tmpfs", 0, "mode=0700")
    upper, work = f"{base}/etc-upper", f"{base}/etc-work"
    _mount("overlay", "/etc", "overlay", 0, f"lowerdir=/etc,upperdir={upper},workdir={work}")
    _mount("none", "/sys", "", MS_REMOUNT | MS_BIND | MS_RDONLY)
    print("ready", flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main(sys.argv[1])
