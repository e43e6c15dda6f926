using System.Diagnostics;
using System.Globalization;
using System.Text;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;
using CausalStream.Engine.Graphs;
using CausalStream.Kafka;
using CausalStream.Kafka.Consuming;
using CausalStream.Kafka.Mock;
using CausalStream.Kafka.Producing;
using CausalStream.Kafka.Wire;

namespace CausalStream.KafkaBench;

/// <summary>
/// Kafka benchmarks on librdkafka's in-process mock cluster (docs/benchmarks.md, "Kafka"):
/// <c>throughput</c> chunks/s through publisher → topic → KafkaSource → pipeline for 1..16 streams of 64 ch × 1 kHz,
/// against the codec alone (baseline, same run); <c>latency</c> produce-to-ingest latency at several fetch.wait.max.ms;
/// <c>workers</c> time to analyse 8 pre-published streams with the Granger engine with 1 and with 2 <c>causalstream run</c>
/// worker processes in one group, each pinned to its own core.
/// </summary>
public static class Program
{
    private const int Channels = 64;
    private const double Rate = 1000;
    private const int ChunkSamples = 10;

    public static async Task<int> Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "all";
        Console.WriteLine($"librdkafka {KafkaMockCluster.LibraryVersion}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:u}");
        // engine and workers: [STREAMS] [SECONDS] [LAG] [EDGES], then for workers [ROUNDS] [CLI]
        int streams = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        double seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 12;
        int maxLag = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
        string edges = args.Length > 4 ? args[4] : "all";
        if (edges is not ("all" or "significant"))
        {
            Console.Error.WriteLine($"{mode}: EDGES is 'all' or 'significant' (was '{edges}'); usage: engine|workers [STREAMS] [SECONDS] [LAG] [EDGES] [ROUNDS] [CLI]");
            return 2;
        }

        if (mode == "engine")
        {
            var run = await EngineOnly.RunAsync(streams, seconds, maxLag, significantOnly: edges == "significant");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine only: {run.Graphs} graphs in {run.Seconds:F2} s ({run.Graphs / run.Seconds:F1} graphs/s, {run.JsonBytes / (double)run.Graphs / 1e6:F2} MB of JSON per graph, {run.SignificantEdges / (double)run.Graphs:F0} significant edges per graph)"));
            return 0;
        }

        if (mode is "throughput" or "all")
        {
            await ThroughputAsync([1, 2, 4, 8, 16], chunksPerStream: 1000);
        }

        if (mode is "latency" or "all")
        {
            await LatencyAsync([0, 1, 10, 500], seconds: 2);
        }

        if (mode is "workers" or "all")
        {
            int rounds = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 3;
            string cli = args.Length > 6 ? args[6] : DefaultCli();
            await WorkerProcessesBenchmark.RunAsync(streams, seconds, maxLag, edges, rounds, cli);
        }

