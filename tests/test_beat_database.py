"""Beat's scheduler waits for the database instead of dying when it takes over during an outage."""

import pytest
from django.db import OperationalError

from helpdesk.beat import LockLost, with_database


class Lock:
    def __init__(self, answers):
        self.answers = list(answers)

    def renew(self):
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def failing(times):
    calls = []

    def step():
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError("connection refused")
        return "schedule"
    return step, calls


@pytest.fixture(autouse=True)
def heartbeat_file(tmp_path, monkeypatch):
    monkeypatch.setenv("BEAT_HEARTBEAT_FILE", str(tmp_path / "heartbeat"))


def test_the_schedule_is_read_once_the_database_is_back_with_growing_pauses():
    step, calls = failing(5)
    pauses = []
    assert with_database(step, Lock([True] * 5), sleep=pauses.append, most=4) == "schedule"
    assert len(calls) == 6
    assert pauses == [1, 2, 4, 4, 4]


def test_redis_away_too_does_not_stop_the_wait():
    step, _calls = failing(2)
    assert with_database(step, Lock([ConnectionError("redis away"), True]), sleep=lambda _s: None) == "schedule"


def test_a_beat_whose_lock_another_took_meanwhile_stands_down():
    step, calls = failing(3)
    with pytest.raises(LockLost):
        with_database(step, Lock([True, False]), sleep=lambda _s: None)
    assert len(calls) == 2


def test_other_errors_are_not_swallowed():
    def step():
        raise ValueError("a bug, not an outage")
    with pytest.raises(ValueError):
        with_database(step, Lock([]), sleep=lambda _s: None)
