"""The Storage tab: volumes, USB export, retention and the capture browser."""
