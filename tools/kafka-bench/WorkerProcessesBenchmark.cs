using System.Diagnostics;
using System.Globalization;
using System.Text;
using CausalStream.Kafka;
using CausalStream.Kafka.Mock;
using CausalStream.Kafka.Producing;

namespace CausalStream.KafkaBench;

/// <summary>
/// Scale-out across workers: 1 and then 2 <c>causalstream run</c> processes in one consumer group, each pinned to a
/// core of its own with taskset (one core standing in for one machine), analyse streams pre-published to the mock
/// cluster with the Granger engine and publish their graphs to a results topic. This process hosts the cluster and
/// reads the results; it is not pinned. The clock runs from publishing the measured chunks to the
/// last distinct graph read back, after a warm-up (the first seconds of every stream) that every worker has finished:
/// the table is the steady-state throughput of long-running workers, without start-up, group join and JIT warm-up.
/// </summary>
internal static class WorkerProcessesBenchmark
{
    private const int Channels = 64;
    private const double Rate = 1000;
    private const int ChunkSamples = 10;
    private const int WindowSamples = 1000;
    private const int HopSamples = 100;
    private const int InitialRebalanceDelayMs = 6000;
    private const double WarmUpSeconds = 3;

    public static async Task RunAsync(int streams, double seconds, int maxLag, string edges, int rounds, string cli)
    {
        if (!File.Exists(cli))
        {
            throw new FileNotFoundException($"the causalstream CLI was not found at '{cli}'; build it with 'dotnet build src/CausalStream.Cli -c Release' or pass its path after the mode arguments", cli);
        }

        int warmUpChunks = (int)(WarmUpSeconds * Rate / ChunkSamples);
        int chunks = (int)(seconds * Rate / ChunkSamples);
        Console.WriteLine();
        Console.WriteLine($"worker processes: {streams} streams x {Channels} ch x {Rate} Hz on {streams} partitions of one mock broker; every worker is 'causalstream run' (Granger VAR({maxLag}), window {WindowSamples}, hop {HopSamples} samples, sinks.kafka.edges {edges}) pinned to its own core; after a {WarmUpSeconds} s warm-up per stream, the clock runs from publishing the next {seconds} s per stream to the last graph read back");
        var ceiling = await EngineCeilingAsync(streams, seconds, maxLag, edges);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"machine ceiling, same run: the engine alone (no Kafka) as one pinned process {ceiling.One:F2} s, as two at once on two cores {ceiling.Two:F2} s for the same work each: 2 x {ceiling.One:F2} / {ceiling.Two:F2} = {2 * ceiling.One / ceiling.Two:F2}x"));
        Console.WriteLine("| round | workers | graphs | seconds | graphs/s | speed-up vs 1 worker | worker CPU (s) | bench process CPU (s) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int round = 1; round <= rounds; round++)
        {
            double single = 0;
            foreach (int workers in new[] { 1, 2 })
            {
                var outcome = await RunOnceAsync(streams, warmUpChunks, chunks, workers, maxLag, edges, cli);
                if (workers == 1)
                {
                    single = outcome.Seconds;
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {round} | {workers} | {outcome.Graphs} | {outcome.Seconds:F2} | {outcome.Graphs / outcome.Seconds:F1} | {single / outcome.Seconds:F2} | {outcome.WorkerCpu:F1} | {outcome.HostCpu:F1} |"));
            }
        }
    }

    private static async Task<(long Graphs, double Seconds, double WorkerCpu, double HostCpu)> RunOnceAsync(int streams, int warmUpChunks, int chunks, int workers, int maxLag, string edges, string cli)
    {
        using var cluster = new KafkaMockCluster(1, InitialRebalanceDelayMs);
        cluster.CreateTopic("work", streams);
        cluster.CreateTopic("work.streams", 1);
        cluster.CreateTopic("work.results", streams);
        cluster.CreateTopic("work.dlq", 1);
        var connection = new KafkaConnection { BootstrapServers = cluster.BootstrapServers };
        var data = new BenchStreams(streams, Channels, Rate, ChunkSamples, warmUpChunks + chunks, seed: 5);
        await using var publisher = new KafkaChunkPublisher(new KafkaPublisherOptions { Connection = connection, Topic = "work", PartitionOf = s => int.Parse(s.Name[1..], CultureInfo.InvariantCulture) });
        foreach (var stream in data.Streams)
        {
            await publisher.OpenAsync(stream);
        }

        await data.WriteRangeAsync(publisher, 0, warmUpChunks);
        string config = Path.Combine(Path.GetTempPath(), $"causalstream-bench-worker-{Environment.ProcessId}.json");
        await File.WriteAllTextAsync(config, WorkerConfig(maxLag, edges));
        using var reader = new ResultReader(cluster.BootstrapServers, "work.results");
        var readerThread = new Thread(reader.Run) { IsBackground = true, Name = "results reader" };
        readerThread.Start();
        var children = new List<WorkerProcess>();
        try
        {
            for (int w = 0; w < workers; w++)
            {
                children.Add(WorkerProcess.Start(cli, config, cluster.BootstrapServers, core: w));
            }

            // Warm-up: every worker joins the group and analyses the first seconds of every stream of its partitions.
            await WaitForGraphsAsync(reader, children, streams * GraphsPerStream(warmUpChunks));
            var workerCpuBefore = new double[children.Count];
            for (int w = 0; w < children.Count; w++)
            {
                workerCpuBefore[w] = children[w].CpuSeconds;
            }

            Console.Error.WriteLine($"  {workers} worker(s) warmed up; measuring");
            var hostCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            await data.WriteRangeAsync(publisher, warmUpChunks, warmUpChunks + chunks);
            long total = streams * GraphsPerStream(warmUpChunks + chunks);
            await WaitForGraphsAsync(reader, children, total);
            double elapsed = Stopwatch.GetElapsedTime(start, reader.LastArrival).TotalSeconds;
            double hostCpu = (Process.GetCurrentProcess().TotalProcessorTime - hostCpuBefore).TotalSeconds;
            double workerCpu = 0;
            for (int w = 0; w < children.Count; w++)
            {
                workerCpu += children[w].CpuSeconds - workerCpuBefore[w];
                if (children[w].LastAssignment > start)
                {
                    Console.Error.WriteLine($"  note: the group rebalanced while measuring (the worker on core {children[w].Core} was assigned partitions {children[w].Assignments} times):{Environment.NewLine}{children[w].Output}");
                }
            }

            if (reader.Duplicates > 0)
            {
                Console.Error.WriteLine($"  note: {reader.Duplicates} duplicate graphs read back (identified by stream and window end)");
            }

            return (total - (streams * GraphsPerStream(warmUpChunks)), elapsed, workerCpu, hostCpu);
        }
        finally
        {
            foreach (var child in children)
            {
                child.Dispose();
            }

            reader.Stop();
            readerThread.Join();
            File.Delete(config);
        }
    }

    /// <summary>
    /// Seconds the engine alone (this tool's <c>engine</c> mode) takes for the run's work as one process on one core,
    /// and the slower of two such processes running at once on the two cores: what two cores give when nothing is shared.
    /// </summary>
    private static async Task<(double One, double Two)> EngineCeilingAsync(int streams, double seconds, int maxLag, string edges)
    {
        string self = typeof(WorkerProcessesBenchmark).Assembly.Location;
        string[] arguments = ["engine", streams.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture), maxLag.ToString(CultureInfo.InvariantCulture), edges];
        double one = await EngineSecondsAsync(self, arguments, core: 0);
        var both = await Task.WhenAll(EngineSecondsAsync(self, arguments, core: 0), EngineSecondsAsync(self, arguments, core: 1));
        return (one, Math.Max(both[0], both[1]));
    }

    private static async Task<double> EngineSecondsAsync(string self, string[] arguments, int core)
    {
        var info = new ProcessStartInfo("taskset") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in (string[])["-c", core.ToString(CultureInfo.InvariantCulture), "dotnet", self, .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("taskset could not be started");
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        const string marker = " graphs in ";
        int at = output.IndexOf(marker, StringComparison.Ordinal);
        if (process.ExitCode != 0 || at < 0)
        {
            throw new InvalidOperationException($"the engine-only run on core {core} failed (exit {process.ExitCode}):{Environment.NewLine}{output}");
        }

        string rest = output[(at + marker.Length)..];
        return double.Parse(rest[..rest.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    private static int GraphsPerStream(int chunks) => (((chunks * ChunkSamples) - WindowSamples) / HopSamples) + 1;

    private static async Task WaitForGraphsAsync(ResultReader reader, List<WorkerProcess> children, long count)
    {
        var limit = Stopwatch.StartNew();
        while (reader.Distinct < count)
        {
            if (limit.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"{reader.Distinct} of {count} graphs after 5 minutes");
            }

            foreach (var child in children)
            {
                if (child.HasExited)
                {
                    throw new InvalidOperationException($"worker on core {child.Core} exited with code {child.ExitCode}:{Environment.NewLine}{child.Output}");
                }
            }

            await Task.Delay(10);
        }
    }

    private static string WorkerConfig(int maxLag, string edges)
    {
        var json = new StringBuilder();
        json.AppendLine("{");
        json.AppendLine("  \"logging\": { \"level\": \"Information\", \"file\": null },");
        json.AppendLine("  \"pipeline\": { \"ingestCapacity\": 1024, \"statusIntervalSeconds\": 0 },");
        json.AppendLine("  \"source\": { \"kafka\": { \"bootstrapServers\": \"set-on-the-command-line\", \"topic\": \"work\", \"groupId\": \"work\", \"startFrom\": \"earliest\", \"fetchWaitMaxMs\": 10, \"sessionTimeoutMs\": 6000 } },");
        json.AppendLine(CultureInfo.InvariantCulture, $"  \"window\": {{ \"length\": {WindowSamples}, \"hop\": {HopSamples}, \"unit\": \"samples\" }},");
        json.AppendLine(CultureInfo.InvariantCulture, $"  \"engine\": {{ \"granger\": {{ \"enabled\": true, \"maxLag\": {maxLag}, \"alpha\": 0.01 }} }},");
        json.AppendLine(CultureInfo.InvariantCulture, $"  \"sinks\": {{ \"console\": {{ \"enabled\": false }}, \"kafka\": {{ \"topic\": \"work.results\", \"edges\": \"{edges}\" }} }}");
        json.AppendLine("}");
        return json.ToString();
    }
}
