#!/usr/bin/env python3
"""Loads any VoidRail router (Java or Python) with echo calls from N caller processes, in plain pyzmq.

Each caller is its own process with one DEALER socket and one call in flight (as the Python ClientDealer),
calling METHOD with a PAYLOAD-byte string for SECONDS after a warm-up. It prints one machine-readable line:

    RESULT scenario=<name> callers=16 calls=... rps=... p50_us=... p90_us=... p99_us=... errors=0

    /usr/bin/python3 voidrail-benchmarks/python/load_client.py --router tcp://127.0.0.1:5555 --callers 16

Needs pyzmq only (Debian: python3-zmq). Bounded: every caller stops after --seconds, and a call unanswered for
--timeout seconds counts as an error and ends that caller.
"""

import argparse
import json
import multiprocessing
import time
import uuid

import zmq


def caller(router, method, payload, warmup, seconds, timeout, results):
    context = zmq.Context()
    socket = context.socket(zmq.DEALER)
    socket.setsockopt_string(zmq.IDENTITY, uuid.uuid4().hex)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(router)
    text = "x" * payload
    latencies, errors = [], 0
    start = time.monotonic()
    measure_from = start + warmup
    stop = measure_from + seconds
    n = 0
    while True:
        now = time.monotonic()
        if now >= stop:
            break
        n += 1
        request = json.dumps({"type": "request", "request_id": uuid.uuid4().hex, "func_name": method,
                              "args": [text], "kwargs": {}, "timeout_ms": int(timeout * 1000)})
        sent = time.perf_counter()
        socket.send_multipart([b"call_from_client", method.encode(), request.encode()])
        answered = False
        while socket.poll(int(timeout * 1000)):
            frames = socket.recv_multipart()
            if frames[0] == b"reply_from_router":
                reply = json.loads(frames[-1])
                ok = reply.get("result") == text
                answered = True
                break
        took = time.perf_counter() - sent
        if not answered:
            errors += 1
            break
        if now >= measure_from:
            if ok:
                latencies.append(took)
            else:
                errors += 1
    socket.close()
    context.term()
    results.put((latencies, errors))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--router", required=True)
    parser.add_argument("--method", default="EchoService.echo")
    parser.add_argument("--callers", type=int, default=1)
    parser.add_argument("--payload", type=int, default=100)
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds before measuring (default 5)")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds measured (default 10)")
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--scenario", default="load")
    args = parser.parse_args()
    results = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=caller, args=(args.router, args.method, args.payload, args.warmup,
                                                               args.seconds, args.timeout, results))
                 for _ in range(args.callers)]
    for process in processes:
        process.start()
    latencies, errors = [], 0
    for _ in processes:
        got, failed = results.get(timeout=args.warmup + args.seconds + args.timeout + 30)
        latencies.extend(got)
        errors += failed
    for process in processes:
        process.join()
    latencies.sort()

    def percentile(p):
        return int(latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1e6) if latencies else -1

    print("RESULT scenario=%s callers=%d calls=%d rps=%.0f p50_us=%d p90_us=%d p99_us=%d errors=%d"
          % (args.scenario, args.callers, len(latencies), len(latencies) / args.seconds, percentile(0.5),
             percentile(0.9), percentile(0.99), errors))


if __name__ == "__main__":
    main()
