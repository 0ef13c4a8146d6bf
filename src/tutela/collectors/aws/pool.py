"""A bounded thread pool over collection jobs that may spawn follow-up jobs.

A job is one (service, region) unit of work: list a service's resources in a
region, or read the details of a chunk of them. A job returns the follow-up
jobs it spawns (e.g. "details of buckets 1-25"), which go to the same pool, so
the number of threads stays bounded however many resources there are, and one
slow region or service never serialises the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

DEFAULT_WORKERS = 8


@dataclass(frozen=True, slots=True, eq=False)
class Job:
    service: str
    region: str
    label: str
    run: Callable[[], Sequence[Job]]


JobDone = Callable[[Job, int, int], None]  # (job, jobs done, jobs known)
JobCrashed = Callable[[Job, BaseException], None]


def run_jobs(
    jobs: Iterable[Job],
    *,
    workers: int = DEFAULT_WORKERS,
    on_done: JobDone | None = None,
    on_crash: JobCrashed | None = None,
) -> int:
    """Run `jobs` and every job they spawn on at most `workers` threads; returns jobs run.

    A job that raises is reported to `on_crash` (or re-raised when there is none)
    and spawns nothing; the others go on.
    """
    done = 0
    known = 0
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="tutela-aws") as ex:
        pending: dict[Future[Sequence[Job]], Job] = {}

        def submit(job: Job) -> None:
            nonlocal known
            known += 1
            pending[ex.submit(job.run)] = job

        for job in jobs:
            submit(job)
        while pending:
            finished, _ = wait(tuple(pending), return_when=FIRST_COMPLETED)
            for future in finished:
                job = pending.pop(future)
                try:
                    spawned = future.result()
                except Exception as exc:
                    if on_crash is None:
                        raise
                    on_crash(job, exc)
                    spawned = ()
                for follow in spawned:
                    submit(follow)
                done += 1
                if on_done is not None:
                    on_done(job, done, known)
    return done
