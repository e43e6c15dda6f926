namespace CausalStream.Engine.Discovery;

/// <summary>
/// How PCMCI+ decides whether an unshielded contemporaneous triple is a collider (Runge 2020). Majority and
/// conservative re-test every subset of the adjacent nodes, which makes the result independent of the channel order.
/// </summary>
public enum ContemporaneousColliderRule
{
    /// <summary>The standard PC rule: a collider when the middle node is not in the skeleton's separating set.</summary>
    None,

    /// <summary>A collider when the middle node is in none of the separating subsets; ambiguous unless in none or all.</summary>
    Conservative,

    /// <summary>A collider when the middle node is in fewer than half of the separating subsets; ambiguous at exactly half (tigramite's default).</summary>
    Majority,
}
