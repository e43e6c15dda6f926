using CausalStream.Cli.Configuration;
using CausalStream.Cli.Hosting;
using CausalStream.Cli.Logging;
using CausalStream.Core.Pipeline;
using CausalStream.Lsl.Pipeline;

namespace CausalStream.Cli.Commands;

/// <summary>
/// <c>causalstream run</c>: loads the configuration (the embedded config/default.json unless --config is given),
/// runs the pipeline until --duration elapses, the input ends, or Ctrl+C / SIGTERM, then drains and exits 0.
/// A second Ctrl+C abandons the drain.
/// </summary>
public static class RunCommand
{
    public const string Help = """
        causalstream run [--config FILE] [--duration SECONDS] [--set KEY=VALUE ...]

        Runs a pipeline described by a JSON configuration file (see docs/configuration.md).
          --config FILE         configuration to run; default: the built-in config/default.json
                                (simulator -> sliding windows -> console)
          --duration SECONDS    stop after this many seconds of wall-clock time; default: until Ctrl+C
                                or until the input ends
          --set KEY=VALUE       override one configuration key (dotted path, [n] for array elements; the
                                value is JSON when it parses, a string otherwise), e.g.
                                --set sinks.dashboard.url=http://127.0.0.1:5081 --set source.simulator.channels=16

        Ctrl+C (or SIGTERM) stops the sources, drains everything accepted through the stages, flushes
        every sink and exits 0. A second Ctrl+C abandons the drain.
        """;

    public static async Task<int> ExecuteAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var reader = new ArgumentReader("run", args, ["--config", "--duration"], repeatableOptions: ["--set"]);
        if (reader.Positionals.Count > 0)
        {
            throw new UsageException($"run: unexpected argument '{reader.Positionals[0]}'");
        }

        double? duration = reader.PositiveDouble("run", "--duration");
        string? path = reader.String("--config");
        var overrides = reader.Strings("--set");
        var config = path is null ? ConfigLoader.LoadDefault(overrides) : ConfigLoader.LoadFile(path, overrides);

        await using var logger = LogSetup.Create(config.Logging);
        var resources = new List<IAsyncDisposable>();
        StreamPipeline pipeline;
        try
        {
            pipeline = PipelineFactory.Build(config, output, new SerilogEventSink(logger), resources);
        }
        catch (LslStreamNotFoundException ex)
        {
            await errors.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return Program.ExitFailure;
        }


        using var signals = new StopSignals(count =>
        {
            if (count == 1)
            {
                logger.Information("Stopping: draining accepted input and flushing sinks (press Ctrl+C again to abandon)");
            }
            else
            {
                logger.Warning("Second stop signal: abandoning the drain");
            }
        });
        if (duration is double seconds)
        {
            signals.StopAfter(TimeSpan.FromSeconds(seconds));
        }

        logger.Information("Running {Source} with {Window} (config: {Config})", describeSource(config), $"window {config.Window.Length} {config.Window.Unit}, hop {config.Window.Hop}", path ?? ConfigLoader.EmbeddedName);
        try
        {
            await pipeline.RunAsync(signals.Stop, signals.Abort).ConfigureAwait(false);
        }
        finally
        {
            foreach (var resource in resources)
            {
                await resource.DisposeAsync().ConfigureAwait(false);
            }
        }

        logger.Information("Stopped cleanly");
        return signals.Abort.IsCancellationRequested ? Program.ExitFailure : Program.ExitOk;

        static string describeSource(CausalStreamConfig c)
            => c.Source.Simulator is { } s ? $"simulator ({s.Channels} ch @ {s.SampleRate} Hz, seed {s.Seed})" : c.Source.Lsl is { } l ? $"LSL stream {l.Predicate()}" : "source";
    }
}
