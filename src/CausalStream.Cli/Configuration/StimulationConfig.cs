using CausalStream.Core.Stimulation;

namespace CausalStream.Cli.Configuration;

/// <summary>The stimulation controller: its interlocks, rules, audit log and outputs (docs/stimulation.md).</summary>
public sealed record StimulationConfig
{
    public bool Enabled { get; init; } = true;

    public StimulationSafety Safety { get; init; } = new();

    /// <summary>Fast-path rules evaluated on every chunk.</summary>
    public IReadOnlyList<FeatureRule> FeatureRules { get; init; } = [];

    /// <summary>Rules on the weights of causal-graph edges.</summary>
    public IReadOnlyList<EdgeRule> EdgeRules { get; init; } = [];

    /// <summary>Rules on published effect estimates (an interval excluding zero); need engine.effects.</summary>
    public IReadOnlyList<EffectRule> EffectRules { get; init; } = [];

    /// <summary>JSON Lines audit log of every decision; required.</summary>
    public string Audit { get; init; } = "logs/stimulation-audit.jsonl";

    /// <summary>Seed of the randomisation draws.</summary>
    public int Seed { get; init; }

    public StimulationOutputsConfig Outputs { get; init; } = new();
}
