using CausalStream.Engine.Effects;

namespace CausalStream.Cli.Configuration;

/// <summary>
/// Checks engine.effects, the effect rules (stimulation.effectRules) and the feature rules' state-dependent
/// probability (highThreshold, highProbability); every message names the key.
/// </summary>
public static class EffectsConfigValidator
{
    private static readonly string[] Directions = ["positive", "negative", "either"];

    public static void Validate(CausalStreamConfig config, double rate, string source)
    {
        ArgumentNullException.ThrowIfNull(config);
        int channels = config.Source.Simulator?.Channels ?? int.MaxValue;
        var stimulation = config.Stimulation is { Enabled: true } s ? s : null;
        if (stimulation is not null)
        {
            for (int i = 0; i < stimulation.FeatureRules.Count; i++)
            {
                var rule = stimulation.FeatureRules[i];
                string key = $"stimulation.featureRules[{i}]";
                Require(rule.HighProbability > 0 && rule.HighProbability <= 1, source, key + ".highProbability", $"must be in (0, 1] (was {F(rule.HighProbability)})");
                if (rule.HighThreshold is double high)
                {
                    Require(double.IsFinite(high) && (rule.Above ? high > rule.Threshold : high < rule.Threshold), source, key + ".highThreshold",
                        $"{F(high)} must lie beyond threshold {F(rule.Threshold)} in the rule's direction ({(rule.Above ? "above" : "below")})");
                }
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var rule in stimulation.FeatureRules)
            {
                names.Add(rule.Name);
            }

            foreach (var rule in stimulation.EdgeRules)
            {
                names.Add(rule.Name);
            }

            for (int i = 0; i < stimulation.EffectRules.Count; i++)
            {
                var rule = stimulation.EffectRules[i];
                string key = $"stimulation.effectRules[{i}]";
                Require(names.Add(rule.Name), source, key + ".name", $"'{rule.Name}' is used by another rule");
                Require(rule.StimulateChannel >= 0 && rule.StimulateChannel < channels, source, key + ".stimulateChannel", $"{rule.StimulateChannel} is not a channel of the source (0..{channels - 1})");
                Require(rule.Probability > 0 && rule.Probability <= 1, source, key + ".probability", $"must be in (0, 1] (was {F(rule.Probability)})");
                Require(System.Array.IndexOf(Directions, rule.Direction) >= 0, source, key + ".direction", $"'{rule.Direction}' is not one of positive, negative, either");
                Require(rule.ConsecutiveEstimates >= 1, source, key + ".consecutiveEstimates", $"must be at least 1 (was {rule.ConsecutiveEstimates})");
                Require(Known(rule.Estimator), source, key + ".estimator", $"'{rule.Estimator}' is not one of {string.Join(", ", EffectStageOptions.KnownEstimators)}");
                Require(config.Engine.Effects is { Enabled: true }, source, key, "effect rules need engine.effects");
            }
        }

        if (config.Engine.Effects is not { Enabled: true } effects)
        {
            return;
        }

        const string p = "engine.effects.";
        Require(stimulation is not null || effects.MarkerStream is not null, source, p + "markerStream", "no events: enable stimulation or name a marker stream");
        Require(effects.MarkerStream is null || effects.MarkerStream.Length > 0, source, p + "markerStream", "must name a stream");
        Require(double.IsFinite(effects.PreWindowSeconds) && effects.PreWindowSeconds > 0 && (rate == 0 || Math.Round(effects.PreWindowSeconds * rate) >= 2), source, p + "preWindowSeconds",
            $"must hold at least 2 samples (was {F(effects.PreWindowSeconds)} s{(rate > 0 ? $" at {F(rate)} Hz" : string.Empty)})");
        Require(double.IsFinite(effects.OutcomeStartSeconds) && effects.OutcomeStartSeconds >= 0, source, p + "outcomeStartSeconds", $"must be >= 0 (was {F(effects.OutcomeStartSeconds)})");
        Require(double.IsFinite(effects.OutcomeEndSeconds) && effects.OutcomeEndSeconds > effects.OutcomeStartSeconds && (rate == 0 || Math.Round(effects.OutcomeEndSeconds * rate) > Math.Round(effects.OutcomeStartSeconds * rate)), source, p + "outcomeEndSeconds",
            $"{F(effects.OutcomeEndSeconds)} must be later than outcomeStartSeconds {F(effects.OutcomeStartSeconds)} by at least one sample");
        Require(effects.OutcomeChannel >= 0 && effects.OutcomeChannel < channels, source, p + "outcomeChannel", $"{effects.OutcomeChannel} is not a channel of the source (0..{channels - 1})");
        if (effects.CovariateChannels is { } covariates)
        {
            for (int i = 0; i < covariates.Count; i++)
            {
                Require(covariates[i] >= 0 && covariates[i] < channels, source, $"{p}covariateChannels[{i}]", $"{covariates[i]} is not a channel of the source (0..{channels - 1})");
            }
        }

        for (int i = 0; i < effects.Features.Count; i++)
        {
            Require(Contains(EffectsConfig.FeatureNames, effects.Features[i]), source, $"{p}features[{i}]", $"'{effects.Features[i]}' is not one of {string.Join(", ", EffectsConfig.FeatureNames)}");
        }

        for (int i = 0; i < effects.Bands.Count; i++)
        {
            CheckBand(effects.Bands[i], rate, source, $"{p}bands[{i}]");
        }

        if (effects.OutcomeKind == EventOutcome.BandPowerChange)
        {
            Require(effects.OutcomeBand is not null, source, p + "outcomeBand", "a bandPowerChange outcome needs a band");
            CheckBand(effects.OutcomeBand!, rate, source, p + "outcomeBand");
        }

        for (int i = 0; i < effects.EdgeCovariates.Count; i++)
        {
            string edge = effects.EdgeCovariates[i];
            int arrow = edge.IndexOf("->", StringComparison.Ordinal);
            Require(arrow > 0 && arrow + 2 < edge.Length, source, $"{p}edgeCovariates[{i}]", $"'{edge}' must read SOURCE->TARGET, e.g. ch1->ch2");
            Require(config.Engine.Granger is { Enabled: true }, source, $"{p}edgeCovariates[{i}]", "edge covariates need engine.granger");
        }

        Require(effects.Estimators.Count > 0, source, p + "estimators", "name at least one estimator");
        for (int i = 0; i < effects.Estimators.Count; i++)
        {
            Require(Known(effects.Estimators[i]), source, $"{p}estimators[{i}]", $"'{effects.Estimators[i]}' is not one of {string.Join(", ", EffectStageOptions.KnownEstimators)}");
        }

        Require(effects.Folds >= 2, source, p + "folds", $"must be at least 2 (was {effects.Folds})");
        Require(effects.MinEvents >= effects.Folds, source, p + "minEvents", $"must be at least folds ({effects.Folds}) (was {effects.MinEvents})");
        Require(double.IsFinite(effects.BatchGrowth) && effects.BatchGrowth >= 0, source, p + "batchGrowth", $"must be >= 0 (was {F(effects.BatchGrowth)})");
        Require(double.IsFinite(effects.RidgeAlpha) && effects.RidgeAlpha >= 0, source, p + "ridgeAlpha", $"must be >= 0 (was {F(effects.RidgeAlpha)})");
        Require(effects.Clip >= 0 && effects.Clip < 0.5, source, p + "clip", $"must be in [0, 0.5) (was {F(effects.Clip)})");
        Require(effects.SequenceAlpha > 0 && effects.SequenceAlpha < 1, source, p + "sequenceAlpha", $"must be in (0, 1) (was {F(effects.SequenceAlpha)})");
        Require(effects.SequenceTightestAt >= 1, source, p + "sequenceTightestAt", $"must be at least 1 (was {F(effects.SequenceTightestAt)})");
        if (effects.Prediction is { Enabled: true } prediction)
        {
            Require(prediction.Lags >= 1, source, p + "prediction.lags", $"must be at least 1 (was {prediction.Lags})");
            Require(double.IsFinite(prediction.WindowSeconds) && prediction.WindowSeconds > 0 && (rate == 0 || channels == int.MaxValue || prediction.WindowSeconds * rate >= (channels * prediction.Lags) + prediction.Lags + 2), source, p + "prediction.windowSeconds",
                $"{F(prediction.WindowSeconds)} s holds too few samples for a VAR({prediction.Lags}) on the source's channels");
            Require(double.IsFinite(prediction.EverySeconds) && prediction.EverySeconds > 0, source, p + "prediction.everySeconds", $"must be positive (was {F(prediction.EverySeconds)})");
            Require(double.IsFinite(prediction.HorizonSeconds) && prediction.HorizonSeconds > 0 && (rate == 0 || prediction.HorizonSeconds * rate >= 1), source, p + "prediction.horizonSeconds", $"must hold at least one sample (was {F(prediction.HorizonSeconds)})");
        }

        Require(effects.ConsoleEvery >= 1, source, p + "consoleEvery", $"must be at least 1 (was {effects.ConsoleEvery})");
        for (int i = 0; i < effects.Rules.Count; i++)
        {
            bool found = false;
            if (stimulation is not null)
            {
                foreach (var rule in stimulation.FeatureRules)
                {
                    found |= rule.Name == effects.Rules[i];
                }

                foreach (var rule in stimulation.EdgeRules)
                {
                    found |= rule.Name == effects.Rules[i];
                }

                foreach (var rule in stimulation.EffectRules)
                {
                    found |= rule.Name == effects.Rules[i];
                }
            }

            Require(found, source, $"{p}rules[{i}]", $"'{effects.Rules[i]}' is not a stimulation rule");
        }
    }

    private static void CheckBand(FrequencyBand band, double rate, string source, string key)
        => Require(band.LowHz >= 0 && band.HighHz > band.LowHz && (rate == 0 || band.HighHz <= rate / 2), source, key,
            $"band {F(band.LowHz)}-{F(band.HighHz)} Hz must satisfy 0 <= low < high{(rate > 0 ? $" <= {F(rate / 2)} Hz (Nyquist)" : string.Empty)}");

    private static bool Known(string name) => Contains(EffectStageOptions.KnownEstimators, name);

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        foreach (string item in list)
        {
            if (item == value)
            {
                return true;
            }
        }

        return false;
    }

    private static void Require(bool condition, string source, string key, string reason) => ConfigValidator.Require(condition, source, key, reason);

    private static string F(double value) => ConfigValidator.Format(value);
}
