"""A small closed-loop HTTP load generator: keep-alive connections in threads, in processes.

Each client sends one request, waits for the whole response, and sends the next one, until the
deadline. Bounded in time and only ever aimed at 127.0.0.1.
"""

import http.client
import multiprocessing
import threading
import time
from dataclasses import dataclass


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
        return ordered[index]


def _client(port, path, headers, deadline, out, errors):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while True:
        started = time.perf_counter()
        if started >= deadline:
            break
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        if ok:
            out.append(elapsed)
        else:
            errors.append(1)
    connection.close()


def _process(port, path, headers, threads, seconds, queue):
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors: list[int] = []
    workers = [
        threading.Thread(target=_client, args=(port, path, headers, deadline, latencies, errors))
        for _ in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((latencies, len(errors)))


def run(*, port: int, path: str, cookie: str, concurrency: int, seconds: float) -> Result:
    """``concurrency`` closed-loop clients for ``seconds``; two processes above 4 clients."""
    headers = {"Cookie": cookie, "Connection": "keep-alive", "Accept-Language": "en"}
    processes = 2 if concurrency > 4 else 1
    per_process = [
        concurrency // processes + (i < concurrency % processes) for i in range(processes)
    ]
    queue: multiprocessing.Queue = multiprocessing.Queue()
    started = time.perf_counter()
    children = [
        multiprocessing.Process(target=_process, args=(port, path, headers, n, seconds, queue))
        for n in per_process
    ]
    for child in children:
        child.start()
    latencies: list[float] = []
    errors = 0
    for _ in children:
        part, failed = queue.get()
        latencies += part
        errors += failed
    for child in children:
        child.join()
    elapsed = time.perf_counter() - started
    return Result(requests=len(latencies), errors=errors, seconds=elapsed, latencies_ms=latencies)
