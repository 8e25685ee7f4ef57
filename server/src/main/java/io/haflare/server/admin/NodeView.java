package io.haflare.server.admin;

import java.util.List;

/**
 * What the admin API may ask of the node. The launcher implements it; the server only answers HTTP, so it
 * still knows nothing about cloudflared.
 */
public interface NodeView {
    /** Healthy, and the reasons in words either way. */
    record Health(boolean healthy, List<String> reasons) {}

    Health health();

    /** The status document, already JSON. */
    String statusJson();

    /** The same for a person: a few lines of text. */
    String statusText();

    /** Prometheus text exposition (format 0.0.4). */
    String metricsText();

    /** Takes the node out of rotation (stops the agent, keeps serving); survives a restart. */
    void drain();

    /** Puts it back in rotation, through the health gate. */
    void resume();
}
