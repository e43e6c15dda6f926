using System.Globalization;
using CausalStream.Core.Streams;
using CausalStream.Core.Windows;
using CausalStream.Engine.TransferEntropy;

namespace CausalStream.Cli.Configuration;

/// <summary>
/// The live transfer-entropy stage (<c>engine.transferEntropy</c>): TE for chosen channel pairs on every window, by the
/// KSG estimator with surrogates or the Gaussian closed form. It uses the pipeline's window and hop.
/// </summary>
public sealed record TransferEntropyConfig
{
    public bool Enabled { get; init; } = true;

    /// <summary>Pairs as "SOURCE>TARGET", by channel label or index.</summary>
    public IReadOnlyList<string> Pairs { get; init; } = [];

    /// <summary>ksg (default) or gaussian.</summary>
    public TransferEntropyMethod Estimator { get; init; } = TransferEntropyMethod.Ksg;

    /// <summary>Target history length k.</summary>
    public int TargetHistory { get; init; } = 1;

    /// <summary>Source history length l.</summary>
    public int SourceHistory { get; init; } = 1;

    /// <summary>Source delay u in samples.</summary>
    public int Delay { get; init; } = 1;

    /// <summary>KSG neighbours.</summary>
    public int Neighbours { get; init; } = 4;

    /// <summary>KSG surrogates per pair and hop.</summary>
    public int Surrogates { get; init; } = 20;

    /// <summary>Significance level of the (adjusted) p-values.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Benjamini–Hochberg adjustment across the pairs.</summary>
    public bool Fdr { get; init; } = true;

    /// <summary>Stream to analyse; null = the source's first regular stream.</summary>
    public string? Stream { get; init; }

    /// <summary>Estimator settings.</summary>
    public TransferEntropyOptions EstimatorOptions() => new()
    {
        TargetHistory = TargetHistory,
        SourceHistory = SourceHistory,
        Delay = Delay,
        Neighbours = Neighbours,
        Surrogates = Surrogates,
        Alpha = Alpha,
    };

    /// <summary>Stage settings with the window converted to samples and the pairs resolved against the stream's channel labels.</summary>
    /// <exception cref="ConfigException">A pair names no channel of the stream (key engine.transferEntropy.pairs).</exception>
    public TransferEntropyStageOptions ToStageOptions(StreamInfo stream, WindowSpec window, double rate, bool skipWhenBusy)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(window);
        var pairs = new List<(int, int)>(Pairs.Count);
        foreach (string item in Pairs)
        {
            string[] ends = item.Split('>');
            if (ends.Length != 2)
            {
                throw new ConfigException("configuration", "engine.transferEntropy.pairs", $"'{item}' is not SOURCE>TARGET");
            }
            pairs.Add((Channel(stream, ends[0].Trim(), item), Channel(stream, ends[1].Trim(), item)));
        }
        return new TransferEntropyStageOptions
        {
            WindowSamples = window.LengthInSamples(rate),
            HopSamples = window.HopInSamples(rate),
            Pairs = pairs,
            Method = Estimator,
            Estimator = EstimatorOptions(),
            Fdr = Fdr,
            SkipWhenBusy = skipWhenBusy,
        };
    }

    private static int Channel(StreamInfo stream, string text, string item)
    {
        for (int c = 0; c < stream.ChannelCount; c++)
        {
            if (stream.ChannelLabels[c] == text)
            {
                return c;
            }
        }
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) && index >= 0 && index < stream.ChannelCount)
        {
            return index;
        }
        throw new ConfigException("configuration", "engine.transferEntropy.pairs", $"'{item}': '{text}' is neither a channel label of stream '{stream.Name}' nor an index 0..{stream.ChannelCount - 1}");
    }
}
