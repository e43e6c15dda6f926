namespace CausalStream.Core.Pipeline;

/// <summary>What a bounded edge does when its queue is full.</summary>
public enum EdgePolicy
{
    /// <summary>The writer waits for room: lossless, for replay of files.</summary>
    Wait,

    /// <summary>The oldest queued item is dropped and counted: for live sources and sinks that must not stall others.</summary>
    DropOldest,
}
