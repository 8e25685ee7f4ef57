package io.haflare.launcher.cli;

import io.haflare.launcher.log.NodeLog;
import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGTERM and SIGINT ask for an orderly stop, which the main thread carries out and then exits 0; a second
 * signal forces the exit at once. SIGHUP (a closed terminal, or an nginx habit of "reload") stops the node in
 * the same order but exits 129, as a hang-up would: the node has no reload, and under systemd
 * Restart=on-failure starts it again, rereading its configuration. The JVM's own handling exited 129 at once,
 * with no orderly stop: in-flight requests were cut and the agent left only through its death signal.
 * Replacing the JVM's handlers is what lets an orderly stop exit 0 (the default handler exits 143 before main
 * can finish). sun.misc.Signal (module jdk.unsupported) is the only way the JDK offers to handle a signal; it
 * stays exported for exactly this use. nginx's other signals are answered with a log line instead of their
 * default action: SIGUSR2 (nginx's binary upgrade) would end the JVM at once, with no orderly stop.
 */
public final class ShutdownSignals {
    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicInteger received = new AtomicInteger();
    private volatile String first;
    private volatile Runnable beforeForcedExit = () -> { };

    private ShutdownSignals() {
    }

    public static ShutdownSignals install() {
        ShutdownSignals signals = new ShutdownSignals();
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            try {
                Signal.handle(new Signal(name), signal -> signals.received("SIG" + signal.getName()));
            } catch (IllegalArgumentException e) {
                // this platform does not deliver that signal (SIGTERM on Windows): nothing to hook
            }
        }
        ignore("USR1", "the access log is reopened by itself once logrotate moves it");
        ignore("USR2", "there is no binary upgrade: restart the node to run a new version");
        return signals;
    }

    /** nginx habits that must not stop the node: logged, then nothing. */
    private static void ignore(String name, String why) {
        try {
            Signal.handle(new Signal(name), signal -> NodeLog.info("node", "received SIG" + name + ": ignored (" + why
                    + ")"));
        } catch (IllegalArgumentException e) {
            // not on this platform
        }
    }

    /** Synchronized: two signals a moment apart each run on their own thread, and must log in their order. */
    synchronized void received(String name) {
        if (received.incrementAndGet() == 1) {
            first = name;
            NodeLog.info("node", "received " + name + ": shutting down" + (name.equals("SIGHUP")
                    ? ", then exit 129 (no reload: under systemd the node is started again)" : "")
                    + " (send it again to force)");
            requested.countDown();
        } else {
            NodeLog.warn("node", "received " + name + " again: forcing exit now");
            try {
                beforeForcedExit.run();
            } finally {
                Runtime.getRuntime().halt(ExitCodes.RUNTIME_FAILURE);
            }
        }
    }

    /** What must still happen on a forced exit (kill the agent, so no orphan keeps the replica at the edge). */
    public void beforeForcedExit(Runnable action) {
        this.beforeForcedExit = action;
    }

    /** The exit code of an orderly stop: 129 after SIGHUP, as a hang-up's; 0 otherwise. */
    public int exitCode() {
        return "SIGHUP".equals(first) ? 129 : 0;
    }

    /** Blocks until the first signal. */
    public void await() throws InterruptedException {
        requested.await();
    }
}
