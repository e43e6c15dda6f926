using System.Globalization;
using System.Text;
using System.Text.Json;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Configuration;
using CausalStream.Lsl.Discovery;
using CausalStream.Lsl.Info;
using CausalStream.Lsl.Inlet;
using CausalStream.Lsl.Pipeline;

namespace CausalStream.Cli.Commands;

/// <summary>
/// <c>causalstream lsl list</c> prints the LSL streams visible on the network; <c>causalstream lsl dump QUERY</c>
/// connects an inlet to the first matching stream and prints or writes its samples as CSV
/// (<c>t,&lt;channel labels&gt;</c>, t = time-corrected timestamp on the local LSL clock); <c>causalstream lsl bridge
/// QUERY --kafka TOPIC</c> publishes the stream's chunks into Kafka for archiving and for Kafka workers.
/// </summary>
public static class LslCommand
{
    public const string Help = """
        causalstream lsl list [--timeout SECONDS] [--json] [--lsl-config FILE]
        causalstream lsl dump QUERY [--count N] [--out FILE.csv] [--timeout SECONDS] [--lsl-config FILE]
        causalstream lsl bridge QUERY --kafka TOPIC [--bootstrap HOST:PORT] [--kafka-format FORMAT] [--duration SECONDS] [--timeout SECONDS] [--lsl-config FILE]

        list   prints every visible LSL stream: name, type, channels, rate, format, host, source_id, uid
                 --timeout SECONDS   how long to listen for replies (default 1)
                 --json              one JSON array instead of a table
        dump   connects to the first stream matching QUERY and prints its samples as CSV:
               a header 't,<channel labels>' then one line per sample, t = time-corrected timestamp
                 QUERY               an XPath predicate on the stream info, e.g. "type='EEG'",
                                     "name='BioSemi'", "source_id='amp-42' and channel_count>8"
                 --count N           stop after N samples (default: until Ctrl+C)
                 --out FILE.csv      write the CSV to FILE instead of standard output
                 --timeout SECONDS   how long to look for the stream (default 5)
        bridge connects to the first stream matching QUERY and publishes its samples into Kafka (LSL → Kafka):
               chunk messages on TOPIC keyed by the stream's name, its metadata on TOPIC.streams (docs/kafka.md);
               timestamps are time-corrected to the local LSL clock
                 --kafka TOPIC       chunk topic (required)
                 --bootstrap SERVERS brokers, host:port[,host:port] (default localhost:9092)
                 --kafka-format F    value format on the wire (default: the stream's own format)
                 --duration SECONDS  stop after this long (default: until Ctrl+C)
                 --timeout SECONDS   how long to look for the stream (default 5)

        --lsl-config FILE uses that lsl_api.cfg; otherwise the file liblsl would use is read
        ($LSLAPICFG, ./lsl_api.cfg, ~/lsl_api/lsl_api.cfg, /etc/lsl_api/lsl_api.cfg), else liblsl's defaults.
        """;

    /// <summary>Runs the command until done or Ctrl+C.</summary>
    public static async Task<int> ExecuteAsync(string[] args, TextWriter output, TextWriter errors)
    {
        using var signals = new StopSignals();
        return await ExecuteAsync(args, output, errors, signals.Stop).ConfigureAwait(false);
    }

