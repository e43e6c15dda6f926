using CausalStream.Core.Streams;
using CausalStream.Engine.Statistics;

namespace CausalStream.Kafka.Sharding;

/// <summary>
/// Merges the partial graphs of a window computed by the shards (each holding the edges into its target channels)
/// into one graph: edges ordered by (target, source) as a single worker writes them, adjusted p-values recomputed over
/// all merged pairs with the graph's correction (<see cref="MultipleTesting"/>), significance re-decided against alpha.
/// Collects parts by (stream, window end) until every shard has delivered; repeated parts are ignored.
/// </summary>
public sealed class ShardMerger
{
    private readonly int _shards;
    private readonly Dictionary<(string Stream, double WindowEnd), CausalGraph?[]> _pending = new();
    private readonly HashSet<(string Stream, double WindowEnd)> _done = new();

    public ShardMerger(int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardCount);
        _shards = shardCount;
    }

    /// <summary>Windows waiting for missing shards.</summary>
    public int Pending => _pending.Count;

    /// <summary>
    /// Adds shard <paramref name="shardIndex"/>'s part; returns true with the merged graph when this completed the window.
    /// A part for a window already merged (a duplicate after a restart) returns false.
    /// </summary>
    public bool TryAdd(CausalGraph part, int shardIndex, out CausalGraph? merged)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (shardIndex < 0 || shardIndex >= _shards)
        {
            throw new ArgumentOutOfRangeException(nameof(shardIndex), shardIndex, $"shard index of stream '{part.Stream}' window end {part.WindowEnd} must be 0..{_shards - 1}");
        }

        merged = null;
        var key = (part.Stream, part.WindowEnd);
        if (_done.Contains(key))
        {
            return false;
        }

        if (!_pending.TryGetValue(key, out var parts))
        {
            parts = new CausalGraph?[_shards];
            _pending[key] = parts;
        }

        parts[shardIndex] ??= part;
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i] is null)
            {
                return false;
            }
        }

        _pending.Remove(key);
        _done.Add(key);
        merged = Merge(parts!);
        return true;
    }

    /// <summary>Merges complete parts of one window (same stream, window and channels).</summary>
    /// <exception cref="ArgumentException">The parts do not describe the same window.</exception>
    public static CausalGraph Merge(IReadOnlyList<CausalGraph> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("no parts to merge", nameof(parts));
        }

        var first = parts[0];
        int count = 0;
        bool regularized = false;
        for (int i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (part.Stream != first.Stream || part.WindowEnd != first.WindowEnd || part.Channels.Count != first.Channels.Count || part.MaxLag != first.MaxLag || part.Correction != first.Correction)
            {
                throw new ArgumentException($"part {i} (stream '{part.Stream}', window end {part.WindowEnd}, {part.Channels.Count} channels, p {part.MaxLag}, {part.Correction}) does not match part 0 (stream '{first.Stream}', window end {first.WindowEnd}, {first.Channels.Count} channels, p {first.MaxLag}, {first.Correction})", nameof(parts));
            }

            count += part.Edges.Count;
            regularized |= part.Regularized;
        }

        var edges = new CausalEdge[count];
        int k = 0;
        for (int i = 0; i < parts.Count; i++)
        {
            foreach (var edge in parts[i].Edges)
            {
                edges[k++] = edge;
            }
        }

        Array.Sort(edges, static (a, b) => a.Target != b.Target ? a.Target.CompareTo(b.Target) : a.Source.CompareTo(b.Source));
        var p = new double[count];
        for (int i = 0; i < count; i++)
        {
            p[i] = edges[i].PValue;
        }

        var q = new double[count];
        MultipleTesting.Adjust(CorrectionOf(first.Correction), p, q, new double[count], new int[count]);
        for (int i = 0; i < count; i++)
        {
            edges[i] = edges[i] with { AdjustedPValue = q[i], Significant = q[i] <= first.Alpha };
        }

        return first with { Regularized = regularized, Edges = edges };
    }

    /// <summary>The correction named in a graph ("fdr_bh", "bonferroni", "none").</summary>
    public static MultipleTestCorrection CorrectionOf(string name) => name switch
    {
        "fdr_bh" => MultipleTestCorrection.BenjaminiHochberg,
        "bonferroni" => MultipleTestCorrection.Bonferroni,
        "none" => MultipleTestCorrection.None,
        _ => throw new ArgumentException($"unknown correction '{name}' (fdr_bh, bonferroni, none)", nameof(name)),
    };
}
