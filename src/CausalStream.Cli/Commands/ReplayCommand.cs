using System.Globalization;
using CausalStream.Cli.Configuration;
using CausalStream.Cli.Hosting;
using CausalStream.Engine.Graphs;
using CausalStream.Core.Formats;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Replay;
using CausalStream.Core.Sinks;
using CausalStream.Core.Streams;
using CausalStream.Core.Windows;

namespace CausalStream.Cli.Commands;

/// <summary>
/// <c>causalstream replay FILE</c>: replays an XDF, EDF+/BDF or CSV recording through the analysis stages with the
/// file's own timestamps, at real time, a multiple of it, or as fast as possible (lossless), printing a progress line
/// periodically and writing results to JSON Lines (--out) and optionally the session to XDF (--record).
/// </summary>
public static class ReplayCommand
{
    public const string Help = """
        causalstream replay FILE [--speed 1|10|max] [--from SECONDS] [--to SECONDS] [--config FILE]
                                 [--out FILE.jsonl] [--record FILE.xdf] [--no-clock-sync] [--dejitter]
                                 [--progress SECONDS]

        Replays a recording (XDF, EDF/EDF+, BDF/BDF+ or CSV 't,<channels>') through the pipeline, keeping every
        stream's timestamps and the relative timing of the streams.
          --speed S             1 = real time (default), 10 = ten times faster, max = as fast as the
                                stages accept (nothing is dropped at any speed)
          --from SECONDS        start this many seconds after the start of the recording (default 0)
          --to SECONDS          stop this many seconds after the start of the recording (default: the end)
          --config FILE         take the analysis window (and stages) from this configuration
          --out FILE.jsonl      write results (graphs, window summaries) as JSON Lines
          --record FILE.xdf     write the replayed raw streams and the results to an XDF file
          --no-clock-sync       XDF: keep the raw timestamps (default: apply the clock offsets as pyxdf does)
          --dejitter            XDF: regularise the timestamps of regular streams
          --progress SECONDS    seconds between progress lines when output is redirected (default 1;
                                0 = only the final line); on a terminal a progress bar with pace and ETA

        Exit code 0 when the whole span was replayed, 1 when the file is damaged (everything before the
        damage is replayed and the error names the byte offset), 2 for a bad command line.
        """;

    /// <summary>
    /// Windows on every regular stream and, when the configuration (or, without --config, the embedded default)
    /// enables it, the Granger engine on the first regular stream of two or more channels, waiting rather than
    /// skipping hops so a replay is lossless.
    /// </summary>
    public static IReadOnlyList<IIngestStage> DefaultStages(CausalStreamConfig? config, IReadOnlyList<StreamInfo> streams)
    {
        config ??= ConfigLoader.LoadDefault();
        var spec = new WindowSpec(config.Window.Length, config.Window.Hop, config.Window.Unit);
        var stages = new List<IIngestStage> { new WindowStage(spec, streams) };
        if (config.Engine.Granger is { Enabled: true } granger)
        {
            foreach (var stream in streams)
            {
                if (stream.NominalRate > 0 && stream.ChannelCount >= 2 && (granger.Stream is null || granger.Stream == stream.Name))
                {
                    stages.Add(new GrangerStage(stream, PipelineFactory.GrangerOptionsFor(granger, spec, stream.NominalRate, skipWhenBusy: false)));
                    break;
                }
            }
        }

        return stages;
    }

