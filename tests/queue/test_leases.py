"""Leases in the database: renewed only by their holder, handed back at shutdown, and taken
back from a holder that stopped."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from graphq.db.models import Job
from graphq.queue import leases, store
from tests.queue.helpers import claimed_jobs, job_columns, queue_database

OWNER = "host:1:abcd"
OTHER = "host:2:ef01"
# What the tests read of each job.
LEASE = (Job.status, Job.lease_owner, Job.lease_expires_at, Job.attempts)


async def test_only_the_holder_renews_a_lease(tmp_path: Path) -> None:
    async with queue_database(tmp_path) as db:
        (ours,) = await claimed_jobs(db, OWNER, 1)
        (theirs,) = await claimed_jobs(db, OTHER, 1)
        before = await job_columns(db, [ours, theirs], *LEASE)
        await leases.renew_leases(db, OWNER, [ours, theirs], 600.0)
        after = await job_columns(db, [ours, theirs], *LEASE)
    assert after[ours][2] > before[ours][2] + timedelta(seconds=500)
    assert after[theirs] == before[theirs]


async def test_a_job_whose_lease_ran_out_goes_back_in_line_once(tmp_path: Path) -> None:
    async with queue_database(tmp_path) as db:
        stalled, running = await claimed_jobs(db, OTHER, 2)
        lapsed = store.utcnow() - timedelta(seconds=1)
        await db.transact(
            lambda conn: conn.execute(
                update(Job).where(Job.id == stalled).values(lease_expires_at=lapsed)
            )
        )
        expired = await leases.expired_leases(db)
        back = await leases.requeue_expired(db, stalled)
        again = await leases.requeue_expired(db, stalled)
        rows = await job_columns(db, [stalled, running], *LEASE)
    assert expired == [(stalled, 1, 3)]
    assert back is not None and (back.id, back.queue_id) == (stalled, "q")
    assert again is None  # no longer running: a second recovery changes nothing
    assert rows[stalled][:3] == ("queued", None, None)
    assert rows[running][:2] == ("processing", OTHER)


async def test_jobs_released_at_shutdown_wait_again_with_the_attempt_uncounted(
    tmp_path: Path,
) -> None:
    async with queue_database(tmp_path) as db:
        ours = await claimed_jobs(db, OWNER, 2)
        (theirs,) = await claimed_jobs(db, OTHER, 1)
        await leases.release(db, [*ours, theirs], OWNER)
        rows = await job_columns(db, [*ours, theirs], *LEASE)
        waiting = {job.id for job in await leases.load_waiting(db)}
    assert [rows[job_id][0] for job_id in ours] == ["queued", "queued"]
    assert [rows[job_id][3] for job_id in ours] == [0, 0]
    assert rows[theirs][:2] == ("processing", OTHER)
    assert waiting == set(ours)


async def test_leases_of_dead_servers_on_this_host_end_at_once(tmp_path: Path) -> None:
    async with queue_database(tmp_path) as db:
        (gone,) = await claimed_jobs(db, "here:11:aaaa", 1)
        (alive,) = await claimed_jobs(db, "here:12:bbbb", 1)
        (elsewhere,) = await claimed_jobs(db, "there:11:cccc", 1)
        ended = await leases.expire_leases_of_dead_local_servers(
            db, "here", lambda owner: owner == "here:11:aaaa"
        )
        expired = {job_id for job_id, _, _ in await leases.expired_leases(db)}
    assert ended == 1
    assert expired == {gone}
    assert alive not in expired and elsewhere not in expired


def test_a_lease_owner_fits_its_column_however_long_the_host_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(leases.socket, "gethostname", lambda: "pod-" + "x" * 120)
    owner = leases.new_owner()
    assert len(owner) <= leases.OWNER_COLUMN_CHARS
    assert owner.startswith(f"{leases.owner_host()}:{os.getpid()}:")
    assert leases.owner_host().startswith("pod-xxx")


def test_machines_whose_long_names_share_their_start_own_leases_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hosts = []
    for ending in ("-a", "-b"):
        monkeypatch.setattr(leases.socket, "gethostname", lambda e=ending: "x" * 80 + e)
        hosts.append(leases.owner_host())
    assert hosts[0] != hosts[1]
    assert all(len(host) == leases.OWNER_HOST_CHARS for host in hosts)


def test_a_short_host_name_is_kept_whole_in_its_lease_owners(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(leases.socket, "gethostname", lambda: "node-a")
    assert leases.new_owner().split(":")[:2] == ["node-a", str(os.getpid())]
