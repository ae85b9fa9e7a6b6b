"""RQ baseline of bench/latency.ts: one no-op job at a time on an idle RQ worker.

    /usr/bin/python3 rq_latency.py {simple|fork} SAMPLES WARMUP REDIS_URL QUEUE

Starts one RQ worker process (SimpleWorker or the forking Worker) on QUEUE, then SAMPLES times: enqueue
noop(), poll the job's status until it is finished. Prints one JSON line with the samples in ms.
The caller owns the Redis database (REDIS_URL names it) and empties it afterwards.
"""
import json
import os
import signal
import subprocess
import sys
import time

from redis import Redis
from rq import Queue, Worker

WORKER = """
import logging, sys
from redis import Redis
from rq import Queue, SimpleWorker, Worker
logging.basicConfig(level=logging.WARNING)
conn = Redis.from_url(sys.argv[2])
cls = SimpleWorker if sys.argv[1] == 'simple' else Worker
cls([Queue(sys.argv[3], connection=conn)], connection=conn).work(logging_level='WARNING')
"""


def main():
    kind, samples, warmup, url, qname = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    conn = Redis.from_url(url)
    queue = Queue(qname, connection=conn)
    worker = subprocess.Popen([sys.executable, '-c', WORKER, kind, url, qname], env=os.environ)
    try:
        deadline = time.time() + 30
        while not Worker.all(queue=queue):
            if time.time() > deadline or worker.poll() is not None:
                raise SystemExit('the RQ worker did not start')
            time.sleep(0.05)
        out = []
        not_finished = 0
        for i in range(samples + warmup):
            t0 = time.perf_counter()
            job = queue.enqueue('rq_baseline.noop')
            limit = time.time() + 5
            status = None
            while status not in ('finished', 'failed') and time.time() < limit:
                status = job.get_status(refresh=True)
            t1 = time.perf_counter()
            if i >= warmup:
                out.append((t1 - t0) * 1000)
                if status != 'finished':
                    not_finished += 1
        print(json.dumps({'kind': kind, 'samples': out, 'not_finished': not_finished}))
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            worker.kill()


if __name__ == '__main__':
    main()
