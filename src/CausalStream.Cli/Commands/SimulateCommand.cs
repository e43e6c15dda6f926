using System.Globalization;
using CausalStream.Core.Simulation;
using CausalStream.Lsl.Configuration;
using CausalStream.Lsl.Pipeline;

namespace CausalStream.Cli.Commands;

/// <summary>
/// <c>causalstream simulate --lsl NAME</c>: runs the built-in VAR network simulator in real time and publishes it as
/// LSL outlets (the data stream NAME and its marker stream NAME-markers), so any LSL consumer, or another
/// CausalStream, can read a brain-like signal with a known causal graph.
/// </summary>
public static class SimulateCommand
{
    public const string Help = """
        causalstream simulate --lsl NAME [--channels N] [--rate HZ] [--seed N] [--chunk N] [--duration SECONDS] [--lsl-config FILE]

        Publishes the built-in simulator (a VAR network with a known causal graph) as LSL streams:
        NAME (type LFP, double64, labels ch1..chN) and NAME-markers (stimulation markers).
          --lsl NAME            stream name to publish (required)
          --channels N          channels (default 8)
          --rate HZ             sampling rate (default 500)
          --seed N              network and noise seed (default 1)
          --chunk N             samples per push (default 10)
          --duration SECONDS    stop after this long (default: until Ctrl+C)
          --lsl-config FILE     lsl_api.cfg to use (default: the one liblsl would find, else liblsl's defaults)

        causalstream simulate --kafka TOPIC [--bootstrap HOST:PORT] [--stream NAME] [--kafka-format FORMAT] [--channels N] [--rate HZ] [--seed N] [--chunk N] [--duration SECONDS]

        Publishes the simulator into Kafka instead: chunk messages on TOPIC (key = stream id), the stream's metadata on
        TOPIC.streams (docs/kafka.md).
          --kafka TOPIC         chunk topic
          --bootstrap SERVERS   brokers, host:port[,host:port] (default localhost:9092)
          --stream NAME         stream id (default sim)
          --kafka-format F      value format on the wire: float32, double64, int32, int16, int8, int64, string (default float32)
        """;

    /// <summary>Runs until --duration elapses or Ctrl+C.</summary>
    public static async Task<int> ExecuteAsync(string[] args, TextWriter output, TextWriter errors)
    {
        using var signals = new StopSignals();
        return await ExecuteAsync(args, output, errors, signals.Stop).ConfigureAwait(false);
    }

    /// <summary>Runs until --duration elapses or <paramref name="cancellationToken"/> fires.</summary>
    /// <exception cref="UsageException">Missing --lsl, unknown option or bad value.</exception>
    public static async Task<int> ExecuteAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var reader = new ArgumentReader("simulate", args, ["--lsl", "--channels", "--rate", "--seed", "--chunk", "--duration", "--lsl-config", "--kafka", "--bootstrap", "--stream", "--kafka-format"]);
        if (reader.Positionals.Count > 0)
        {
            throw new UsageException($"simulate: unexpected argument '{reader.Positionals[0]}'");
        }

        if (reader.String("--kafka") is { } kafkaTopic)
        {
            return await PublishToKafkaAsync(reader, kafkaTopic, output, cancellationToken).ConfigureAwait(false);
        }

        string name = reader.String("--lsl") ?? throw new UsageException("simulate: --lsl NAME or --kafka TOPIC is required (where to publish)");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new UsageException("simulate: --lsl needs a non-empty stream name");
        }

        var options = SimulatorFrom(reader, name);

        double? duration = reader.PositiveDouble("simulate", "--duration");
        LslApiConfig config;
        string? path = reader.String("--lsl-config");
        try
        {
            config = path is null ? LslApiConfig.Load() : LslApiConfig.LoadFile(path);
        }
        catch (Exception ex) when (ex is FormatException or IOException)
        {
            throw new UsageException($"simulate: cannot read --lsl-config '{path}': {ex.Message}");
        }

        var simulator = new VarSimulator(options);
        await using var publish = new LslPublishingOutput(config, log: m => output.WriteLine(m));
        publish.Open(simulator.DataStream);
        publish.Open(simulator.MarkerStream);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration is double seconds)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"simulating {options.Channels} channels @ {options.SampleRate} Hz (seed {options.Seed}); LSL settings: {config.Source}; Ctrl+C stops")).ConfigureAwait(false);
        await simulator.RunAsync(publish, stop.Token).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"published {simulator.SamplesEmitted} samples")).ConfigureAwait(false);
        return Program.ExitOk;
    }

    private static async Task<int> PublishToKafkaAsync(ArgumentReader reader, string topic, TextWriter output, CancellationToken cancellationToken)
    {
        if (reader.String("--lsl") is not null)
        {
            throw new UsageException("simulate: give either --lsl or --kafka, not both");
        }

        string formatName = reader.String("--kafka-format") ?? "float32";
        if (!CausalStream.Core.Streams.ChannelFormatNames.TryParse(formatName, out var format))
        {
            throw new UsageException($"simulate: --kafka-format '{formatName}' is not one of float32, double64, int32, int16, int8, int64, string");
        }

        var options = SimulatorFrom(reader, reader.String("--stream") ?? "sim");

        double? duration = reader.PositiveDouble("simulate", "--duration");
        var connection = new CausalStream.Kafka.KafkaConnection { BootstrapServers = reader.String("--bootstrap") ?? "localhost:9092" };
        try
        {
            await CausalStream.Kafka.KafkaConnectivity.WaitForClusterAsync(connection, topic, m => output.WriteLine(m), cancellationToken).ConfigureAwait(false);
        }
        catch (CausalStream.Kafka.KafkaUnavailableException ex)
        {
            throw new UsageException("simulate: " + ex.Message);
        }

        var simulator = new VarSimulator(options);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"simulating {options.Channels} channels @ {options.SampleRate} Hz (seed {options.Seed}) into Kafka topic '{topic}' at {connection.BootstrapServers}; Ctrl+C stops")).ConfigureAwait(false);
        int code = await KafkaPublishing.RunAsync(simulator, simulator.DataStream, connection, topic, format, duration, output, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{simulator.SamplesEmitted} samples simulated")).ConfigureAwait(false);
        return code;
    }


    /// <summary>The paced simulator the command line describes (--channels, --rate, --seed, --chunk), validated.</summary>
    private static SimulatorOptions SimulatorFrom(ArgumentReader reader, string streamName)
    {
        var options = new SimulatorOptions
        {
            StreamName = streamName,
            Channels = Int(reader, "--channels") ?? 8,
            SampleRate = reader.PositiveDouble("simulate", "--rate") ?? 500,
            Seed = Int(reader, "--seed", allowZero: true) ?? 1,
            ChunkSize = Int(reader, "--chunk") ?? 10,
            Paced = true,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException("simulate: " + ex.Message);
        }

        return options;
    }

    private static int? Int(ArgumentReader reader, string option, bool allowZero = false)
    {
        string? text = reader.String(option);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) || value < 0 || (value == 0 && !allowZero))
        {
            throw new UsageException($"simulate: option '{option}' needs a positive whole number, got '{text}'");
        }

        return value;
    }
}
