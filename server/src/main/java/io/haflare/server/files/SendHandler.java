package io.haflare.server.files;

import io.haflare.server.http.FileTransfer;
import io.haflare.server.http.SiteRequest;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/** Sends the body: from memory on the IO thread, or from the file with sendfile. */
public final class SendHandler implements HttpHandler {
    @Override
    public void handleRequest(HttpServerExchange exchange) {
        SiteRequest request = SiteRequest.of(exchange);
        Representation rep = request.representation;
        ByteRange range = request.range;
        long start = range.isPartial() ? range.start() : 0;
        long length = range.isPartial() ? range.length() : rep.size();
        // formatted per response: a fresh string is in the CPU's cache, unlike one kept per file
        exchange.setResponseContentLength(length);
        if (rep.inMemory()) {
            exchange.getResponseSender().send(rep.slice(start, length));
        } else {
            FileTransfer.start(exchange, rep.file(), start, length);
        }
    }
}
