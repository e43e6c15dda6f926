using System.Text.Json.Serialization;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Configuration;

namespace CausalStream.Lsl.Pipeline;

/// <summary>
/// What an <see cref="LslSink"/> publishes: stream name prefix and source id, whether graphs (edge weights as a
/// numeric stream) and markers (other results, stimulation commands) go out, and the LSL settings.
/// Configuration shape: <c>{"type":"lsl","name":"causalstream","graphs":true,"markers":true}</c>.
/// </summary>
public sealed record LslSinkOptions
{
    /// <summary>Prefix of the published stream names: <c>&lt;name&gt;-graph-&lt;stream&gt;</c> and <c>&lt;name&gt;-markers</c>.</summary>
    public string Name { get; init; } = "causalstream";

    /// <summary>Source id prefix, so consumers recover when CausalStream restarts; default = the name.</summary>
    public string? SourceId { get; init; }

    /// <summary>Publish each <see cref="CausalGraph"/> as one sample of edge weights (channel "a->b" per ordered pair).</summary>
    public bool Graphs { get; init; } = true;

    /// <summary>Value format of the graph stream.</summary>
    public ChannelFormat GraphFormat { get; init; } = ChannelFormat.Float32;

    /// <summary>Publish other results and stimulation commands as text on a string marker stream.</summary>
    public bool Markers { get; init; } = true;

    /// <summary>Path of an <c>lsl_api.cfg</c> to use instead of the one liblsl would find.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Explicit settings (take precedence over <see cref="ConfigFile"/>); not read from configuration JSON.</summary>
    [JsonIgnore]
    public LslApiConfig? Config { get; init; }

    /// <summary>The LSL settings: <see cref="Config"/>, else <see cref="ConfigFile"/>, else what liblsl would load.</summary>
    public LslApiConfig ResolveConfig() => Config ?? (ConfigFile is { } file ? LslApiConfig.LoadFile(file) : LslApiConfig.Load());
}
