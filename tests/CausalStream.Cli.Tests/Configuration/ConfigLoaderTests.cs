using CausalStream.Cli.Configuration;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Windows;

namespace CausalStream.Cli.Tests.Configuration;

public class ConfigLoaderTests
{
    private const string Valid = """
        {
          "source": { "simulator": { "channels": 4, "sampleRate": 250, "seed": 7 } },
          "window": { "length": 2, "hop": 0.5 }
        }
        """;

    [Fact]
    public void EmbeddedDefaultLoadsAndUsesTheSimulator()
    {
        var config = ConfigLoader.LoadDefault();
        Assert.NotNull(config.Source.Simulator);
        Assert.Equal(WindowUnit.Seconds, config.Window.Unit);
        Assert.True(config.Window.Hop <= config.Window.Length);
    }

    [Fact]
    public void EmbeddedDefaultEqualsTheFileUnderConfig()
    {
        string path = Path.Combine(RepoRoot(), "config", "default.json");
        var fromFile = ConfigLoader.LoadFile(path);
        var embedded = ConfigLoader.LoadDefault();
        Assert.Equal(embedded.Window, fromFile.Window);
        Assert.Equal(embedded.Source.Simulator!.Channels, fromFile.Source.Simulator!.Channels);
    }

    [Fact]
    public void ValidConfigBindsValuesAndDefaults()
    {
        var config = ConfigLoader.Parse(Valid, "test.json");
        Assert.Equal(4, config.Source.Simulator!.Channels);
        Assert.Equal(250, config.Source.Simulator.SampleRate);
        Assert.Equal(2, config.Window.Length);
        Assert.Equal(EdgePolicy.DropOldest, config.Pipeline.IngestPolicy);
        Assert.Equal("Information", config.Logging.Level);
    }

    [Theory]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": 2, "hop": 0.5, "lenght": 3 } }""", "window.lenght", "unknown key")]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": "two", "hop": 0.5 } }""", "window.length", "expected a number")]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": 2 } }""", "window.hop", "missing required value")]
    [InlineData("""{ "window": { "length": 2, "hop": 1 } }""", "source", "missing required value")]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": 2, "hop": 3 } }""", "window.hop", "larger than window.length")]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": 0.002, "hop": 0.002 } }""", "window.length", "a window needs at least 2")]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": 2, "hop": -1 } }""", "window.hop", "must be positive")]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": 20.5, "hop": 2, "unit": "samples" } }""", "window.length", "whole number of samples")]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": 2, "hop": 1, "unit": "minutes" } }""", "window.unit", "wrong type")]
    [InlineData("""{ "source": {}, "window": { "length": 2, "hop": 1 } }""", "source", "no source is set")]
    [InlineData("""{ "source": { "simulator": { "channels": 0 } }, "window": { "length": 2, "hop": 1 } }""", "source.simulator.channels", "at least 1")]
    [InlineData("""{ "source": { "simulator": { "paced": "yes" } }, "window": { "length": 2, "hop": 1 } }""", "source.simulator.paced", "true or false")]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": 2, "hop": 1 }, "logging": { "level": "Loud" } }""", "logging.level", "not a level")]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": 2, "hop": 1 }, "pipeline": { "ingestCapacity": 0 } }""", "pipeline.ingestCapacity", "must be positive")]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": 2, "hop": 1 }, "sinks": { "console": { "capacity": -3 } } }""", "sinks.console.capacity", "must be positive")]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": 2, "hop": 1 }""", "(root)", "line")]
    [InlineData("""{ "source": { "simulator": { "channels": 8 } }, "window": { "length": 0.1, "hop": 0.1 }, "engine": { "granger": { "maxLag": 10 } } }""", "window.length", "holds 50 samples, but a VAR(10) on 8 channels (engine.granger.maxLag) needs at least 92")]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": 2, "hop": 1 }, "engine": { "granger": { "maxLag": "many" } } }""", "engine.granger.maxLag", "expected a whole number of lags or \"auto\"")]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": 2, "hop": 1 }, "engine": { "granger": { "alpha": 1.5 } } }""", "engine.granger.alpha", "must be in (0, 1)")]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": 2, "hop": 1 }, "engine": { "granger": { "forgettingFactor": 0.9 } } }""", "engine.granger.forgettingFactor", "fewer than the 41 regressors")]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": 2, "hop": 1 }, "sinks": { "jsonl": { } } }""", "sinks.jsonl.path", "missing required value")]
    [InlineData("""{ "source": { "simulator": {}, "lsl": { "query": "type='EEG'" } }, "window": { "length": 2, "hop": 1 } }""", "source", "exactly one of")]
    [InlineData("""{ "source": { "lsl": {} }, "window": { "length": 2, "hop": 1 } }""", "source.lsl.query", "give a query, a name or a sourceId")]
    [InlineData("""{ "source": { "lsl": { "name": "EEG", "resolveTimeout": 0 } }, "window": { "length": 2, "hop": 1 } }""", "source.lsl.resolveTimeout", "must be positive")]
    [InlineData("""{ "source": { "lsl": { "name": "EEG" } }, "window": { "length": 2, "hop": 1 }, "stimulation": { "outputs": { "simulator": true } } }""", "stimulation.outputs.simulator", "only when source.simulator")]
    [InlineData("""{ "source": { "simulator": {} }, "window": { "length": 2, "hop": 1 }, "sinks": { "dashboard": { "token": "short" } } }""", "sinks.dashboard.token", "at least 16 characters")]
    public void EachConfigErrorNamesTheKeyAndReason(string json, string key, string reason)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, "bad.json"));
        Assert.Equal(key, error.Key);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith("bad.json: " + key + ": ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileIsAConfigError()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile("/nonexistent/causalstream.json"));
        Assert.Contains("/nonexistent/causalstream.json", error.Message);
    }

    internal static string RepoRoot()
    {
        foreach (var attribute in typeof(ConfigLoaderTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false))
        {
            if (attribute is System.Reflection.AssemblyMetadataAttribute { Key: "RepositoryRoot", Value: { } root } && File.Exists(Path.Combine(root, "CausalStream.sln")))
            {
                return root;
            }
        }

        throw new InvalidOperationException("the test assembly does not record the repository root (RepositoryRoot metadata)");
    }
}
