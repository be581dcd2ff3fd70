package dev.triage.learn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.embed.Embedder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The file a trained {@link LearnedModel} lives in ({@code router.bin}).
 *
 * <p>Layout: the 8 bytes {@code TRIAGEML}, a big-endian int format version, then a gzip stream of: the
 * length and UTF-8 bytes of a JSON header (provenance, feature names, the fitted heads), the number of
 * recorded prompts and the embedding dimension, every prompt's embedding as floats, and per model every
 * prompt's score as a float (NaN where it has none). The header is readable with {@code tail -c +13 |
 * gunzip | head -c …}; {@code triage train} also prints it. A file of another version is refused: its
 * layout or features may differ, and silently mis-reading it would route badly without any error.
 */
public final class ModelFile {

    /** The format this Triage writes and the only one it reads. */
    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "TRIAGEML".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFile() {
    }

    /** Writes {@code model} to {@code file} atomically (a temporary file renamed into place). */
    public static void write(LearnedModel model, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                raw.write(MAGIC);
                new DataOutputStream(raw).writeInt(FORMAT_VERSION);
                GZIPOutputStream gz = new GZIPOutputStream(raw, 1 << 16);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(gz, 1 << 16));
                byte[] header = JSON.writeValueAsBytes(header(model));
                out.writeInt(header.length);
                out.write(header);
                NeighbourIndex index = model.index();
                out.writeInt(index.size());
                out.writeInt(index.dimensions());
                for (float v : index.vectors()) {
                    out.writeFloat(v);
                }
                for (LearnedModel.ModelData d : model.data().values()) {
                    for (double s : d.scores()) {
                        out.writeFloat((float) s);
                    }
                }
                out.flush();
                gz.finish();
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads the model in {@code file}, to predict with {@code embedder}.
     *
     * @throws ModelFileException when the file is missing, not a Triage model, of another format version,
     *                            damaged, or trained with other embeddings than {@code embedder}'s
     */
    public static LearnedModel read(Path file, Embedder embedder) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFileException(file, "no such file");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            byte[] magic = raw.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new ModelFileException(file, "not a Triage model file (it does not start with TRIAGEML); "
                        + "make one with `triage train`");
            }
            int version = new DataInputStream(raw).readInt();
            if (version != FORMAT_VERSION) {
                throw new ModelFileException(file, "model file format version " + version + ", but this Triage reads version "
                        + FORMAT_VERSION + " only; retrain it with this version's `triage train`");
            }
            DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16));
            byte[] headerBytes = new byte[in.readInt()];
            in.readFully(headerBytes);
            JsonNode header = JSON.readTree(headerBytes);
            Provenance provenance = provenance(header);
            int n = in.readInt();
            int dims = in.readInt();
            if (n != provenance.examples() || dims <= 0 || dims > 100_000) {
                throw new ModelFileException(file, "damaged: header says " + provenance.examples() + " prompts, data " + n
                        + " of dimension " + dims);
            }
            float[] vectors = new float[Math.multiplyExact(n, dims)];
            for (int i = 0; i < vectors.length; i++) {
                vectors[i] = in.readFloat();
            }
            Map<String, LearnedModel.ModelData> data = new LinkedHashMap<>();
            for (JsonNode m : header.path("models")) {
                double[] scores = new double[n];
                for (int i = 0; i < n; i++) {
                    scores[i] = in.readFloat();
                }
                data.put(m.path("id").asText(), new LearnedModel.ModelData(scores, m.path("mean_score").asDouble(),
                        head(m.path("quality")), m.path("acceptance").isNull() ? null : head(m.path("acceptance"))));
            }
            if (in.read() != -1) {
                throw new ModelFileException(file, "damaged: data after the last model's scores");
            }
            try {
                return new LearnedModel(provenance, new NeighbourIndex(vectors, dims), data, embedder);
            } catch (IllegalArgumentException e) {
                throw new ModelFileException(file, e.getMessage());
            }
        } catch (EOFException e) {
            throw new ModelFileException(file, "damaged: it ends too early (truncated?)");
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot be read: " + e.getMessage());
        }
    }

    private static ObjectNode header(LearnedModel model) {
        ObjectNode h = JSON.createObjectNode();
        Provenance p = model.provenance();
        h.put("format_version", FORMAT_VERSION);
        h.put("trained_at", p.trainedAt().toString());
        h.put("source", p.source());
        h.put("source_sha256", p.sourceSha256());
        h.put("examples", p.examples());
        h.put("embedder", p.embedder());
        ObjectNode s = h.putObject("settings");
        s.put("neighbours", p.settings().neighbours());
        s.put("l2", p.settings().l2());
        s.put("min_answers", p.settings().minAnswers());
        h.set("quality_features", JSON.valueToTree(Features.qualityNames(java.util.List.copyOf(model.data().keySet()))));
        h.set("acceptance_features", JSON.valueToTree(Features.acceptanceNames(java.util.List.copyOf(model.data().keySet()))));
        ArrayNode models = h.putArray("models");
        model.data().forEach((id, d) -> {
            ObjectNode m = models.addObject();
            m.put("id", id);
            m.put("outcomes", p.outcomesPerModel().getOrDefault(id, 0));
            m.put("answers", p.answersPerModel().getOrDefault(id, 0));
            m.put("mean_score", d.meanScore());
            m.set("quality", head(d.quality()));
            m.set("acceptance", d.acceptance() == null ? null : head(d.acceptance()));
        });
        return h;
    }

    /** The JSON header of {@code file}, for {@code triage train --show}; same checks as {@link #read}. */
    public static JsonNode header(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            if (!Arrays.equals(raw.readNBytes(MAGIC.length), MAGIC)) {
                throw new ModelFileException(file, "not a Triage model file (it does not start with TRIAGEML)");
            }
            int version = new DataInputStream(raw).readInt();
            if (version != FORMAT_VERSION) {
                throw new ModelFileException(file, "model file format version " + version + ", but this Triage reads version "
                        + FORMAT_VERSION + " only");
            }
            DataInputStream in = new DataInputStream(new GZIPInputStream(raw));
            byte[] headerBytes = new byte[in.readInt()];
            in.readFully(headerBytes);
            return JSON.readTree(headerBytes);
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot be read: " + e.getMessage());
        }
    }

    private static ObjectNode head(LinearHead head) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", head.logistic() ? "logistic" : "ridge");
        o.set("mean", JSON.valueToTree(head.mean()));
        o.set("scale", JSON.valueToTree(head.scale()));
        o.set("weights", JSON.valueToTree(head.weights()));
        o.put("bias", head.bias());
        return o;
    }

    private static LinearHead head(JsonNode o) {
        return new LinearHead(doubles(o.path("mean")), doubles(o.path("scale")), doubles(o.path("weights")),
                o.path("bias").asDouble(), o.path("kind").asText().equals("logistic"));
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private static Provenance provenance(JsonNode h) {
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        Map<String, Integer> answers = new LinkedHashMap<>();
        for (Iterator<JsonNode> it = h.path("models").elements(); it.hasNext(); ) {
            JsonNode m = it.next();
            outcomes.put(m.path("id").asText(), m.path("outcomes").asInt());
            answers.put(m.path("id").asText(), m.path("answers").asInt());
        }
        JsonNode s = h.path("settings");
        return new Provenance(Instant.parse(h.path("trained_at").asText()), h.path("source").asText(),
                h.path("source_sha256").isNull() ? null : h.path("source_sha256").asText(), h.path("examples").asInt(),
                outcomes, answers, h.path("embedder").asText(),
                new TrainingSettings(s.path("neighbours").asInt(), s.path("l2").asDouble(), s.path("min_answers").asInt()));
    }
}
