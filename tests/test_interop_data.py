"""The tests find the interop data: configured, beside the project, or beside the
repository a clone was made from."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests import interop_data


def _layout(root: Path) -> Path:
    """``root/project`` with ``root/shared/interop`` beside it; the project's path."""
    (root / "shared" / "interop").mkdir(parents=True)
    (root / "project").mkdir()
    return root / "project"


def _clone_of(origin: Path, where: Path) -> Path:
    where.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(where)], check=True)
    subprocess.run(["git", "-C", str(where), "remote", "add", "origin", str(origin)], check=True)
    return where


@pytest.fixture
def no_setting(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("BADGES_INTEROP_DIR", raising=False)
    return monkeypatch


def test_beside_the_project(tmp_path: Path, no_setting: pytest.MonkeyPatch):
    no_setting.setattr(interop_data, "PROJECT", _layout(tmp_path))
    assert interop_data._find() == tmp_path / "shared" / "interop"


def test_a_clone_elsewhere_looks_beside_its_origin(tmp_path: Path,
                                                    no_setting: pytest.MonkeyPatch):
    origin = _layout(tmp_path / "work")
    clone = _clone_of(origin, tmp_path / "elsewhere" / "fresh")
    no_setting.setattr(interop_data, "PROJECT", clone)
    assert interop_data._find() == (tmp_path / "work" / "shared" / "interop").resolve()


def test_the_setting_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(interop_data, "PROJECT", _layout(tmp_path))
    monkeypatch.setenv("BADGES_INTEROP_DIR", str(tmp_path / "mine"))
    assert interop_data._find() == tmp_path / "mine"


def test_found_nowhere_names_the_place_beside_the_project(tmp_path: Path,
                                                         no_setting: pytest.MonkeyPatch):
    lonely = _clone_of(tmp_path / "gone", tmp_path / "lonely")
    no_setting.setattr(interop_data, "PROJECT", lonely)
    assert interop_data._find() == tmp_path / "shared" / "interop"
    assert not interop_data._find().exists()


def test_the_suite_reads_real_data():
    assert (interop_data.SAMPLES / "complete.json").is_file()
