using CausalStream.Cli.Configuration;
using CausalStream.Engine.Effects;

namespace CausalStream.Cli.Tests.Configuration;

/// <summary>engine.effects, stimulation.effectRules and the feature rules' state-dependent probability in configuration.</summary>
public sealed class EffectsConfigTests
{
    private static string Config(string effects, string rules = "", string featureExtra = "") => $$"""
        {
          "source": { "simulator": { "channels": 4, "sampleRate": 250 } },
          "window": { "length": 2, "hop": 0.5 },
          "engine": { "granger": { "maxLag": 2 }, "effects": { {{effects}} } },
          "stimulation": {
            "featureRules": [ { "name": "peak", "channel": 0, "feature": "value", "threshold": 1{{featureExtra}} } ]{{rules}}
          }
        }
        """;

    [Fact]
    public void TheDefaultRunsTheEffectStageOnTheConfoundedRule()
    {
        var config = ConfigLoader.LoadDefault();
        var effects = config.Engine.Effects;
        Assert.NotNull(effects);
        Assert.True(effects.Enabled);
        Assert.Equal(["ch1-rising"], effects.Rules);
        var rule = config.Stimulation!.FeatureRules.Single(r => r.Name == "ch1-rising");
        Assert.NotNull(rule.HighThreshold);
        Assert.NotEqual(rule.Probability, rule.HighProbability);
    }

    [Fact]
    public void ValidSettingsBind()
    {
        var config = ConfigLoader.Parse(Config("""
            "preWindowSeconds": 0.1, "covariateChannels": [0, 2], "features": ["mean"], "bands": [ { "lowHz": 4, "highHz": 8 } ],
            "edgeCovariates": ["ch1->ch2"], "outcomeChannel": 1, "outcomeKind": "bandPowerChange", "outcomeBand": { "lowHz": 8, "highHz": 12 },
            "estimators": ["diff", "aipw"], "folds": 3, "minEvents": 10, "rules": ["peak"]
            """, """, "effectRules": [ { "name": "established", "estimator": "aipw", "direction": "positive", "stimulateChannel": 2, "useConfidenceSequence": true } ]""",
            """, "highThreshold": 2, "highProbability": 0.9, "probability": 0.3"""), "t.json");
        var effects = config.Engine.Effects!;
        Assert.Equal(EventOutcome.BandPowerChange, effects.OutcomeKind);
        var options = effects.ToStageOptions(1.5);
        Assert.False(options.Events.Variance);
        Assert.True(options.Events.Mean);
        Assert.Equal(1.5, options.TrueEffect);
        Assert.Equal("positive", config.Stimulation!.EffectRules[0].Direction);
        Assert.Equal(0.9, config.Stimulation.FeatureRules[0].HighProbability);
    }

    [Theory]
    [InlineData("\"preWindowSeconds\": 0.001", "engine.effects.preWindowSeconds", "at least 2 samples")]
    [InlineData("\"outcomeEndSeconds\": 0.001", "engine.effects.outcomeEndSeconds", "later than outcomeStartSeconds")]
    [InlineData("\"outcomeChannel\": 4", "engine.effects.outcomeChannel", "not a channel")]
    [InlineData("\"covariateChannels\": [1, 9]", "engine.effects.covariateChannels[1]", "not a channel")]
    [InlineData("\"features\": [\"mean\", \"median\"]", "engine.effects.features[1]", "'median' is not one of")]
    [InlineData("\"bands\": [ { \"lowHz\": 100, \"highHz\": 200 } ]", "engine.effects.bands[0]", "Nyquist")]
    [InlineData("\"outcomeKind\": \"bandPowerChange\"", "engine.effects.outcomeBand", "needs a band")]
    [InlineData("\"estimators\": [\"diff\", \"magic\"]", "engine.effects.estimators[1]", "'magic' is not one of")]
    [InlineData("\"folds\": 1", "engine.effects.folds", "at least 2")]
    [InlineData("\"minEvents\": 2", "engine.effects.minEvents", "at least folds")]
    [InlineData("\"rules\": [\"nope\"]", "engine.effects.rules[0]", "not a stimulation rule")]
    [InlineData("\"edgeCovariates\": [\"ch1\"]", "engine.effects.edgeCovariates[0]", "SOURCE->TARGET")]
    [InlineData("\"clip\": 0.7", "engine.effects.clip", "[0, 0.5)")]
    [InlineData("\"outcomeWindow\": 3", "engine.effects.outcomeWindow", "unknown key")]
    public void BadEffectSettingsNameTheKey(string setting, string key, string reason)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Config(setting), "t.json"));
        Assert.Equal(key, ex.Key);
        Assert.Contains(reason, ex.Reason);
    }

    [Theory]
    [InlineData(", \"effectRules\": [ { \"name\": \"peak\", \"stimulateChannel\": 0 } ]", "", "stimulation.effectRules[0].name", "used by another rule")]
    [InlineData(", \"effectRules\": [ { \"name\": \"e\", \"stimulateChannel\": 7 } ]", "", "stimulation.effectRules[0].stimulateChannel", "not a channel")]
    [InlineData(", \"effectRules\": [ { \"name\": \"e\", \"stimulateChannel\": 0, \"direction\": \"up\" } ]", "", "stimulation.effectRules[0].direction", "not one of positive")]
    [InlineData(", \"effectRules\": [ { \"name\": \"e\", \"stimulateChannel\": 0, \"estimator\": \"magic\" } ]", "", "stimulation.effectRules[0].estimator", "not one of")]
    [InlineData(", \"effectRules\": [ { \"name\": \"e\" } ]", "", "stimulation.effectRules[0].stimulateChannel", "missing required value")]
    [InlineData("", ", \"highThreshold\": 0.5", "stimulation.featureRules[0].highThreshold", "must lie beyond threshold")]
    [InlineData("", ", \"highProbability\": 0", "stimulation.featureRules[0].highProbability", "must be in (0, 1]")]
    public void BadRulesNameTheKey(string rules, string featureExtra, string key, string reason)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Config("\"enabled\": true", rules, featureExtra), "t.json"));
        Assert.Equal(key, ex.Key);
        Assert.Contains(reason, ex.Reason);
    }

    [Fact]
    public void EffectRulesNeedTheEffectStage()
    {
        string json = Config("\"enabled\": false", ", \"effectRules\": [ { \"name\": \"e\", \"stimulateChannel\": 0 } ]");
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, "t.json"));
        Assert.Equal("stimulation.effectRules[0]", ex.Key);
        Assert.Contains("need engine.effects", ex.Reason);
    }
}
