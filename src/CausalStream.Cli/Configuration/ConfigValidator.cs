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
