package io.haflare.launcher.fake;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Where fake agents register (--edge 127.0.0.1:port): answers "OK <location>" and holds the connection. */
public final class FakeEdge implements AutoCloseable {
    private final ServerSocket server;
    private final String location;
    private final Set<Socket> registered = ConcurrentHashMap.newKeySet();

    public FakeEdge(String location) throws IOException {
        this.location = location;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "fake-edge");
        accept.setDaemon(true);
        accept.start();
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Connections held open right now. */
    public int connections() {
        registered.removeIf(Socket::isClosed);
        return registered.size();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread t = new Thread(() -> serve(socket));
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            String line = in.readLine();
            if (line == null || !line.startsWith("REGISTER ")) {
                return;
            }
            socket.getOutputStream().write(("OK " + location + "\n").getBytes(StandardCharsets.UTF_8));
            registered.add(socket);
            while (in.read() >= 0) {
                // held until the agent goes away
            }
        } catch (IOException ignored) {
            // the agent closed or was killed
        } finally {
            registered.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : registered) {
            s.close();
        }
    }
}
