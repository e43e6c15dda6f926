using System.Text.Json;
using CausalStream.Cli.Configuration;
using CausalStream.Cli.Hosting;

namespace CausalStream.Cli.Tests.Configuration;

/// <summary><c>engine.pcmci</c> and <c>engine.pcmciPlus</c>: binding, validation messages naming the key, and the live stages in a built pipeline.</summary>
public sealed class DiscoveryConfigTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("causalstream-disc-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void KeysBindWithTheirDefaults()
    {
        var config = ConfigLoader.Parse("""
            { "source": { "simulator": { "channels": 4 } }, "window": { "length": 8, "hop": 2 },
              "engine": { "pcmci": { "tauMax": 3, "pcAlpha": null, "fdr": true }, "pcmciPlus": { "pcAlpha": 0.05 } } }
            """, "ok.json");
        var pcmci = Assert.IsType<PcmciConfig>(config.Engine.Pcmci);
        Assert.Equal(3, pcmci.TauMax);
        Assert.Null(pcmci.PcAlpha);
        Assert.True(pcmci.Fdr);
        Assert.Equal(0.01, pcmci.Alpha);
        var plus = Assert.IsType<PcmciPlusConfig>(config.Engine.PcmciPlus);
        Assert.Equal(3, plus.TauMax);
        Assert.Equal(0.05, plus.PcAlpha);
        var options = plus.ToStageOptions(new CausalStream.Core.Windows.WindowSpec(8, 2, CausalStream.Core.Windows.WindowUnit.Seconds), 250, skipWhenBusy: true);
        Assert.Equal(2000, options.WindowSamples);
        Assert.Equal(500, options.HopSamples);
        Assert.Equal(CausalStream.Engine.Discovery.LiveDiscoveryMethod.PcmciPlus, options.Method);
    }

    [Theory]
    [InlineData("""{ "pcmci": { "tauMax": 0 } }""", "engine.pcmci.tauMax", "must be in 1..100")]
    [InlineData("""{ "pcmci": { "tauMax": 2, "tauMin": 3 } }""", "engine.pcmci.tauMin", "must be in 0..tauMax")]
    [InlineData("""{ "pcmci": { "pcAlpha": 1.5 } }""", "engine.pcmci.pcAlpha", "must be in (0, 1)")]
    [InlineData("""{ "pcmci": { "alpha": 0 } }""", "engine.pcmci.alpha", "must be in (0, 1)")]
    [InlineData("""{ "pcmci": { "maxCondsDim": -1 } }""", "engine.pcmci.maxCondsDim", "at least 0")]
    [InlineData("""{ "pcmciPlus": { "pcAlpha": 2 } }""", "engine.pcmciPlus.pcAlpha", "must be in (0, 1)")]
    [InlineData("""{ "pcmciPlus": { "tauMax": -1 } }""", "engine.pcmciPlus.tauMax", "must be in 1..100")]
    [InlineData("""{ "pcmci": { "tauMax": 60 } }""", "window.length", "tau-max 60 (engine.pcmci.tauMax) on 4 channels needs at least")]
    [InlineData("""{ "pcmci": { "lags": 3 } }""", "engine.pcmci.lags", "")]
    [InlineData("""{ "transferEntropy": { } }""", "engine.transferEntropy.pairs", "at least one")]
    [InlineData("""{ "transferEntropy": { "pairs": [ "0-1" ] } }""", "engine.transferEntropy.pairs", "is not SOURCE>TARGET")]
    [InlineData("""{ "transferEntropy": { "pairs": [ "0>1" ], "neighbours": 0 } }""", "engine.transferEntropy.neighbours", "at least 1")]
    [InlineData("""{ "transferEntropy": { "pairs": [ "0>1" ], "estimator": "binning" } }""", "engine.transferEntropy.estimator", "")]
    [InlineData("""{ "transferEntropy": { "pairs": [ "0>1" ], "delay": 30 } }""", "window.length", "transfer entropy with lags up to 30")]
    public void BadSettingsAreRefusedNamingTheKey(string engine, string key, string reason)
    {
        string json = $$"""{ "source": { "simulator": { "channels": 4, "sampleRate": 250 } }, "window": { "length": 2, "hop": 1 }, "engine": {{engine}} }""";
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, "bad.json"));
        Assert.Equal(key, error.Key);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pcmci", "engine.pcmci.stream")]
    [InlineData("pcmciPlus", "engine.pcmciPlus.stream")]
    [InlineData("transferEntropy", "engine.transferEntropy.stream")]
    public void UnknownStreamIsReportedUnderTheStagesKey(string stage, string key)
    {
        string extra = stage == "transferEntropy" ? "\"pairs\": [ \"0>1\" ], " : string.Empty;
        string json = $$"""
            { "logging": { "file": null }, "source": { "simulator": { "channels": 4, "paced": false, "maxSamples": 100 } }, "window": { "length": 8, "hop": 2 },
              "engine": { "{{stage}}": { {{extra}}"stream": "nope" } }, "sinks": { "console": { "enabled": false } } }
            """;
        var config = ConfigLoader.Parse(json, "stream.json");
        var error = Assert.Throws<ConfigException>(() => PipelineFactory.Build(config, TextWriter.Null, null, []));
        Assert.Equal(key, error.Key);
        Assert.Contains("no stream named 'nope'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuiltPipelinePublishesPcmciAndPcmciPlusGraphsOfTheSimulator()
    {
        string output = Path.Combine(_folder, "graphs.jsonl");
        string json = $$"""
            {
              "logging": { "file": null },
              "pipeline": { "ingestPolicy": "wait", "statusIntervalSeconds": 0 },
              "source": { "simulator": { "channels": 4, "sampleRate": 250, "maxLag": 2, "seed": 3, "paced": false, "chunkSize": 25, "maxSamples": 3000 } },
              "window": { "length": 8, "hop": 2 },
              "engine": { "pcmci": { "tauMax": 2 }, "pcmciPlus": { "tauMax": 2 }, "transferEntropy": { "pairs": [ "0>1", "ch2>ch3" ], "estimator": "gaussian" } },
              "sinks": { "console": { "enabled": false }, "jsonl": { "path": "{{output.Replace("\\", "\\\\", StringComparison.Ordinal)}}" } }
            }
            """;
        var config = ConfigLoader.Parse(json, "disc.json");
        var resources = new List<IAsyncDisposable>();
        var pipeline = PipelineFactory.Build(config, TextWriter.Null, null, resources);
        await pipeline.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));
        foreach (var resource in resources)
        {
            await resource.DisposeAsync();
        }

        var graphs = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).Where(l => l.GetProperty("type").GetString() == "graph").ToList();
        // 3000 samples, 2000-sample window, 500-sample hop: windows end at 2000, 2500, 3000.
        Assert.Equal(3, graphs.Count(g => g.GetProperty("method").GetString() == "pcmci"));
        Assert.Equal(3, graphs.Count(g => g.GetProperty("method").GetString() == "pcmciplus"));
        Assert.All(graphs.Where(g => g.GetProperty("method").GetString() == "pcmci"), g => Assert.Equal((4 * 4 * 2) + 6, g.GetProperty("edges").GetArrayLength()));
        var te = graphs.Where(g => g.GetProperty("method").GetString() == "te-gaussian").ToList();
        Assert.Equal(3, te.Count);
        Assert.All(te, g => Assert.Equal(2, g.GetProperty("edges").GetArrayLength()));
    }
}
