package io.voidrail.boot.actuate;

import java.nio.charset.StandardCharsets;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** A dealer of another process that registers and then goes away without a word, as a killed one does. */
final class GhostDealer {

    private GhostDealer() {
    }

    /** Returns its identity once the router has acknowledged it and a heartbeat; its connection is closed by then. */
    static String registerAndVanish(String routerAddress) {
        String identity = "Ghost-0badf00d";
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket socket = context.createSocket(SocketType.DEALER);
            socket.setIdentity(identity.getBytes(StandardCharsets.UTF_8));
            socket.setLinger(0);
            socket.setHandshakeIvl(1000);
            socket.setReceiveTimeOut(10_000);
            socket.connect(routerAddress);
            socket.sendMore("register");
            socket.send("{\"group\": \"Ghost\", \"methods\": {\"haunt\": {}}}");
            String reply = socket.recvStr();
            if (!"register_ack".equals(reply)) {
                throw new AssertionError("expected register_ack, got " + reply);
            }
            socket.recvStr(); // its empty frame
            // a dealer heartbeats once registered: a lone register is forgotten, not listed as inactive
            socket.sendMore("heartbeat");
            socket.send("{\"processing_requests\": 0}");
            reply = socket.recvStr();
            if (!"heartbeat_ack".equals(reply)) {
                throw new AssertionError("expected heartbeat_ack, got " + reply);
            }
        }
        return identity;
    }
}
