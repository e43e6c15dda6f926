namespace CausalStream.Engine.TransferEntropy;

/// <summary>
/// Transfer entropy from one channel to another, in nats, with its significance: a surrogate (block-shifted source)
/// p-value for the KSG estimator, or the F-test p-value of the nested regressions for the Gaussian one.
/// </summary>
/// <param name="Source">Source channel X.</param>
/// <param name="Target">Target channel Y.</param>
/// <param name="Value">TE(X → Y) in nats.</param>
/// <param name="PValue">p-value of TE = 0 (NaN when no test was run).</param>
/// <param name="Points">Embedded samples the estimate used.</param>
/// <param name="SurrogateMean">Mean TE over the surrogates (NaN without surrogates or for the Gaussian test); the estimator's bias under independence.</param>
public readonly record struct TransferEntropyResult(int Source, int Target, double Value, double PValue, int Points, double SurrogateMean);
