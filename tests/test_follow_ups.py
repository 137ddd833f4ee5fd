"""Follow-ups start after the answer is written, not at commit; requests being answered go first."""

from __future__ import annotations

import threading

from bot.runtime.follow_ups import FollowUps


def test_follow_ups_asked_for_while_answering_wait_for_the_answer_to_be_written():
    follow_ups = FollowUps()
    ran = threading.Event()
    with follow_ups.holding() as release:
        follow_ups.run(ran.set)
    assert not ran.wait(0.3), "started before the answer was written"
    release()
    follow_ups.wait(timeout=5)
    assert ran.is_set()
    release()  # a second close() of the same answer starts nothing twice
    follow_ups.close()


def test_follow_ups_with_nothing_holding_them_start_at_once():
    follow_ups = FollowUps()
    ran = threading.Event()
    follow_ups.run(ran.set)
    assert ran.wait(5)
    follow_ups.close()


def test_a_follow_up_yields_to_requests_in_flight_but_is_never_starved():
    follow_ups = FollowUps(yield_for=0.5)
    ran = threading.Event()
    with follow_ups.holding() as other_request:
        pass  # a request answered, its answer not yet written
    follow_ups.run(ran.set)  # from a clock job or Socket Mode: nothing holds it, but it yields
    assert not ran.wait(0.2), "ran while another request was being answered"
    assert ran.wait(5), "starved: it must run once it has yielded for yield_for seconds"
    other_request()
    follow_ups.close()


def test_an_answer_that_fails_still_releases_what_it_held():
    follow_ups = FollowUps()
    ran = threading.Event()
    try:
        with follow_ups.holding():
            follow_ups.run(ran.set)
            raise RuntimeError("the request failed")
    except RuntimeError:
        pass
    follow_ups.wait(timeout=5)
    assert ran.is_set()
    follow_ups.close()


def test_a_failing_follow_up_is_logged_and_the_next_one_still_runs(caplog):
    follow_ups = FollowUps()
    ran = threading.Event()

    def boom() -> None:
        raise ValueError("broken")

    follow_ups.run(boom)
    follow_ups.run(ran.set)
    follow_ups.wait(timeout=5)
    assert ran.is_set()
    assert any("background work failed" in r.getMessage() for r in caplog.records)
    follow_ups.close()


def test_shutting_down_waits_for_a_request_still_writing_its_answer_and_loses_nothing():
    follow_ups = FollowUps()
    ran: list[str] = []
    with follow_ups.holding() as release:
        follow_ups.run(ran.append, "refresh")
    threading.Timer(0.1, release).start()  # the answer is still being written when shutdown begins
    follow_ups.close(timeout=5)
    assert ran == ["refresh"]

    late = FollowUps()
    with late.holding() as release_late:
        late.run(ran.append, "late")
    late.close(timeout=0.05)  # gives up waiting for the answer ...
    release_late()  # ... which is written after all: its follow-up runs there and then, never lost
    assert ran == ["refresh", "late"]
