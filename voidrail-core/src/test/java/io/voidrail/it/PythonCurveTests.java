package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.voidrail.auth.CurveClientConfig;
import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;
import io.voidrail.client.ClientDealer;
import io.voidrail.status.RouterStatus;

/**
 * Python peers on libzmq (pyzmq) and a Java CURVE router on JeroMQ: a Python dealer serves a Java client, a Python
 * client calls a Java dealer, a plaintext Python client gets nothing. Keys travel as certificate files, the way a
 * Python worker would be deployed; the scripts speak the V1 frames by hand.
 */
class PythonCurveTests {

    /** Shared set-up of the scripts: CURVE options from the certificate files given as arguments. */
    private static final String CONNECT = """
            import json, sys, uuid, zmq, zmq.auth
            address, server_cert, own_cert = sys.argv[1], sys.argv[2], sys.argv[3]
            context = zmq.Context()
            socket = context.socket(zmq.DEALER)
            socket.setsockopt(zmq.LINGER, 0)
            socket.setsockopt(zmq.IDENTITY, sys.argv[4].encode())
            if own_cert != '-':
                socket.curve_serverkey = zmq.auth.load_certificate(server_cert)[0]
                socket.curve_publickey, socket.curve_secretkey = zmq.auth.load_certificate(own_cert)
            socket.connect(address)
            poller = zmq.Poller()
            poller.register(socket, zmq.POLLIN)
            def receive(timeout_ms):
                return socket.recv_multipart() if poller.poll(timeout_ms) else None
            """;

    private static final String DEALER = CONNECT + """
            methods = {'echo': {'description': None, 'params': None, 'stream': False, 'metadata': {}}}
            socket.send_multipart([b'register', json.dumps({'group': 'PyEcho', 'methods': methods}).encode()])
            served = 0
            while served < 1:
                frames = receive(20000)
                if frames is None:
                    sys.exit('no call within 20 s')
                if frames[0] == b'call_from_router':
                    client, request = frames[1], json.loads(frames[-1])
                    reply = {'type': 'reply', 'request_id': request['request_id'], 'result': 'py:' + request['args'][0]}
                    socket.send_multipart([b'reply_from_dealer', client, json.dumps(reply).encode()])
                    served += 1
                elif frames[0] == b'register_ack':
                    print('registered', flush=True)
            """;

    private static final String CLIENT = CONNECT + """
            request = {'type': 'request', 'request_id': str(uuid.uuid4()), 'func_name': 'EchoService.echo',
                       'request_step': 'READY', 'args': ['from python'], 'kwargs': {}}
            socket.send_multipart([b'call_from_client', b'EchoService.echo', json.dumps(request).encode()])
            frames = receive(int(sys.argv[5]))
            print(json.loads(frames[-1])['result'] if frames else 'no answer')
            """;

    /** A client-only key tries to register, then calls: prints the register's answer, then the call's. */
    private static final String CLIENT_ROLE = CONNECT + """
            methods = {'echo': {'description': None, 'params': None, 'stream': False, 'metadata': {}}}
            socket.send_multipart([b'register', json.dumps({'group': 'PyEcho', 'methods': methods}).encode()])
            frames = receive(10000)
            print(frames[0].decode() + ' ' + json.loads(frames[-1])['error'] if frames else 'no answer')
            request = {'type': 'request', 'request_id': str(uuid.uuid4()), 'func_name': 'EchoService.echo',
                       'request_step': 'READY', 'args': ['from python'], 'kwargs': {}}
            socket.send_multipart([b'call_from_client', b'EchoService.echo', json.dumps(request).encode()])
            frames = receive(10000)
            print(json.loads(frames[-1])['result'] if frames else 'no answer')
            """;

    @TempDir
    Path keys;

    private final CurveKeys.Pair routerKeys = CurveKeys.generate();
    private Path routerCert;

