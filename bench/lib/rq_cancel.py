"""RQ baseline of bench/cancel.ts (python3-rq), no worker running.

    /usr/bin/python3 rq_cancel.py JOBS BULK REDIS_URL QUEUE

Enqueues JOBS no-op jobs on QUEUE, then cancels every queued job of the queue the way an RQ service does it
(read the queue's job ids, fetch each job, job.cancel()); then enqueues BULK jobs one Queue.enqueue each (what
a bulk submit to BULK devices costs). Prints one JSON line with the times in ms and the jobs left queued.
The caller owns the Redis database (REDIS_URL names it) and empties it afterwards.
"""
import json
import sys
import time

from redis import Redis
from rq import Queue
from rq.job import Job


def main():
    jobs, bulk, url, qname = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    conn = Redis.from_url(url)
    queue = Queue(qname, connection=conn)
    for _ in range(jobs):
        queue.enqueue('rq_baseline.noop')
    t0 = time.perf_counter()
    cancelled = 0
    for job_id in queue.get_job_ids():
        job = Job.fetch(job_id, connection=conn)
        if job.get_status() == 'queued':
            job.cancel()
            cancelled += 1
    t1 = time.perf_counter()
    left = queue.count
    bulk_queue = Queue(qname + '_bulk', connection=conn)
    t2 = time.perf_counter()
    for _ in range(bulk):
        bulk_queue.enqueue('rq_baseline.noop')
    t3 = time.perf_counter()
    print(json.dumps({'cancel_ms': (t1 - t0) * 1000, 'cancelled': cancelled, 'left': left, 'bulk_ms': (t3 - t2) * 1000}))


if __name__ == '__main__':
    main()
