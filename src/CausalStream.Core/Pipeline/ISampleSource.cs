using CausalStream.Core.Streams;

namespace CausalStream.Core.Pipeline;

/// <summary>
/// A source yields sample chunks and marker events for the streams it declares, until its input ends
/// or it is cancelled. Live sources return when cancelled; file sources return at end of file.
/// </summary>
public interface ISampleSource
{
    /// <summary>Name used in logs and metrics.</summary>
    string Name { get; }

    /// <summary>The streams this source produces (known before <see cref="RunAsync"/> starts).</summary>
    IReadOnlyList<StreamInfo> Streams { get; }

    /// <summary>Produces items into <paramref name="output"/> until done or cancelled.</summary>
    Task RunAsync(ISourceOutput output, CancellationToken cancellationToken);
}
