using CausalStream.Engine.Discovery;

namespace CausalStream.Engine.Tests.Discovery;

/// <summary>FCI against causal-learn's stored runs (Fixtures/pc_fci/*/causallearn.json).</summary>
public sealed class FciReferenceTests
{
    public static TheoryData<string> Datasets => new() { "dag8_n3000", "hidden7_n4000" };

    [Theory]
    [MemberData(nameof(Datasets))]
    public void PagEqualsCausalLearn(string dataset)
    {
        var (data, run, json) = PcStableReferenceTests.Load(dataset, "FCI");
        var result = Fci.Run(data.Values, data.Channels, run.GetProperty("alpha").GetDouble());
        var expected = ReferenceJson.Matrix(run.GetProperty("endpoint_matrix"));
        var names = new List<string>();
        foreach (var n in json.GetProperty("node_names").EnumerateArray())
        {
            names.Add(n.GetString()!);
        }
        var diffs = new List<string>();
        for (int a = 0; a < data.Channels; a++)
        {
            for (int b = a + 1; b < data.Channels; b++)
            {
                if ((int)result.Graph[a, b] != expected[a, b] || (int)result.Graph[b, a] != expected[b, a])
                {
                    diffs.Add($"ours {result.Graph.EdgeText(a, b, names)} vs {expected[a, b]}/{expected[b, a]}");
                }
            }
        }
        Assert.True(diffs.Count == 0, string.Join("; ", diffs));
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void AdjacencySearchTestsMatchCausalLearnPrefix(string dataset)
    {
        var (data, run, json) = PcStableReferenceTests.Load(dataset, "FCI");
        var result = Fci.Run(data.Values, data.Channels, run.GetProperty("alpha").GetDouble());
        var stored = run.GetProperty("ci_tests");
        // The adjacency search is the same as PC's; its tests come first, in the same order.
        int fas = result.Skeleton.Tests.Count;
        Assert.True(stored.GetArrayLength() >= fas);
        var prefix = System.Text.Json.JsonDocument.Parse("[" + string.Join(",", stored.EnumerateArray().Take(fas).Select(e => e.GetRawText())) + "]").RootElement;
        PcStableReferenceTests.AssertTestsMatch(prefix, json.GetProperty("node_names"), result.Skeleton.Tests);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void AllTestsMatchCausalLearnInOrder(string dataset)
    {
        var (data, run, json) = PcStableReferenceTests.Load(dataset, "FCI");
        var result = Fci.Run(data.Values, data.Channels, run.GetProperty("alpha").GetDouble());
        PcStableReferenceTests.AssertTestsMatch(run.GetProperty("ci_tests"), json.GetProperty("node_names"), result.Tests);
    }
}
