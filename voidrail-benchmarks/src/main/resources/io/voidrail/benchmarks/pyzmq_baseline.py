#!/usr/bin/env python3
"""The raw broker of the Java baseline (jeromq-raw-1slot), in pyzmq on libzmq: how far JeroMQ is from libzmq.

A ROUTER broker process, one DEALER worker process and a DEALER client (this process) move VoidRail's frames
(call_from_client / call_from_router / reply_from_dealer / reply_from_router) with JSON copied from templates,
as the Java baseline does. The broker gives the worker at most --slots calls at a time (0: no limit) and queues
the rest. Bounded: every phase stops after --max-seconds. Prints one JSON line:

    {"calls": N, "failed": 0, "seconds": S, "latencies_us": [...], "stopped_by_time_limit": false}

Needs pyzmq (Debian: python3-zmq). Run by the Java benchmark's pyzmq-raw-1slot scenario, which extracts it from its jar.
"""

import argparse
import collections
import json
import multiprocessing
import os
import sys
import time

import zmq

PREFIX = b'{"type":"request","request_id":"'
ID_LENGTH = 36


def orphaned(socket, parent):
    """Waits for input; true when the parent process is gone (killed at its time bound): then this one ends too."""
    while not socket.poll(1000):
        if os.getppid() != parent:
            return True
    return False


def broker(port_queue, slots, parent):
    context = zmq.Context()
    socket = context.socket(zmq.ROUTER)
    socket.setsockopt(zmq.LINGER, 0)
    port_queue.put(socket.bind_to_random_port("tcp://127.0.0.1"))
    worker, at_worker, queue = None, 0, collections.deque()
    while not orphaned(socket, parent):
        frames = socket.recv_multipart()
        kind = frames[1]
        if kind == b"register":
            worker = frames[0]
            socket.send_multipart([worker, b"register_ack", b"{}"])
        elif kind == b"call_from_client":
            call = [worker, b"call_from_router", frames[0], frames[2], frames[3]]
            if slots == 0 or at_worker < slots:
                at_worker += 1
                socket.send_multipart(call)
            else:
                queue.append(call)
        elif kind == b"reply_from_dealer":
            socket.send_multipart([frames[2], b"reply_from_router", frames[3]])
            if queue:
                socket.send_multipart(queue.popleft())
            else:
                at_worker -= 1
        elif kind == b"stop":
            break


def worker(address, text, parent):
    context = zmq.Context()
    socket = context.socket(zmq.DEALER)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(address)
    socket.send_multipart([b"register", b"{}"])
    tail = b'","result":"' + text + b'"}'
    while not orphaned(socket, parent):
        frames = socket.recv_multipart()
        if frames[0] == b"call_from_router":
            request = frames[3]
            request_id = request[len(PREFIX):len(PREFIX) + ID_LENGTH]
            socket.send_multipart([b"reply_from_dealer", frames[1], b'{"type":"reply","request_id":"' + request_id + tail])
        elif frames[0] == b"stop":
            break


def phase(socket, count, window, text, bound):
    """Keeps `window` calls in flight until `count` are answered or the bound passes; returns latencies (µs)."""
    start = time.perf_counter()
    deadline = start + bound
    body = b'","func_name":"EchoService.echo","request_step":"READY","args":["' + text + b'"],"kwargs":{}}'
    sent_at, latencies, issued, failed = {}, [], 0, 0
    poller = zmq.Poller()
    poller.register(socket, zmq.POLLIN)
    while len(latencies) + failed < count:
        now = time.perf_counter()
        if now >= deadline:
            return latencies, failed, now - start, True
        while issued - len(latencies) - failed < window and issued < count:
            request_id = b"%036d" % issued
            sent_at[request_id] = time.perf_counter()
            socket.send_multipart([b"call_from_client", b"EchoService.echo", PREFIX + request_id + body])
            issued += 1
        if not poller.poll(max(1, int((deadline - now) * 1000))):
            continue
        while True:
            try:
                frames = socket.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                break
            reply = frames[-1]
            request_id = reply[len(b'{"type":"reply","request_id":"'):][:ID_LENGTH]
            sent = sent_at.pop(request_id, None)
            if sent is None or not reply.endswith(text + b'"}'):
                failed += 1
            else:
                latencies.append((time.perf_counter() - sent) * 1e6)
    return latencies, failed, time.perf_counter() - start, False


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--warmup", type=int, default=5000)
    parser.add_argument("--window", type=int, default=64)
    parser.add_argument("--payload", type=int, default=256)
    parser.add_argument("--slots", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=30)
    args = parser.parse_args()
    text = (b"abcdefghijklmnopqrstuvwxyz" * (args.payload // 26 + 1))[:args.payload]
    ports = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=broker, args=(ports, args.slots, os.getpid()), daemon=True)]
    processes[0].start()
    address = "tcp://127.0.0.1:%d" % ports.get(timeout=10)
    processes.append(multiprocessing.Process(target=worker, args=(address, text, os.getpid()), daemon=True))
    processes[1].start()
    context = zmq.Context()
    socket = context.socket(zmq.DEALER)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(address)
    time.sleep(0.3)  # the worker registers
    if args.warmup > 0:
        phase(socket, args.warmup, args.window, text, args.max_seconds)
    latencies, failed, seconds, cut = phase(socket, args.calls, args.window, text, args.max_seconds)
    print(json.dumps({"calls": len(latencies), "failed": failed, "seconds": seconds,
                      "stopped_by_time_limit": cut, "latencies_us": [round(x, 1) for x in latencies]}))
    sys.stdout.flush()
    for process in processes:
        process.terminate()
    socket.close()
    context.term()


if __name__ == "__main__":
    main()
