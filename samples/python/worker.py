#!/usr/bin/env python3
"""A VoidRail worker (a "dealer") in plain pyzmq: what a peer in any language has to do.

It speaks the VoidRail V1 wire protocol the way the Python VoidRail dealer does, so it serves calls
through the Python router and through the Java router alike. The protocol is described in
docs/PROTOCOL.md; the section names in the comments below ("Calls", "Authentication", ...) are its
sections.

    /usr/bin/python3 samples/python/worker.py --router tcp://127.0.0.1:5555
    VOIDRAIL_API_KEY=dealer_... /usr/bin/python3 samples/python/worker.py --router tcp://gpu-bus:5555
    /usr/bin/python3 samples/python/worker.py --router tcp://gpu-bus:5555 \
        --curve-server-key keys/router.key --curve-keys keys/worker.key_secret    # encrypted (CURVE)

It needs pyzmq only (Debian: python3-zmq). With numpy (python3-numpy) the work is done by numpy,
otherwise by the same arithmetic in pure Python (or with --no-numpy). Once registered it prints
"READY <identity>" on stdout (again after every re-registration); everything else goes to stderr.

What it serves, as group TensorService (--group changes the name):

    matmul(a, b)                  the matrix product of two lists of rows
    embed(texts, dim=16)          a batch of texts -> unit vectors (feature hashing), as a record
    progress(steps, seconds=0, fail_at=None)
                                  a stream: {"step": i, "total": steps} for i = 1..steps
    slow(seconds, tag=None)       sleeps, then says which worker did it and when it started
    fail(message)                 raises, to show what an error looks like
"""

import argparse
import hashlib
import inspect
import json
import math
import os
import signal
import socket as net
import sys
import threading
import time
import uuid

import zmq

from curve import curve_keys  # beside this file

try:
    import numpy as np
except ImportError:  # the pure-Python fallback below computes the same numbers
    np = None


# ----------------------------------------------------------------------------------- the service
#
# A service is a group name plus methods. Each method is registered with a description, its
# parameters and whether it streams; the router lists that metadata in "methods" for clients.

def service_method(description=None, params=None):
    def mark(fn):
        fn.voidrail = {"description": description, "params": params,
                       "stream": inspect.isgeneratorfunction(fn), "metadata": {}}
        return fn
    return mark


class TensorService:
    """Work that looks like what GPU workers do, small enough to read."""

    def __init__(self, identity, use_numpy):
        self.identity = identity
        self.np = np if use_numpy else None

    @service_method("Matrix product of a (n x k) and b (k x m), lists of rows",
                    {"a": "n x k matrix", "b": "k x m matrix"})
    def matmul(self, a, b):
        if not a or not b or any(len(row) != len(b) for row in a):
            raise ValueError(f"cannot multiply a {len(a)}x{len(a[0]) if a else 0} matrix "
                             f"by a {len(b)}x{len(b[0]) if b else 0} matrix")
        if self.np is not None:
            return (self.np.asarray(a) @ self.np.asarray(b)).tolist()  # tolist(): plain JSON numbers
        columns = list(zip(*b))
        return [[sum(x * y for x, y in zip(row, col)) for col in columns] for row in a]

    @service_method("Embed a batch of texts as unit vectors (hashing trick over lower-cased words)",
                    {"texts": "list of strings", "dim": "vector size (default 16)"})
    def embed(self, texts, dim=16):
        # every word adds +1 or -1 at a position chosen by its hash; then each row is scaled to length 1
        hits = [(row, h % dim, 1.0 if (h >> 32) & 1 else -1.0)
                for row, text in enumerate(texts)
                for h in (int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "big")
                          for w in text.lower().split())]
        if self.np is not None:
            vectors = self.np.zeros((len(texts), dim))
            if hits:
                rows, cols, signs = zip(*hits)
                self.np.add.at(vectors, (list(rows), list(cols)), signs)
            norms = self.np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = (vectors / self.np.where(norms == 0, 1, norms)).tolist()
        else:
            vectors = [[0.0] * dim for _ in texts]
            for row, col, sign in hits:
                vectors[row][col] += sign
            for vector in vectors:
                norm = math.sqrt(sum(x * x for x in vector)) or 1.0
                vector[:] = [x / norm for x in vector]
        # a dict is a record for the caller: a Java client maps it to a record or a POJO
        return {"model": "hashing-trick", "dim": dim,
                "backend": "numpy" if self.np is not None else "python", "vectors": vectors}

    @service_method("Report progress of a job step by step (a stream)",
                    {"steps": "how many steps", "seconds": "pause between steps",
                     "fail_at": "step that fails (to see an error mid-stream)"})
    def progress(self, steps, seconds=0.0, fail_at=None):
        for step in range(1, steps + 1):
            if step == fail_at:
                raise RuntimeError(f"step {step} of {steps} failed")
            time.sleep(seconds)
            yield {"step": step, "total": steps}

    @service_method("Work for some seconds, then say which worker did it",
                    {"seconds": "how long", "tag": "any value, returned as is"})
    def slow(self, seconds, tag=None):
        started = time.time()
        time.sleep(seconds)  # the heavy work being simulated; heartbeats go on meanwhile
        return {"slept": seconds, "worker": self.identity, "tag": tag, "started": started}

    @service_method("Fail with the given message", {"message": "the error text"})
    def fail(self, message):
        raise RuntimeError(message)


