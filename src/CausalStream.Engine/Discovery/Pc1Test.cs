namespace CausalStream.Engine.Discovery;

/// <summary>One test run by the PC1 stage of PCMCI: candidate parent → target given the conditions.</summary>
/// <param name="Target">Target channel j (at lag 0).</param>
/// <param name="Level">Conditioning-set size of the iteration.</param>
/// <param name="Parent">The candidate parent tested.</param>
/// <param name="Conditions">The conditioning set.</param>
/// <param name="Result">Partial correlation and p-value.</param>
public sealed record Pc1Test(int Target, int Level, LaggedVariable Parent, IReadOnlyList<LaggedVariable> Conditions, CiTestResult Result);
