"""Spreading the fitting work over processes with fork: children inherit the data, only results travel."""
from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable, Iterator


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def forked_map(function: Callable, tasks: list, n_jobs: int) -> Iterator:
    """function(task) for each task, yielded in task order.

    Task i runs in worker i % n_jobs: worker 0 is this process, the others are forked children that
    send each result through a pipe as soon as it is ready. Round robin keeps every worker busy
    while results are consumed in order, and a consumer that frees each result keeps only a few
    in memory. With n_jobs == 1 nothing is forked."""
    if n_jobs <= 1 or len(tasks) <= 1:
        yield from map(function, tasks)
        return
    context = multiprocessing.get_context("fork")
    workers = []
    try:
        for worker in range(1, min(n_jobs, len(tasks))):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_run_tasks, args=(function, tasks[worker::n_jobs], sender), daemon=True)
            process.start()
            sender.close()
            workers.append((process, receiver))
        for index, task in enumerate(tasks):
            worker = index % n_jobs
            yield function(task) if worker == 0 else _received(*workers[worker - 1])
    finally:
        for process, receiver in workers:
            receiver.close()
            if process.is_alive():
                process.terminate()
            process.join()


class _Failure:
    def __init__(self, text: str):
        self.text = text


def _run_tasks(function: Callable, tasks: list, sender) -> None:
    try:
        for task in tasks:
            sender.send(function(task))
    except BaseException:  # reported to the parent, which raises it
        sender.send(_Failure(traceback.format_exc()))
    finally:
        sender.close()


def _received(process, receiver):
    try:
        result = receiver.recv()
    except EOFError:
        raise RuntimeError(f"a fitting worker process ended without its result (exit code {process.exitcode})") from None
    if isinstance(result, _Failure):
        raise RuntimeError(f"a fitting worker process failed:\n{result.text}")
    return result
