namespace CausalStream.Engine.Discovery;

/// <summary>
/// One time-lagged variable X^Channel_{t−Lag} of a multichannel series (Lag ≥ 0; Lag 0 is the current sample).
/// </summary>
/// <param name="Channel">Zero-based channel index.</param>
/// <param name="Lag">Lag in samples, at least 0.</param>
public readonly record struct LaggedVariable(int Channel, int Lag)
{
    /// <summary>The same channel shifted <paramref name="extra"/> samples further into the past.</summary>
    public LaggedVariable Shift(int extra) => new(Channel, Lag + extra);

    /// <summary>Text such as <c>ch03(t-1)</c>, or <c>ch03(t)</c> at lag 0.</summary>
    public string ToText(IReadOnlyList<string> names) => Lag == 0 ? $"{names[Channel]}(t)" : $"{names[Channel]}(t-{Lag})";
}
