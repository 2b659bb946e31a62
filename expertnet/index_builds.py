"""Saved index builds, shared by the experts' matcher index and the hub's search index: a root directory holds
build directories (each with a meta.json) and a BUILD file naming the live one. A job writes a new build beside
the live one and makes it live atomically (the directory is renamed into place, then the pointer replaced), so
web workers that memory-map the old build keep reading it until they swap to the new one."""
from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

BUILD_POINTER = "BUILD"  # root/BUILD names the live build directory (replaced atomically)
KEEP_BUILDS = 3  # older build directories may still be mapped by running processes


def current_build(root: Path) -> str | None:
    """The name of the live build (one small file read: every reader checks it)."""
    try:
        return (root / BUILD_POINTER).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def read_meta(directory: Path) -> dict:
    return json.loads((directory / "meta.json").read_text(encoding="utf-8"))


def live_meta(root: Path) -> dict | None:
    """The live build's meta.json, None without a build."""
    name = current_build(root)
    return None if name is None else read_meta(root / name)


def publish_build(root: Path, write: Callable[[Path], dict]) -> str:
    """A new build: `write(directory)` saves the index's files in a fresh directory and returns its meta, which is
    saved beside them; then the build is made live and older ones pruned. Returns the build's name."""
    root.mkdir(parents=True, exist_ok=True)
    name = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}"
    temporary = root / f".{name}.tmp"
    temporary.mkdir()
    meta = write(temporary)
    (temporary / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    os.replace(temporary, root / name)
    pointer = root / f".{BUILD_POINTER}.{name}.tmp"
    pointer.write_text(name, encoding="utf-8")
    os.replace(pointer, root / BUILD_POINTER)
    prune_builds(root, keep=name)
    return name


def prune_builds(root: Path, keep: str) -> None:
    """Keep the newest builds (a process may still be loading one); a mapped file outlives its deletion."""
    builds = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != keep),
                    key=lambda p: p.name, reverse=True)
    for old in builds[KEEP_BUILDS - 1:]:
        shutil.rmtree(old, ignore_errors=True)
