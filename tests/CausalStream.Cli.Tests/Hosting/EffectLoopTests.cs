using System.Text;
using System.Text.Json;
using CausalStream.Cli.Configuration;
using CausalStream.Cli.Hosting;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Sinks;
using CausalStream.Core.Streams;

namespace CausalStream.Cli.Tests.Hosting;

/// <summary>The closed loop with the effect stage: randomised pulses into the simulator, estimates against the simulator's true effect.</summary>
public sealed class EffectLoopTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("causalstream-effects-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task TheEffectStagePublishesEstimatesWithTheTrueEffectAndTheyCoverIt()
    {
        string audit = Path.Combine(_folder, "audit.jsonl");
        string json = $$"""
            {
              "logging": { "file": null },
              "pipeline": { "ingestPolicy": "wait", "statusIntervalSeconds": 0 },
              "source": { "simulator": { "channels": 4, "sampleRate": 500, "maxLag": 2, "seed": 3, "paced": true, "chunkSize": 10, "maxSamples": 2000 } },
              "window": { "length": 1, "hop": 0.5 },
              "engine": {
                "granger": { "maxLag": 2 },
                "effects": { "preWindowSeconds": 0.006, "features": ["mean", "last"], "outcomeChannel": 2, "outcomeStartSeconds": 0.002, "outcomeEndSeconds": 0.012,
                             "estimators": ["diff", "ipw_logged", "aipw", "dml"], "minEvents": 30, "consoleEvery": 50 }
              },
              "stimulation": {
                "safety": { "armed": true, "maxPulsesPerSecond": 100, "maxPulsesPerMinute": 6000, "refractorySeconds": 0, "maxDosePerMinute": 100, "staleDataSeconds": 5 },
                "featureRules": [ { "name": "coin", "channel": 1, "feature": "value", "threshold": -1e300, "trigger": "level", "stimulateChannel": 2, "amplitude": 2, "durationSeconds": 0.004, "probability": 0.5 } ],
                "audit": "{{audit.Replace("\\", "\\\\", StringComparison.Ordinal)}}",
                "outputs": { "simulator": true }
              },
              "sinks": { "console": { "enabled": true } }
            }
            """;
        var config = ConfigLoader.Parse(json, "effects.json");
        var resources = new List<IAsyncDisposable>();
        var console = new StringWriter();
        var pipeline = PipelineFactory.Build(config, console, null, resources);
        await pipeline.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));
        foreach (var resource in resources)
        {
            await resource.DisposeAsync();
        }

        string text = console.ToString();
        Assert.Contains("[effect stimulation -> ch3 mean 2-12 ms, n=", text);
        Assert.Contains("| truth ", text);
        string last = text.Split('\n').Last(l => l.StartsWith("[effect", StringComparison.Ordinal));

        // The last line: every estimator's estimate and interval; the randomised ones must cover the truth.
        double truth = double.Parse(last[(last.IndexOf("| truth ", StringComparison.Ordinal) + 8)..].TrimEnd(']', '\r'), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(truth > 0.5, $"true effect {truth}");
        foreach (string name in new[] { "aipw", "dml" })
        {
            int at = last.IndexOf(" " + name + " ", StringComparison.Ordinal);
            Assert.True(at >= 0, last);
            string[] parts = last[(at + name.Length + 2)..].Split(' ', 3);
            double low = double.Parse(parts[1].Trim('[', ','), System.Globalization.CultureInfo.InvariantCulture);
            double high = double.Parse(parts[2][..parts[2].IndexOf(']')], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(low - (high - low) <= truth && truth <= high + (high - low), $"{name} [{low}, {high}] far from the truth {truth}: {last}");
        }

        // JSON form of an estimate, as the dashboard and JSON Lines sinks write it.
        var estimate = new EffectEstimate { Treatment = "stimulation", Outcome = "ch3", Estimator = "ipw_logged", Estimand = "ATE", Estimate = 1, StandardError = 0.5, CiLow = 0.02, CiHigh = 1.98, N = 40, NTreated = 20, SourceTime = 3.5, Diagnostics = new Dictionary<string, double> { ["cs_low"] = -1, ["cs_high"] = 3, ["true_effect"] = 1.2 } };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Assert.True(ResultJson.TryWrite(writer, estimate));
        }

        var root = JsonDocument.Parse(Encoding.UTF8.GetString(buffer.ToArray())).RootElement;
        Assert.Equal("effect", root.GetProperty("type").GetString());
        Assert.Equal(3.5, root.GetProperty("time").GetDouble());
        Assert.Equal(-1, root.GetProperty("csLow").GetDouble());
        Assert.Equal(1.2, root.GetProperty("diagnostics").GetProperty("true_effect").GetDouble());
        Assert.Equal(JsonValueKind.Null, new Func<JsonElement>(() =>
        {
            using var b = new MemoryStream();
            using (var w = new Utf8JsonWriter(b))
            {
                ResultJson.TryWrite(w, estimate with { Estimate = null, StandardError = null, CiLow = null, CiHigh = null, WithheldReason = "no treated units" });
            }

            return JsonDocument.Parse(b.ToArray()).RootElement.GetProperty("estimate").Clone();
        })().ValueKind);
    }
}
