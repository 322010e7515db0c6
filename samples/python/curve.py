"""CURVE keys from the command line, shared by the sample worker and client (docs/PROTOCOL.md, "Security").

Needs pyzmq only (Debian: python3-zmq).
"""

import os

import zmq
import zmq.auth


def curve_keys(parser, server_key, certificate):
    """--curve-server-key and --curve-keys as the three keys of the socket options, or None without them.
    The router's key is its Z85 text (40 characters) or its public certificate (router.key); ours is a
    secret certificate (NAME.key_secret) whose NAME.key is in the router's allow-list."""
    if not server_key and not certificate:
        return None
    if not server_key or not certificate:
        parser.error("--curve-server-key and --curve-keys go together")
    try:
        router_key = (server_key.encode() if len(server_key) == 40 and not os.path.exists(server_key)
                      else zmq.auth.load_certificate(server_key)[0])
        public_key, secret_key = zmq.auth.load_certificate(certificate)
    except (OSError, ValueError) as error:
        parser.error(f"cannot read the CURVE keys: {error}")
    if secret_key is None:
        parser.error(f"--curve-keys {certificate} holds no secret key (use NAME.key_secret, not NAME.key)")
    return router_key, public_key, secret_key
