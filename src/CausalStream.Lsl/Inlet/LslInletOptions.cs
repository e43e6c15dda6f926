using CausalStream.Lsl.Configuration;

namespace CausalStream.Lsl.Inlet;

/// <summary>How an inlet connects, buffers, recovers and corrects time.</summary>
public sealed record LslInletOptions
{
    /// <summary>LSL settings (protocol version, discovery for recovery, time probes); null = <see cref="LslApiConfig.Load"/>.</summary>
    public LslApiConfig? Config { get; init; }

    /// <summary>Seconds of data the outlet may queue for this inlet (converted to samples as liblsl does).</summary>
    public double MaxBufferSeconds { get; init; } = 360;

    /// <summary>Asked of the outlet: flush at least every this many samples (0 = outlet's choice).</summary>
    public int MaxChunkLength { get; init; }

    /// <summary>Reconnect after errors, re-resolving by source_id when the outlet restarted (needs a non-empty source_id to switch outlets).</summary>
    public bool Recover { get; init; } = true;

    /// <summary>Pause before reconnecting after a failed attempt or a protocol error.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Add the measured clock offset to every timestamp (liblsl's clocksync post-processing).</summary>
    public bool ApplyTimeCorrection { get; init; }

    /// <summary>How long opening waits for the first clock offset when <see cref="ApplyTimeCorrection"/> is on.</summary>
    public TimeSpan TimeCorrectionTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Byte order asked of the outlet (1234 little endian, 4321 big endian); data in either order is decoded.</summary>
    public int RequestedByteOrder { get; init; } = 1234;

    /// <summary>Byte-swap figure sent in the request; 0 lets the outlet convert to the requested order.</summary>
    public double EndianPerformance { get; init; }

    /// <summary>Longest accepted string value, in bytes.</summary>
    public int MaxStringBytes { get; init; } = Protocol.LslSampleDecoder.DefaultMaxStringBytes;

    /// <summary>Timeout of one TCP connect plus handshake (header and test patterns).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Receives protocol errors, connection losses and recoveries (from the reading thread).</summary>
    public Action<LslInletEvent>? Events { get; init; }
}
