"""The vendored browser libraries are the files the README says they are (no silent edits or swaps)."""

import hashlib
import re
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "static" / "workbench" / "vendor"


def test_each_vendored_file_matches_the_hash_noted_beside_it():
    readme = (VENDOR / "README.md").read_text()
    noted = dict(re.findall(r"`([\w.]+\.js)` SHA-256 `([0-9a-f]{64})`", readme))

    assert set(noted) == {"echarts.min.js", "jsQR.js"}
    for name, digest in noted.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name


def test_the_licences_ship_with_the_code():
    for name in ("LICENSE-echarts.txt", "NOTICE-echarts.txt", "LICENSE-jsqr.txt"):
        assert "Apache" in (VENDOR / name).read_text(), name
    assert (VENDOR / "VERSION").read_text().split() == ["echarts", "6.1.0", "jsqr", "1.4.0"]
