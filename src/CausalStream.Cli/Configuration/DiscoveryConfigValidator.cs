using CausalStream.Engine.Discovery;

namespace CausalStream.Cli.Configuration;

/// <summary>
/// Checks the live causal-discovery settings (<c>engine.pcmci</c>, <c>engine.pcmciPlus</c>,
/// <c>engine.transferEntropy</c>): lag and level ranges, pairs, and a window long enough for the lags on the source's
/// channels. Every message names the key.
/// </summary>
internal static class DiscoveryConfigValidator
{
    public static void Validate(CausalStreamConfig config, double rate, string source)
    {
        int channels = config.Source.Simulator?.Channels ?? 1;
        if (config.Engine.Pcmci is { Enabled: true } pcmci)
        {
            CheckLags("engine.pcmci", pcmci.TauMin, pcmci.TauMax, source);
            if (pcmci.PcAlpha is double pcAlpha)
            {
                CheckLevel("engine.pcmci.pcAlpha", pcAlpha, source);
            }
            CheckLevel("engine.pcmci.alpha", pcmci.Alpha, source);
            CheckCondsDim("engine.pcmci.maxCondsDim", pcmci.MaxCondsDim, source);
            CheckWindow(config, "engine.pcmci.tauMax", pcmci.TauMax, channels, rate, source);
        }

        if (config.Engine.PcmciPlus is { Enabled: true } plus)
        {
            CheckLags("engine.pcmciPlus", 0, plus.TauMax, source);
            CheckLevel("engine.pcmciPlus.pcAlpha", plus.PcAlpha, source);
            CheckCondsDim("engine.pcmciPlus.maxCondsDim", plus.MaxCondsDim, source);
            CheckWindow(config, "engine.pcmciPlus.tauMax", plus.TauMax, channels, rate, source);
        }

        if (config.Engine.TransferEntropy is { Enabled: true } te)
        {
            const string prefix = "engine.transferEntropy";
            ConfigValidator.Require(te.Pairs.Count > 0, source, prefix + ".pairs", "must list at least one \"SOURCE>TARGET\" pair");
            foreach (string pair in te.Pairs)
            {
                var ends = pair.Split('>');
                ConfigValidator.Require(ends.Length == 2 && ends[0].Trim().Length > 0 && ends[1].Trim().Length > 0 && ends[0].Trim() != ends[1].Trim(), source, prefix + ".pairs", $"'{pair}' is not SOURCE>TARGET with two different channels");
            }
            ConfigValidator.Require(te.TargetHistory >= 1, source, prefix + ".targetHistory", $"must be at least 1 (was {te.TargetHistory})");
            ConfigValidator.Require(te.SourceHistory >= 1, source, prefix + ".sourceHistory", $"must be at least 1 (was {te.SourceHistory})");
            ConfigValidator.Require(te.Delay >= 1, source, prefix + ".delay", $"must be at least 1 (was {te.Delay})");
            ConfigValidator.Require(te.Neighbours >= 1, source, prefix + ".neighbours", $"must be at least 1 (was {te.Neighbours})");
            ConfigValidator.Require(te.Surrogates >= 0, source, prefix + ".surrogates", $"must be at least 0 (was {te.Surrogates})");
            CheckLevel(prefix + ".alpha", te.Alpha, source);
            if (rate > 0)
            {
                int samples = ConfigValidator.WindowSamples(config.Window, rate);
                int needed = CausalStream.Engine.TransferEntropy.TransferEntropyStageOptions.MinimumWindowSamples(te.EstimatorOptions().MaxLag);
                ConfigValidator.Require(samples >= needed, source, "window.length", $"holds {samples} samples, but transfer entropy with lags up to {te.EstimatorOptions().MaxLag} ({prefix}) needs at least {needed}");
            }
        }
    }

    private static void CheckLags(string prefix, int tauMin, int tauMax, string source)
    {
        ConfigValidator.Require(tauMax >= 1 && tauMax <= 100, source, prefix + ".tauMax", $"must be in 1..100 (was {tauMax})");
        ConfigValidator.Require(tauMin >= 0 && tauMin <= tauMax, source, prefix + ".tauMin", $"must be in 0..tauMax ({tauMax}) (was {tauMin})");
    }

    private static void CheckLevel(string key, double level, string source)
        => ConfigValidator.Require(double.IsFinite(level) && level > 0 && level < 1, source, key, $"must be in (0, 1) (was {ConfigValidator.Format(level)})");

    private static void CheckCondsDim(string key, int? dim, string source)
        => ConfigValidator.Require(dim is null or >= 0, source, key, $"must be at least 0 or null (was {dim})");

    private static void CheckWindow(CausalStreamConfig config, string key, int tauMax, int channels, double rate, string source)
    {
        if (rate == 0)
        {
            return; // the stream's rate is known only once resolved; the stage checks the window then
        }

        int samples = ConfigValidator.WindowSamples(config.Window, rate);
        int needed = PcmciStageOptions.MinimumWindowSamples(channels, tauMax);
        ConfigValidator.Require(samples >= needed, source, "window.length", $"holds {samples} samples, but causal discovery with tau-max {tauMax} ({key}) on {channels} channels needs at least {needed}");
    }
}