    @BeforeEach
    void keys() {
        assumeTrue(Python.hasCurve(), "needs a python3 with pyzmq and CURVE");
        routerCert = CurveKeys.save(routerKeys, keys, "router").get(0);
    }

    private Bus curveBus() {
        return Bus.start(b -> b.curve(CurveServerConfig.of(routerKeys).withAllowList(keys.resolve("allowed"))));
    }

    @Test
    void aPythonDealerServesAJavaClientOverCurve() throws Exception {
        Path pythonCert = CurveKeys.save(CurveKeys.generate(), keys.resolve("allowed"), "python").get(1);
        CurveKeys.Pair javaKeys = CurveKeys.generate();
        CurveKeys.save(javaKeys, keys.resolve("allowed"), "java");
        try (Bus bus = curveBus()) {
            CompletableFuture<Python.Result> dealer = CompletableFuture.supplyAsync(() -> Python.run(DEALER, 40,
                    bus.address(), routerCert.toString(), pythonCert.toString(), "PyEcho-0001"));
            await().atMost(Duration.ofSeconds(20)).until(() -> bus.router().status().dealers().stream()
                    .map(RouterStatus.Dealer::id).anyMatch("PyEcho-0001"::equals));

            ClientDealer client = bus.client(b -> b.curve(new CurveClientConfig(routerKeys.publicKey(), javaKeys)));
            assertThat(client.invoke("PyEcho.echo", String.class, "hi")).isEqualTo("py:hi");
            Python.Result result = dealer.get(30, TimeUnit.SECONDS);
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("registered");
        }
    }

    @Test
    void aPythonClientCallsAJavaDealerOverCurveAndAPlaintextOneGetsNothing() {
        Path pythonCert = CurveKeys.save(CurveKeys.generate(), keys.resolve("allowed"), "python").get(1);
        CurveKeys.Pair javaKeys = CurveKeys.generate();
        CurveKeys.save(javaKeys, keys.resolve("allowed"), "java");
        try (LogCapture logs = new LogCapture(); Bus bus = curveBus()) {
            bus.dealer(new EchoService(), b -> b.curve(new CurveClientConfig(routerKeys.publicKey(), javaKeys)));

            Python.Result sealed = Python.run(CLIENT, 30, bus.address(), routerCert.toString(), pythonCert.toString(),
                    "py-client-1", "10000");
            Python.Result plain = Python.run(CLIENT, 30, bus.address(), "-", "-", "py-client-2", "1500");

            assertThat(sealed.exitCode()).as(sealed.err()).isZero();
            assertThat(sealed.out()).isEqualTo("from python\n");
            assertThat(plain.exitCode()).as(plain.err()).isZero();
            assertThat(plain.out()).isEqualTo("no answer\n");
            assertThat(bus.router().status().totalRequests()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> logs.contains("did not start a CURVE handshake"));
        }
    }

    @Test
    void aPythonPeerWithAClientOnlyKeyCallsButCannotRegister() {
        Path pythonCert = CurveKeys.save(CurveKeys.generate(), keys.resolve("clients"), "python").get(1);
        CurveKeys.Pair javaKeys = CurveKeys.generate();
        CurveKeys.save(javaKeys, keys.resolve("dealers"), "java");
        CurveServerConfig curve = CurveServerConfig.of(routerKeys).withDealerAllowList(keys.resolve("dealers"))
                .withClientAllowList(keys.resolve("clients"));
        try (Bus bus = Bus.start(b -> b.curve(curve))) {
            bus.dealer(new EchoService(), b -> b.curve(new CurveClientConfig(routerKeys.publicKey(), javaKeys)));

            Python.Result result = Python.run(CLIENT_ROLE, 30, bus.address(), routerCert.toString(), pythonCert.toString(),
                    "PyEcho-0002");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).isEqualTo("error Registration failed: client connections cannot register\nfrom python\n");
            assertThat(bus.router().status().dealers()).extracting(RouterStatus.Dealer::id).doesNotContain("PyEcho-0002");
        }
    }
}
