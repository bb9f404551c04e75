"""A run's inputs at province scale: the folder walk's order, compact paths, content de-duplication without a
digest per file in memory (issue 16: a 100,000-file run's peak was set by listing its inputs)."""

from __future__ import annotations

import glob
import hashlib
import os
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import batch, dedupe
from checker.pathlist import PathList
from checker.readers import SUFFIXES

# Names that exercise the order: a part that begins a longer one (a / a.txt / a b), digits, CJK, case.
NAMES = st.sampled_from(["a", "a.txt", "a b.txt", "a-1.txt", "a0.txt", "B.txt", "b.txt", "项目.txt", "项目一.docx",
                         "x.xlsx", "x.pdf", "~$x.xlsx", ".h.txt", "n.md", "z"])  # fmt: skip
TREES = st.lists(st.lists(NAMES, min_size=1, max_size=3), min_size=1, max_size=12)


def _make(root: Path, tree: list[list[str]]) -> None:
    for parts in tree:
        path = root.joinpath(*parts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                path.write_text(str(parts), encoding="utf-8")
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            continue  # a name already taken by a file or a folder: the tree keeps the first


def _pathlib_order(root: Path) -> list[str]:
    """What collect promises: pathlib's own order of the files rglob finds, filtered as documented."""
    return [str(p) for p in sorted(root.rglob("*")) if p.is_file() and p.suffix.lower() in SUFFIXES
            and not p.name.startswith(("~$", "."))]  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=TREES)
def test_folder_walk_gives_pathlib_order_without_sorting_everything(tree: list[list[str]], tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("walk")
    _make(root, tree)
    expected = _pathlib_order(root)
    if not expected:
        with pytest.raises(Exception, match="no file to check"):
            batch.collect([str(root)])
        return
    assert list(batch.collect([str(root)]).files) == expected


@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=20)))
def test_pathlist_holds_any_paths(paths: list[str]) -> None:
    held = PathList(paths)
    assert list(held) == paths and len(held) == len(paths)
    assert [held[i] for i in range(-len(paths), len(paths))] == paths + paths
    assert list(held[1:-1:2]) == paths[1:-1:2]
    assert held == paths and held == PathList(paths)
    with pytest.raises(IndexError):
        held[len(paths)]


@pytest.mark.skipif(os.name == "nt", reason="POSIX file names may be any bytes")
def test_pathlist_keeps_undecodable_file_names() -> None:
    name = os.fsdecode(b"\xff\xfe-sheet.txt")  # a name no UTF-8 decoder accepts, as os.listdir gives it
    assert PathList([name])[0] == name