    /// <summary>Runs the command until done or <paramref name="cancellationToken"/> fires (then exits 0).</summary>
    /// <exception cref="UsageException">Unknown sub-command or option, or a bad value.</exception>
    public static async Task<int> ExecuteAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            throw new UsageException("lsl: expected 'list', 'dump' or 'bridge' (see 'causalstream lsl --help')");
        }

        string[] rest = args[1..];
        return args[0] switch
        {
            "list" => await ListAsync(rest, output, cancellationToken).ConfigureAwait(false),
            "dump" => await DumpAsync(rest, output, errors, cancellationToken).ConfigureAwait(false),
            "bridge" => await BridgeAsync(rest, output, errors, cancellationToken).ConfigureAwait(false),
            _ => throw new UsageException($"lsl: unknown sub-command '{args[0]}'; expected 'list' or 'dump'"),
        };
    }

    private static LslApiConfig Config(ArgumentReader reader, string command)
    {
        string? path = reader.String("--lsl-config");
        if (path is null)
        {
            return LslApiConfig.Load();
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"{command}: --lsl-config file '{path}' does not exist");
        }

        try
        {
            return LslApiConfig.LoadFile(path);
        }
        catch (FormatException ex)
        {
            throw new UsageException($"{command}: {ex.Message}");
        }
    }

    private static async Task<int> ListAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var reader = new ArgumentReader("lsl list", args, ["--timeout", "--lsl-config"], ["--json"]);
        if (reader.Positionals.Count > 0)
        {
            throw new UsageException($"lsl list: unexpected argument '{reader.Positionals[0]}'");
        }

        double timeout = reader.PositiveDouble("lsl list", "--timeout") ?? 1.0;
        var resolver = new LslResolver(Config(reader, "lsl list"));
        IReadOnlyList<LslStreamInfo> streams;
        try
        {
            streams = await resolver.ResolveAllAsync(TimeSpan.FromSeconds(timeout), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return Program.ExitOk;
        }

        if (reader.Flag("--json"))
        {
            await output.WriteLineAsync(ToJson(streams)).ConfigureAwait(false);
            return Program.ExitOk;
        }

        var rows = new List<string[]> { new[] { "name", "type", "channels", "rate", "format", "host", "source_id", "uid" } };
        foreach (var s in streams)
        {
            rows.Add([s.Name, s.Type, s.ChannelCount.ToString(CultureInfo.InvariantCulture), s.NominalSrate.ToString(CultureInfo.InvariantCulture), LslChannelFormats.Name(s.Format), s.Hostname + " (" + s.V4Address + ")", s.SourceId, s.Uid]);
        }

        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (int i = 0; i < row.Length; i++)
            {
                line.Append(i < row.Length - 1 ? row[i].PadRight(widths[i] + 2) : row[i]);
            }

            await output.WriteLineAsync(line.ToString().TrimEnd()).ConfigureAwait(false);
        }

        await output.WriteLineAsync(streams.Count == 1 ? "1 stream" : $"{streams.Count} streams").ConfigureAwait(false);
        return Program.ExitOk;
    }

    private static string ToJson(IReadOnlyList<LslStreamInfo> streams)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var s in streams)
            {
                json.WriteStartObject();
                json.WriteString("name", s.Name);
                json.WriteString("type", s.Type);
                json.WriteNumber("channels", s.ChannelCount);
                json.WriteNumber("rate", s.NominalSrate);
                json.WriteString("format", LslChannelFormats.Name(s.Format));
                json.WriteString("host", s.Hostname);
                json.WriteString("address", s.V4Address);
                json.WriteNumber("data_port", s.V4DataPort);
                json.WriteNumber("service_port", s.V4ServicePort);
                json.WriteString("source_id", s.SourceId);
                json.WriteString("uid", s.Uid);
                json.WriteString("session_id", s.SessionId);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// The first stream matching <paramref name="query"/>, or null with the exit code: 1 after printing why none was
    /// found, 0 when the command was cancelled while looking.
    /// </summary>
    private static async Task<(LslSource? Source, int ExitCode)> ResolveAsync(string query, double timeout, LslApiConfig config, TextWriter errors, CancellationToken cancellationToken)
    {
        try
        {
            return (await LslSource.ResolveAsync(new LslSourceOptions { Query = query, ResolveTimeout = timeout, Config = config }, cancellationToken).ConfigureAwait(false), Program.ExitOk);
        }
        catch (LslStreamNotFoundException ex)
        {
            await errors.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return (null, Program.ExitFailure);
        }
        catch (OperationCanceledException)
        {
            return (null, Program.ExitOk);
        }
    }

    private static async Task<int> BridgeAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var reader = new ArgumentReader("lsl bridge", args, ["--kafka", "--bootstrap", "--kafka-format", "--duration", "--timeout", "--lsl-config"]);
        if (reader.Positionals.Count != 1)
        {
            throw new UsageException("lsl bridge: expected one QUERY, e.g. \"type='EEG'\" (quote it for the shell)");
        }

        string query = reader.Positionals[0];
        if (!LslQuery.TryParse(query, out LslQuery? _, out string queryError))
        {
            throw new UsageException("lsl bridge: " + queryError);
        }

        string topic = reader.String("--kafka") is { Length: > 0 } t ? t : throw new UsageException("lsl bridge: --kafka TOPIC is required");
        ChannelFormat? format = null;
        if (reader.String("--kafka-format") is { } formatName)
        {
            if (!ChannelFormatNames.TryParse(formatName, out var parsed))
            {
                throw new UsageException($"lsl bridge: --kafka-format '{formatName}' is not one of float32, double64, int32, int16, int8, int64, string");
            }

            format = parsed;
        }

        double? duration = reader.PositiveDouble("lsl bridge", "--duration");
        double timeout = reader.PositiveDouble("lsl bridge", "--timeout") ?? 5.0;
        var config = Config(reader, "lsl bridge");
        var connection = new CausalStream.Kafka.KafkaConnection { BootstrapServers = reader.String("--bootstrap") ?? "localhost:9092" };
        try
        {
            await CausalStream.Kafka.KafkaConnectivity.WaitForClusterAsync(connection, topic, m => output.WriteLine(m), cancellationToken).ConfigureAwait(false);
        }
        catch (CausalStream.Kafka.KafkaUnavailableException ex)
        {
            await errors.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return Program.ExitFailure;
        }

        var (source, failed) = await ResolveAsync(query, timeout, config, errors, cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            return failed;
        }

        await using var sourceLifetime = source.ConfigureAwait(false);
        var stream = source.Streams[0];
        await errors.WriteLineAsync($"bridging {source.Info} into Kafka topic '{topic}' at {connection.BootstrapServers}").ConfigureAwait(false);
        return await KafkaPublishing.RunAsync(source, stream, connection, topic, format ?? stream.Format, duration, output, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> DumpAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var reader = new ArgumentReader("lsl dump", args, ["--count", "--out", "--timeout", "--lsl-config"]);
        if (reader.Positionals.Count != 1)
        {
            throw new UsageException("lsl dump: expected one QUERY, e.g. \"type='EEG'\" (quote it for the shell)");
        }

        string query = reader.Positionals[0];
        if (!LslQuery.TryParse(query, out LslQuery? _, out string queryError))
        {
            throw new UsageException("lsl dump: " + queryError);
        }

        long? count = null;
        if (reader.String("--count") is { } countText)
        {
            if (!long.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n <= 0)
            {
                throw new UsageException($"lsl dump: option '--count' needs a positive whole number, got '{countText}'");
            }

            count = n;
        }

        double timeout = reader.PositiveDouble("lsl dump", "--timeout") ?? 5.0;
        var config = Config(reader, "lsl dump");
        string? outPath = reader.String("--out");
        var (source, failed) = await ResolveAsync(query, timeout, config, errors, cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            return failed;
        }

        await using var sourceLifetime = source.ConfigureAwait(false);
        var info = source.Info;
        TextWriter writer = output;
        StreamWriter? file = null;
        if (outPath is not null)
        {
            file = new StreamWriter(outPath, append: false, new UTF8Encoding(false));
            writer = file;
        }

        try
        {
            await errors.WriteLineAsync($"dumping {info}").ConfigureAwait(false);
            await writer.WriteLineAsync("t," + string.Join(',', info.ChannelLabels.Select(Csv))).ConfigureAwait(false);
            await using var inlet = new LslInlet(info, new LslInletOptions
            {
                Config = config,
                ApplyTimeCorrection = true,
                Events = e => errors.WriteLine(e.Message),
            });
            long written = 0;
            try
            {
                await inlet.OpenAsync(cancellationToken).ConfigureAwait(false);
                var line = new StringBuilder();
                while (count is null || written < count)
                {
                    if (info.Format == ChannelFormat.String)
                    {
                        var sample = await inlet.ReadStringSampleAsync(cancellationToken).ConfigureAwait(false);
                        if (sample is null)
                        {
                            break;
                        }

                        line.Clear().Append(sample.Timestamp.ToString("R", CultureInfo.InvariantCulture));
                        foreach (string value in sample.Values)
                        {
                            line.Append(',').Append(Csv(value));
                        }

                        await writer.WriteLineAsync(line.ToString()).ConfigureAwait(false);
                        written++;
                        continue;
                    }

                    int max = count is long c ? (int)Math.Min(1024, c - written) : 1024;
                    using var chunk = await inlet.ReadChunkAsync(max, cancellationToken).ConfigureAwait(false);
                    if (chunk is null)
                    {
                        break;
                    }

                    for (int i = 0; i < chunk.SampleCount; i++)
                    {
                        line.Clear().Append(chunk.Timestamps[i].ToString("R", CultureInfo.InvariantCulture));
                        foreach (double v in chunk.Sample(i))
                        {
                            line.Append(',').Append(FormatValue(v, info.Format));
                        }

                        await writer.WriteLineAsync(line.ToString()).ConfigureAwait(false);
                    }

                    written += chunk.SampleCount;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: stop cleanly with what was written.
            }
            catch (Exception ex) when (ex is Lsl.Protocol.LslProtocolException or System.Net.Sockets.SocketException)
            {
                await errors.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                return Program.ExitFailure;
            }

            await errors.WriteLineAsync($"{written} samples").ConfigureAwait(false);
            return Program.ExitOk;
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static string FormatValue(double value, ChannelFormat format) => format switch
    {
        ChannelFormat.Float32 => ((float)value).ToString("R", CultureInfo.InvariantCulture),
        ChannelFormat.Double64 => value.ToString("R", CultureInfo.InvariantCulture),
        _ => value.ToString("0", CultureInfo.InvariantCulture),
    };

    private static string Csv(string value)
        => value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
