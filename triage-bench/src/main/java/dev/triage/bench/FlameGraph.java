package dev.triage.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Turns the CPU samples of a JFR recording into a flame graph: {@code FlameGraph RECORDING.jfr OUT_PREFIX}
 * writes {@code OUT_PREFIX.folded} (one line per distinct stack, root first, frames separated by {@code ;},
 * then its sample count: the format flame-graph tools read) and {@code OUT_PREFIX.svg} (a self-contained
 * icicle-style flame graph: width is the share of samples, hover shows the frame and its share), and prints
 * the frames with the most samples on top of the stack (self time) and in the stack (total time).
 *
 * <p>Samples are {@code jdk.ExecutionSample} (Java code running) and {@code jdk.NativeMethodSample} is left out:
 * threads parked in native calls (epoll, socket reads) are waiting, not spending CPU.
 */
public final class FlameGraph {

    private static final int ROW = 16;
    private static final int WIDTH = 1600;
    private static final int TOP = 30;

    private FlameGraph() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: FlameGraph RECORDING.jfr OUT_PREFIX");
            System.exit(2);
        }
        Map<String, Long> folded = fold(Path.of(args[0]));
        long total = folded.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            System.err.println("no jdk.ExecutionSample events in " + args[0]);
            System.exit(1);
        }
        Path folds = Path.of(args[1] + ".folded");
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(folds, StandardCharsets.UTF_8))) {
            folded.forEach((stack, n) -> out.println(stack + " " + n));
        }
        Node root = tree(folded);
        Files.writeString(Path.of(args[1] + ".svg"), svg(root, total), StandardCharsets.UTF_8);
        printTop(folded, total);
        System.out.printf("%d samples; wrote %s and %s.svg%n", total, folds, args[1]);
    }

    /** Stacks (root first) and their sample counts. */
    static Map<String, Long> fold(Path recording) throws IOException {
        Map<String, Long> folded = new TreeMap<>();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace trace = event.getStackTrace();
                if (trace == null) {
                    continue;
                }
                List<RecordedFrame> frames = trace.getFrames();
                StringBuilder stack = new StringBuilder();
                for (int i = frames.size() - 1; i >= 0; i--) {
                    RecordedFrame f = frames.get(i);
                    if (!stack.isEmpty()) {
                        stack.append(';');
                    }
                    String type = f.getMethod().getType().getName();
                    stack.append(type.substring(type.lastIndexOf('.') + 1)).append('.').append(f.getMethod().getName());
                }
                folded.merge(stack.toString(), 1L, Long::sum);
            }
        }
        return folded;
    }

    private static void printTop(Map<String, Long> folded, long total) {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inStack = new HashMap<>();
        folded.forEach((stack, n) -> {
            String[] frames = stack.split(";");
            self.merge(frames[frames.length - 1], n, Long::sum);
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String f : frames) {
                if (seen.add(f)) {
                    inStack.merge(f, n, Long::sum);
                }
            }
        });
        System.out.println("self (on top of the stack):");
        print(self, total);
        System.out.println("total (anywhere in the stack):");
        print(inStack, total);
    }

    private static void print(Map<String, Long> counts, long total) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(TOP)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
    }

    /** A frame in the merged call tree. */
    static final class Node {
        final String name;
        long samples;
        final Map<String, Node> children = new HashMap<>();

        Node(String name) {
            this.name = name;
        }
    }

    static Node tree(Map<String, Long> folded) {
        Node root = new Node("all");
        folded.forEach((stack, n) -> {
            root.samples += n;
            Node at = root;
            for (String frame : stack.split(";")) {
                at = at.children.computeIfAbsent(frame, Node::new);
                at.samples += n;
            }
        });
        return root;
    }

    private static String svg(Node root, long total) {
        List<String> rects = new ArrayList<>();
        int depth = draw(root, 0, 0, WIDTH, total, rects);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"monospace\" font-size=\"11\">%n", WIDTH, (depth + 1) * ROW));
        rects.forEach(out::append);
        out.append("</svg>\n");
        return out.toString();
    }

    /** Draws a node and its children, widest first; returns the deepest row drawn. */
    private static int draw(Node node, int row, double x, double width, long total, List<String> out) {
        if (width < 0.5) {
            return row;
        }
        String label = escape(node.name);
        String title = String.format(Locale.ROOT, "%s (%d samples, %.2f%%)", label, node.samples, 100.0 * node.samples / total);
        int hue = Math.floorMod(node.name.hashCode(), 40);
        out.add(String.format(Locale.ROOT, "<g><title>%s</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                        + "fill=\"hsl(%d,80%%,60%%)\" stroke=\"white\" stroke-width=\"0.5\"/>%s</g>%n", title, x, row * ROW, width, ROW - 1,
                hue + 10, width > 40 ? String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>",
                        x + 2, row * ROW + 11, label.substring(0, Math.min(label.length(), (int) (width / 7)))) : ""));
        int deepest = row;
        double at = x;
        List<Node> kids = new ArrayList<>(node.children.values());
        kids.sort(Comparator.comparingLong((Node n) -> n.samples).reversed());
        for (Node child : kids) {
            double w = width * child.samples / node.samples;
            deepest = Math.max(deepest, draw(child, row + 1, at, w, total, out));
            at += w;
        }
        return deepest;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
