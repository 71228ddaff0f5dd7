"""The Logs tab: the station log newest first, filtered as you type, followed live."""
