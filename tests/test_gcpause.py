"""paused_gc: the cycle collector is off inside the block and back as it was after it."""

from __future__ import annotations

import gc

import pytest

from lyue_xl.gcpause import paused_gc


def test_collector_is_paused_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # nested: the inner block must not switch it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_is_restored_when_the_block_fails() -> None:
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_objects_kept_in_the_block_leave_the_young_generation() -> None:
    with paused_gc():
        kept = [[index] for index in range(50_000)]
    young, _, _ = gc.get_count()
    assert young < 1_000  # not 50,000 objects for the next collection to walk
    assert gc.get_freeze_count() == 0  # nothing left frozen
    assert len(kept) == 50_000


def test_a_cycle_dropped_in_the_block_is_still_collected_after() -> None:
    import weakref

    with paused_gc():
        node = _Node()
        alive = weakref.ref(node)
        del node
        assert alive() is not None  # paused: the cycle waits
    gc.collect()
    assert alive() is None
