"""The remote endpoint (Flask JSON API, MJPEG stream, pages) on the station's service layer.

Not built yet: this package holds the place fixed by ARCHITECTURE.md; the endpoint arrives
with its own issue. Nothing imports it today.
"""
