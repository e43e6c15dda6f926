namespace CausalStream.Engine.TransferEntropy;

/// <summary>Which transfer-entropy estimator a <see cref="TransferEntropyStage"/> or a batch run uses.</summary>
public enum TransferEntropyMethod
{
    /// <summary>Kraskov–Stögbauer–Grassberger k-nearest-neighbour estimate with a surrogate p-value (nonlinear couplings).</summary>
    Ksg,

    /// <summary>Gaussian closed form, half the Granger magnitude, with the F-test p-value (linear couplings, cheap).</summary>
    Gaussian,
}
