namespace CausalStream.Engine.Discovery;

/// <summary>The outcome of one conditional-independence test: the (partial) correlation and its p-value.</summary>
/// <param name="Value">Partial correlation of X and Y given Z, in [−1, 1].</param>
/// <param name="PValue">Two-sided p-value of the null hypothesis "X ⊥ Y | Z".</param>
public readonly record struct CiTestResult(double Value, double PValue);
