"""RQ baseline of bench/throughput.ts: the original's queue (python3-rq) with a no-op job.

    /usr/bin/python3 rq_baseline.py {simple|fork} JOBS REDIS_URL QUEUE

Enqueues JOBS jobs of noop() on QUEUE (one Queue.enqueue each, as the original's API does), then drains them
with one burst worker: SimpleWorker (runs jobs in its own process) or Worker (forks a work horse per job, RQ's
default). Prints one JSON line: enqueue and drain times, and how many jobs finished and failed.
The caller owns the Redis database (REDIS_URL names it) and empties it afterwards.
"""
import json
import logging
import sys
import time

from redis import Redis
from rq import Queue, SimpleWorker, Worker
from rq.registry import FailedJobRegistry, FinishedJobRegistry


def noop():
    return None


def main():
    kind, jobs, url, qname = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    logging.basicConfig(level=logging.WARNING)
    conn = Redis.from_url(url)
    queue = Queue(qname, connection=conn)
    t0 = time.perf_counter()
    for _ in range(jobs):
        queue.enqueue('rq_baseline.noop')
    t1 = time.perf_counter()
    worker_class = SimpleWorker if kind == 'simple' else Worker
    worker = worker_class([queue], connection=conn)
    worker.work(burst=True, logging_level='WARNING')
    t2 = time.perf_counter()
    finished = FinishedJobRegistry(queue=queue).count
    failed = FailedJobRegistry(queue=queue).count
    print(json.dumps({
        'kind': kind, 'jobs': jobs, 'enqueue_s': t1 - t0, 'drain_s': t2 - t1,
        'finished': finished, 'failed': failed,
    }))


if __name__ == '__main__':
    main()
