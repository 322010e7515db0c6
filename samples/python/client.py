#!/usr/bin/env python3
"""A VoidRail client in plain pyzmq: what a caller in any language has to do.

It speaks the VoidRail V1 wire protocol the way the Python VoidRail ClientDealer does, against the
Python router or the Java router alike; docs/PROTOCOL.md describes it, and the section names in the
comments below are its sections.

    /usr/bin/python3 samples/python/client.py --router tcp://127.0.0.1:5555 --list \\
        --call TensorService.matmul '[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]' \\
        --call TensorService.progress '{"steps": 3}'

With CURVE, add --curve-server-key keys/router.key --curve-keys keys/web.key_secret (see the README's
"Security"). ARGS is JSON: an array gives positional arguments, an object keyword arguments. Every answer is one
JSON line on stdout, so that a program can read it:

    {"op": "auth", "result": {"status": "authenticated"}}             (only with an API key)
    {"op": "methods", "result": {"TensorService.matmul": {...}, ...}} (with --list)
    {"op": "call", "method": "TensorService.matmul", "result": [[19, 22], [43, 50]]}
    {"op": "call", "method": "TensorService.progress", "item": {"step": 1, "total": 3}}
    {"op": "call", "method": "TensorService.progress", "end": true}
    {"op": "call", "method": "TensorService.fail", "error": "Method execution error: boom"}

The exit status is 0 when nothing failed, 1 otherwise. Needs pyzmq only (Debian: python3-zmq).
"""

import argparse
import json
import os
import sys
import uuid

import zmq

from curve import curve_keys  # beside this file


class Client:
    """One DEALER socket with a 32-hex identity; one call at a time, like the Python ClientDealer."""

    def __init__(self, router, timeout_seconds, curve=None):
        self.timeout_ms = int(timeout_seconds * 1000)
        self.context = zmq.Context()
        self.socket = self.context.socket(zmq.DEALER)
        # "Sockets and frames": clients use 32 lowercase hex characters (a UUID4 without dashes)
        self.identity = uuid.uuid4().hex
        self.socket.setsockopt_string(zmq.IDENTITY, self.identity)
        self.socket.setsockopt(zmq.LINGER, 0)
        if curve:   # CURVE: (router's public key, our public key, our secret key), set before connect
            self.socket.curve_serverkey, self.socket.curve_publickey, self.socket.curve_secretkey = curve
        self.socket.connect(router)

    def close(self):
        self.socket.close()
        self.context.term()

    def send(self, *frames):
        self.socket.send_multipart([f.encode() for f in frames])

    def receive(self):
        """The next message as (type, JSON of the last frame); TimeoutError when the router is silent."""
        if not self.socket.poll(self.timeout_ms):
            raise TimeoutError(f"no answer within {self.timeout_ms / 1000:g} s")
        frames = self.socket.recv_multipart()
        return frames[0].decode(), json.loads(frames[-1]) if len(frames) > 1 and frames[-1] else None

    def ask(self, token, payload="", answer=None):
        """auth / methods: ["<token>", payload] -> ["<token>_ack", {"type": "reply", "result": ...}]."""
        self.send(token, payload)
        kind, message = self.receive()
        if kind == "error":            # e.g. "Authentication failed", "Not authenticated"
            raise RemoteError(message["error"])
        return message["result"]

    def call(self, method, args):
        """Yields ("result", value), ("item", value)..., ("end", True); raises RemoteError."""
        # "Calls": the routing key is frame 2, the request the last frame
        request_id = str(uuid.uuid4())
        positional, keywords = (args, {}) if isinstance(args, list) else ([], args)
        self.send("call_from_client", method, json.dumps({
            "type": "request", "request_id": request_id, "func_name": method,
            "request_step": "READY", "args": positional, "kwargs": keywords}))
        while True:
            kind, message = self.receive()
            if kind == "error":        # a router error ("Not authenticated"): its request_id is not ours
                raise RemoteError(message["error"])
            if kind != "reply_from_router":
                continue               # nothing else is addressed to a client mid-call
            # an error is ours whatever its request_id: Python dealers send none, and a Python
            # router in load-balance mode makes one up ("No available service for method ...")
            if message["type"] == "error":
                raise RemoteError(message["error"])
            if message.get("request_id") != request_id:
                continue               # not this call's
            if message["type"] == "reply":
                yield "result", message["result"]
                return
            if message["type"] == "streaming":
                yield "item", message["data"]
            elif message["type"] == "end":
                yield "end", True
                return


class RemoteError(Exception):
    pass


class Step(argparse.Action):
    """--call METHOD ARGS, kept in command-line order."""

    def __call__(self, parser, namespace, values, option_string=None):
        method, args = values
        try:
            args = json.loads(args)
        except ValueError:
            parser.error(f"--call {method}: ARGS must be JSON, got {args!r}")
        if not isinstance(args, (list, dict)):
            args = [args]              # one value: one positional argument
        namespace.calls = (namespace.calls or []) + [(method, args)]


def main():
    parser = argparse.ArgumentParser(description="A VoidRail client in plain pyzmq (see docs/PROTOCOL.md)")
    parser.add_argument("--router", default="tcp://127.0.0.1:5555", help="router address")
    parser.add_argument("--api-key", default=os.environ.get("VOIDRAIL_API_KEY"),
                        help="client API key (default: VOIDRAIL_API_KEY)")
    parser.add_argument("--curve-server-key", metavar="KEY_OR_FILE",
                        default=os.environ.get("VOIDRAIL_CURVE_SERVER_KEY"),
                        help="encrypt with CURVE: the router's public key, Z85 or router.key "
                             "(default: VOIDRAIL_CURVE_SERVER_KEY)")
    parser.add_argument("--curve-keys", metavar="FILE", default=os.environ.get("VOIDRAIL_CURVE_KEY_FILE"),
                        help="with --curve-server-key: our NAME.key_secret (default: VOIDRAIL_CURVE_KEY_FILE)")
    parser.add_argument("--timeout", type=float, default=10, help="seconds to wait for each answer")
    parser.add_argument("--list", action="store_true", help="print the methods on offer")
    parser.add_argument("--call", nargs=2, metavar=("METHOD", "ARGS"), action=Step, dest="calls",
                        help="call METHOD with JSON ARGS (repeatable; a stream prints each item)")
    options = parser.parse_args()
    curve = curve_keys(parser, options.curve_server_key, options.curve_keys)

    failed = False

    def emit(**line):
        nonlocal failed
        failed |= "error" in line
        print(json.dumps(line), flush=True)

    client = Client(options.router, options.timeout, curve)
    try:
        # "Authentication": with a key, auth comes first; the Python client then asks for the
        # methods on connect, which also proves that a router answers
        if options.api_key:
            try:
                emit(op="auth", result=client.ask("auth", json.dumps(
                    {"api_key": options.api_key, "client_id": client.identity})))
            except RemoteError as error:
                emit(op="auth", error=str(error))
        try:
            methods = client.ask("methods")
            if options.list:
                emit(op="methods", result=methods)
        except RemoteError as error:
            emit(op="methods", error=str(error))
        for method, args in options.calls or []:
            try:
                for kind, value in client.call(method, args):
                    emit(op="call", method=method, **{kind: value})
            except RemoteError as error:
                emit(op="call", method=method, error=str(error))
    except TimeoutError as error:
        # stop here: a late answer would be taken for the answer to the next call
        # (with CURVE, a router that refuses our key is silent too)
        emit(op="timeout", error=f"{error} from {options.router}")
    finally:
        client.close()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
