"""The remote endpoint: Flask JSON API (``/api/v1``), MJPEG live view and pages, on the
station's service layer in the station's process. ``remote.app.create_app`` builds the app,
``remote.server.RemoteServer`` serves it (waitress, HTTP or HTTPS)."""
