import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * CPU per call of the upstream HTTP clients Triage could use, side by side in one JVM run: the JDK
 * HttpClient the way UpstreamHttp uses it (sendAsync + get with a timeout, from virtual threads) and
 * OkHttp (blocking execute on virtual threads), each POSTing the benchmark's chat body to the fake
 * upstream (bench/overhead.sh's dev.triage.bench.FakeOpenAiUpstream on 127.0.0.1:18081) as fast as
 * CONCURRENCY virtual threads can, ROUNDS alternating rounds of SECONDS each.
 *
 * Run (okhttp-jvm 5.5.1, okio-jvm 3.18.1 and kotlin-stdlib 2.1.21 from ~/.m2):
 *   java -cp "$CP" bench/UpstreamClients.java [SECONDS] [ROUNDS] [CONCURRENCY]
 * Prints process CPU time (all threads, JIT and GC included) per completed call for each round.
 */
public class UpstreamClients {

    static final URI URL = URI.create("http://127.0.0.1:18081/v1/chat/completions");
    static final byte[] BODY = """
            {"model":"fake-model","messages":[{"role":"system","content":"You are a helpful assistant."},\
            {"role":"user","content":"Say hello in one short sentence."}],"max_tokens":32}""".getBytes(StandardCharsets.UTF_8);

    interface Client {
        byte[] post() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 50;

        HttpClient jdk = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
        Client jdkClient = () -> {
            HttpRequest r = HttpRequest.newBuilder(URL).timeout(Duration.ofSeconds(30))
                    .header("content-type", "application/json").header("Accept", "application/json")
                    .header("Authorization", "Bearer sk-test").POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build();
            return jdk.sendAsync(r, HttpResponse.BodyHandlers.ofByteArray()).get(30, TimeUnit.SECONDS).body();
        };
        okhttp3.OkHttpClient ok = new okhttp3.OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(false).retryOnConnectionFailure(false)
                .dispatcher(new okhttp3.Dispatcher(Executors.newVirtualThreadPerTaskExecutor()))
                .connectionPool(new okhttp3.ConnectionPool(concurrency * 2, 5, TimeUnit.MINUTES))
                .protocols(java.util.List.of(okhttp3.Protocol.HTTP_1_1)).build();
        okhttp3.MediaType json = okhttp3.MediaType.get("application/json");
        Client okClient = () -> {
            okhttp3.Request r = new okhttp3.Request.Builder().url(URL.toString())
                    .header("Accept", "application/json").header("Authorization", "Bearer sk-test")
                    .post(okhttp3.RequestBody.create(BODY, json)).build();
            okhttp3.Call call = ok.newCall(r);
            call.timeout().timeout(30, TimeUnit.SECONDS);
            try (okhttp3.Response res = call.execute()) {
                return res.body().bytes();
            }
        };
        for (int round = 1; round <= rounds + 1; round++) {
            // the first round of each warms the JIT up and is not printed
            for (String name : new String[]{"jdk", "okhttp"}) {
                Client c = name.equals("jdk") ? jdkClient : okClient;
                double[] r = run(c, seconds, concurrency);
                if (round > 1) {
                    System.out.printf("round %d %-7s %8.0f calls/s  %6.1f us CPU per call%n", round - 1, name, r[0], r[1]);
                }
            }
        }
        System.exit(0);
    }

    static double[] run(Client client, int seconds, int concurrency) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        LongAdder calls = new LongAdder();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch done = new CountDownLatch(concurrency);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (System.nanoTime() < end) {
                        if (client.post().length < 100) {
                            throw new IllegalStateException("short answer");
                        }
                        calls.increment();
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        long cpu = os.getProcessCpuTime() - cpu0;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        return new double[]{calls.sum() / elapsed, cpu / 1e3 / calls.sum()};
    }
}
