"""``--format github``: workflow annotations. At most 10 errors and 10 warnings are annotated (GitHub shows
no more per step), errors first, taken from every file in turn so that one file cannot use them all up;
one summary line counts the rest.

Streamed: the rejected files' lines go to a spool (they come first, before any annotation); of each level
only the findings that could still be annotated are held (at most ``MAX_PER_LEVEL``), so memory does not
grow with the run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from checker.report.controls import one_line
from checker.report.spool import TextSpool

if TYPE_CHECKING:
    from collections.abc import Callable

    from checker.findings import Finding
    from checker.results import FileOutcome, RunTail

MAX_PER_LEVEL = 10


def _data(text: str) -> str:
    # Every line break is escaped, and other controls (an ANSI escape, U+2028) are dropped: nothing from a
    # submitted file can start a workflow command of its own.
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return one_line(escaped)


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(slots=True)
class _Spread:
    """The findings of one level to annotate: at most ``limit``, one from each file in turn (in run order),
    then shown in run order. Taking the first of every file, then the second, … is keeping the ``limit``
    smallest (rank in its file, order of the file); so only that many are held, whatever the run's size."""

    limit: int
    seen: int = 0  # findings of this level so far: the run order of the next one
    files: int = 0  # files with a finding of this level so far: the order of the next new one
    kept: list[tuple[int, int, int, str]] = field(default_factory=list)  # (rank, file order, run order, line)

    def add(self, findings: list[Finding], line: Callable[[Finding], str]) -> None:
        ranks: dict[str, tuple[int, int]] = {}  # file -> (its order, findings of it so far)
        for f in findings:
            # A file's findings arrive with its outcome, so the files of one outcome are all it takes to
            # know a finding's rank in its file.
            order, rank = ranks.get(f.location.file, (self.files, 0))
            if rank == 0:
                self.files += 1
            ranks[f.location.file] = (order, rank + 1)
            key = (rank, order, self.seen)
            self.seen += 1
            if len(self.kept) < self.limit:
                self.kept.append((*key, line(f)))
            else:
                worst = max(range(self.limit), key=lambda i: self.kept[i][:3])
                if key < self.kept[worst][:3]:
                    self.kept[worst] = (*key, line(f))

    def lines(self) -> list[str]:
        return [k[3] for k in sorted(self.kept, key=lambda k: k[2])]

    @property
    def rest(self) -> int:
        return self.seen - len(self.kept)


class GithubWriter:
    def __init__(self, write: Callable[[str], Any], lang: str) -> None:
        self._write = write
        self._lang = lang
        self._errors = TextSpool()
        self._levels = {level: _Spread(MAX_PER_LEVEL) for level in ("error", "warning")}
        self._rest = 0  # active findings of other levels (notes): never annotated

    def _line(self, f: Finding) -> str:
        where = f"file={_prop(f.location.file)}"
        if f.location.line is not None:
            where += f",line={f.location.line}"
        title = f"{f.code} {f.location.short()}".strip()
        return f"::{f.severity.value} {where},title={_prop(title)}::{_data(f.text(self._lang))}"

    def file(self, o: FileOutcome) -> None:
        if o.error:
            self._errors.write(f"::error file={_prop(o.path)}::{_data(o.error)}\n")
        active = [f for f in (o.report.findings if o.report else ()) if f.active]
        for level, spread in self._levels.items():
            spread.add([f for f in active if f.severity.value == level], self._line)
        self._rest += sum(1 for f in active if f.severity.value not in self._levels)

    def end(self, tail: RunTail) -> None:
        s = tail.summary
        rest = self._rest + sum(spread.rest for spread in self._levels.values())
        summary = (f"jixiao: {s['files']} file(s), {s['sheets']} sheet(s): {s['error']} error(s), "
                   f"{s['warning']} warning(s), {s['note']} note(s)")  # fmt: skip
        if rest:
            summary += f"; {rest} more not annotated (see --format text or sarif)"
        coverage = tail.coverage
        summary += "; " + "; ".join(filter(None, [coverage.read_line("en"), coverage.year_line("en")]))
        self._errors.replay(self._write)
        lines = [*(line for spread in self._levels.values() for line in spread.lines()),
                 f"::notice title=jixiao::{_data(summary)}"]  # fmt: skip
        self._write("\n".join(lines) + "\n")

    def close(self) -> None:
        self._errors.close()
