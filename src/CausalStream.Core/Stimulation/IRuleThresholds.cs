namespace CausalStream.Core.Stimulation;

/// <summary>
/// The thresholds of the fast-path stimulation rules that an operator may change while a session runs (the
/// dashboard's threshold control). A change takes effect from the next chunk and is written to the audit log.
/// </summary>
public interface IRuleThresholds
{
    /// <summary>Every adjustable rule with the threshold in force.</summary>
    IReadOnlyList<RuleThreshold> Thresholds { get; }

    /// <summary>Sets a rule's threshold; returns null on success or why the value was refused (nothing changes then).</summary>
    /// <param name="rule">The rule's name.</param>
    /// <param name="threshold">The new threshold.</param>
    /// <param name="reason">Who asked and from where, for the audit log.</param>
    string? TrySetThreshold(string rule, double threshold, string reason);
}
