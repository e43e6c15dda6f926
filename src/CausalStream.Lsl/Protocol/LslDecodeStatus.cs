namespace CausalStream.Lsl.Protocol;

/// <summary>Outcome of decoding one item from received bytes: decoded, wait for more bytes, or malformed.</summary>
public enum LslDecodeStatus
{
    /// <summary>One item was decoded and its bytes consumed.</summary>
    Ok,

    /// <summary>The bytes end before the item does; nothing was consumed.</summary>
    NeedMoreData,

    /// <summary>The bytes are malformed; the error says what and where.</summary>
    Invalid,
}
