using System.Globalization;
using System.Xml.Linq;
using CausalStream.Core.Streams;

namespace CausalStream.Lsl.Info;

/// <summary>
/// The LSL stream info: every field of liblsl's <c>&lt;info&gt;</c> document (identity, format, ports, the
/// free-form <c>desc</c> tree). Read from shortinfo/fullinfo replies and written by outlets; converts to and
/// from the pipeline's <see cref="StreamInfo"/>, keeping channel labels, units and types in <c>desc</c>.
/// </summary>
public sealed record LslStreamInfo
{
    /// <summary>Protocol version written by this implementation (1.10).</summary>
    public const int CurrentVersion = 110;

    public required string Name { get; init; }

    public string Type { get; init; } = string.Empty;

    public int ChannelCount { get; init; }

    public ChannelFormat Format { get; init; }

    /// <summary>Unique id of the source device; a non-empty id lets inlets recover after the outlet restarts.</summary>
    public string SourceId { get; init; } = string.Empty;

    /// <summary>Samples per second; 0 for irregular streams.</summary>
    public double NominalSrate { get; init; }

    /// <summary>Protocol version × 100 (110 for 1.10, 100 for the legacy 1.00).</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>Outlet clock (<see cref="Time.LslClock"/>) when the outlet was created.</summary>
    public double CreatedAt { get; init; }

    public string Uid { get; init; } = string.Empty;

    public string SessionId { get; init; } = "default";

    public string Hostname { get; init; } = string.Empty;

    /// <summary>Empty on the wire; a resolver fills it from the source address of the reply.</summary>
    public string V4Address { get; init; } = string.Empty;

    public int V4DataPort { get; init; }

    public int V4ServicePort { get; init; }

    public string V6Address { get; init; } = string.Empty;

    public int V6DataPort { get; init; }

    public int V6ServicePort { get; init; }

    /// <summary>The user meta-data tree (an element named <c>desc</c>); null or childless when there is none.</summary>
    public XElement? Desc { get; init; }

    /// <summary>Channel labels from <c>desc/channels/channel/label</c>, or ch1..chN when absent or incomplete.</summary>
    public IReadOnlyList<string> ChannelLabels => ChannelField("label", i => "ch" + (i + 1).ToString(CultureInfo.InvariantCulture));

    /// <summary>Channel units from <c>desc/channels/channel/unit</c>, or empty strings.</summary>
    public IReadOnlyList<string> ChannelUnits => ChannelField("unit", _ => string.Empty);

    /// <summary>Channel types from <c>desc/channels/channel/type</c>, or empty strings.</summary>
    public IReadOnlyList<string> ChannelTypes => ChannelField("type", _ => string.Empty);

    /// <summary>A new random RFC 4122 version-4 UUID in lowercase, as liblsl gives each outlet.</summary>
    public static string NewUid() => Guid.NewGuid().ToString("D");

    /// <summary>
    /// Builds the LSL description of a pipeline stream; labels, units (and types when given) go to
    /// <c>desc/channels/channel</c>.
    /// </summary>
    public static LslStreamInfo FromStreamInfo(StreamInfo stream, IReadOnlyList<string>? channelTypes = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var channels = new XElement("channels");
        for (int i = 0; i < stream.ChannelCount; i++)
        {
            var channel = new XElement("channel", new XElement("label", stream.ChannelLabels[i]));
            if (stream.ChannelUnits[i].Length > 0)
            {
                channel.Add(new XElement("unit", stream.ChannelUnits[i]));
            }

            if (channelTypes is not null && i < channelTypes.Count && channelTypes[i].Length > 0)
            {
                channel.Add(new XElement("type", channelTypes[i]));
            }

            channels.Add(channel);
        }

        return new LslStreamInfo
        {
            Name = stream.Name,
            Type = stream.Type,
            ChannelCount = stream.ChannelCount,
            Format = stream.Format,
            SourceId = stream.SourceId,
            NominalSrate = stream.NominalRate,
            Desc = new XElement("desc", channels),
        };
    }

    /// <summary>The pipeline's view of this stream (labels and units from <c>desc</c>).</summary>
    public StreamInfo ToStreamInfo()
        => new(Name, Type, SourceId, Math.Max(1, ChannelCount), NominalSrate, Format, PadTo(ChannelLabels), PadTo(ChannelUnits));

    /// <summary>The shortinfo: the same fields with an empty <c>desc</c>.</summary>
    public LslStreamInfo ToShortInfo() => this with { Desc = null };

    /// <summary>One line for listings: name, type, channels × format @ rate, host, source id, uid.</summary>
    public override string ToString()
        => $"{Name} ({Type}, {ChannelCount} × {LslChannelFormats.Name(Format)} @ {NominalSrate.ToString(CultureInfo.InvariantCulture)} Hz, host {Hostname}, source_id '{SourceId}', uid {Uid})";

    private IReadOnlyList<string> PadTo(IReadOnlyList<string> values)
    {
        if (ChannelCount > 0)
        {
            return values;
        }

        return [values.Count > 0 ? values[0] : "ch1"];
    }

    private string[] ChannelField(string field, Func<int, string> fallback)
    {
        var result = new string[ChannelCount];
        XElement? channels = Desc?.Element("channels");
        int i = 0;
        if (channels is not null)
        {
            foreach (var channel in channels.Elements("channel"))
            {
                if (i >= result.Length)
                {
                    break;
                }

                string? value = channel.Element(field)?.Value;
                result[i] = string.IsNullOrEmpty(value) ? fallback(i) : value;
                i++;
            }
        }

        for (; i < result.Length; i++)
        {
            result[i] = fallback(i);
        }

        return result;
    }
}
