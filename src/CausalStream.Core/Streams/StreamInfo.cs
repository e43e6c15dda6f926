namespace CausalStream.Core.Streams;

/// <summary>
/// Describes one stream: what it is, where it comes from, how many channels it has and at which nominal rate.
/// A nominal rate of 0 marks an irregular stream (markers, spike events).
/// </summary>
public sealed record StreamInfo
{
    public StreamInfo(
        string name,
        string type,
        string sourceId,
        int channelCount,
        double nominalRate,
        ChannelFormat format,
        IReadOnlyList<string>? channelLabels = null,
        IReadOnlyList<string>? channelUnits = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (channelCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(channelCount), channelCount, $"stream '{name}': channel count must be positive");
        }

        if (!(nominalRate >= 0) || double.IsInfinity(nominalRate))
        {
            throw new ArgumentOutOfRangeException(nameof(nominalRate), nominalRate, $"stream '{name}': nominal rate must be finite and >= 0 (0 = irregular)");
        }

        Name = name;
        Type = type ?? string.Empty;
        SourceId = sourceId ?? string.Empty;
        ChannelCount = channelCount;
        NominalRate = nominalRate;
        Format = format;
        ChannelLabels = channelLabels ?? DefaultLabels(channelCount);
        ChannelUnits = channelUnits ?? Repeat(string.Empty, channelCount);
        if (ChannelLabels.Count != channelCount)
        {
            throw new ArgumentException($"stream '{name}': {ChannelLabels.Count} channel labels for {channelCount} channels", nameof(channelLabels));
        }

        if (ChannelUnits.Count != channelCount)
        {
            throw new ArgumentException($"stream '{name}': {ChannelUnits.Count} channel units for {channelCount} channels", nameof(channelUnits));
        }
    }

    public string Name { get; }

    /// <summary>Content type, e.g. "EEG", "LFP", "Markers", "Spikes".</summary>
    public string Type { get; }

    /// <summary>Identifier of the producing device or file; lets a consumer recognise a restarted source.</summary>
    public string SourceId { get; }

    public int ChannelCount { get; }

    /// <summary>Samples per second; 0 for irregular streams.</summary>
    public double NominalRate { get; }

    public ChannelFormat Format { get; }

    public IReadOnlyList<string> ChannelLabels { get; }

    public IReadOnlyList<string> ChannelUnits { get; }

    public bool IsIrregular => NominalRate == 0;

    /// <summary>Sample period in seconds, or 0 for irregular streams.</summary>
    public double SamplePeriod => NominalRate > 0 ? 1.0 / NominalRate : 0;

    private static string[] DefaultLabels(int count)
    {
        var labels = new string[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = "ch" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return labels;
    }

    private static string[] Repeat(string value, int count)
    {
        var values = new string[count];
        Array.Fill(values, value);
        return values;
    }
}
