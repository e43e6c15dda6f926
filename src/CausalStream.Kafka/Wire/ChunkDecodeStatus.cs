namespace CausalStream.Kafka.Wire;

/// <summary>Why a chunk message did or did not decode; every value but <see cref="Ok"/> sends the message to the dead-letter topic.</summary>
public enum ChunkDecodeStatus
{
    Ok,
    TooShort,
    BadMagic,
    UnsupportedVersion,
    UnknownFormat,
    BadShape,
    BadLength,
    BadValue,
    UnknownStream,
    ChannelCountMismatch,
}
