using System.Globalization;
using CausalStream.Kafka;
using CausalStream.Kafka.Sharding;

namespace CausalStream.Cli.Commands;

/// <summary>
/// <c>causalstream aggregate</c>: the sharded mode's aggregator as a process of its own. It reads the partial graphs
/// that sharded workers publish (each holding the edges into its target channels), merges the shards of every window
/// into one graph with the multiple-testing adjustment redone over all pairs, and publishes it (docs/kafka.md).
/// </summary>
public static class AggregateCommand
{
    public const string Help = """
        causalstream aggregate --in TOPIC --out TOPIC --shards N [--bootstrap HOST:PORT] [--group ID] [--duration SECONDS]

        Merges the partial graphs of sharded Kafka workers into one graph per window.
          --in TOPIC            topic the shards publish their partial graphs to (their sinks.kafka.resultsTopic)
          --out TOPIC           topic for the merged graphs
          --shards N            number of shards per window (sources' kafka.shard.count)
          --bootstrap SERVERS   brokers, host:port[,host:port] (default localhost:9092)
          --group ID            consumer group (default causalstream-aggregator)
          --duration SECONDS    stop after this long (default: until Ctrl+C)
        """;

    /// <summary>Runs until --duration elapses or Ctrl+C.</summary>
    public static async Task<int> ExecuteAsync(string[] args, TextWriter output, TextWriter errors)
    {
        using var signals = new StopSignals();
        return await ExecuteAsync(args, output, errors, signals.Stop).ConfigureAwait(false);
    }

    /// <summary>Runs until --duration elapses or <paramref name="cancellationToken"/> fires.</summary>
    /// <exception cref="UsageException">A missing or bad option.</exception>
    public static async Task<int> ExecuteAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var reader = new ArgumentReader("aggregate", args, ["--in", "--out", "--shards", "--bootstrap", "--group", "--duration"]);
        if (reader.Positionals.Count > 0)
        {
            throw new UsageException($"aggregate: unexpected argument '{reader.Positionals[0]}'");
        }

        string input = Required(reader, "--in");
        string outputTopic = Required(reader, "--out");
        if (input == outputTopic)
        {
            throw new UsageException("aggregate: --in and --out must be different topics");
        }

        string shardsText = Required(reader, "--shards");
        if (!int.TryParse(shardsText, NumberStyles.None, CultureInfo.InvariantCulture, out int shards) || shards < 2)
        {
            throw new UsageException($"aggregate: --shards needs a whole number of at least 2, got '{shardsText}'");
        }

        double? duration = reader.PositiveDouble("aggregate", "--duration");
        var connection = new KafkaConnection { BootstrapServers = reader.String("--bootstrap") ?? "localhost:9092" };
        try
        {
            await KafkaConnectivity.WaitForClusterAsync(connection, input, m => output.WriteLine(m), cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaUnavailableException ex)
        {
            await errors.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return Program.ExitFailure;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration is double seconds)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        await using var aggregator = new KafkaShardAggregator(
            new KafkaShardAggregatorOptions
            {
                Connection = connection,
                InputTopic = input,
                OutputTopic = outputTopic,
                ShardCount = shards,
                GroupId = reader.String("--group") ?? "causalstream-aggregator",
            },
            m => output.WriteLine(m));
        await output.WriteLineAsync($"aggregating {shards} shards per window from {input} into {outputTopic}").ConfigureAwait(false);
        try
        {
            await aggregator.RunAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        await output.WriteLineAsync($"merged {aggregator.Merged} windows, rejected {aggregator.Rejected} messages").ConfigureAwait(false);
        return Program.ExitOk;
    }

    private static string Required(ArgumentReader reader, string name)
    {
        string? value = reader.String(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new UsageException($"aggregate: {name} is required (see 'causalstream aggregate --help')");
        }

        return value;
    }
}
