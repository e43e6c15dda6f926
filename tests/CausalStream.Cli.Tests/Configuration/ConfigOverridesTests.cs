using CausalStream.Cli.Configuration;

namespace CausalStream.Cli.Tests.Configuration;

/// <summary>Command-line overrides applied to the embedded default and to files before validation.</summary>
public sealed class ConfigOverridesTests
{
    [Fact]
    public void NumbersBooleansStringsAndArrayElementsAreSet()
    {
        var config = ConfigLoader.LoadDefault(
        [
            "source.simulator.channels=16",
            "sinks.dashboard.url=http://127.0.0.1:5081",
            "sinks.console.enabled=false",
            "stimulation.featureRules[0].threshold=2500.5",
            "stimulation.featureRules[0].highThreshold=null",
            "engine.granger.correction=\"bonferroni\"",
        ]);
        Assert.Equal(16, config.Source.Simulator!.Channels);
        Assert.Equal("http://127.0.0.1:5081", config.Sinks.Dashboard!.Url);
        Assert.False(config.Sinks.Console.Enabled);
        Assert.Equal(2500.5, config.Stimulation!.FeatureRules[0].Threshold);
        Assert.Equal(CausalStream.Engine.Statistics.MultipleTestCorrection.Bonferroni, config.Engine.Granger!.Correction);
    }

    [Fact]
    public void MissingObjectsAreCreatedAndNullTurnsASectionOff()
    {
        string json = """{ "source": { "simulator": {} }, "window": { "length": 2, "hop": 0.5 } }""";
        string applied = ConfigOverrides.Apply(json, ["sinks.jsonl.path=out.jsonl", "source.simulator.seed=9"], "test.json");
        var config = ConfigLoader.Parse(applied, "test.json");
        Assert.Equal("out.jsonl", config.Sinks.Jsonl!.Path);
        Assert.Equal(9, config.Source.Simulator!.Seed);
        var off = ConfigLoader.LoadDefault(["sinks.dashboard=null"]);
        Assert.Null(off.Sinks.Dashboard);
    }

    [Theory]
    [InlineData("window.hop", "--set window.hop", "expected KEY=VALUE")]
    [InlineData("window.hop.x=1", "window.hop.x", "not an object")]
    [InlineData("stimulation.featureRules[x].threshold=1", "stimulation.featureRules[x].threshold", "is not NAME or NAME[INDEX]")]
    [InlineData("window..hop=1", "window..hop", "empty key segment")]
    public void MalformedOverridesNameTheirKey(string assignment, string key, string reason)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadDefault([assignment]));
        Assert.Equal(key, error.Key);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOverrideIsValidatedLikeTheFile()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadDefault(["window.hop=-1"]));
        Assert.Equal("window.hop", error.Key);
        error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadDefault(["window.hopp=1"]));
        Assert.Equal("window.hopp", error.Key);
    }
}
