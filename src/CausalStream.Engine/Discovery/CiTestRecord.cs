namespace CausalStream.Engine.Discovery;

/// <summary>One distinct conditional-independence test run by a PC-family search, as first run.</summary>
/// <param name="X">The smaller variable index.</param>
/// <param name="Y">The larger variable index.</param>
/// <param name="Conditions">Conditioning variables, ascending.</param>
/// <param name="PValue">The test's p-value.</param>
public sealed record CiTestRecord(int X, int Y, IReadOnlyList<int> Conditions, double PValue);
