namespace CausalStream.Core.Pipeline;

/// <summary>A sink with the bounded queue that feeds it: its capacity and what happens when it is full.</summary>
public sealed record SinkBinding(IResultSink Sink, int Capacity = 256, EdgePolicy Policy = EdgePolicy.DropOldest);
