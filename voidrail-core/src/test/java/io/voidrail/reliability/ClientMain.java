package io.voidrail.reliability;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import io.voidrail.VoidRailException;
import io.voidrail.auth.AuthEnvironment;
import io.voidrail.client.ClientDealer;

/**
 * A client process for reliability tests: {@code ClientMain <router address> [connect-timeout-ms=1000]}. Each line
 * {@code call} on stdin calls {@code Reliability.work(0)} and prints {@code OK <result>} or
 * {@code FAILED <code> <message>}; the end of stdin closes the client.
 */
public final class ClientMain {

    private ClientMain() {
    }

    public static void main(String[] args) throws Exception {
        MainOptions options = new MainOptions(args, 1);
        try (ClientDealer client = ClientDealer.builder().routerAddress(args[0])
                .environment(new AuthEnvironment(java.util.Map.of()))
                .connectTimeout(options.millis("connect-timeout-ms", 1000)).build();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("call")) {
                    try {
                        System.out.println("OK " + client.invoke("Reliability.work", String.class, 0));
                    }
                    catch (VoidRailException ex) {
                        System.out.println("FAILED " + ex.code() + " " + ex.getMessage());
                    }
                }
            }
        }
    }
}
