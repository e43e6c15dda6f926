namespace CausalStream.Core.Windows;

/// <summary>Outcome of checking one sample's timestamp against the previous one (see <see cref="GapDetector"/>).</summary>
public enum TimestampCheckKind
{
    /// <summary>The timestamp follows the previous one as expected.</summary>
    Ok,

    /// <summary>The jump from the previous timestamp exceeds 1.5 nominal sample periods (samples were lost).</summary>
    Gap,

    /// <summary>The timestamp is earlier than the previous one (clock reset, reordering, or a corrupt packet).</summary>
    Backwards,

    /// <summary>The timestamp is NaN or infinite.</summary>
    NotFinite,
}
