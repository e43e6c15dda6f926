namespace CausalStream.Engine.Statistics;

/// <summary>
/// Information criteria of VAR(q) fits, q = 0..MaxLag, on one common sample, and the order each criterion picks
/// (the first minimum), as statsmodels' VAR.select_order reports them.
/// </summary>
public sealed class VarOrderSelectionResult
{
    internal VarOrderSelectionResult(int maxLag, double observations, double[] aic, double[] bic, double[] hqic, double[] fpe, bool ridgeApplied)
    {
        MaxLag = maxLag;
        Observations = observations;
        Aic = aic;
        Bic = bic;
        Hqic = hqic;
        Fpe = fpe;
        RidgeApplied = ridgeApplied;
        AicOrder = ArgMin(aic);
        BicOrder = ArgMin(bic);
        HqicOrder = ArgMin(hqic);
        FpeOrder = ArgMin(fpe);
    }

    /// <summary>Largest order considered.</summary>
    public int MaxLag { get; }

    /// <summary>Rows in the common sample (all complete for MaxLag lags).</summary>
    public double Observations { get; }

    /// <summary>AIC for orders 0..MaxLag (index = order).</summary>
    public IReadOnlyList<double> Aic { get; }

    /// <summary>BIC for orders 0..MaxLag.</summary>
    public IReadOnlyList<double> Bic { get; }

    /// <summary>Hannan–Quinn criterion for orders 0..MaxLag.</summary>
    public IReadOnlyList<double> Hqic { get; }

    /// <summary>Final prediction error for orders 0..MaxLag.</summary>
    public IReadOnlyList<double> Fpe { get; }

    /// <summary>Order minimising AIC.</summary>
    public int AicOrder { get; }

    /// <summary>Order minimising BIC.</summary>
    public int BicOrder { get; }

    /// <summary>Order minimising HQIC.</summary>
    public int HqicOrder { get; }

    /// <summary>Order minimising FPE.</summary>
    public int FpeOrder { get; }

    /// <summary>True when the Gram matrix was near-singular and a ridge was added (the criteria are then approximate).</summary>
    public bool RidgeApplied { get; }

    private static int ArgMin(double[] values)
    {
        int best = 0;
        for (int q = 1; q < values.Length; q++)
        {
            if (values[q] < values[best])
            {
                best = q;
            }
        }
        return best;
    }
}
