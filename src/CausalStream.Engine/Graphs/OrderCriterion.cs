namespace CausalStream.Engine.Graphs;

/// <summary>Information criterion that picks the model order when the maximum lag is "auto".</summary>
public enum OrderCriterion
{
    Aic,
    Bic,
    Hqic,
    Fpe,
}
