package dev.triage.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code triage serve --config FILE} in a JVM of its own, started from this test's classpath, so that
 * tests can send it real signals: {@link #sigterm()} (what {@code docker stop} and systemd send) and
 * {@link #kill()} ({@code kill -9}: no shutdown hook, no flush, nothing).
 */
final class GatewayProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Triage gateway listening on http://[^:]+:(\\d+)/v1");

    private final Process process;
    private final Path log;
    private final int port;

    private GatewayProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the gateway on {@code yaml} (written to dir/triage.yaml) and waits until it listens; it logs to dir/gateway.log. */
    static GatewayProcess start(Path dir, String yaml) {
        return start(dir, yaml, List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    }

    /** As {@link #start(Path, String)}, with these JVM options (heap size, collector) instead of the tests' own. */
    static GatewayProcess start(Path dir, String yaml, List<String> jvmOptions) {
        Path config = dir.resolve("triage.yaml");
        Path log = dir.resolve("gateway.log");
        Process process;
        try {
            Files.writeString(config, yaml);
            process = new ProcessBuilder(java(jvmOptions, "dev.triage.cli.TriageCli", "serve", "--config", config.toString()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("gateway-stdout").start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
            port.completeExceptionally(new IllegalStateException("the gateway exited before listening"));
        });
        try {
            return new GatewayProcess(process, log, port.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the gateway did not start; its log:\n" + read(log), e);
        }
    }

    /** The command line that runs {@code mainClass} with {@code args} in a new JVM on this test's class path. */
    static List<String> java(List<String> jvmOptions, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The JVM options {@code ./triage} starts the gateway with ({@code TRIAGE_DEFAULT_JAVA_OPTS} in
     * {@code scripts/find-java.sh}), read from the script itself so that a test runs what users run.
     */
    static List<String> launcherOptions() {
        Path script = Path.of("..", "scripts", "find-java.sh").toAbsolutePath().normalize();
        try {
            Process p = new ProcessBuilder("bash", "-c", ". \"$0\" && printf %s \"$TRIAGE_DEFAULT_JAVA_OPTS\"", script.toString())
                    .redirectErrorStream(true).start();
            String options = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0 || options.isEmpty()) {
                throw new IllegalStateException("cannot read TRIAGE_DEFAULT_JAVA_OPTS from " + script + ": " + options);
            }
            return List.of(options.split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return port;
    }

    /** SIGTERM: the JVM runs its shutdown hook. */
    void sigterm() {
        process.destroy();
    }

    /** SIGKILL: the process vanishes at once; returns when it is gone. */
    void kill() {
        process.destroyForcibly();
        await(Duration.ofSeconds(30));
    }

    /** Waits for the process to end; returns its exit code. */
    int await(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the gateway is still running after " + timeout + "; its log:\n" + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    String log() {
        return read(log);
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
