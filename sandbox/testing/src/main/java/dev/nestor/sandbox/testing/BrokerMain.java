package dev.nestor.sandbox.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of the broker JVM that {@link KafkaBroker} launches: formats the KRaft storage when needed, then runs
 * {@code kafka.Kafka}. With {@value #WATCH_STDIN} it exits as soon as its standard input reaches end-of-file, which
 * happens when the parent process dies in any way (even {@code kill -9}): the kernel closes the parent's end of the
 * pipe. So a broker never outlives the test JVM or sandbox that started it.
 *
 * <p>Usage: {@code BrokerMain [--watch-stdin] <server.properties> <cluster-id>}. It touches Kafka only by
 * reflection, so this module needs no broker jars at compile time.
 */
public final class BrokerMain {

    /** Option: exit when standard input reaches end-of-file. */
    public static final String WATCH_STDIN = "--watch-stdin";

    /** How long Kafka's shutdown hooks may take after the parent died before the JVM is halted. */
    private static final long SHUTDOWN_GRACE_MILLIS = 15_000;

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean watchStdin = args.length > 0 && WATCH_STDIN.equals(args[0]);
        String[] rest = watchStdin ? Arrays.copyOfRange(args, 1, args.length) : args;
        if (rest.length != 2) {
            System.err.println("usage: BrokerMain [" + WATCH_STDIN + "] <server.properties> <cluster-id>");
            System.exit(2);
        }
        if (watchStdin) {
            watch(System.in);
        }
        int formatted = (int) invoke("kafka.tools.StorageTool", "execute",
                new Class<?>[] {String[].class, PrintStream.class},
                new String[] {"format", "--ignore-formatted", "-t", rest[1], "-c", rest[0]}, System.err);
        if (formatted != 0) {
            System.err.println("formatting the KRaft storage failed with exit code " + formatted);
            System.exit(formatted);
        }
        invoke("kafka.Kafka", "main", new Class<?>[] {String[].class}, (Object) new String[] {rest[0]});
    }

    private static void watch(InputStream in) {
        Thread watcher = new Thread(() -> {
            try {
                while (in.read() >= 0) {
                    // Input carries no commands; only its end matters.
                }
            } catch (IOException e) {
                // A broken pipe means the same as end-of-file: the parent is gone.
            }
            Thread halter = new Thread(() -> {
                try {
                    Thread.sleep(SHUTDOWN_GRACE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(1);
            }, "nestor-broker-halter");
            halter.setDaemon(true);
            halter.start();
            System.exit(0);
        }, "nestor-parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static Object invoke(String className, String method, Class<?>[] types, Object... args) throws Exception {
        Method target = Class.forName(className).getMethod(method, types);
        try {
            return target.invoke(null, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
