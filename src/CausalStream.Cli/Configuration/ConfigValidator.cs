using System.Globalization;
using CausalStream.Core.Windows;

namespace CausalStream.Cli.Configuration;

/// <summary>
/// Checks settings that JSON binding cannot: ranges, exactly one source, and consistency between keys
/// (a hop longer than the window, a window too short for the model). Every message names the key.
/// </summary>
public static class ConfigValidator
{
    private static readonly string[] LogLevels = ["Verbose", "Debug", "Information", "Warning", "Error", "Fatal"];

    public static void Validate(CausalStreamConfig config, string source)
    {
        ValidateLogging(config.Logging, source);
        ValidatePipeline(config.Pipeline, source);
        double rate = ValidateSource(config.Source, source);
        ValidateWindow(config.Window, rate, source);
        ValidateGranger(config, rate, source);
        if (config.Sinks.Jsonl is { } jsonl)
        {
            Require(!string.IsNullOrWhiteSpace(jsonl.Path), source, "sinks.jsonl.path", "must name a file");
            Require(jsonl.Capacity > 0, source, "sinks.jsonl.capacity", $"must be positive (was {jsonl.Capacity})");
        }
        Require(config.Sinks.Console.Capacity > 0, source, "sinks.console.capacity", $"must be positive (was {config.Sinks.Console.Capacity})");
    }

    /// <summary>Window length in samples at the source's rate (used by model checks).</summary>
    public static int WindowSamples(WindowConfig window, double rate)
        => window.Unit == WindowUnit.Samples ? (int)window.Length : (int)Math.Round(window.Length * rate);

    internal static void Require(bool condition, string source, string key, string reason)
    {
        if (!condition)
        {
            throw new ConfigException(source, key, reason);
        }
    }

    internal static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static void ValidateGranger(CausalStreamConfig config, double rate, string source)
    {
        if (config.Engine.Granger is not { Enabled: true } granger)
        {
            return;
        }

        int channels = config.Source.Simulator?.Channels ?? 1;
        Require(granger.MaxLag.Lags is null or >= 1, source, "engine.granger.maxLag", $"must be at least 1 or \"auto\" (was {granger.MaxLag})");
        Require(granger.MaxLagLimit >= 1, source, "engine.granger.maxLagLimit", $"must be at least 1 (was {granger.MaxLagLimit})");
        Require(double.IsFinite(granger.Alpha) && granger.Alpha > 0 && granger.Alpha < 1, source, "engine.granger.alpha", $"must be in (0, 1) (was {Format(granger.Alpha)})");
        if (granger.ForgettingFactor is double lambda)
        {
            Require(lambda > 0 && lambda < 1, source, "engine.granger.forgettingFactor", $"must be in (0, 1) (was {Format(lambda)})");
            int lagForMemory = granger.MaxLag.Lags ?? granger.MaxLagLimit;
            Require(1 / (1 - lambda) > (channels * lagForMemory) + 1, source, "engine.granger.forgettingFactor", $"{Format(lambda)} remembers about {Format(1 / (1 - lambda))} rows, fewer than the {(channels * lagForMemory) + 1} regressors of a VAR({lagForMemory}) on {channels} channels");
        }

        int lag = granger.MaxLag.Lags ?? granger.MaxLagLimit;
        int samples = WindowSamples(config.Window, rate);
        int needed = CausalStream.Engine.Graphs.GrangerStageOptions.MinimumWindowSamples(channels, lag);
        Require(samples >= needed, source, "window.length", $"holds {samples} samples, but a VAR({lag}) on {channels} channels (engine.granger.maxLag{(granger.MaxLag.IsAuto ? "Limit" : string.Empty)}) needs at least {needed}");
    }

    private static void ValidateLogging(LoggingConfig logging, string source)
    {
        Require(Array.IndexOf(LogLevels, logging.Level) >= 0, source, "logging.level", $"'{logging.Level}' is not a level; use one of {string.Join(", ", LogLevels)}");
        Require(Array.IndexOf(LogLevels, logging.FileLevel) >= 0, source, "logging.fileLevel", $"'{logging.FileLevel}' is not a level; use one of {string.Join(", ", LogLevels)}");
    }

    private static void ValidatePipeline(PipelineConfig pipeline, string source)
    {
        Require(pipeline.IngestCapacity > 0, source, "pipeline.ingestCapacity", $"must be positive (was {pipeline.IngestCapacity})");
        Require(double.IsFinite(pipeline.StatusIntervalSeconds) && pipeline.StatusIntervalSeconds >= 0, source, "pipeline.statusIntervalSeconds", $"must be >= 0 seconds (was {Format(pipeline.StatusIntervalSeconds)})");
    }

    private static double ValidateSource(SourceConfig config, string source)
    {
        if (config.Simulator is null)
        {
            throw new ConfigException(source, "source", "no source is set; set source.simulator");
        }

        try
        {
            config.Simulator.Validate();
        }
        catch (ArgumentException ex)
        {
            string field = ex.ParamName is { Length: > 0 } name ? char.ToLowerInvariant(name[0]) + name[1..] : "(value)";
            string reason = ex.Message;
            int cut = reason.IndexOf(" (Parameter", StringComparison.Ordinal);
            throw new ConfigException(source, "source.simulator." + field, cut > 0 ? reason[..cut] : reason);
        }

        return config.Simulator.SampleRate;
    }

    private static void ValidateWindow(WindowConfig window, double rate, string source)
    {
        Require(double.IsFinite(window.Length) && window.Length > 0, source, "window.length", $"must be positive (was {Format(window.Length)})");
        Require(double.IsFinite(window.Hop) && window.Hop > 0, source, "window.hop", $"must be positive (was {Format(window.Hop)})");
        Require(window.Hop <= window.Length, source, "window.hop", $"{Format(window.Hop)} is larger than window.length {Format(window.Length)}; every sample must fall in some window");
        if (window.Unit == WindowUnit.Samples)
        {
            Require(window.Length == Math.Floor(window.Length), source, "window.length", $"must be a whole number of samples (was {Format(window.Length)})");
            Require(window.Hop == Math.Floor(window.Hop), source, "window.hop", $"must be a whole number of samples (was {Format(window.Hop)})");
        }
        else
        {
            Require(window.Hop * rate >= 1, source, "window.hop", $"{Format(window.Hop)} s is shorter than one sample at {Format(rate)} Hz");
        }

        Require(WindowSamples(window, rate) >= 2, source, "window.length", $"holds {WindowSamples(window, rate)} samples at {Format(rate)} Hz; a window needs at least 2");
    }
}