# ----------------------------------------------------------------------------------- the worker

HEARTBEAT_SECONDS = 0.5      # the Python VoidRail dealer's default
SILENCE_BEATS = 6            # router silent this long: reconnect ("Errors, heartbeats, health")
SHUTDOWN_GRACE_SECONDS = 10  # on stop, how long running calls may take to finish
REPLIES = "inproc://replies"


def log(message):
    print(message, file=sys.stderr, flush=True)


class Worker:
    """One DEALER socket, used only by the I/O thread (the main thread): pyzmq sockets are not
    thread-safe. Each call runs on a thread of its own and hands its replies back through an inproc
    pipe, so the I/O thread goes on heartbeating while a method runs."""

    def __init__(self, router, group, api_key, service, curve=None, max_concurrent=100):
        self.router, self.group, self.api_key = router, group, api_key
        self.curve = curve           # (router's public key, our public key, our secret key), or None
        self.identity = service.identity
        self.service = service
        self.max_concurrent = max_concurrent
        self.running = []            # threads of the calls being run
        self.context = zmq.Context()
        self.replies = self.context.socket(zmq.PULL)   # call threads -> I/O thread
        self.replies.bind(REPLIES)
        self.poller = zmq.Poller()
        self.poller.register(self.replies, zmq.POLLIN)
        self.socket = None
        self.registered = False
        self.stopping = False        # set by SIGTERM / Ctrl-C
        self.refused = None          # the router's error when it refused our API key
        self.heartbeats = 0

    # ---- messages to the router: [type, payload...], no empty delimiter frame ("Sockets and frames")

    def send(self, *frames, block=True):
        try:
            self.socket.send_multipart([f if isinstance(f, bytes) else f.encode() for f in frames],
                                       0 if block else zmq.NOBLOCK)
        except zmq.Again:
            # register, heartbeat, shutdown: with no connection to queue on (libzmq drops it when the
            # handshake fails: a plaintext worker at a CURVE router, a key not on its allow-list) they
            # are dropped, not waited for, so the loop goes on and the silence check reconnects
            pass

    def connect(self):
        """A new socket with the same identity, then register: at start and on every reconnect."""
        if self.socket is not None:
            self.poller.unregister(self.socket)
            self.socket.close(linger=0)
        self.socket = self.context.socket(zmq.DEALER)
        self.socket.setsockopt_string(zmq.IDENTITY, self.identity)
        if self.curve:               # CURVE is a socket option: set before connect, on every new socket
            self.socket.curve_serverkey, self.socket.curve_publickey, self.socket.curve_secretkey = self.curve
        self.socket.connect(self.router)
        self.poller.register(self.socket, zmq.POLLIN)
        self.registered = False
        self.last_heard = time.monotonic()
        self.register()

    def register(self):
        # "Registration and discovery": the methods with their metadata, plus the Python dealer's
        # other keys. The router answers register_ack, or an error when the API key is wrong.
        methods = {name: fn.voidrail for name, fn in inspect.getmembers(self.service)
                   if hasattr(fn, "voidrail")}
        ip = local_ip()
        self.send("register", json.dumps({
            "group": self.group, "methods": methods,
            "max_concurrent": self.max_concurrent, "current_load": len(self.running),
            "request_count": 0, "reply_count": 0,
            "api_key": self.api_key,
            "remote_addr": f"{ip} [PID:{os.getpid()}, ID:{self.identity.rsplit('-', 1)[1]}]",
            "host_info": {"hostname": net.gethostname(), "ip": ip, "pid": os.getpid()},
            # A Java extension: this worker heartbeats while its methods run, so a router that knows
            # the word may count its silence as death even while it is busy. The Python VoidRail
            # dealer does not send "capabilities"; routers ignore keys they do not know.
            "capabilities": ["busy_heartbeats"],
        }), block=False)

    def heartbeat(self):
        # "Errors, heartbeats, health": load as processing_requests; the other keys are informative
        self.send("heartbeat", json.dumps({
            "api_key": self.api_key, "processing_requests": len(self.running),
            "dealer_info": {"service_name": self.group, "group": self.group, "pid": os.getpid(),
                            "heartbeat_count": self.heartbeats, "connection_state": "CONNECTED"}}), block=False)
        self.heartbeats += 1

    # ---- the I/O loop

    def run(self):
        """Serves until stopped; returns the exit status (1: the router refused the API key)."""
        self.connect()
        next_beat = time.monotonic()
        stop_by = None
        while self.refused is None:
            now = time.monotonic()
            if self.stopping and stop_by is None:
                self.send("shutdown", "", block=False)   # the router dispatches nothing more; running calls finish
                stop_by = now + SHUTDOWN_GRACE_SECONDS
            if stop_by is not None and (not self.running or now > stop_by):
                break
            for sock, _ in self.poller.poll(max(0.0, next_beat - now) * 1000):
                if sock is self.replies:
                    self.forward_replies()
                elif sock is self.socket:
                    while self.socket.poll(0):   # drain what is ready before polling again
                        self.on_router_message(self.socket.recv_multipart())
            self.running = [t for t in self.running if t.is_alive()]
            now = time.monotonic()
            if now >= next_beat:
                next_beat = now + HEARTBEAT_SECONDS
                # registered or not, like the Python dealer: a router that missed our register
                # answers the heartbeat with reregister_required
                self.heartbeat()
                if now - self.last_heard > SILENCE_BEATS * HEARTBEAT_SECONDS:
                    # with CURVE, a router that refuses our key is silent too: no error reaches us
                    hint = " (CURVE: is our key on the router's allow-list?)" if self.curve else ""
                    log(f"router {self.router} silent for {now - self.last_heard:.1f} s: reconnecting{hint}")
                    self.connect()
        self.forward_replies()              # what the last calls sent just before they ended
        self.socket.close(linger=500)       # lets "shutdown" and those replies leave
        self.replies.close()
        if not self.running:
            self.context.term()             # else calls still hold sockets: just exit
        return 0 if self.refused is None else 1

    def forward_replies(self):
        while self.replies.poll(0):
            client_id, payload = self.replies.recv_multipart()
            self.send("reply_from_dealer", client_id, payload)

    def on_router_message(self, frames):
        self.last_heard = time.monotonic()   # any message from the router proves it is alive
        kind = frames[0].decode()
        if kind == "register_ack":
            if not self.registered:
                print(f"READY {self.identity}", flush=True)
            self.registered = True
        elif kind == "call_from_router":
            # [call_from_router, client id, "Group.method", REQUEST]: the JSON is the last frame
            call = threading.Thread(target=self.execute, args=(frames[1], frames[-1]), daemon=True)
            call.start()
            self.running.append(call)
        elif kind == "reregister_required":  # the router does not know us (it restarted)
            self.registered = False
            self.register()
        elif kind == "router_shutdown":      # it is stopping: reconnect, register when it is back
            log(f"router {self.router} is shutting down: reconnecting")
            self.connect()
        elif kind == "error":
            text = error_text(frames[-1])
            if text.startswith("Registration failed") or text == "Heartbeat authentication failed":
                log(f"the router refused this worker: {text} (check --api-key / VOIDRAIL_API_KEY)")
                self.refused = text
            else:
                log(f"router error: {text}")
        # heartbeat_ack, shutdown_ack: nothing to do beyond the liveness above

    # ---- running one call (on its own thread)

    def execute(self, client_id, payload):
        # "Calls": one message per reply, per stream item, per end marker, per error; exactly one
        # terminal message (reply, end or error) per call
        out = self.context.socket(zmq.PUSH)
        out.connect(REPLIES)
        send = lambda message: out.send_multipart([client_id, json.dumps(message).encode()])
        try:
            request = json.loads(payload)
            if not isinstance(request, dict):
                raise ValueError("not a JSON object")
        except ValueError as error:   # the Python dealer answers no such call either
            log(f"dropped a call without a JSON request: {error}")
            out.close()
            return
        request_id, func_name = request.get("request_id"), str(request.get("func_name"))
        # the JSON's func_name says what to run (frame 2 only routed the call)
        name = func_name[len(self.group) + 1:] if func_name.startswith(self.group + ".") else ""
        fn = getattr(self.service, name, None)
        try:
            if not hasattr(fn, "voidrail"):
                # like the Python dealer, errors carry no request_id (a Java router adds it)
                send({"type": "error", "error": f"Method {func_name} not found"})
                return
            result = fn(*request.get("args", []), **request.get("kwargs", {}))
            if inspect.isgenerator(result):
                for item in result:
                    send({"type": "streaming", "request_id": request_id, "data": item})
                send({"type": "end", "request_id": request_id})
            else:
                send({"type": "reply", "request_id": request_id, "result": result})
        except Exception as error:    # the method failed, or its result is not JSON
            send({"type": "error", "error": f"Method execution error: {error}"})
        finally:
            out.close()               # default linger: what was sent still reaches the I/O thread


