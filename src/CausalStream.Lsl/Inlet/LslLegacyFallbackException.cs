namespace CausalStream.Lsl.Inlet;

/// <summary>Raised while opening a 1.10 feed when the outlet evidently speaks only protocol 1.00 (no answer, or 505).</summary>
internal sealed class LslLegacyFallbackException(string message) : Exception(message)
{
}
