using CausalStream.Core.Streams;

namespace CausalStream.Cli.Configuration;

/// <summary>
/// Picks the stream a live discovery stage analyses (<c>engine.pcmci.stream</c> and its siblings), so that an unknown
/// name is reported under the stage's own key.
/// </summary>
public static class DiscoveryStreams
{
    /// <summary>The stream named <paramref name="name"/>, or the first regular stream when it is null.</summary>
    /// <exception cref="ConfigException">No such stream; the message names <paramref name="key"/>.</exception>
    public static StreamInfo Select(IReadOnlyList<StreamInfo> streams, string? name, string key)
    {
        ArgumentNullException.ThrowIfNull(streams);
        foreach (var stream in streams)
        {
            if (name is null ? stream.NominalRate > 0 : stream.Name == name)
            {
                return stream;
            }
        }

        throw new ConfigException("configuration", key, name is null ? "the source has no regular stream to analyse" : $"no stream named '{name}'");
    }
}