    /// <summary>
    /// Runs the command. With a <paramref name="terminal"/> (standard output is an interactive terminal) progress is a
    /// bar redrawn in place; otherwise a plain line every --progress seconds goes to <paramref name="output"/>.
    /// </summary>
    public static async Task<int> ExecuteAsync(string[] args, TextWriter output, TextWriter errors, Spectre.Console.IAnsiConsole? terminal = null)
    {
        var reader = new ArgumentReader("replay", args, ["--speed", "--from", "--to", "--config", "--out", "--record", "--progress"], ["--no-clock-sync", "--dejitter"]);
        if (reader.Positionals.Count != 1)
        {
            throw new UsageException(reader.Positionals.Count == 0 ? "replay: which file? (causalstream replay FILE)" : $"replay: unexpected argument '{reader.Positionals[1]}'");
        }

        string file = reader.Positionals[0];
        var options = new ReplayOptions
        {
            Speed = ParseSpeed(reader.String("--speed")),
            From = NonNegative(reader, "--from") ?? 0,
            To = NonNegative(reader, "--to") ?? double.PositiveInfinity,
        };
        if (options.To <= options.From)
        {
            throw new UsageException($"replay: --to ({options.To}) must be after --from ({options.From})");
        }

        double progressEvery = NonNegative(reader, "--progress") ?? 1;
        string? configPath = reader.String("--config");
        var config = configPath is null ? null : ConfigLoader.LoadFile(configPath);
        var xdfOptions = new XdfReaderOptions { SynchronizeClocks = !reader.Flag("--no-clock-sync"), Dejitter = reader.Flag("--dejitter") };

        IRecording recording;
        try
        {
            recording = RecordingFile.Open(file, xdfOptions);
        }
        catch (DataFormatException ex)
        {
            await errors.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return Program.ExitFailure;
        }

        using (recording)
        {
            var source = new ReplaySource(recording, options);
            var stages = new List<IIngestStage>();
            var sinks = new List<SinkBinding>();
            XdfSessionRecorder? recorder = null;
            string? recordPath = reader.String("--record");
            if (recordPath is not null)
            {
                recorder = new XdfSessionRecorder(recordPath, recording.Streams);
                stages.Add(new XdfRecordingStage(recorder));
                sinks.Add(new SinkBinding(new XdfRecordingSink(recorder), 4096, EdgePolicy.Wait));
            }

            stages.AddRange(DefaultStages(config, recording.Streams));
            string? outPath = reader.String("--out");
            if (outPath is not null)
            {
                sinks.Add(new SinkBinding(new JsonLinesSink(outPath, r => r is CausalGraph or WindowSummary), 4096, EdgePolicy.Wait));
            }

            var pipelineOptions = new PipelineOptions(config?.Pipeline.IngestCapacity ?? 1024, EdgePolicy.Wait, StatusIntervalSeconds: 0);
            var pipeline = new StreamPipeline([source], stages, sinks, pipelineOptions);
            await output.WriteLineAsync(Describe(recording, options)).ConfigureAwait(false);
            foreach (var problem in recording.Problems)
            {
                await errors.WriteLineAsync("warning: " + problem).ConfigureAwait(false);
            }

            using var signals = new StopSignals();
            var run = pipeline.RunAsync(signals.Stop, signals.Abort);
            if (progressEvery > 0 && terminal is not null)
            {
                await ReplayProgressBar.ShowAsync(terminal, run, () => source.Progress).ConfigureAwait(false);
            }
            else if (progressEvery > 0)
            {
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(progressEvery));
                while (!run.IsCompleted)
                {
                    var tick = timer.WaitForNextTickAsync().AsTask();
                    if (await Task.WhenAny(run, tick).ConfigureAwait(false) == tick && !run.IsCompleted)
                    {
                        await output.WriteLineAsync(source.Progress.Describe()).ConfigureAwait(false);
                    }
                }
            }

            await run.ConfigureAwait(false);
            var progress = source.Progress;
            await output.WriteLineAsync(progress.Describe() + (source.Failure is null ? " (done)" : " (stopped at damage)")).ConfigureAwait(false);
            if (outPath is not null)
            {
                await output.WriteLineAsync($"results: {outPath}").ConfigureAwait(false);
            }

            if (recordPath is not null)
            {
                await output.WriteLineAsync($"recorded: {recordPath}").ConfigureAwait(false);
            }

            if (source.Failure is { } failure)
            {
                await errors.WriteLineAsync("error: " + failure.Message).ConfigureAwait(false);
                return Program.ExitFailure;
            }

            return Program.ExitOk;
        }
    }

    private static string Describe(IRecording recording, ReplayOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        string speed = options.IsMaxSpeed ? "max speed" : string.Format(c, "{0}x real time", options.Speed);
        string streams = string.Join(", ", recording.Streams.Select(s => s.IsIrregular ? $"{s.Name} (markers)" : string.Format(c, "{0} ({1} ch @ {2} Hz)", s.Name, s.ChannelCount, s.NominalRate)));
        return $"replaying {recording.File} ({recording.Format}) at {speed}: {streams}";
    }

    private static double ParseSpeed(string? text)
    {
        if (text is null)
        {
            return 1;
        }

        if (string.Equals(text, "max", StringComparison.OrdinalIgnoreCase))
        {
            return double.PositiveInfinity;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double speed) && double.IsFinite(speed) && speed > 0)
        {
            return speed;
        }

        throw new UsageException($"replay: --speed needs a positive number or 'max', got '{text}'");
    }

    private static double? NonNegative(ArgumentReader reader, string name)
    {
        string? text = reader.String(name);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && value >= 0)
        {
            return value;
        }

        throw new UsageException($"replay: option '{name}' needs a number >= 0, got '{text}'");
    }
}
