package io.haflare.server.log;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Hears of the requests Undertow refuses while parsing them: a malformed request line or header, headers past
 * the limits, two Content-Lengths. Undertow answers those with a fixed 400 and closes the connection before
 * any handler runs, so neither the access log nor the metrics would see them, where nginx logs its 400s.
 * Its one trace is a debug record, "UT005014: Failed to parse request", logged on the IO thread that read
 * the request, with neither the connection nor the peer. So this handler, installed once on that logger,
 * hands each such record to the server whose IO thread logged it, known by the thread's name: XNIO names
 * them after their worker ("name I/O-1"), and each server gives its worker a name of its own.
 */
public final class ParserRefusals extends Handler {
    static final String LOGGER = "io.undertow.request.io";
    static final String FAILED_TO_PARSE = "UT005014";
    private static final String IO_THREAD = " I/O-";

    private static final Map<String, Runnable> BY_WORKER = new ConcurrentHashMap<>();
    /** Held here: JUL holds loggers weakly, and a collected logger would lose its level and this handler. */
    private static final Logger UNDERTOW_IO = install();

    private ParserRefusals() {
    }

    private static Logger install() {
        Logger logger = Logger.getLogger(LOGGER);
        // the category logs little else at debug (I/O errors as connections break), and only on those events;
        // the parent handlers, at INFO and above as the JDK configures them, still drop these records
        logger.setLevel(Level.FINE);
        logger.addHandler(new ParserRefusals());
        return logger;
    }

    /**
     * Calls onRefused, on the IO thread (so it must not block), for each request the IO threads of the worker
     * so named refuse while parsing, until the returned handle is closed.
     */
    public static AutoCloseable listen(String workerName, Runnable onRefused) {
        if (UNDERTOW_IO.getLevel() != Level.FINE) {
            UNDERTOW_IO.setLevel(Level.FINE); // set back by a logging configuration read since
        }
        BY_WORKER.put(workerName, onRefused);
        return () -> BY_WORKER.remove(workerName, onRefused);
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        if (message == null || !message.startsWith(FAILED_TO_PARSE)) {
            return;
        }
        String thread = Thread.currentThread().getName();
        int cut = thread.lastIndexOf(IO_THREAD);
        Runnable listener = cut < 0 ? null : BY_WORKER.get(thread.substring(0, cut));
        if (listener != null) {
            listener.run();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
