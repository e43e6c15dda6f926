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
        DiscoveryConfigValidator.Validate(config, rate, source);
        ValidateStimulation(config, source);
        EffectsConfigValidator.Validate(config, rate, source);
        if (config.Sinks.Dashboard is { Enabled: true } dashboard)
        {
            Require(Uri.TryCreate(dashboard.Url, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp, source, "sinks.dashboard.url", $"must be an http:// address such as http://127.0.0.1:5080 (was '{dashboard.Url}')");
            Require(string.IsNullOrEmpty(dashboard.Token) || dashboard.Token.Length >= 16, source, "sinks.dashboard.token", "must be at least 16 characters (or null to disable the controls)");
            Require(dashboard.CapacityPerClient > 0, source, "sinks.dashboard.capacityPerClient", $"must be positive (was {dashboard.CapacityPerClient})");
        }

        if (config.Sinks.Jsonl is { } jsonl)
        {
            Require(!string.IsNullOrWhiteSpace(jsonl.Path), source, "sinks.jsonl.path", "must name a file");
            Require(jsonl.Capacity > 0, source, "sinks.jsonl.capacity", $"must be positive (was {jsonl.Capacity})");
        }
        if (config.Sinks.Kafka is { } kafkaSink)
        {
            KafkaConfigValidator.ValidateSink(kafkaSink, config.Source.Kafka, source);
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
        if (rate == 0)
        {
            return; // the stream's rate is known only once resolved; the stage checks the window then
        }

        int samples = WindowSamples(config.Window, rate);
        int needed = CausalStream.Engine.Graphs.GrangerStageOptions.MinimumWindowSamples(channels, lag);
        Require(samples >= needed, source, "window.length", $"holds {samples} samples, but a VAR({lag}) on {channels} channels (engine.granger.maxLag{(granger.MaxLag.IsAuto ? "Limit" : string.Empty)}) needs at least {needed}");
    }

    private static void ValidateStimulation(CausalStreamConfig config, string source)
    {
        if (config.Stimulation is not { Enabled: true } stimulation)
        {
            return;
        }

        try
        {
            stimulation.Safety.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ConfigException(source, "stimulation.safety." + Camel(ex.ParamName), Strip(ex.Message));
        }

        Require(!string.IsNullOrWhiteSpace(stimulation.Audit), source, "stimulation.audit", "every decision must be logged: name a file");
        int channels = config.Source.Simulator?.Channels ?? int.MaxValue;
        double rate = config.Source.Simulator?.SampleRate ?? 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < stimulation.FeatureRules.Count; i++)
        {
            var rule = stimulation.FeatureRules[i];
            string key = $"stimulation.featureRules[{i}]";
            Require(names.Add(rule.Name), source, key + ".name", $"'{rule.Name}' is used by another rule");
            Require(rule.Channel >= 0 && rule.Channel < channels, source, key + ".channel", $"{rule.Channel} is not a channel of the source (0..{channels - 1})");
            Require(rule.StimulateChannel is null || (rule.StimulateChannel >= 0 && rule.StimulateChannel < channels), source, key + ".stimulateChannel", $"{rule.StimulateChannel} is not a channel of the source (0..{channels - 1})");
            Require(rule.Probability > 0 && rule.Probability <= 1, source, key + ".probability", $"must be in (0, 1] (was {Format(rule.Probability)})");
            Require(rule.Feature != Core.Stimulation.FeatureKind.Phase || rule.Trigger == Core.Stimulation.TriggerMode.Crossing, source, key + ".trigger", "phase rules fire on crossings of the target phase: use \"crossing\"");
            Require(rule.Feature != Core.Stimulation.FeatureKind.Phase || (rule.PhaseDegrees >= -180 && rule.PhaseDegrees <= 180), source, key + ".phaseDegrees", $"must lie in -180..180 (was {Format(rule.PhaseDegrees)})");
            Require(rule.Feature == Core.Stimulation.FeatureKind.Value || rate == 0 || (rule.BandLowHz > 0 && rule.BandHighHz > rule.BandLowHz && rule.BandHighHz < rate / 2), source, key + ".bandHighHz", $"band {Format(rule.BandLowHz)}-{Format(rule.BandHighHz)} Hz must satisfy 0 < low < high < {Format(rate / 2)} Hz (Nyquist)");
            Require(rule.SmoothingSeconds > 0, source, key + ".smoothingSeconds", $"must be positive (was {Format(rule.SmoothingSeconds)})");
        }

        for (int i = 0; i < stimulation.EdgeRules.Count; i++)
        {
            var rule = stimulation.EdgeRules[i];
            string key = $"stimulation.edgeRules[{i}]";
            Require(names.Add(rule.Name), source, key + ".name", $"'{rule.Name}' is used by another rule");
            Require(rule.ConsecutiveHops >= 1, source, key + ".consecutiveHops", $"must be at least 1 (was {rule.ConsecutiveHops})");
            Require(rule.Probability > 0 && rule.Probability <= 1, source, key + ".probability", $"must be in (0, 1] (was {Format(rule.Probability)})");
            Require(config.Engine.Granger is { Enabled: true }, source, key, "edge rules need engine.granger");
        }

        Require(!stimulation.Outputs.Simulator || config.Source.Simulator is not null, source, "stimulation.outputs.simulator", "pulses can go into the simulator only when source.simulator is the source");
        if (stimulation.Outputs.Udp is { } udp)
        {
            Require(udp.Port is > 0 and < 65536, source, "stimulation.outputs.udp.port", $"must be 1..65535 (was {udp.Port})");
            Require(!string.IsNullOrWhiteSpace(udp.Host), source, "stimulation.outputs.udp.host", "must name a host");
        }
    }

    private static string Camel(string? name) => name is { Length: > 0 } ? char.ToLowerInvariant(name[0]) + name[1..] : "(value)";

    private static string Strip(string message)
    {
        int cut = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
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
        if ((config.Simulator is not null ? 1 : 0) + (config.Lsl is not null ? 1 : 0) + (config.Kafka is not null ? 1 : 0) > 1)
        {
            throw new ConfigException(source, "source", "set exactly one of source.simulator, source.lsl and source.kafka");
        }

        if (config.Kafka is { } kafka)
        {
            KafkaConfigValidator.ValidateSource(kafka, source);
            return 0;
        }

        if (config.Lsl is { } lsl)
        {
            Require(lsl.ResolveTimeout > 0, source, "source.lsl.resolveTimeout", $"must be positive seconds (was {Format(lsl.ResolveTimeout)})");
            Require(lsl.MaxChunkSamples > 0, source, "source.lsl.maxChunkSamples", $"must be positive (was {lsl.MaxChunkSamples})");
            Require(lsl.Query is not null || lsl.Name is not null || lsl.SourceId is not null, source, "source.lsl.query", "give a query, a name or a sourceId");
            return 0;
        }

        if (config.Simulator is null)
        {
            throw new ConfigException(source, "source", "no source is set; set source.simulator, source.lsl or source.kafka");
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
        else if (rate > 0)
        {
            Require(window.Hop * rate >= 1, source, "window.hop", $"{Format(window.Hop)} s is shorter than one sample at {Format(rate)} Hz");
        }

        Require(rate == 0 || WindowSamples(window, rate) >= 2, source, "window.length", $"holds {WindowSamples(window, rate)} samples at {Format(rate)} Hz; a window needs at least 2");
    }
}