def test_overlapping_arguments_are_checked_once(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    inputs = batch.collect([str(tmp_path / "b.txt"), str(tmp_path), str(tmp_path / "*.txt")])
    assert list(inputs.files) == [str(tmp_path / "b.txt"), str(tmp_path / "a.txt")]
    assert inputs.is_named(str(tmp_path / "b.txt")) and not inputs.is_named(str(tmp_path / "a.txt"))


def test_copies_are_found_and_a_chance_prefix_match_drops_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = {"1.txt": "one", "2.txt": "two", "3.txt": "one", "4.txt": "four", "5.txt": "two", "6.txt": "six"}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    real = dedupe._digest

    def clashing(path: str) -> bytes | None:
        # "four" and "six" share the 8 bytes the first pass keeps, and differ after them.
        digest = real(path)
        if digest is not None and Path(path).read_text(encoding="utf-8") in ("four", "six"):
            return b"\x07" * 8 + hashlib.sha256(Path(path).read_bytes()).digest()[8:]
        return digest

    monkeypatch.setattr(dedupe, "_digest", clashing)
    files = [str(tmp_path / n) for n in texts]
    kept, copies = dedupe.unique_by_content(files)
    assert list(kept) == [files[0], files[1], files[3], files[5]]
    assert copies == ((files[2], files[0]), (files[4], files[1]))
    # Copies under different rules are both checked.
    kept, copies = dedupe.unique_by_content(files, lambda p: p.endswith("3.txt"))
    assert files[2] in kept and copies == ((files[4], files[1]),)


def test_inputs_grow_by_a_fraction_of_what_they_did(tmp_path: Path) -> None:
    """Listing and de-duplicating files (and handing them to the pool) grows with their number at well
    under half the rate of the way it was done before issue 16's round 2: every path a str in a tuple, a
    set of their normalised forms, a dict of full digests, and a WorkItem for each, all made up front.
    Growth from 1,000 to 3,000 files is compared, so fixed costs (a read buffer) do not count."""
    for d in range(3):
        folder = tmp_path / f"{d:03d}"
        folder.mkdir()
        for i in range(1000):
            (folder / f"{i:06d}.txt").write_text(f"{d}-{i}", encoding="utf-8")

    def now(root: Path) -> int:
        inputs = batch.collect([str(root)])
        kept, _ = dedupe.unique_by_content(inputs.files)
        work = batch.WorkItems(batch.Inputs(kept))
        return sum(len(work[r.start : r.stop]) for r in batch.guided_bounds(len(work), 2))

    def before(root: Path) -> int:
        files = tuple(str(p) for p in sorted(root.rglob("*")) if p.is_file())
        seen = {os.path.normpath(p) for p in files}
        first = {(dedupe._digest(p), None): p for p in files}
        work = [batch.WorkItem(p) for p in files]
        return len(seen) + len(first) - len(work)

    def peak(work: Callable[[Path], int], root: Path) -> int:
        files = len(list(root.rglob("*.txt")))
        tracemalloc.start()
        try:
            done = work(root)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            assert done == files

    growth = {w.__name__: peak(w, tmp_path) - peak(w, tmp_path / "000") for w in (now, before)}
    assert growth["before"] > 2000 * 200, growth  # the control: ~0.4 KB a file
    assert growth["now"] < 0.4 * growth["before"], growth  # measured 0.30: the path bytes themselves


@pytest.mark.skipif(os.name == "nt", reason="the POSIX spelling is what is compared")
@given(st.text(st.sampled_from("/.ab\\ 项"), max_size=12))
def test_sarif_paths_are_spelled_as_pathlib_spells_them(path: str) -> None:
    from pathlib import PurePosixPath

    from checker.report.sarif import _name, posix

    assert posix(path) == PurePosixPath(path).as_posix()
    assert _name(path) == PurePosixPath(path).name


@given(st.lists(st.integers(), max_size=20), st.integers(-25, 25), st.slices(25))
def test_lazy_sequences_index_and_slice_as_lists_do(items: list[int], index: int, part: slice) -> None:
    from checker.lazyseq import LazySequence

    class Made(LazySequence[int]):
        def __len__(self) -> int:
            return len(items)

        def item(self, index: int) -> int:
            assert 0 <= index < len(items)  # the base hands on only indices in range
            return items[index]

    made = Made()
    assert made[part] == items[part] and list(made) == items
    if -len(items) <= index < len(items):
        assert made[index] == items[index]
    else:
        with pytest.raises(IndexError):
            made[index]


def test_a_recursive_pattern_that_matches_a_file_twice_names_it_once(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text("x", encoding="utf-8")
    pattern = str(tmp_path / "**" / "**" / "x.txt")
    assert len(glob.glob(pattern, recursive=True)) > 1  # the premise: glob itself repeats the match
    assert list(batch.collect([pattern]).files) == [str(tmp_path / "a" / "b" / "x.txt")]


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=64), piece=st.integers(1, 70))
def test_a_file_digest_is_the_sha256_of_its_bytes_read_in_any_pieces(data: bytes, piece: int) -> None:
    import tempfile
    from unittest import mock

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.xlsx"
        path.write_bytes(data)
        with mock.patch.object(dedupe, "_PIECE", piece):
            assert dedupe._digest(str(path)) == hashlib.sha256(data).digest()
