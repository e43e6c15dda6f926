using System.Text.Json;
using CausalStream.Engine.Discovery;
using CausalStream.Engine.Tests.TestData;

namespace CausalStream.Engine.Tests.Discovery;

/// <summary>PCMCI+ against tigramite's stored <c>run_pcmciplus(tau_min=0, tau_max=3, pc_alpha=0.01)</c> runs.</summary>
public sealed class PcmciPlusReferenceTests
{
    public static TheoryData<string> Datasets => new() { "var_c4_p2_t1500", "scm_c6_t2000" };

    private static (PcmciPlusResult Result, JsonElement Run, JsonElement Json) RunPlus(string dataset)
    {
        var data = FixtureData.LoadCsv($"pcmci/{dataset}/data.csv");
        var json = FixtureData.LoadJson($"pcmci/{dataset}/tigramite.json");
        int tauMax = json.GetProperty("tau_max").GetInt32();
        JsonElement? found = null;
        foreach (var run in json.GetProperty("runs").EnumerateArray())
        {
            if (run.GetProperty("method").GetString() == "pcmciplus")
            {
                found = run;
            }
        }
        var stored = found ?? throw new InvalidOperationException("No pcmciplus run stored.");
        var options = new PcmciPlusOptions
        {
            TauMin = stored.GetProperty("tau_min").GetInt32(),
            TauMax = stored.GetProperty("tau_max").GetInt32(),
            PcAlpha = stored.GetProperty("pc_alpha").GetDouble(),
        };
        var result = new PcmciPlus(data.Values, data.Channels, tauMax).Run(options);
        return (result, stored, json);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void ValuesPValuesAndGraphMatchTigramite(string dataset)
    {
        var (result, run, _) = RunPlus(dataset);
        var val = ReferenceJson.Cube(run.GetProperty("val_matrix"));
        var p = ReferenceJson.Cube(run.GetProperty("p_matrix"));
        var graph = ReferenceJson.StringCube(run.GetProperty("graph"));
        for (int i = 0; i < result.Channels; i++)
        {
            for (int j = 0; j < result.Channels; j++)
            {
                for (int tau = 0; tau <= result.TauMax; tau++)
                {
                    Assert.True(Math.Abs(result.Values[i, j, tau] - val[i, j, tau]) <= 1e-9, $"val[{i},{j},{tau}] {result.Values[i, j, tau]} vs {val[i, j, tau]}");
                    Assert.True(ReferenceJson.Close(result.PValues[i, j, tau], p[i, j, tau], 1e-6, 1e-300), $"p[{i},{j},{tau}] {result.PValues[i, j, tau]} vs {p[i, j, tau]}");
                    Assert.Equal(graph[i, j, tau], result.Graph[i, j, tau]);
                }
            }
        }
        Assert.Equal(0, result.DegenerateTests);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void LaggedParentsSepsetsAndAmbiguousTriplesMatchTigramite(string dataset)
    {
        var (result, run, json) = RunPlus(dataset);
        var names = json.GetProperty("channel_names");
        var lagged = run.GetProperty("pc1_lagged_parents");
        for (int j = 0; j < result.Channels; j++)
        {
            Assert.Equal(ReferenceJson.LaggedList(lagged.GetProperty(names[j].GetString()!)), result.LaggedParents[j].Parents);
        }

        // Every stored separating set (keys "((i, -tau), j)") equals ours; links never removed have an empty one.
        int nonEmpty = 0;
        foreach (var entry in run.GetProperty("sepsets").EnumerateObject())
        {
            var numbers = entry.Name.Replace("(", string.Empty, StringComparison.Ordinal).Replace(")", string.Empty, StringComparison.Ordinal).Split(',');
            var source = new LaggedVariable(int.Parse(numbers[0], System.Globalization.CultureInfo.InvariantCulture), -int.Parse(numbers[1], System.Globalization.CultureInfo.InvariantCulture));
            int target = int.Parse(numbers[2], System.Globalization.CultureInfo.InvariantCulture);
            var expected = ReferenceJson.LaggedList(entry.Value);
            var ours = result.Sepsets.TryGetValue((source, target), out var set) ? set : [];
            Assert.Equal(expected, ours);
            nonEmpty += expected.Count > 0 ? 1 : 0;
        }
        foreach (var (key, set) in result.Sepsets)
        {
            Assert.True(set.Count == 0 || run.GetProperty("sepsets").TryGetProperty($"(({key.Source.Channel}, {-key.Source.Lag}), {key.Target})", out _), $"sepset {key} not stored");
        }

        var triples = new List<UnshieldedTriple>();
        foreach (var t in run.GetProperty("ambiguous_triples").EnumerateArray())
        {
            triples.Add(new UnshieldedTriple(ReferenceJson.Lagged(t[0]), t[1].GetInt32(), t[2].GetInt32()));
        }
        Assert.Equal(triples, result.AmbiguousTriples);
        Assert.True(dataset != "scm_c6_t2000" || nonEmpty > 0);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void RemovedSkeletonLinksAreAbsent(string dataset)
    {
        var (result, run, _) = RunPlus(dataset);
        foreach (var removed in run.GetProperty("skeleton_removed_links").EnumerateArray())
        {
            var link = removed.GetProperty("link");
            int i = link[0].GetInt32();
            int tau = -link[1].GetInt32();
            int j = link[2].GetInt32();
            Assert.Equal(string.Empty, result.Graph[i, j, tau]);
        }
    }
}
