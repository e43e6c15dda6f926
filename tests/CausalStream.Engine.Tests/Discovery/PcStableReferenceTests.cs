using System.Text.Json;
using CausalStream.Engine.Discovery;
using CausalStream.Engine.Tests.TestData;

namespace CausalStream.Engine.Tests.Discovery;

/// <summary>PC-stable against causal-learn's stored runs (Fixtures/pc_fci/*/causallearn.json).</summary>
public sealed class PcStableReferenceTests
{
    public static TheoryData<string> Datasets => new() { "dag8_n3000", "hidden7_n4000" };

    internal static (FixtureData Data, JsonElement Run, JsonElement Json) Load(string dataset, string algorithm)
    {
        var data = FixtureData.LoadCsv($"pc_fci/{dataset}/data.csv");
        var json = FixtureData.LoadJson($"pc_fci/{dataset}/causallearn.json");
        foreach (var run in json.GetProperty("runs").EnumerateArray())
        {
            if (run.GetProperty("algorithm").GetString() == algorithm)
            {
                return (data, run, json);
            }
        }
        throw new InvalidOperationException($"No {algorithm} run in {dataset}.");
    }

    internal static int Index(JsonElement names, string name)
    {
        for (int k = 0; k < names.GetArrayLength(); k++)
        {
            if (names[k].GetString() == name)
            {
                return k;
            }
        }
        throw new InvalidOperationException($"Unknown node {name}.");
    }

    internal static void AssertTestsMatch(JsonElement stored, JsonElement names, IReadOnlyList<CiTestRecord> ours)
    {
        Assert.Equal(stored.GetArrayLength(), ours.Count);
        int k = 0;
        foreach (var t in stored.EnumerateArray())
        {
            var mine = ours[k++];
            Assert.Equal(Index(names, t.GetProperty("x").GetString()!), mine.X);
            Assert.Equal(Index(names, t.GetProperty("y").GetString()!), mine.Y);
            var cond = new List<int>();
            foreach (var c in t.GetProperty("cond").EnumerateArray())
            {
                cond.Add(Index(names, c.GetString()!));
            }
            Assert.Equal(cond, mine.Conditions);
            double expected = t.GetProperty("p").GetDouble();
            Assert.True(ReferenceJson.Close(mine.PValue, expected, 1e-6, 1e-12), $"test {k}: p {mine.PValue} vs {expected}");
        }
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void FisherZTestsMatchCausalLearnInOrder(string dataset)
    {
        var (data, run, json) = Load(dataset, "PC");
        var result = PcStable.Run(data.Values, data.Channels, run.GetProperty("alpha").GetDouble());
        AssertTestsMatch(run.GetProperty("ci_tests"), json.GetProperty("node_names"), result.Tests);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void CpdagEqualsCausalLearn(string dataset)
    {
        var (data, run, json) = Load(dataset, "PC");
        var result = PcStable.Run(data.Values, data.Channels, run.GetProperty("alpha").GetDouble());
        var expected = ReferenceJson.Matrix(run.GetProperty("endpoint_matrix"));
        var names = new List<string>();
        foreach (var n in json.GetProperty("node_names").EnumerateArray())
        {
            names.Add(n.GetString()!);
        }
        var ours = result.Graph.ToMatrix();
        var diffs = new List<string>();
        for (int a = 0; a < data.Channels; a++)
        {
            for (int b = a + 1; b < data.Channels; b++)
            {
                if (ours[a, b] != expected[a, b] || ours[b, a] != expected[b, a])
                {
                    diffs.Add($"{names[a]}-{names[b]}: ours {ours[a, b]}/{ours[b, a]} vs {expected[a, b]}/{expected[b, a]}");
                }
            }
        }
        Assert.True(diffs.Count == 0, string.Join("; ", diffs));
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void SeparatingSetsEqualCausalLearn(string dataset)
    {
        var (data, run, json) = Load(dataset, "PC");
        var names = json.GetProperty("node_names");
        var result = PcStable.Run(data.Values, data.Channels, run.GetProperty("alpha").GetDouble());
        int stored = 0;
        foreach (var s in run.GetProperty("sepsets").EnumerateArray())
        {
            int x = Index(names, s.GetProperty("x").GetString()!);
            int y = Index(names, s.GetProperty("y").GetString()!);
            Assert.True(result.Skeleton.SeparatingSets.TryGetValue((x, y), out var entries), $"no sepset for {x},{y}");
            var expected = new List<List<int>>();
            foreach (var entry in s.GetProperty("entries").EnumerateArray())
            {
                var set = new List<int>();
                foreach (var c in entry.EnumerateArray())
                {
                    set.Add(Index(names, c.GetString()!));
                }
                set.Sort();
                expected.Add(set);
            }
            Assert.Equal(expected.Count, entries.Count);
            for (int k = 0; k < entries.Count; k++)
            {
                Assert.Equal(expected[k], entries[k]);
            }
            stored++;
        }
        int ours = 0;
        foreach (var key in result.Skeleton.SeparatingSets.Keys)
        {
            if (key.Item1 < key.Item2)
            {
                ours++;
            }
        }
        Assert.Equal(stored, ours);
    }
}