def error_text(payload):
    try:
        return str(json.loads(payload).get("error", ""))
    except (ValueError, AttributeError):
        return payload.decode(errors="replace")


def local_ip():
    try:
        return net.gethostbyname(net.gethostname())
    except OSError:
        return "127.0.0.1"


def main():
    parser = argparse.ArgumentParser(description="A VoidRail worker in plain pyzmq (see docs/PROTOCOL.md)")
    parser.add_argument("--router", default="tcp://127.0.0.1:5555", help="router address")
    parser.add_argument("--group", default="TensorService", help="service group (methods are GROUP.name)")
    parser.add_argument("--api-key", default=os.environ.get("VOIDRAIL_API_KEY"),
                        help="dealer API key (default: VOIDRAIL_API_KEY)")
    parser.add_argument("--curve-server-key", metavar="KEY_OR_FILE",
                        default=os.environ.get("VOIDRAIL_CURVE_SERVER_KEY"),
                        help="encrypt with CURVE: the router's public key, Z85 or router.key "
                             "(default: VOIDRAIL_CURVE_SERVER_KEY)")
    parser.add_argument("--curve-keys", metavar="FILE", default=os.environ.get("VOIDRAIL_CURVE_KEY_FILE"),
                        help="with --curve-server-key: our NAME.key_secret (default: VOIDRAIL_CURVE_KEY_FILE)")
    parser.add_argument("--no-numpy", action="store_true", help="compute in pure Python even if numpy is there")
    args = parser.parse_args()
    curve = curve_keys(parser, args.curve_server_key, args.curve_keys)

    identity = f"{args.group}-{uuid.uuid4().hex[:8]}"
    service = TensorService(identity, np is not None and not args.no_numpy)
    worker = Worker(args.router, args.group, args.api_key, service, curve)

    def stop(*_):
        worker.stopping = True
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log(f"{identity} serving {args.group} via {args.router}{' with CURVE' if curve else ''} "
        f"({'numpy ' + np.__version__ if worker.service.np is not None else 'pure Python'})")
    sys.exit(worker.run())


if __name__ == "__main__":
    main()