        return 0;
    }

    private static async Task ThroughputAsync(int[] counts, int chunksPerStream)
    {
        Console.WriteLine();
        Console.WriteLine("throughput: 64 ch x 1 kHz float32 per stream, 10-sample chunks, produce and consume concurrently, 3 brokers, 16 partitions");
        Console.WriteLine("| streams | chunks | codec only (chunks/s) | through Kafka (chunks/s) | channel-samples/s | ratio to codec |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (int n in counts)
        {
            var data = new BenchStreams(n, Channels, Rate, ChunkSamples, chunksPerStream);
            CodecOnly(data, 200); // warm-up
            double codec = CodecOnly(data, chunksPerStream);
            using var cluster = new KafkaMockCluster(3);
            cluster.CreateTopic("bench", 16);
            cluster.CreateTopic("bench.streams", 1);
            var connection = new KafkaConnection { BootstrapServers = cluster.BootstrapServers };
            await using (var publisher = new KafkaChunkPublisher(new KafkaPublisherOptions { Connection = connection, Topic = "bench", PartitionOf = s => int.Parse(s.Name[1..], CultureInfo.InvariantCulture) % 16 }))
            {
                foreach (var stream in data.Streams)
                {
                    await publisher.OpenAsync(stream);
                }

                long total = (long)n * chunksPerStream;
                var counter = new CountingStage(total);
                var source = await KafkaSource.CreateAsync(new KafkaSourceOptions { Connection = connection, Topic = "bench", GroupId = "bench", SessionTimeoutMs = 2000, FetchWaitMaxMs = 10, StartFrom = KafkaStartPosition.Earliest });
                var pipeline = new StreamPipeline([source], [counter], [], new PipelineOptions(1024, EdgePolicy.Wait, 0));
                using var stop = new CancellationTokenSource();
                var run = pipeline.RunAsync(stop.Token);
                while (source.Assignment.Count < 16)
                {
                    await Task.Delay(20);
                }

                var clock = Stopwatch.StartNew();
                await data.WriteAllAsync(publisher, chunksPerStream);
                await counter.Done.WaitAsync(TimeSpan.FromSeconds(120));
                double seconds = clock.Elapsed.TotalSeconds;
                await stop.CancelAsync();
                await run;
                await source.CloseAsync(commit: false);
                double rate = total / seconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {n} | {total} | {codec:N0} | {rate:N0} | {rate * ChunkSamples * Channels:N0} | {rate / codec:F3} |"));
            }
        }
    }

    private static double CodecOnly(BenchStreams data, int chunksPerStream)
    {
        var registry = new StreamRegistry(data.Streams);
        var ids = new byte[data.Streams.Length][];
        for (int s = 0; s < ids.Length; s++)
        {
            ids[s] = Encoding.UTF8.GetBytes(data.Streams[s].Name);
        }

        long total = 0;
        var clock = Stopwatch.StartNew();
        for (long k = 0; k < chunksPerStream; k++)
        {
            for (int s = 0; s < data.Streams.Length; s++)
            {
                using var chunk = data.Chunk(s, k);
                var buffer = new byte[ChunkCodec.MaxEncodedLength(ids[s].Length, Channels, ChunkSamples, ChannelFormat.Float32)];
                ChunkCodec.Encode(chunk, ids[s], k + 1, k * ChunkSamples, ChannelFormat.Float32, buffer);
                var result = ChunkCodec.Decode(buffer, registry, 0);
                result.Chunk!.Dispose();
                total++;
            }
        }

        return total / clock.Elapsed.TotalSeconds;
    }

    private static async Task LatencyAsync(int[] waits, double seconds)
    {
        Console.WriteLine();
        Console.WriteLine($"latency: one 64 ch x 1 kHz stream, 10-sample chunks paced at 100/s for {seconds} s; produce call to pipeline ingest");
        Console.WriteLine("| fetch.wait.max.ms | chunks | p50 (ms) | p99 (ms) | max (ms) | p50 ratio to 500 ms default |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        var rows = new List<(int Wait, int Count, double P50, double P99, double Max)>();
        foreach (int wait in waits)
        {
            using var cluster = new KafkaMockCluster(1);
            cluster.CreateTopic("lat", 1);
            cluster.CreateTopic("lat.streams", 1);
            var connection = new KafkaConnection { BootstrapServers = cluster.BootstrapServers };
            int chunks = (int)(seconds * 100);
            var data = new BenchStreams(1, Channels, Rate, ChunkSamples, chunks);
            var sent = new long[chunks + 1];
            await using var publisher = new KafkaChunkPublisher(new KafkaPublisherOptions { Connection = connection, Topic = "lat", LingerMs = 0 });
            await publisher.OpenAsync(data.Streams[0]);
            var counter = new CountingStage(chunks) { LatencyOf = c => MonotonicClock.ToSeconds(MonotonicClock.Now - sent[(int)Math.Round(c.Timestamps[0] * Rate / ChunkSamples)]) };
            var source = await KafkaSource.CreateAsync(new KafkaSourceOptions { Connection = connection, Topic = "lat", GroupId = "lat", SessionTimeoutMs = 2000, FetchWaitMaxMs = wait, StartFrom = KafkaStartPosition.Earliest });
            var pipeline = new StreamPipeline([source], [counter], [], new PipelineOptions(1024, EdgePolicy.Wait, 0));
            using var stop = new CancellationTokenSource();
            var run = pipeline.RunAsync(stop.Token);
            while (source.Assignment.Count < 1)
            {
                await Task.Delay(20);
            }

            await Task.Delay(300);
            var clock = Stopwatch.StartNew();
            for (int k = 0; k < chunks; k++)
            {
                var due = TimeSpan.FromMilliseconds(k * 10);
                var ahead = due - clock.Elapsed;
                if (ahead > TimeSpan.Zero)
                {
                    await Task.Delay(ahead);
                }

                var chunk = data.Chunk(0, k);
                sent[k] = MonotonicClock.Now;
                await publisher.WriteAsync(chunk, CancellationToken.None);
            }

            await counter.Done.WaitAsync(TimeSpan.FromSeconds(60));
            await stop.CancelAsync();
            await run;
            await source.CloseAsync(commit: false);
            var latencies = counter.Latencies;
            latencies.Sort();
            rows.Add((wait, latencies.Count, Percentile(latencies, 0.5) * 1000, Percentile(latencies, 0.99) * 1000, latencies[^1] * 1000));
        }

        double baseline = rows.Find(r => r.Wait == 500).P50;
        foreach (var row in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Wait} | {row.Count} | {row.P50:F2} | {row.P99:F2} | {row.Max:F2} | {row.P50 / baseline:F3} |"));
        }
    }

    /// <summary>The Release build of the CLI in this repository (found by walking up to CausalStream.sln).</summary>
    private static string DefaultCli()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CausalStream.sln")))
        {
            directory = directory.Parent;
        }

        return directory is null
            ? "causalstream.dll"
            : Path.Combine(directory.FullName, "src", "CausalStream.Cli", "bin", "Release", "net10.0", "causalstream.dll");
    }

    private static double Percentile(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
}
