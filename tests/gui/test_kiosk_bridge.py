"""EventBridge: bus events from worker threads arrive as a signal on the GUI thread."""

from __future__ import annotations

import threading

from eyepi_gui.domain.events import CaptureDone
from eyepi_gui.kiosk.bridge import EventBridge
from eyepi_gui.services.events import EventBus

EVENT = CaptureDone("sim-1", None, 1.0, ("latest/sim-1.jpg",), True)


def test_events_from_a_worker_thread_arrive_on_the_gui_thread(qtbot, qapp):
    bus = EventBus()
    bridge = EventBridge(bus)
    threads = []
    bridge.service_event.connect(lambda _event: threads.append(threading.current_thread()))
    with qtbot.waitSignal(bridge.service_event) as received:
        worker = threading.Thread(target=bus.publish, args=(EVENT,))
        worker.start()
        worker.join()
    assert received.args == [EVENT]
    assert threads == [threading.main_thread()]
    bridge.close()


def test_close_unsubscribes(qtbot, qapp):
    bus = EventBus()
    bridge = EventBridge(bus)
    got = []
    bridge.service_event.connect(got.append)
    bridge.close()
    bus.publish(EVENT)
    qapp.processEvents()
    assert got == []
    assert bridge.closed
