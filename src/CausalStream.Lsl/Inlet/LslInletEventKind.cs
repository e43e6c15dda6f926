namespace CausalStream.Lsl.Inlet;

/// <summary>What happened to an inlet's connection.</summary>
public enum LslInletEventKind
{
    /// <summary>Malformed data or header; the connection was closed and will be retried.</summary>
    ProtocolError,

    /// <summary>The connection ended or could not be opened.</summary>
    ConnectionLost,

    /// <summary>Data flows again after a loss; the event carries the gap.</summary>
    Recovered,

    /// <summary>Recovery found several matching streams and will not pick one.</summary>
    Ambiguous,
}
