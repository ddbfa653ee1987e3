"""Document work made apart (hoshin.runtime.apart): in a forked child, its bytes or its
error brought back, nothing of it left in the parent."""

from __future__ import annotations

import os

import pytest

from hoshin.errors import InvalidInput
from hoshin.runtime.apart import made_apart


def test_the_work_runs_in_another_process_and_its_bytes_come_back() -> None:
    here = os.getpid()
    answer = made_apart(lambda: f"{os.getpid()}".encode() + b"\x00" * 3_000_000)
    child, padding = answer[: answer.index(b"\x00")], answer[answer.index(b"\x00") :]
    assert int(child) != here
    assert len(padding) == 3_000_000  # more than a pipe's buffer: read while written


def test_what_the_child_changes_stays_in_the_child() -> None:
    seen: list[str] = []

    def work() -> bytes:
        seen.append("in the child")
        return b"done"

    assert made_apart(work) == b"done"
    assert seen == []


def test_a_hoshin_error_comes_back_with_its_message_and_detail() -> None:
    def work() -> bytes:
        raise InvalidInput("format: 'pdf' is not one", [{"field": "format", "reason": "no"}])

    with pytest.raises(InvalidInput) as raised:
        made_apart(work)
    assert raised.value.message == "format: 'pdf' is not one"
    assert raised.value.detail == [{"field": "format", "reason": "no"}]


def test_any_other_failure_is_a_runtime_error_naming_it() -> None:
    def work() -> bytes:
        raise KeyError("B9")

    with pytest.raises(RuntimeError, match="KeyError: 'B9'"):
        made_apart(work)
