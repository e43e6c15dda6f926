using System.Text.Json.Serialization;
using CausalStream.Lsl.Configuration;

namespace CausalStream.Lsl.Pipeline;

/// <summary>
/// Which LSL stream an <see cref="LslSource"/> reads and how: an XPath predicate (<c>type='EEG'</c>) and/or a
/// name and source_id, the resolve timeout, chunk size, time correction and the LSL settings to use.
/// Configuration shape: <c>{"type":"lsl","query":"type='EEG'","resolveTimeout":5}</c>.
/// </summary>
public sealed record LslSourceOptions
{
    /// <summary>XPath predicate on the stream info, e.g. <c>type='EEG' and channel_count&gt;8</c>.</summary>
    public string? Query { get; init; }

    /// <summary>Stream name to match exactly.</summary>
    public string? Name { get; init; }

    /// <summary>Source id to match exactly.</summary>
    public string? SourceId { get; init; }

    /// <summary>Seconds to look for the stream before failing with the list of visible streams.</summary>
    public double ResolveTimeout { get; init; } = 5;

    /// <summary>Most samples per chunk handed to the pipeline.</summary>
    public int MaxChunkSamples { get; init; } = 1024;

    /// <summary>Map timestamps to the local clock with LSL time correction.</summary>
    public bool TimeCorrection { get; init; } = true;

    /// <summary>Path of an <c>lsl_api.cfg</c> to use instead of the one liblsl would find.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Explicit settings (take precedence over <see cref="ConfigFile"/>); not read from configuration JSON.</summary>
    [JsonIgnore]
    public LslApiConfig? Config { get; init; }

    /// <summary>The predicate the options describe (terms joined with <c>and</c>); empty matches every stream.</summary>
    public string Predicate()
    {
        var terms = new List<string>();
        if (!string.IsNullOrWhiteSpace(Query))
        {
            terms.Add(Query.Trim());
        }

        if (!string.IsNullOrWhiteSpace(Name))
        {
            terms.Add($"name='{Name}'");
        }

        if (!string.IsNullOrWhiteSpace(SourceId))
        {
            terms.Add($"source_id='{SourceId}'");
        }

        return string.Join(" and ", terms);
    }

    /// <summary>The LSL settings: <see cref="Config"/>, else <see cref="ConfigFile"/>, else what liblsl would load.</summary>
    public LslApiConfig ResolveConfig() => Config ?? (ConfigFile is { } file ? LslApiConfig.LoadFile(file) : LslApiConfig.Load());
}
