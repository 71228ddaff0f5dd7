"""Camera backends: sim, gphoto2, opencv, picamera2 (each imported lazily)."""
