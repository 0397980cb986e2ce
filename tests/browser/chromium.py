"""Debian's Chromium as the browser tests and bench/screenshots.py launch it (no pytest here, so
the benchmark can import it)."""

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling out, and this machine's
# closed network refuses every attempt.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
