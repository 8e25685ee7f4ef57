package io.haflare.launcher;

import javax.management.MBeanServerBuilder;

/**
 * XNIO and JBoss Threads register MBeans at start, which builds the platform MBean server and wraps a dozen
 * JVM MXBeans: ~25 ms of a start on one CPU, for JMX the node does not offer. Named as the JMX builder, this
 * class makes that server fail to build; XNIO ignores a failed registration, and JBoss Threads has its own
 * switch. The node's metrics read the MXBeans directly, which needs no server.
 * {@code -Djavax.management.builder.initial=} (empty) brings JMX back.
 */
public final class PlatformMBeansOff extends MBeanServerBuilder {
    static final String BUILDER = "javax.management.builder.initial";
    static final String THREADS = "jboss.threads.eqe.disable-mbean";

    public PlatformMBeansOff() {
        throw new UnsupportedOperationException("JMX is off in haflare-node; start java with -D" + BUILDER
                + "= to turn it on");
    }

    /** Sets both switches, unless the command line already chose. */
    static void unlessAsked() {
        if (System.getProperty(BUILDER) == null) {
            System.setProperty(BUILDER, PlatformMBeansOff.class.getName());
            if (System.getProperty(THREADS) == null) {
                System.setProperty(THREADS, "true");
            }
        }
    }
}
