using System.Text.Json;
using CausalStream.Engine.Discovery;
using CausalStream.Engine.Tests.TestData;

namespace CausalStream.Engine.Tests.Discovery;

/// <summary>PCMCI against tigramite's stored runs (Fixtures/pcmci/*/tigramite.json).</summary>
public sealed class PcmciReferenceTests
{
    public static TheoryData<string> Datasets => new() { "var_c4_p2_t1500", "scm_c6_t2000" };

    private static (Pcmci Pcmci, JsonElement Json) Load(string dataset)
    {
        var data = FixtureData.LoadCsv($"pcmci/{dataset}/data.csv");
        var json = FixtureData.LoadJson($"pcmci/{dataset}/tigramite.json");
        int tauMax = json.GetProperty("tau_max").GetInt32();
        return (new Pcmci(data.Values, data.Channels, tauMax), json);
    }

    private static JsonElement Run(JsonElement json, string method, double? pcAlpha)
    {
        foreach (var run in json.GetProperty("runs").EnumerateArray())
        {
            var pa = run.GetProperty("pc_alpha");
            double? alpha = pa.ValueKind == JsonValueKind.Null ? null : pa.GetDouble();
            if (run.GetProperty("method").GetString() == method && alpha == pcAlpha)
            {
                return run;
            }
        }
        throw new InvalidOperationException($"No {method} run with pc_alpha {pcAlpha}.");
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Pc1TestsMatchTigramiteOneByOne(string dataset)
    {
        var (pcmci, json) = Load(dataset);
        var run = Run(json, "pcmci", 0.05);
        var names = json.GetProperty("channel_names");
        var stored = run.GetProperty("pc1").GetProperty("tests");
        var ours = new List<Pc1Test>();
        for (int j = 0; j < pcmci.Channels; j++)
        {
            ours.AddRange(pcmci.RunPc1(j, 0.05, 1, 3).Tests);
        }

        Assert.Equal(stored.GetArrayLength(), ours.Count);
        int k = 0;
        foreach (var t in stored.EnumerateArray())
        {
            var mine = ours[k++];
            Assert.Equal(t.GetProperty("target").GetString(), names[mine.Target].GetString());
            Assert.Equal(t.GetProperty("conds_dim").GetInt32(), mine.Level);
            Assert.Equal(ReferenceJson.Lagged(t.GetProperty("parent")), mine.Parent);
            Assert.Equal(ReferenceJson.LaggedList(t.GetProperty("conds")), mine.Conditions);
            Assert.True(ReferenceJson.Close(mine.Result.Value, t.GetProperty("val").GetDouble(), 1e-9, 1e-12), $"test {k}: val {mine.Result.Value} vs {t.GetProperty("val").GetDouble()}");
            Assert.True(ReferenceJson.Close(mine.Result.PValue, t.GetProperty("pval").GetDouble(), 1e-6, 1e-300), $"test {k}: p {mine.Result.PValue} vs {t.GetProperty("pval").GetDouble()}");
        }
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void AicCandidateScoresAndSelectedLevelsMatch(string dataset)
    {
        var (pcmci, json) = Load(dataset);
        var pc1 = Run(json, "pcmci", null).GetProperty("pc1");
        var names = json.GetProperty("channel_names");
        foreach (var level in pc1.GetProperty("candidates").GetProperty("per_alpha").EnumerateObject())
        {
            double alpha = double.Parse(level.Name, System.Globalization.CultureInfo.InvariantCulture);
            for (int j = 0; j < pcmci.Channels; j++)
            {
                string name = names[j].GetString()!;
                var run = pcmci.RunPc1(j, alpha, 1, 3);
                Assert.Equal(ReferenceJson.LaggedList(level.Value.GetProperty("parents").GetProperty(name)), run.Parents);
                double expected = level.Value.GetProperty("aic_score").GetProperty(name).GetDouble();
                double score = pcmci.Test.AicScore(j, run.Parents);
                Assert.True(ReferenceJson.Close(score, expected, 1e-10, 1e-9), $"{name} at {alpha}: AIC {score} vs {expected}");
            }
        }

        var options = new PcmciOptions { TauMax = 3, PcAlpha = null };
        for (int j = 0; j < pcmci.Channels; j++)
        {
            Assert.Equal(pc1.GetProperty("optimal_pc_alpha").GetProperty(names[j].GetString()!).GetDouble(), pcmci.SelectParents(j, options).Alpha);
        }
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void PcmciMatchesTigramiteWithFixedPcAlpha(string dataset) => CompareRun(dataset, 0.05);

    [Theory]
    [MemberData(nameof(Datasets))]
    public void PcmciMatchesTigramiteWithAicSelectedPcAlpha(string dataset) => CompareRun(dataset, null);

    private static void CompareRun(string dataset, double? pcAlpha)
    {
        var (pcmci, json) = Load(dataset);
        var run = Run(json, "pcmci", pcAlpha);
        var names = json.GetProperty("channel_names");
        var result = pcmci.Run(new PcmciOptions { TauMin = 0, TauMax = 3, PcAlpha = pcAlpha, AlphaLevel = run.GetProperty("alpha_level").GetDouble() });

        var parents = run.GetProperty("pc1").GetProperty("parents");
        for (int j = 0; j < pcmci.Channels; j++)
        {
            Assert.Equal(ReferenceJson.LaggedList(parents.GetProperty(names[j].GetString()!)), result.Parents[j].Parents);
        }

        var val = ReferenceJson.Cube(run.GetProperty("val_matrix"));
        var p = ReferenceJson.Cube(run.GetProperty("p_matrix"));
        var graph = ReferenceJson.StringCube(run.GetProperty("graph"));
        for (int i = 0; i < pcmci.Channels; i++)
        {
            for (int j = 0; j < pcmci.Channels; j++)
            {
                for (int tau = 0; tau <= 3; tau++)
                {
                    Assert.True(Math.Abs(result.Values[i, j, tau] - val[i, j, tau]) <= 1e-9, $"val[{i},{j},{tau}] {result.Values[i, j, tau]} vs {val[i, j, tau]}");
                    Assert.True(ReferenceJson.Close(result.PValues[i, j, tau], p[i, j, tau], 1e-6, 1e-300), $"p[{i},{j},{tau}] {result.PValues[i, j, tau]} vs {p[i, j, tau]}");
                    Assert.Equal(graph[i, j, tau], result.Graph[i, j, tau]);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void PcmciPlusFirstStageMatchesTigramite(string dataset)
    {
        // PCMCI+ starts with PC1 at pc_alpha (0.01 here); for lagged links PC1 drops, tigramite's matrices keep the
        // largest PC1 p-value and the value of that test.
        var (pcmci, json) = Load(dataset);
        var run = Run(json, "pcmciplus", 0.01);
        var names = json.GetProperty("channel_names");
        var lagged = run.GetProperty("pc1_lagged_parents");
        var val = ReferenceJson.Cube(run.GetProperty("val_matrix"));
        var p = ReferenceJson.Cube(run.GetProperty("p_matrix"));
        int checkedLinks = 0;
        for (int j = 0; j < pcmci.Channels; j++)
        {
            var pc1 = pcmci.RunPc1(j, 0.01, 1, 3);
            Assert.Equal(ReferenceJson.LaggedList(lagged.GetProperty(names[j].GetString()!)), pc1.Parents);
            foreach (var (link, weakest) in pc1.Weakest)
            {
                if (pc1.Parents.Contains(link))
                {
                    continue;
                }
                Assert.True(ReferenceJson.Close(weakest.PValue, p[link.Channel, j, link.Lag], 1e-6, 1e-300), $"p {link} -> {j}: {weakest.PValue} vs {p[link.Channel, j, link.Lag]}");
                Assert.True(Math.Abs(weakest.Value - val[link.Channel, j, link.Lag]) <= 1e-9, $"val {link} -> {j}: {weakest.Value} vs {val[link.Channel, j, link.Lag]}");
                checkedLinks++;
            }
        }
        Assert.True(checkedLinks > 20);
    }
}
