namespace CausalStream.Engine.Effects;

/// <summary>
/// The outcome of one coverage study design: shares of runs whose 95% intervals covered the true effect (AIPW,
/// cross-fitted AIPW, DML, IPW with the logged propensity), the mean errors of AIPW and DML, and the shares of runs in
/// which the confidence sequence and, for contrast, the fixed 95% interval ever excluded the true effect while watched
/// after every event.
/// </summary>
public sealed record CoverageResult(
    CoverageScenario Scenario,
    int Runs,
    int Events,
    double TrueEffect,
    double AipwCoverage,
    double AipwCrossFitCoverage,
    double DmlCoverage,
    double IpwLoggedCoverage,
    double AipwBias,
    double DmlBias,
    double SequenceEverExcluded,
    double FixedIntervalEverExcluded,
    int Withheld);
